{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Points per unit × period × rubric criterion computed from data (int_rubric_criteria: the
-- seeded data-only rubrics and the computed leaves of the rubric files). A rubric scores
-- the period kinds it names (year; 766 also month and quarter). A criterion with no data
-- for the unit is 'missing'; one whose indicator has a zero denominator (e.g. no dossiers
-- of that kind) is 'not_applicable'.
-- Neither earns points nor counts in the applicable maximum: never zero. Survey criteria
-- are also scored at the bounds of the value's 95 % interval (for statistical ties).
-- History rows of current units built from legacy units are not scored. Points are exact
-- decimals computed from the indicator's numerator and denominator (macro rubric_points),
-- rounded once as the rubric says; measured values stay the unrounded rates.
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}
    {{ periods_filter(periods_from) }}

),

units as (

    select * from {{ ref('dim_admin_units') }}

),

rubrics as (

    select * from {{ ref('int_rubrics') }}

),

criteria as (

    select * from {{ ref('int_rubric_criteria') }}

),

threshold_steps as (

    select * from {{ ref('int_rubric_threshold_steps') }}

),

unit_periods as (

    select distinct
        indicator_values.unit_code,
        indicator_values.period_label,
        indicator_values.period_start,
        indicator_values.period_end,
        indicator_values.period_kind,
        units.unit_name,
        units.unit_kind,
        coalesce(units.province_code, units.unit_code) as province_code
    from indicator_values
    inner join units
        on indicator_values.unit_code = units.unit_code
    where
        indicator_values.figure_source not like 'legacy%'
        and units.unit_kind in ('province', 'district', 'commune')

),

applicable_criteria as (

    select
        unit_periods.*,
        criteria.rubric_id,
        criteria.province_code as rubric_province_code,
        criteria.year_from,
        criteria.area_code,
        criteria.area_name_vi,
        criteria.criterion_code,
        criteria.criterion_name_vi,
        criteria.criterion_name_en,
        criteria.indicator_code,
        criteria.authority_level,
        criteria.max_points,
        criteria.rule,
        criteria.rounding,
        criteria.full_points_at
    from unit_periods
    inner join criteria
        on
            unit_periods.unit_kind = criteria.unit_kind
            and (
                criteria.province_code is null
                or unit_periods.province_code = criteria.province_code
            )
            and year(unit_periods.period_end) between criteria.year_from and criteria.year_to
    inner join rubrics
        on
            criteria.rubric_id = rubrics.rubric_id
            and '|' || rubrics.period_kinds || '|' like '%|' || unit_periods.period_kind || '|%'

),

measured as (

    select
        applicable_criteria.*,
        indicator_values.value as measured_value,
        indicator_values.value_lower_95 as measured_value_lower_95,
        indicator_values.value_upper_95 as measured_value_upper_95,
        indicator_values.numerator,
        indicator_values.denominator,
        -- the value as a fraction of exact decimals: 100 × numerator / denominator (counts
        -- and amounts in million VND with at most 4 decimals; Wilson bounds kept to 4)
        100 * cast(indicator_values.numerator as decimal(20, 4)) as value_numerator,
        cast(indicator_values.denominator as decimal(20, 4)) as value_denominator,
        cast(indicator_values.value_lower_95 as decimal(20, 4)) as value_lower_95_exact,
        cast(indicator_values.value_upper_95 as decimal(20, 4)) as value_upper_95_exact,
        case
            when indicator_values.value is not null then 'scored'
            when indicator_values.denominator = 0 then 'not_applicable'
            else 'missing'
        end as criterion_status
    from applicable_criteria
    left join indicator_values
        on
            applicable_criteria.unit_code = indicator_values.unit_code
            and applicable_criteria.period_start = indicator_values.period_start
            and applicable_criteria.period_end = indicator_values.period_end
            and applicable_criteria.indicator_code = indicator_values.indicator_code
            and applicable_criteria.authority_level = indicator_values.authority_level
            and indicator_values.figure_source not like 'legacy%'

),

threshold_shares as (

    -- the share of the highest step each value reaches, and the value of full points
    select
        measured.rubric_id,
        measured.unit_code,
        measured.period_start,
        measured.period_end,
        measured.criterion_code,
        max(
            case
                when
                    measured.measured_value is not null
                    and measured.value_numerator
                    >= threshold_steps.min_value * measured.value_denominator
                    then threshold_steps.points_share
            end
        ) as share_at_value,
        max(
            case
                when measured.value_lower_95_exact >= threshold_steps.min_value
                    then threshold_steps.points_share
            end
        ) as share_at_lower_95,
        max(
            case
                when measured.value_upper_95_exact >= threshold_steps.min_value
                    then threshold_steps.points_share
            end
        ) as share_at_upper_95,
        min(
            case
                when threshold_steps.points_share >= 1 then threshold_steps.min_value
            end
        ) as full_points_step
    from measured
    inner join threshold_steps
        on
            measured.rubric_id = threshold_steps.rubric_id
            and measured.rubric_province_code is not distinct from threshold_steps.province_code
            and measured.year_from = threshold_steps.year_from
            and measured.unit_kind = threshold_steps.unit_kind
            and measured.criterion_code = threshold_steps.criterion_code
    where measured.rule = 'threshold'
    group by
        measured.rubric_id, measured.unit_code, measured.period_start, measured.period_end,
        measured.criterion_code

),

scored as (

    select
        measured.*,
        {{ rubric_points('measured.rule', 'measured.value_numerator',
            'measured.value_denominator', 'measured.max_points', 'measured.full_points_at',
            'measured.rounding', 'threshold_shares.share_at_value') | indent(8) }} as points,
        {{ rubric_points('measured.rule', 'measured.value_lower_95_exact', '1',
            'measured.max_points', 'measured.full_points_at', 'measured.rounding',
            'threshold_shares.share_at_lower_95') | indent(8) }} as points_at_lower_95,
        {{ rubric_points('measured.rule', 'measured.value_upper_95_exact', '1',
            'measured.max_points', 'measured.full_points_at', 'measured.rounding',
            'threshold_shares.share_at_upper_95') | indent(8) }} as points_at_upper_95,
        case
            when measured.rule = 'threshold' then threshold_shares.full_points_step
            else coalesce(measured.full_points_at, 100)
        end as value_for_full_points
    from measured
    left join threshold_shares
        on
            measured.rubric_id = threshold_shares.rubric_id
            and measured.unit_code = threshold_shares.unit_code
            and measured.period_start = threshold_shares.period_start
            and measured.period_end = threshold_shares.period_end
            and measured.criterion_code = threshold_shares.criterion_code

),

final as (

    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        period_label,
        period_start,
        period_end,
        period_kind,
        area_code,
        area_name_vi,
        criterion_code,
        criterion_name_vi,
        criterion_name_en,
        indicator_code,
        authority_level,
        measured_value,
        measured_value_lower_95,
        measured_value_upper_95,
        numerator,
        denominator,
        cast(points as decimal(9, 4)) as points,
        cast(max_points as decimal(9, 4)) as max_points,
        -- exact: 1.0 - 0.77 is 0.23
        cast(max_points - points as decimal(9, 4)) as points_lost,
        cast(value_for_full_points as decimal(9, 4)) as value_for_full_points,
        rule,
        rounding,
        criterion_status,
        cast(points_at_lower_95 as decimal(9, 4)) as points_at_lower_95,
        cast(points_at_upper_95 as decimal(9, 4)) as points_at_upper_95
    from scored

)

select * from final
