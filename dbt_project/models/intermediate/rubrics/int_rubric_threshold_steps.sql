-- The threshold steps of every criterion int_rubric_criteria lists, keyed as it is.
with

seeded_steps as (

    select * from {{ ref('rubric_threshold_steps') }}

),

file_steps as (

    select * from {{ ref('stg_raw__rubric_threshold_steps') }}

),

rubric_nodes as (

    select * from {{ ref('int_rubric_nodes') }}

),

from_seeds as (

    select
        rubric_id,
        province_code,
        cast(year_from as integer) as year_from,
        unit_kind,
        criterion_code,
        cast(min_value as decimal(9, 4)) as min_value,
        cast(points_share as decimal(5, 4)) as points_share
    from seeded_steps

),

from_files as (

    select
        rubric_nodes.rubric_id,
        rubric_nodes.province_code,
        rubric_nodes.year_from,
        rubric_nodes.unit_kind,
        rubric_nodes.node_code as criterion_code,
        file_steps.min_value,
        file_steps.points_share
    from rubric_nodes
    inner join file_steps
        on
            rubric_nodes.file_name = file_steps.file_name
            and rubric_nodes.node_code = file_steps.node_code

),

final as (

    select * from from_seeds
    union all
    select * from from_files

)

select * from final
