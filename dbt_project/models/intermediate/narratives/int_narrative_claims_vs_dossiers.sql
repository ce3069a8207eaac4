-- The narrative claims compared with the one-stop dossier statistics
-- (int_dossier_stats_unioned) of the same unit, authority level and period: one row per claim
-- (compared_with = 'dossier_stats') the warehouse holds a figure for, with the figure as the
-- warehouse publishes it (received = new dossiers, the denominator of its resolution rate)
-- and, for the received dossiers and the resolution rate, with the dossiers carried in (a
-- report's "hồ sơ tiếp nhận" may mean either). A level the unit did not submit itself
-- ("UBND cấp xã" in a district's report) is the sum of the units below it.
with

claims as (

    select * from {{ ref('int_narrative_claims_latest') }}
    where compared_with = 'dossier_stats'

),

dossier_stats_unioned as (

    select * from {{ ref('int_dossier_stats_unioned') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

-- the dossier figures of a unit, level and period: as submitted (received_total: for handling,
-- carried in + new), else the sum of the units below it (children and grandchildren)
dossier_own as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        file_id,
        source_row,
        'submitted' as figure_source,
        carried_in,
        received,
        coalesce(received_total, received + coalesce(carried_in, 0)) as received_total,
        resolved,
        resolved_early,
        resolved_on_time,
        resolved_on_time - resolved_early as resolved_on_time_exact,
        resolved_late,
        pending,
        pending_not_due,
        pending_overdue,
        received_online,
        received_postal,
        received_in_person
    from dossier_stats_unioned

),

ancestors as (

    select
        unit_code,
        parent_code as ancestor_code
    from units
    where parent_code is not null
    union all
    select
        children.unit_code,
        parents.parent_code as ancestor_code
    from units as children
    inner join units as parents
        on children.parent_code = parents.unit_code
    where parents.parent_code is not null

),

dossier_sums as (

    select
        ancestors.ancestor_code as unit_code,
        dossier_own.authority_level,
        dossier_own.period_start,
        dossier_own.period_end,
        cast(null as string) as file_id,
        cast(null as bigint) as source_row,
        'sum_of_units_below' as figure_source,
        sum(dossier_own.carried_in) as carried_in,
        sum(dossier_own.received) as received,
        sum(dossier_own.received_total) as received_total,
        sum(dossier_own.resolved) as resolved,
        sum(dossier_own.resolved_early) as resolved_early,
        sum(dossier_own.resolved_on_time) as resolved_on_time,
        sum(dossier_own.resolved_on_time_exact) as resolved_on_time_exact,
        sum(dossier_own.resolved_late) as resolved_late,
        sum(dossier_own.pending) as pending,
        sum(dossier_own.pending_not_due) as pending_not_due,
        sum(dossier_own.pending_overdue) as pending_overdue,
        sum(dossier_own.received_online) as received_online,
        sum(dossier_own.received_postal) as received_postal,
        sum(dossier_own.received_in_person) as received_in_person
    from dossier_own
    inner join ancestors
        on dossier_own.unit_code = ancestors.unit_code
    group by
        ancestors.ancestor_code,
        dossier_own.authority_level,
        dossier_own.period_start,
        dossier_own.period_end

),

dossier_stats as (

    select * from dossier_own
    union all
    select dossier_sums.*
    from dossier_sums
    where not exists (
        select 1
        from dossier_own
        where
            dossier_own.unit_code = dossier_sums.unit_code
            and dossier_own.authority_level = dossier_sums.authority_level
            and dossier_own.period_start = dossier_sums.period_start
            and dossier_own.period_end = dossier_sums.period_end
    )

),

compared as (

    select
        claims.file_id,
        claims.claim_no,
        dossier_stats.file_id as warehouse_file_id,
        dossier_stats.source_row as warehouse_source_row,
        dossier_stats.figure_source as warehouse_figure_source,
        cast(case claims.measure
            when 'dossiers_received' then dossier_stats.received
            when 'dossiers_carried_in' then dossier_stats.carried_in
            when 'dossiers_new' then dossier_stats.received
            when 'dossiers_resolved' then dossier_stats.resolved
            when 'dossiers_resolved_early' then dossier_stats.resolved_early
            when 'dossiers_resolved_on_time'
                then dossier_stats.resolved_on_time_exact
            when 'dossiers_resolved_early_or_on_time' then dossier_stats.resolved_on_time
            when 'dossiers_resolved_late' then dossier_stats.resolved_late
            when 'dossiers_pending' then dossier_stats.pending
            when 'dossiers_pending_not_due' then dossier_stats.pending_not_due
            when 'dossiers_pending_overdue' then dossier_stats.pending_overdue
            when 'dossiers_online' then dossier_stats.received_online
            when 'dossiers_postal' then dossier_stats.received_postal
            when 'dossiers_in_person' then dossier_stats.received_in_person
            when 'rate_resolved'
                then {{ safe_rate('dossier_stats.resolved', 'dossier_stats.received') }}
            when 'rate_on_time'
                then {{ safe_rate('dossier_stats.resolved_on_time', 'dossier_stats.resolved') }}
            when 'rate_late'
                then {{ safe_rate('dossier_stats.resolved_late', 'dossier_stats.resolved') }}
            when 'rate_online'
                then {{ safe_rate('dossier_stats.received_online', 'dossier_stats.received') }}
            when 'rate_postal'
                then {{ safe_rate('dossier_stats.received_postal', 'dossier_stats.received') }}
        end as decimal(24, 8)) as warehouse_value_as_published,
        -- "hồ sơ tiếp nhận" in a report is either the newly received dossiers (the warehouse's
        -- received, the denominator of its published resolution rate) or everything received
        -- for handling (carried in + new): the second reading, where the two differ
        cast(case claims.measure
            when 'dossiers_received' then dossier_stats.received_total
            when 'rate_resolved'
                then {{ safe_rate('dossier_stats.resolved', 'dossier_stats.received_total') }}
        end as decimal(24, 8)) as warehouse_value_with_carried_in
    from claims
    inner join dossier_stats
        on
            claims.claim_unit_code = dossier_stats.unit_code
            and claims.authority_level = dossier_stats.authority_level
            and claims.period_start = dossier_stats.period_start
            and claims.period_end = dossier_stats.period_end

)

select * from compared
