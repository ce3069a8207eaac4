-- Rule unit_submitted_every_family: every expected unit submits each source family every
-- year. One row per province × source family × year in which the province submitted
-- anything, with its reporting rate; units_missing > 0 is a finding. Expected: the
-- province's districts valid in the year and, for dossiers and surveys where any of its
-- communes submitted, its communes valid in the year. The first
-- var('quality_completeness_named') missing units are named in the message (districts
-- first, a commune with its district); `details` (JSON) lists every missing unit. Names
-- come from dim_admin_units, never from submitted text.
{%- set named = var('quality_completeness_named') %}
with

dossier_stats as (

    select * from {{ ref('fct_dossier_stats') }}

),

surveys as (

    select * from {{ ref('fct_survey_satisfaction') }}

),

budget as (

    select * from {{ ref('fct_budget_disbursement') }}

),

staffing as (

    select * from {{ ref('fct_staffing') }}

),

admin_units as (

    select * from {{ ref('dim_admin_units') }}

),

submitted as (

    select distinct
        'dossiers' as source_family,
        year(period_end) as report_year,
        unit_code
    from dossier_stats
    union
    select
        'surveys' as source_family,
        year(period_end) as report_year,
        unit_code
    from surveys
    union
    select
        'budget' as source_family,
        fiscal_year as report_year,
        unit_code
    from budget
    union
    select
        'staff' as source_family,
        year(as_of_date) as report_year,
        unit_code
    from staffing

),

units as (

    select
        unit_code,
        unit_name,
        unit_kind,
        parent_code,
        valid_from,
        valid_to,
        case when unit_kind = 'province' then unit_code else province_code end as province_code
    from admin_units

),

scope as (

    -- the provinces that submitted anything for a family and report_year
    select
        submitted.source_family,
        submitted.report_year,
        units.province_code,
        bool_or(units.unit_kind = 'commune') as communes_submitted
    from submitted
    inner join units on submitted.unit_code = units.unit_code
    where submitted.report_year is not null and units.province_code is not null
    group by all

),

expected as (

    select
        scope.source_family,
        scope.report_year,
        scope.province_code,
        units.unit_code,
        units.unit_name,
        units.unit_kind,
        units.parent_code
    from scope
    inner join units on scope.province_code = units.province_code
    where
        (
            units.unit_kind = 'district'
            or (
                units.unit_kind = 'commune'
                and scope.communes_submitted
                and scope.source_family in ('dossiers', 'surveys')
            )
        )
        and (units.valid_from is null or units.valid_from <= make_date(scope.report_year, 12, 31))
        and (units.valid_to is null or units.valid_to >= make_date(scope.report_year, 1, 1))

),

marked as (

    select
        expected.*,
        submitted.unit_code is not null as is_submitted
    from expected
    left join submitted
        on
            expected.source_family = submitted.source_family
            and expected.report_year = submitted.report_year
            and expected.unit_code = submitted.unit_code

),

missing as (

    -- districts first, then communes by district; a commune is named with its district
    select
        marked.source_family,
        marked.report_year,
        marked.province_code,
        marked.unit_code,
        marked.unit_kind,
        marked.parent_code,
        coalesce(marked.unit_name, marked.unit_code) as unit_name,
        parents.unit_name as parent_name,
        coalesce(marked.unit_name, marked.unit_code)
        || case
            when marked.unit_kind = 'commune' and parents.unit_name is not null
                then ' (' || parents.unit_name || ')'
            else ''
        end as shown_name,
        row_number() over (
            partition by marked.source_family, marked.report_year, marked.province_code
            order by
                marked.unit_kind != 'district',
                parents.unit_name,
                marked.unit_name,
                marked.unit_code
        ) as list_position
    from marked
    left join units as parents on marked.parent_code = parents.unit_code
    where not marked.is_submitted

),

missing_lists as (

    select
        source_family,
        report_year,
        province_code,
        string_agg(shown_name, ', ' order by list_position) filter (
            where list_position <= {{ named }}
        ) as named,
        list(
            {
                'unit_code': unit_code,
                'unit_name': unit_name,
                'unit_kind': unit_kind,
                'parent_code': parent_code,
                'parent_name': parent_name
            }
            order by list_position
        ) as missing_units
    from missing
    group by all

),

rates as (

    select
        source_family,
        report_year,
        province_code,
        count(*) as expected_units,
        count(*) filter (where is_submitted) as reported_units
    from marked
    group by all

),

provinces as (

    select
        rates.province_code as unit_code,
        coalesce(province_units.unit_name, rates.province_code) as province_name,
        rates.source_family,
        cast(rates.report_year as varchar) as period_label,
        rates.expected_units,
        rates.reported_units,
        rates.expected_units - rates.reported_units as units_missing,
        100.0 * rates.reported_units / rates.expected_units as reporting_rate,
        coalesce(missing_lists.named, '') as named,
        missing_lists.missing_units
    from rates
    left join missing_lists
        on
            rates.source_family = missing_lists.source_family
            and rates.report_year = missing_lists.report_year
            and rates.province_code = missing_lists.province_code
    left join units as province_units on rates.province_code = province_units.unit_code

),

final as (

    select
        unit_code,
        province_name,
        source_family,
        {{ source_family_vi('source_family') }} as family_vi,
        period_label,
        expected_units,
        reported_units,
        units_missing,
        reporting_rate,
        named
        || case
            when units_missing > {{ named }}
                then
                    ', … and ' || (units_missing - {{ named }})
                    || ' more (every unit: column details)'
            else ''
        end as missing_names_en,
        named
        || case
            when units_missing > {{ named }}
                then
                    ', … và ' || (units_missing - {{ named }})
                    || ' đơn vị khác (danh sách đầy đủ: cột details)'
            else ''
        end as missing_names_vi,
        case
            when units_missing > 0
                then cast(to_json({
                    'province_code': unit_code,
                    'province_name': province_name,
                    'source_family': source_family,
                    'period_label': period_label,
                    'expected_units': expected_units,
                    'reported_units': reported_units,
                    'reporting_rate_percent': round(reporting_rate, 2),
                    'missing_units': missing_units
                }) as varchar)
        end as details
    from provinces

)

select * from final
