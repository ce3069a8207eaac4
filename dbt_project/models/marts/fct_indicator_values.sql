-- Every indicator of the catalogue (seed indicators.csv) per unit × authority level ×
-- period, as numerator, denominator and value (a percentage 0-100, unrounded). Figures of
-- districts, provinces and the nation are sums of their children's numerators and
-- denominators where they did not submit their own: a rate is never an average of rates.
with

measures as (

    select * from {{ ref('int_unit_measures_rolled_up') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

paired as (

    select
        numerators.unit_code,
        numerators.authority_level,
        numerators.period_start,
        numerators.period_end,
        indicators.indicator_code,
        indicators.source_family,
        numerators.measure_value as numerator,
        denominators.measure_value as denominator,
        denominators.figure_source
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
        source_family,
        figure_source
    from paired

)

select * from final
