-- Every measure behind an indicator, per unit × authority level × period, long, for the
-- submitting units and for every unit above them (district, province, nation) as sums
-- of their children. authority_level 'all' sums a unit's levels.
-- Family dossier_records carries the Decision 766 measures, which only record-level
-- exports have: they come from the records' aggregate for every period, even where the
-- unit also submitted an aggregated form (the official figure of the other measures).
-- Derived measures are null unless every part is known, so a ratio's numerator and
-- denominator always cover the same dossiers.
{%- set dossier_measures = ['received', 'resolved', 'resolved_on_time', 'resolved_late',
    'received_online', 'received_postal', 'pending', 'pending_overdue',
    'resolved_on_time_or_pending_not_due', 'resolved_or_pending'] %}
{%- set record_measures = ['received', 'resolved', 'received_fully_online',
    'received_fully_online_eligible', 'received_digitised', 'resolved_with_electronic_result',
    'received_fee_required', 'received_paid_online', 'resolved_satisfactory'] %}
{%- set survey_measures = ['forms', 'satisfied_forms'] %}
{%- set budget_measures = ['plan_mvnd', 'disbursed_mvnd'] %}
{%- set staff_categories = ['can_bo', 'cong_chuc', 'vien_chuc_giao_duc', 'vien_chuc_y_te',
    'vien_chuc_khac', 'hop_dong'] %}
{%- set staff_measures = ['quota', 'actual', 'vacancies'] %}
{%- for category in staff_categories %}
    {%- do staff_measures.extend(['quota_' ~ category, 'actual_' ~ category,
        'vacancies_' ~ category]) %}
{%- endfor %}
with

dossier_stats_submitted as (

    select * from {{ ref('fct_dossier_stats') }}

),

dossier_records_aggregated as (

    select * from {{ ref('int_dossier_records_aggregated') }}

),

dossier_stats as (

    select
        *,
        case
            when resolved_on_time is not null and pending_not_due is not null
                then resolved_on_time + pending_not_due
        end as resolved_on_time_or_pending_not_due,
        case
            when resolved_on_time is not null and pending_not_due is not null
                then resolved + pending
        end as resolved_or_pending
    from dossier_stats_submitted

),

dossier_records as (

    -- 766 satisfaction with dossier handling: resolved, not rated dissatisfied, not late
    -- (complaints are not in the exports)
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        received,
        resolved,
        received_fully_online,
        received_fully_online_eligible,
        received_digitised,
        resolved_with_electronic_result,
        received_fee_required,
        received_paid_online,
        resolved - resolved_rated_dissatisfied - resolved_late as resolved_satisfactory
    from dossier_records_aggregated

),

survey_results as (

    select * from {{ ref('fct_survey_satisfaction') }}

),

budget as (

    select * from {{ ref('fct_budget_disbursement') }}

),

staffing as (

    select * from {{ ref('fct_staffing') }}

),

budget_year_end as (

    -- the year's figure is the last cumulative figure of the fiscal year
    select
        unit_code,
        'all' as authority_level,
        make_date(fiscal_year, 1, 1) as period_start,
        make_date(fiscal_year, 12, 31) as period_end,
        plan_mvnd,
        disbursed_mvnd
    from budget
    qualify row_number() over (
        partition by unit_code, fiscal_year order by as_of_date desc
    ) = 1

),

staff_year_end as (

    select
        unit_code,
        'all' as authority_level,
        make_date(year(as_of_date), 1, 1) as period_start,
        make_date(year(as_of_date), 12, 31) as period_end,
        sum(quota) as quota,
        sum(actual) as actual,
        {% for category in staff_categories -%}
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

dossiers_rolled_up as (

    {{ rollup_along_unit_tree('dossier_stats',
        ['authority_level', 'period_start', 'period_end'], dossier_measures) | indent(4) }}

),

dossier_records_rolled_up as (

    {{ rollup_along_unit_tree('dossier_records',
        ['authority_level', 'period_start', 'period_end'], record_measures) | indent(4) }}

),

surveys_rolled_up as (

    {{ rollup_along_unit_tree('survey_results',
        ['authority_level', 'period_start', 'period_end'], survey_measures) | indent(4) }}

),

budget_rolled_up as (

    {{ rollup_along_unit_tree('budget_year_end',
        ['authority_level', 'period_start', 'period_end'], budget_measures) | indent(4) }}

),

staff_rolled_up as (

    {{ rollup_along_unit_tree('staff_year_end',
        ['authority_level', 'period_start', 'period_end'], staff_measures) | indent(4) }}

),

{%- set families = [
    ('dossiers', 'dossiers_rolled_up', dossier_measures, true),
    ('dossier_records', 'dossier_records_rolled_up', record_measures, true),
    ('surveys', 'surveys_rolled_up', survey_measures, true),
    ('budget', 'budget_rolled_up', budget_measures, false),
    ('staff', 'staff_rolled_up', staff_measures, false)] %}

long_measures as (
    {% for family, relation, measures, has_levels in families %}
        {%- for measure in measures %}
            select
                unit_code,
                authority_level,
                period_start,
                period_end,
                '{{ family }}' as source_family,
                '{{ measure }}' as measure,
                cast({{ measure }} as double) as measure_value,
                figure_source
            from {{ relation }}
            where {{ measure }} is not null
            {%- if has_levels %}
                union all
                select
                    unit_code,
                    'all' as authority_level,
                    period_start,
                    period_end,
                    '{{ family }}' as source_family,
                    '{{ measure }}' as measure,
                    sum(cast({{ measure }} as double)) as measure_value,
                    min(figure_source) as figure_source
                from {{ relation }}
                where {{ measure }} is not null
                group by unit_code, period_start, period_end
            {%- endif %}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from long_measures
