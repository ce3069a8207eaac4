{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Points and maxima per rubric × unit × period × rubric area, from the criteria of
-- fct_scores: the one place where a criterion's status decides what counts. The
-- applicable maximum counts the criteria scored; the maximum of the applicable criteria
-- also counts those without data ('missing'); a 'not_applicable' criterion counts in
-- neither. rankings (a unit's total: the sum of its areas), mart_points_lost and the
-- reports (points per area) read these totals; none recomputes them.
with

scores as (

    select * from {{ ref('fct_scores') }}
    {{ periods_filter(periods_from) }}

),

area_totals as (

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
        min(area_name_vi) as area_name_vi,
        -- sums of exact decimals, never rounded
        cast(sum(points) as decimal(9, 4)) as total_points,
        cast(sum(coalesce(points_at_lower_95, points)) as decimal(9, 4))
            as total_points_lower_95,
        cast(sum(coalesce(points_at_upper_95, points)) as decimal(9, 4))
            as total_points_upper_95,
        cast(sum(case when criterion_status = 'scored' then max_points end) as decimal(9, 4))
            as applicable_max_points,
        cast(
            sum(case when criterion_status in ('scored', 'missing') then max_points end)
            as decimal(9, 4)
        ) as max_points_of_applicable_criteria,
        count(case when criterion_status = 'missing' then 1 end) as missing_criteria,
        count(case when criterion_status = 'not_applicable' then 1 end)
            as not_applicable_criteria
    from scores
    group by
        rubric_id, unit_code, unit_name, unit_kind, province_code, period_label,
        period_start, period_end, period_kind, area_code

)

select * from area_totals
