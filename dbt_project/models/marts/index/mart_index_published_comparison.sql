-- Published PAR INDEX and SIPAS figures beside the warehouse's own: one row per published
-- figure (the latest file per index, year and unit). For a figure published with its point
-- components (Decision 876), the stated total against the sum of its components and their
-- difference (null when no components). own_value_percent is the warehouse's own final PAR
-- INDEX score of the unit and year (mart_index_status, once final; null for SIPAS and
-- before the index is final); difference = own - published. For comparison only: never an
-- input to scores.
with

published as (

    select * from {{ ref('int_published_index_results_latest') }}

),

components as (

    select * from {{ ref('int_published_index_components_latest') }}

),

index_status as (

    select * from {{ ref('mart_index_status') }}

),

admin_units as (

    select * from {{ ref('dim_admin_units') }}

),

source_files as (

    select * from {{ ref('int_source_files') }}

),

component_sums as (

    select
        file_id,
        source_row,
        count(*) as component_count,
        count(points) as point_components,
        sum(points) as components_sum
    from components
    group by file_id, source_row

),

own_scores as (

    -- one final score per unit and year (a unit scored on two rubrics has none here)
    select
        unit_code,
        assessment_year,
        max(final_score) as final_score
    from index_status
    where final_score is not null
    group by unit_code, assessment_year
    having count(*) = 1

),

compared as (

    select
        published.index_kind,
        published.year as assessment_year,
        published.unit_code,
        coalesce(admin_units.unit_name, published.unit_name) as unit_name,
        published.unit_name as published_unit_name,
        published.value_percent as published_value_percent,
        published.rank as published_rank,
        published.rank_out_of,
        published.group_label,
        coalesce(component_sums.component_count, 0) as component_count,
        case
            when component_sums.point_components = component_sums.component_count
                then published.value_percent
        end as stated_total,
        case
            when component_sums.point_components = component_sums.component_count
                then component_sums.components_sum
        end as components_sum,
        case when published.index_kind = 'par_index' then own_scores.final_score end
            as own_value_percent,
        published.source_text,
        published.as_of_date,
        published.file_id,
        source_files.file_name as source_file,
        published.source_row
    from published
    left join component_sums
        on
            published.file_id = component_sums.file_id
            and published.source_row = component_sums.source_row
    left join own_scores
        on
            published.unit_code = own_scores.unit_code
            and published.year = own_scores.assessment_year
    left join admin_units
        on published.unit_code = admin_units.unit_code
    left join source_files
        on published.file_id = source_files.file_id

),

final as (

    select
        cast(index_kind as string) as index_kind,
        cast(assessment_year as integer) as assessment_year,
        cast(unit_code as string) as unit_code,
        cast(unit_name as string) as unit_name,
        cast(published_unit_name as string) as published_unit_name,
        cast(published_value_percent as decimal(7, 4)) as published_value_percent,
        cast(published_rank as integer) as published_rank,
        cast(rank_out_of as integer) as rank_out_of,
        cast(group_label as string) as group_label,
        cast(component_count as integer) as component_count,
        cast(stated_total as decimal(9, 4)) as stated_total,
        cast(components_sum as decimal(9, 4)) as components_sum,
        cast(stated_total - components_sum as decimal(9, 4)) as total_difference,
        cast(own_value_percent as decimal(7, 4)) as own_value_percent,
        cast(own_value_percent - published_value_percent as decimal(7, 4)) as difference,
        cast(source_text as string) as source_text,
        cast(as_of_date as date) as as_of_date,
        cast(source_file as string) as source_file,
        cast(file_id as string) as file_id,
        cast(source_row as bigint) as source_row
    from compared

)

select * from final
