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

file_versions as (

    select
        unit_code,
        as_of_date,
        file_id,
        row_number() over (
            partition by unit_code, as_of_date
            order by max(loaded_at) desc, file_id desc
        ) as version_rank
    from data_rows
    group by unit_code, as_of_date, file_id

),

latest_rows as (

    select data_rows.*
    from data_rows
    inner join file_versions
        on
            data_rows.unit_code = file_versions.unit_code
            and data_rows.as_of_date = file_versions.as_of_date
            and data_rows.file_id = file_versions.file_id
    where file_versions.version_rank = 1

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
