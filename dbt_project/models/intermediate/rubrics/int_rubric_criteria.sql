-- Every criterion fct_scores computes from data: the seeded data-only rubrics' (seed
-- rubric_criteria) and the leaves of the rubric files that name an indicator and a rule
-- (computed criteria, and survey criteria scored from the survey marts).
with

seeded_criteria as (

    select * from {{ ref('rubric_criteria') }}

),

rubric_nodes as (

    select * from {{ ref('int_rubric_nodes') }}

),

from_seeds as (

    select
        rubric_id,
        province_code,
        cast(year_from as integer) as year_from,
        cast(year_to as integer) as year_to,
        unit_kind,
        area_code,
        area_name_vi,
        criterion_code,
        criterion_name_vi,
        criterion_name_en,
        indicator_code,
        authority_level,
        cast(max_points as decimal(9, 4)) as max_points,
        rule,
        rounding,
        cast(full_points_at as decimal(9, 4)) as full_points_at
    from seeded_criteria

),

from_files as (

    select
        rubric_id,
        province_code,
        year_from,
        year_to,
        unit_kind,
        area_code,
        area_name_vi,
        node_code as criterion_code,
        name_vi as criterion_name_vi,
        cast(null as string) as criterion_name_en,
        indicator_code,
        coalesce(authority_level, 'all') as authority_level,
        max_points,
        rule,
        rounding,
        full_points_at
    from rubric_nodes
    where
        is_leaf
        and indicator_code is not null
        and rule is not null

),

final as (

    select * from from_seeds
    union all
    select * from from_files

)

select * from final
