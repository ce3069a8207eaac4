-- Rule unit_total_matches_children: a unit's submitted dossier figure must equal the sum of
-- its children's at the same authority level and period. One row per unit × level × period
-- × measure where every child valid in the period submitted (completeness reports the
-- rest); difference ≠ 0 is a finding.
with

dossier_stats as (

    select * from {{ ref('fct_dossier_stats') }}

),

units as (

    select * from {{ ref('dim_admin_units') }}

),

facts as (

    select * from dossier_stats
    where unit_code is not null

),

children as (

    select
        units.parent_code as unit_code,
        facts.authority_level,
        facts.period_start,
        facts.period_end,
        count(*) as child_rows,
        sum(facts.received) as received,
        sum(facts.resolved) as resolved,
        sum(facts.resolved_late) as resolved_late
    from facts
    inner join units on facts.unit_code = units.unit_code
    where units.parent_code is not null
    group by all

),

joined as (

    -- only where every child valid in the period submitted
    select
        parents.unit_code,
        parents.authority_level,
        parents.period_label,
        parents.source_file,
        parents.source_row,
        parents.received,
        parents.resolved,
        parents.resolved_late,
        children.child_rows,
        children.received as children_received,
        children.resolved as children_resolved,
        children.resolved_late as children_resolved_late
    from facts as parents
    inner join children
        on
            parents.unit_code = children.unit_code
            and parents.authority_level = children.authority_level
            and parents.period_start = children.period_start
            and parents.period_end = children.period_end
    where children.child_rows = (
        select count(*) from units as kids
        where
            kids.parent_code = parents.unit_code
            and (kids.valid_from is null or kids.valid_from <= parents.period_start)
            and (kids.valid_to is null or kids.valid_to >= parents.period_end)
    )

),

measures as (

    select
        unit_code,
        authority_level,
        period_label,
        source_file,
        source_row,
        child_rows,
        'received' as measure,
        received as stated_total,
        children_received as sum_of_children
    from joined
    union all
    select
        unit_code,
        authority_level,
        period_label,
        source_file,
        source_row,
        child_rows,
        'resolved' as measure,
        resolved as stated_total,
        children_resolved as sum_of_children
    from joined
    union all
    select
        unit_code,
        authority_level,
        period_label,
        source_file,
        source_row,
        child_rows,
        'resolved_late' as measure,
        resolved_late as stated_total,
        children_resolved_late as sum_of_children
    from joined

),

compared as (

    select * from measures
    where stated_total is not null and sum_of_children is not null

),

final as (

    select
        *,
        stated_total - sum_of_children as difference,
        case measure
            when 'received' then 'tiếp nhận'
            when 'resolved' then 'đã giải quyết'
            else 'trễ hạn'
        end as measure_vi
    from compared

)

select * from final
