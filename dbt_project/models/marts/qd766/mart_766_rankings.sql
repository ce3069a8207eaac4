-- The units ranked by their 766 total by the portal's rules, as the portal ranks them:
-- provinces among provinces, a province's districts, communes or departments among those
-- of the same province (ranked_within), for the same period (month, quarter, year), with
-- the change on the previous period of the same kind (positive: moved up).
-- rank = 1 + the number of units with a higher total.
with

group_scores as (

    select * from {{ ref('fct_766_group_scores') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

totals as (

    select distinct
        group_scores.unit_code,
        group_scores.unit_name,
        group_scores.unit_kind,
        case
            when group_scores.unit_kind in ('province', 'nation') then 'VN'
            else coalesce(units.province_code, 'VN')
        end as ranked_within,
        group_scores.period_kind,
        group_scores.period_start,
        group_scores.period_end,
        group_scores.period_label,
        group_scores.total_points,
        group_scores.total_computed_max_points,
        group_scores.total_band_vi
    from group_scores
    left join units on group_scores.unit_code = units.unit_code
    where group_scores.total_points is not null

),

ranked as (

    select
        *,
        rank() over (
            partition by unit_kind, ranked_within, period_kind, period_start
            order by total_points desc
        ) as total_rank,
        count(*) over (
            partition by unit_kind, ranked_within, period_kind, period_start
        ) as units_ranked
    from totals

),

with_previous as (

    select
        *,
        lag(total_rank) over (
            partition by unit_code, period_kind order by period_start
        ) as previous_rank,
        lag(period_start) over (
            partition by unit_code, period_kind order by period_start
        ) as previous_period_start
    from ranked

),

final as (

    select
        unit_code,
        unit_name,
        unit_kind,
        ranked_within,
        period_kind,
        period_start,
        period_end,
        period_label,
        total_points,
        total_computed_max_points,
        total_band_vi,
        cast(total_rank as integer) as total_rank,
        cast(units_ranked as integer) as units_ranked,
        -- only the period just before counts as the previous one
        cast(
            case
                when
                    previous_period_start = cast(
                        case period_kind
                            when 'month' then period_start - interval 1 month
                            when 'quarter' then period_start - interval 3 month
                            else period_start - interval 12 month
                        end as date
                    )
                    then previous_rank - total_rank
            end as integer
        ) as rank_change
    from with_previous

)

select * from final
