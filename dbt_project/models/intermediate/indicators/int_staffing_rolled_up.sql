-- Staff quota, staff and vacancies per unit × year (the year's latest count), in total
-- and by category, for the reporting units and every unit above them.
with

staff as (

    select * from {{ ref('int_staff_submissions_latest') }}

),

staffing as (

    select
        *,
        quota - actual as vacancies
    from staff

),

staff_year_end as (

    select
        unit_code,
        'all' as authority_level,
        make_date(year(as_of_date), 1, 1) as period_start,
        make_date(year(as_of_date), 12, 31) as period_end,
        sum(quota) as quota,
        sum(actual) as actual,
        {% for category in unit_measures('staff_categories') -%}
            sum(case when category = '{{ category }}' then quota end) as quota_{{ category }},
            sum(case when category = '{{ category }}' then actual end) as actual_{{ category }},
            sum(case when category = '{{ category }}' then vacancies end)
                as vacancies_{{ category }},
        {% endfor -%}
        sum(vacancies) as vacancies
    from staffing
    where
        as_of_date = (
            select max(latest.as_of_date)
            from staffing as latest
            where
                latest.unit_code = staffing.unit_code
                and year(latest.as_of_date) = year(staffing.as_of_date)
        )
    group by unit_code, year(as_of_date)

),

rolled_up as (

    {{ rollup_along_unit_tree('staff_year_end',
        ['authority_level', 'period_start', 'period_end'], unit_measures('staff')) | indent(4) }}

)

select * from rolled_up
