-- Staff per unit, as-of date and category; a later file for the same unit and date
-- replaces the earlier one.
with

staff as (

    select * from {{ ref('stg_raw__staff') }}

),

data_rows as (

    select *
    from staff
    where not is_total_row

),

latest_rows as (

    {{ latest_submission('data_rows', ['unit_code', 'as_of_date']) | indent(4) }}

),

summed as (

    select
        unit_code,
        as_of_date,
        category,
        min(file_id) as file_id,
        min(source_row) as source_row,
        cast(sum(quota) as bigint) as quota,
        cast(sum(actual) as bigint) as actual
    from latest_rows
    group by unit_code, as_of_date, category

)

select * from summed
