{%- set months = 'int_qd766_records_monthly' %}
{{ config(**rebuilt_by_period(months, last_month_ends_periods=true)) }}
{%- set periods_from = records_periods_from(months, last_month_ends_periods=true) %}
-- The 766 groups per unit × period: the points of the group's indicators that the records
-- give (computed_max_points says how many of the group's maximum they cover), and the
-- total of the groups with its band (seed qd766_portal_bands) where the total covers every
-- group (100 points computed). A group none of whose
-- indicators has data (a denominator of 0) has no points.
with

indicators as (

    select * from {{ ref('fct_766_indicators') }}
    {{ periods_filter(periods_from) }}

),

bands as (

    select * from {{ ref('qd766_portal_bands') }}

),

groups as (

    select
        unit_code,
        unit_name,
        unit_kind,
        period_kind,
        period_start,
        period_end,
        period_label,
        group_code,
        group_name_vi,
        group_max_points,
        cast(sum(points) as decimal(9, 4)) as points,
        cast(sum(case when points is not null then max_points end) as decimal(9, 4))
            as computed_max_points
    from indicators
    group by
        unit_code, unit_name, unit_kind, period_kind, period_start, period_end, period_label,
        group_code, group_name_vi, group_max_points

),

totals as (

    select
        unit_code,
        period_kind,
        period_start,
        cast(sum(points) as decimal(9, 4)) as total_points,
        cast(sum(computed_max_points) as decimal(9, 4)) as total_computed_max_points
    from groups
    group by unit_code, period_kind, period_start

),

banded as (

    -- a band only for a total of every group (100 points computed)
    select
        totals.*,
        case when totals.total_computed_max_points = 100 then bands.band_vi end as band_vi
    from totals
    left join bands on totals.total_points >= bands.min_score
    qualify row_number() over (
        partition by totals.unit_code, totals.period_kind, totals.period_start
        order by bands.min_score desc
    ) = 1

),

final as (

    select
        groups.*,
        banded.total_points,
        banded.total_computed_max_points,
        banded.band_vi as total_band_vi
    from groups
    inner join banded
        on
            groups.unit_code = banded.unit_code
            and groups.period_kind = banded.period_kind
            and groups.period_start = banded.period_start

)

select * from final
