-- Rules self_assessment_has_rubric, self_assessment_row_in_rubric and
-- self_assessment_max_matches_rubric: each row of a unit's latest self-assessment against
-- the rubric that scores the unit that year. A unit and year no rubric covers (no PAR INDEX
-- can be computed: one finding, on the file's first row), a numbered row the rubric does
-- not have (its points count nowhere), a stated maximum that differs from the rubric's.
with

self_scores as (

    select * from {{ ref('int_index_self_scores') }}

),

unit_rubrics as (

    select * from {{ ref('int_index_unit_rubrics') }}

),

rubric_nodes as (

    select * from {{ ref('int_rubric_nodes') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

source_files as (

    select * from {{ ref('int_source_files') }}

),

unit_kinds as (

    select * from {{ ref('unit_kinds') }}

),

matched as (

    select
        self_scores.unit_code,
        self_scores.assessment_year,
        self_scores.file_id,
        self_scores.source_row,
        self_scores.node_code,
        self_scores.max_points as stated_max_points,
        unit_rubrics.rubric_id,
        rubric_nodes.max_points as rubric_max_points,
        units.unit_kind,
        row_number() over (
            partition by self_scores.unit_code, self_scores.assessment_year
            order by self_scores.source_row
        ) as row_order
    from self_scores
    left join unit_rubrics
        on
            self_scores.unit_code = unit_rubrics.unit_code
            and self_scores.assessment_year = unit_rubrics.assessment_year
    left join rubric_nodes
        on
            unit_rubrics.rubric_id = rubric_nodes.rubric_id
            and unit_rubrics.file_name = rubric_nodes.file_name
            and self_scores.node_code = rubric_nodes.node_code
    left join units
        on self_scores.unit_code = units.unit_code

),

final as (

    select
        matched.unit_code,
        cast(matched.assessment_year as string) as period_label,
        source_files.file_name as source_file,
        matched.source_row,
        matched.node_code,
        matched.rubric_id,
        lower(unit_kinds.name_vi) as unit_kind_vi,
        case when matched.rubric_id is null and matched.row_order = 1 then 1 else 0 end
            as missing_rubric,
        case
            when matched.rubric_id is not null and matched.rubric_max_points is null then 1
            else 0
        end as unknown_row,
        cast(matched.stated_max_points - matched.rubric_max_points as decimal(9, 4))
            as max_difference,
        {{ points_text_vi('matched.stated_max_points') }} as stated_max_text,
        {{ points_text_vi('matched.rubric_max_points') }} as rubric_max_text
    from matched
    left join source_files
        on matched.file_id = source_files.file_id
    left join unit_kinds
        on matched.unit_kind = unit_kinds.unit_kind

)

select * from final
