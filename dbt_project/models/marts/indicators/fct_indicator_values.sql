{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Every indicator of the catalogue (seed indicators.csv) per unit × authority level ×
-- period, as numerator, denominator and value (a percentage 0-100, unrounded). Figures of
-- districts, provinces and the nation are sums of their children's numerators and
-- denominators where they did not submit their own: a rate is never an average of rates.
-- Current provinces and communes also get the periods before 1 July 2025 as sums of the
-- legacy units they were made of (figure_source legacy_provinces / legacy_communes).
-- Survey indicators carry a 95 % Wilson score interval.
with

measures_rolled_up as (

    select * from {{ ref('int_unit_measures_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

measures_history as (

    select * from {{ ref('int_unit_measures_current_history') }}
    {{ periods_filter(periods_from) }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

measures as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        source_family,
        measure,
        measure_value,
        figure_source,
        false as includes_split_legacy_units
    from measures_rolled_up
    union all
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        source_family,
        measure,
        measure_value,
        figure_source,
        includes_split_legacy_units
    from measures_history

),

paired as (

    select
        numerators.unit_code,
        numerators.authority_level,
        numerators.period_start,
        numerators.period_end,
        indicators.indicator_code,
        indicators.source_family,
        indicators.uncertainty,
        numerators.measure_value as numerator,
        denominators.measure_value as denominator,
        denominators.figure_source,
        (numerators.includes_split_legacy_units or denominators.includes_split_legacy_units)
            as includes_split_legacy_units
    from indicators
    inner join measures as numerators
        on
            indicators.source_family = numerators.source_family
            and indicators.numerator = numerators.measure
    inner join measures as denominators
        on
            numerators.unit_code = denominators.unit_code
            and numerators.authority_level = denominators.authority_level
            and numerators.period_start = denominators.period_start
            and numerators.period_end = denominators.period_end
            and indicators.source_family = denominators.source_family
            and indicators.denominator = denominators.measure

),

final as (

    select
        unit_code,
        {{ period_label('period_start', 'period_end') }} as period_label,
        period_start,
        period_end,
        {{ period_kind('period_start', 'period_end') }} as period_kind,
        indicator_code,
        authority_level,
        numerator,
        denominator,
        {{ safe_rate('numerator', 'denominator') }} as value,
        case
            when uncertainty = 'wilson_95'
                then {{ wilson_bound('numerator', 'denominator', 'lower') }}
        end as value_lower_95,
        case
            when uncertainty = 'wilson_95'
                then {{ wilson_bound('numerator', 'denominator', 'upper') }}
        end as value_upper_95,
        source_family,
        figure_source,
        includes_split_legacy_units
    from paired

)

select * from final
