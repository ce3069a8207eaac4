{%- set months = 'int_qd766_records_monthly' %}
{{ config(**rebuilt_by_period(months, last_month_ends_periods=true)) }}
{%- set periods_from = records_periods_from(months, last_month_ends_periods=true) %}
-- The 766 indicators by the portal's rules (seed qd766_portal_indicators) per unit ×
-- period (month, quarter, year): numerator, denominator, the second ratio where the rule
-- multiplies two (3.3: online share × sync rate), the value as a percentage and the
-- points. A unit's value is computed on the sums of its dossiers (never an average of
-- rates); points are the rule's, rounded once as the seed says.
with

unit_periods as (

    select * from {{ ref('int_qd766_unit_periods') }}
    {{ periods_filter(periods_from) }}

),

rules as (

    select * from {{ ref('qd766_portal_indicators') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

{%- set measures = qd766_measures() + ['processed', 'processed_on_time', 'processed_complained',
    'processed_on_time_not_complained', 'processed_multiple_supplements', 'catalogue_procedures',
    'catalogue_procedures_dated', 'catalogue_published_on_time', 'catalogue_updated_on_time',
    'catalogue_published_complete'] %}

paired as (

    -- every rule × every unit-period, the rule's measures picked by their names (the
    -- inner joins of a long table kept the rules whose numerator and denominator are
    -- measures: so does the filter)
    select
        unit_periods.unit_code,
        unit_periods.period_kind,
        unit_periods.period_start,
        unit_periods.period_end,
        unit_periods.period_label,
        unit_periods.figure_source,
        rules.group_code,
        rules.group_name_vi,
        rules.group_max_points,
        rules.indicator_code,
        rules.name_vi as indicator_name_vi,
        rules.name_en as indicator_name_en,
        rules.max_points,
        rules.rule,
        rules.full_points_at,
        rules.rounding,
        {{ measure_named('rules.numerator', measures, 'unit_periods') }} as numerator,
        {{ measure_named('rules.denominator', measures, 'unit_periods') }} as denominator,
        {{ measure_named('rules.multiplier_numerator', measures, 'unit_periods') }}
            as multiplier_numerator,
        {{ measure_named('rules.multiplier_denominator', measures, 'unit_periods') }}
            as multiplier_denominator,
        rules.multiplier_numerator is not null as is_product
    from rules
    cross join unit_periods
    where
        rules.numerator in ({{ quoted_list(measures) }})
        and rules.denominator in ({{ quoted_list(measures) }})

),

fractions as (

    -- the value as one exact fraction: 100 × n × n2 / (d × d2)
    select
        *,
        cast(100 as decimal(38, 0)) * cast(numerator as decimal(38, 0))
        * cast(case when is_product then multiplier_numerator else 1 end as decimal(38, 0))
            as value_numerator,
        cast(denominator as decimal(38, 0))
        * cast(case when is_product then multiplier_denominator else 1 end as decimal(38, 0))
            as value_denominator
    from paired

),

points_fractions as (

    -- the points before rounding as one fraction (macros rubric_points_*)
    select
        *,
        {{ rubric_points_numerator('rule', 'value_numerator', 'value_denominator',
            'max_points', 'full_points_at', 'null') }} as points_numerator,
        {{ rubric_points_denominator('rule', 'value_denominator', 'full_points_at') }}
            as points_denominator
    from fractions

),

scaled as (

    -- each fraction's sides as the exact integers rounded_quotient and rubric_points
    -- divide, computed once here: those macros inline would scale every side again in
    -- every branch of their expressions (more than half of the model's time)
    select
        *,
        {{ exact_scaled('value_numerator') }} as value_numerator_scaled,
        {{ exact_scaled('value_denominator') }} as value_denominator_scaled,
        {{ exact_scaled('points_numerator') }} as points_numerator_scaled,
        {{ exact_scaled('points_denominator') }} as points_denominator_scaled
    from points_fractions

),

final as (

    select
        scaled.unit_code,
        units.unit_name,
        units.unit_kind,
        scaled.period_kind,
        scaled.period_start,
        scaled.period_end,
        scaled.period_label,
        scaled.figure_source,
        scaled.group_code,
        scaled.group_name_vi,
        cast(scaled.group_max_points as decimal(9, 4)) as group_max_points,
        scaled.indicator_code,
        scaled.indicator_name_vi,
        scaled.indicator_name_en,
        cast(scaled.numerator as bigint) as numerator,
        cast(scaled.denominator as bigint) as denominator,
        cast(scaled.multiplier_numerator as bigint) as multiplier_numerator,
        cast(scaled.multiplier_denominator as bigint) as multiplier_denominator,
        -- rounded_quotient(value_numerator, value_denominator, 4)
        cast(
            {{ rounded_scaled_quotient('scaled.value_numerator_scaled',
                'scaled.value_denominator_scaled', 4) }}
            as decimal(9, 4)
        ) as value_percent,
        cast(scaled.max_points as decimal(9, 4)) as max_points,
        scaled.rule,
        cast(scaled.full_points_at as decimal(9, 4)) as full_points_at,
        -- rubric_points(rule, value_numerator, value_denominator, max_points,
        -- full_points_at, rounding, null)
        cast(
            {{ rubric_points_of_scaled('scaled.value_numerator', 'scaled.value_denominator',
                'scaled.rounding', 'scaled.points_numerator_scaled',
                'scaled.points_denominator_scaled') }}
            as decimal(9, 4)
        ) as points
    from scaled
    left join units on scaled.unit_code = units.unit_code

)

select * from final
