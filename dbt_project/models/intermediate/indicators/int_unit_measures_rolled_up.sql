{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Every measure behind an indicator, per unit × authority level × period, long, for the
-- submitting units and for every unit above them (district, province, nation) as sums
-- of their children. authority_level 'all' sums a unit's levels.
-- Family dossier_records carries the Decision 766 measures, which only record-level
-- exports have: they come from the records' aggregate for every period, even where the
-- unit also submitted an aggregated form (the official figure of the other measures).
-- Derived measures are null unless every part is known, so a ratio's numerator and
-- denominator always cover the same dossiers.
-- Each family is rolled up in its own model (int_<family>_rolled_up): one query over
-- all five is slow to plan on Spark, which inlines every CTE.
with

dossiers_rolled_up as (

    select * from {{ ref('int_dossier_stats_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

dossier_records_rolled_up as (

    select * from {{ ref('int_dossier_records_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

surveys_rolled_up as (

    select * from {{ ref('int_survey_results_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

budget_rolled_up as (

    select * from {{ ref('int_budget_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

staff_rolled_up as (

    select * from {{ ref('int_staffing_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

{%- set families = [
    ('dossiers', 'dossiers_rolled_up', true),
    ('dossier_records', 'dossier_records_rolled_up', true),
    ('surveys', 'surveys_rolled_up', true),
    ('budget', 'budget_rolled_up', false),
    ('staff', 'staff_rolled_up', false)] %}

long_measures as (
    {% for family, relation, has_levels in families %}
        {%- for measure in unit_measures(family) %}
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
