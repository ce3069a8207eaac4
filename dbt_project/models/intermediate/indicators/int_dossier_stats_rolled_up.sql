-- Submitted dossier statistics per unit × authority level × period, for the submitting
-- units and every unit above them as sums of their children. Derived measures are null
-- unless every part is known, so a ratio's numerator and denominator cover the same dossiers.
with

dossier_stats_submitted as (

    select * from {{ ref('int_dossier_stats_unioned') }}

),

dossier_stats as (

    select
        *,
        case
            when resolved_on_time is not null and pending_not_due is not null
                then resolved_on_time + pending_not_due
        end as resolved_on_time_or_pending_not_due,
        case
            when resolved_on_time is not null and pending_not_due is not null
                then resolved + pending
        end as resolved_or_pending
    from dossier_stats_submitted

),

rolled_up as (

    {{ rollup_along_unit_tree('dossier_stats',
        ['authority_level', 'period_start', 'period_end'], unit_measures('dossiers')) | indent(4) }}

)

select * from rolled_up
