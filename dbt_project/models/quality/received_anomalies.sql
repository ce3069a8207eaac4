-- Rule received_within_unit_history: a unit's yearly received dossiers stay within its own
-- history. One row per calendar-year row of fct_dossier_stats with at least
-- var('quality_anomaly_min_history') earlier years of the same unit and level, with the
-- history's median and MAD and the robust z-score; |robust_z| beyond the rule's threshold
-- (expectations/rules.yaml) is a finding.
with

dossier_stats as (

    select * from {{ ref('fct_dossier_stats') }}

),

yearly as (

    select
        unit_code,
        authority_level,
        year(period_end) as year,  -- noqa: RF04
        period_label,
        received,
        source_file,
        source_row
    from dossier_stats
    where
        unit_code is not null
        and received is not null
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)

),

history as (

    select
        yearly.unit_code,
        yearly.authority_level,
        yearly.year,
        count(*) as history_periods,
        cast(median(earlier.received) as double) as history_median,
        cast(mad(earlier.received) as double) as history_mad,
        string_agg(earlier.period_label || ': ' || earlier.received, ', ' order by earlier.year)
            as history
    from yearly
    inner join yearly as earlier
        on
            yearly.unit_code = earlier.unit_code
            and yearly.authority_level = earlier.authority_level
            and yearly.year > earlier.year
    group by all
    having count(*) >= {{ var('quality_anomaly_min_history') }}

),

final as (

    select
        yearly.*,
        history.history_periods,
        history.history_median,
        history.history_mad,
        history.history,
        -- MAD floored at 5 % of the median (and 1): a flat history is not infinitely strict
        0.6745 * (yearly.received - history.history_median)
        / greatest(history.history_mad, 0.05 * abs(history.history_median), 1.0) as robust_z
    from yearly
    inner join
        history
        on
            yearly.unit_code = history.unit_code
            and yearly.authority_level = history.authority_level
            and yearly.year = history.year

)

select * from final
