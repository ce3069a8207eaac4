-- Each unit's procedures (its latest catalogue) judged by the 766 publicity rules:
--   1.1 published on time: the publishing decision at least 5 working days before the legal
--       basis takes effect (working days: Monday to Friday, less seed public_holidays);
--   1.2 updated on time: updated or published on the national database by the day the
--       legal basis takes effect;
--   1.3 published complete, as the catalogue states.
-- A procedure without both dates is not judged for 1.1 and 1.2.
with

catalogue as (

    select * from {{ ref('int_procedure_catalogue_latest') }}

),

holidays as (

    select * from {{ ref('public_holidays') }}

),

dated as (

    select
        unit_code,
        procedure_code,
        published_on,
        legal_basis_effective_on
    from catalogue
    where published_on is not null and legal_basis_effective_on is not null

),

days_between as (

    -- the days after the decision up to the day the legal basis takes effect
    select
        unit_code,
        procedure_code,
        {{ day_series('cast(published_on + interval 1 day as date)', 'legal_basis_effective_on') }}
            as day_on
    from dated

),

working_days as (

    select
        days_between.unit_code,
        days_between.procedure_code,
        count(*) as working_days_ahead
    from days_between
    left join holidays on days_between.day_on = holidays.holiday_on
    where not {{ is_weekend('days_between.day_on') }} and holidays.holiday_on is null
    group by days_between.unit_code, days_between.procedure_code

),

final as (

    select
        catalogue.unit_code,
        catalogue.procedure_code,
        catalogue.published_on,
        catalogue.legal_basis_effective_on,
        catalogue.updated_on,
        catalogue.published_on is not null and catalogue.legal_basis_effective_on is not null
            as has_dates,
        coalesce(working_days.working_days_ahead, 0) as working_days_ahead,
        coalesce(working_days.working_days_ahead, 0) >= 5 as is_published_on_time,
        coalesce(catalogue.updated_on <= catalogue.legal_basis_effective_on, false)
            as is_updated_on_time,
        coalesce(catalogue.is_published_complete, false) as is_published_complete
    from catalogue
    left join working_days
        on
            catalogue.unit_code = working_days.unit_code
            and catalogue.procedure_code = working_days.procedure_code

)

select * from final
