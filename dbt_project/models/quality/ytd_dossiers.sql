-- Rule ytd_received_not_shrinking / ytd_resolved_not_shrinking: a year-to-date dossier
-- figure (a period starting on 1 January) must not shrink later in the same year. One row
-- per year-to-date row of fct_dossier_stats, with the previous year-to-date figure of the
-- same unit, level and year and the change; a negative change is a finding.
with

dossier_stats as (

    select * from {{ ref('fct_dossier_stats') }}

),

year_to_date as (

    select *
    from dossier_stats
    where
        unit_code is not null
        and period_start = make_date(year(period_end), 1, 1)

),

final as (

    select
        unit_code,
        authority_level,
        period_label,
        period_start,
        period_end,
        received,
        resolved,
        source_file,
        source_row,
        lag(period_label) over w as previous_period_label,
        lag(received) over w as previous_received,
        lag(resolved) over w as previous_resolved,
        received - lag(received) over w as received_change,
        resolved - lag(resolved) over w as resolved_change
    from year_to_date
    window w as (partition by unit_code, authority_level, year(period_end) order by period_end)

)

select * from final
