-- Points per unit × year × rubric criterion (seed rubric_criteria.csv). A criterion with
-- no data for the unit is 'missing': no points and no maximum, never zero; the unit's
-- score is then a percentage of the applicable maximum only.
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

units as (

    select * from {{ ref('dim_admin_units') }}

),

criteria as (

    select * from {{ ref('rubric_criteria') }}

),

unit_periods as (

    select distinct
        indicator_values.unit_code,
        indicator_values.period_label,
        indicator_values.period_start,
        indicator_values.period_end,
        units.unit_name,
        units.unit_kind,
        coalesce(units.province_code, units.unit_code) as province_code
    from indicator_values
    inner join units
        on indicator_values.unit_code = units.unit_code
    where
        indicator_values.period_kind = 'year'
        and units.unit_kind in ('province', 'district', 'commune')

),

applicable_criteria as (

    select
        unit_periods.*,
        criteria.rubric_id,
        criteria.area_code,
        criteria.area_name_vi,
        criteria.criterion_code,
        criteria.criterion_name_vi,
        criteria.criterion_name_en,
        criteria.indicator_code,
        criteria.authority_level,
        criteria.max_points,
        criteria.rule,
        criteria.rounding
    from unit_periods
    inner join criteria
        on
            unit_periods.unit_kind = criteria.unit_kind
            and (
                criteria.province_code is null
                or unit_periods.province_code = criteria.province_code
            )
            and year(unit_periods.period_end) between criteria.year_from and criteria.year_to

),

measured as (

    select
        applicable_criteria.*,
        indicator_values.value as measured_value,
        indicator_values.numerator,
        indicator_values.denominator
    from applicable_criteria
    left join indicator_values
        on
            applicable_criteria.unit_code = indicator_values.unit_code
            and applicable_criteria.period_start = indicator_values.period_start
            and applicable_criteria.period_end = indicator_values.period_end
            and applicable_criteria.indicator_code = indicator_values.indicator_code
            and applicable_criteria.authority_level = indicator_values.authority_level

),

scored as (

    select
        measured.*,
        case
            when measured.measured_value is null then null
            when measured.rule = 'proportional' and measured.rounding = 'truncate_2'
                then floor(
                    cast(measured.max_points as decimal(38, 10))
                    * least(greatest(measured.measured_value, 0), 100) / 100 * 100
                ) / 100
            when measured.rule = 'proportional'
                then {{ round_half_up(
                    'measured.max_points * least(greatest(measured.measured_value, 0), 100) / 100'
                ) }}
        end as points,
        case when measured.measured_value is null then 'missing' else 'scored' end
            as criterion_status
    from measured

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
        area_code,
        area_name_vi,
        criterion_code,
        criterion_name_vi,
        criterion_name_en,
        indicator_code,
        authority_level,
        measured_value,
        numerator,
        denominator,
        cast(points as double) as points,
        cast(max_points as double) as max_points,
        cast(max_points as double) - cast(points as double) as points_lost,
        case when rule = 'proportional' then 100.0 end as value_for_full_points,
        rule,
        criterion_status
    from scored

)

select * from final
