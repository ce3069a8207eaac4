-- The components published with the figures of int_published_index_results_latest (the
-- same file and row): a later file's figure comes with its own components, or none.
with

latest_results as (

    select * from {{ ref('int_published_index_results_latest') }}

),

components as (

    select * from {{ ref('stg_raw__published_index_components') }}

),

latest_components as (

    select components.*
    from components
    inner join latest_results
        on
            components.file_id = latest_results.file_id
            and components.source_row = latest_results.source_row
            and components.unit_code = latest_results.unit_code

)

select * from latest_components
