-- The nodes of the rubric versions that score (int_rubric_versions), each with its area
-- and whether it is a leaf (scored itself; a parent's points are its children's sum).
with

versions as (

    select * from {{ ref('int_rubric_versions') }}

),

nodes as (

    select * from {{ ref('stg_raw__rubric_nodes') }}

),

parents as (

    select distinct
        file_name,
        parent_code
    from nodes
    where parent_code is not null

),

versioned_nodes as (

    select
        versions.rubric_id,
        versions.year_from,
        versions.year_to,
        versions.province_code,
        versions.unit_kind,
        nodes.file_name,
        nodes.node_code,
        nodes.parent_code,
        nodes.node_level,
        regexp_extract(nodes.node_code, '^[0-9]+', 0) as area_code,
        nodes.ordinal,
        nodes.name_vi,
        nodes.max_points,
        nodes.method,
        nodes.indicator_code,
        nodes.authority_level,
        nodes.rule,
        nodes.full_points_at,
        nodes.rounding,
        nodes.not_applicable_when,
        nodes.notes,
        nodes.source_row,
        parents.parent_code is null as is_leaf
    from versions
    inner join nodes
        on
            versions.file_name = nodes.file_name
            and versions.rubric_id = nodes.rubric_id
    left join parents
        on
            nodes.file_name = parents.file_name
            and nodes.node_code = parents.parent_code

),

final as (

    select
        versioned_nodes.*,
        areas.name_vi as area_name_vi
    from versioned_nodes
    inner join versioned_nodes as areas
        on
            versioned_nodes.file_name = areas.file_name
            and versioned_nodes.area_code = areas.node_code

)

select * from final
