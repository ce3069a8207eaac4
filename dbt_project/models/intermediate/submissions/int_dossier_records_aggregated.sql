-- Record-level dossier exports at the grain of the submitted form: every calendar month
-- (int_dossier_records_monthly) and every year-to-date period ending at a month end,
-- derived from the months: events (received, resolved, …) are the running sums of the
-- months, dossiers carried in are January's, dossiers still open are the last month's.
-- A month without any active dossier inside a year is filled in so that the year to date
-- ending there exists (nothing open, the running sums so far).
with

monthly as (

    -- a stored month built before a measure existed has it null: nothing was counted then
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ measure_list(records_monthly_measures(), "coalesce(@, 0) as @") }}
    from {{ ref('int_dossier_records_monthly') }}
    where carried_in + received > 0  -- rows of zeros: unit-months whose dossiers moved away

),

record_files as (

    select * from {{ ref('stg_raw__file_manifest') }}
    where source_family = 'dossier_records' and file_status = 'loaded'

),

unit_files as (

    -- the file a unit's record-level figures name: its latest loaded export
    select
        unit_code,
        file_id
    from (
        select
            file_id,
            loaded_at,
            {{ unnest_list('unit_codes') }} as unit_code
        from record_files
    ) as file_units
    qualify row_number() over (
        partition by unit_code order by loaded_at desc, file_id desc
    ) = 1

),

last_month as (

    select max(period_start) as last_month from monthly

),

first_months as (

    select
        unit_code,
        authority_level,
        year(period_start) as period_year,
        min(period_start) as first_month
    from monthly
    group by unit_code, authority_level, year(period_start)

),

grid as (

    select
        first_months.unit_code,
        first_months.authority_level,
        first_months.period_year,
        {{ month_series(
            'first_months.first_month',
            'least(make_date(first_months.period_year, 12, 1), last_month.last_month)'
        ) }} as month_start
    from first_months
    cross join last_month

),

filled as (

    select
        grid.unit_code,
        grid.authority_level,
        grid.period_year,
        grid.month_start,
        {{ measure_list(records_monthly_measures(), "coalesce(monthly.@, 0) as @") }}
    from grid
    left join monthly
        on
            grid.unit_code = monthly.unit_code
            and grid.authority_level = monthly.authority_level
            and grid.month_start = monthly.period_start

),

year_to_date as (

    select
        unit_code,
        authority_level,
        make_date(period_year, 1, 1) as period_start,
        cast(last_day(month_start) as date) as period_end,
        coalesce(
            max(case when month(month_start) = 1 then carried_in end) over whole_year, 0
        ) as carried_in,
        {{ measure_list(records_flow_measures(), "sum(@) over months_so_far as @") }},
        {{ measure_list(records_stock_measures(), "@") }}
    from filled
    window
        months_so_far as (
            partition by unit_code, authority_level, period_year
            order by month_start
            rows between unbounded preceding and current row
        ),
        whole_year as (partition by unit_code, authority_level, period_year)
    qualify month(month_start) > 1

),

months_and_years as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ measure_list(records_monthly_measures(), "@") }}
    from monthly
    union all
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ measure_list(records_monthly_measures(), "cast(@ as bigint) as @") }}
    from year_to_date

),

final as (

    select
        months_and_years.unit_code,
        months_and_years.authority_level,
        months_and_years.period_start,
        months_and_years.period_end,
        {{ period_label('months_and_years.period_start', 'months_and_years.period_end') }}
            as period_label,
        'records' as source_kind,
        unit_files.file_id,
        cast(null as bigint) as source_row,
        {{ measure_list(records_monthly_measures(), "months_and_years.@") }},
        -- the form's other measures, as far as records tell them
        months_and_years.carried_in + months_and_years.received as received_total,
        months_and_years.received_in_person + months_and_years.received_postal
            as received_in_person_or_postal,
        cast(null as bigint) as received_out_of_area,
        cast(null as bigint) as returned
    from months_and_years
    left join unit_files on months_and_years.unit_code = unit_files.unit_code

)

select * from final
