-- Staff per unit, as-of date and category against the allocated quota (biên chế).
with

staff as (

    select * from {{ ref('int_staff_submissions_latest') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

final as (

    select
        staff.unit_code,
        staff.as_of_date,
        staff.category,
        staff.quota,
        staff.actual,
        staff.quota - staff.actual as vacancies,
        file_names.file_name as source_file,
        staff.source_row
    from staff
    left join file_names
        on staff.file_id = file_names.file_id

)

select * from final
