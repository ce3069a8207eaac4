{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Where each scored unit lost points ("nội dung còn hạn chế chưa đạt điểm tuyệt đối"):
-- one row per rubric × unit × period × criterion that earned less than its maximum,
-- largest loss first (loss_order 1), with the value that would have earned full points.
-- Missing and not-applicable criteria lose nothing and are not listed.
with

scores as (

    select * from {{ ref('fct_scores') }}
    {{ periods_filter(periods_from) }}

),

area_scores as (

    select * from {{ ref('fct_area_scores') }}
    {{ periods_filter(periods_from) }}

),

unit_maxima as (

    -- the applicable maximum of the unit: the sum of its areas' (fct_area_scores)
    select
        rubric_id,
        unit_code,
        period_label,
        cast(sum(applicable_max_points) as decimal(9, 4)) as applicable_max_points
    from area_scores
    group by rubric_id, unit_code, period_label

),

lost as (

    select
        scores.*,
        unit_maxima.applicable_max_points
    from scores
    inner join unit_maxima
        on
            scores.rubric_id = unit_maxima.rubric_id
            and scores.unit_code = unit_maxima.unit_code
            and scores.period_label = unit_maxima.period_label
    where
        scores.criterion_status = 'scored'
        and scores.points_lost > 0

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
        cast(row_number() over (
            partition by rubric_id, unit_code, period_label
            order by points_lost desc, criterion_code asc
        ) as bigint) as loss_order,
        area_code,
        area_name_vi,
        criterion_code,
        criterion_name_vi,
        criterion_name_en,
        indicator_code,
        authority_level,
        rule,
        measured_value,
        value_for_full_points,
        cast(value_for_full_points as double) - measured_value as value_gap,
        points,
        max_points,
        points_lost,
        cast({{ rounded_quotient('100 * points_lost',
            'applicable_max_points', 4) }} as decimal(7, 4))
            as score_points_lost
    from lost

)

select * from final
