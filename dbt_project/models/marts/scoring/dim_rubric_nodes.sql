-- The rubrics of the rubric files as trees (docs/rubrics.md): one row per rubric version,
-- area, criterion, sub-criterion and component, with its maximum points, how it is scored
-- and the file it comes from (shipped, or loaded with `parwh rubric load`).
with

rubric_nodes as (

    select * from {{ ref('int_rubric_nodes') }}

),

versions as (

    select * from {{ ref('int_rubric_versions') }}

),

final as (

    select
        rubric_nodes.rubric_id,
        versions.name_vi as rubric_name_vi,
        rubric_nodes.year_from,
        rubric_nodes.year_to,
        rubric_nodes.province_code,
        rubric_nodes.unit_kind,
        rubric_nodes.node_code,
        rubric_nodes.parent_code,
        cast(rubric_nodes.node_level as bigint) as node_level,
        rubric_nodes.area_code,
        rubric_nodes.area_name_vi,
        rubric_nodes.ordinal,
        rubric_nodes.name_vi,
        cast(rubric_nodes.max_points as decimal(9, 4)) as max_points,
        rubric_nodes.method,
        rubric_nodes.is_leaf,
        rubric_nodes.indicator_code,
        rubric_nodes.authority_level,
        rubric_nodes.rule,
        cast(rubric_nodes.full_points_at as decimal(9, 4)) as full_points_at,
        rubric_nodes.rounding,
        rubric_nodes.not_applicable_when,
        rubric_nodes.notes,
        versions.score_decimals,
        versions.file_name,
        versions.origin,
        cast(rubric_nodes.source_row as bigint) as source_row
    from rubric_nodes
    inner join versions
        on
            rubric_nodes.rubric_id = versions.rubric_id
            and rubric_nodes.year_from = versions.year_from

)

select * from final
