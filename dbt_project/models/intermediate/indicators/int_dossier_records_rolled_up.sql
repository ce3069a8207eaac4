-- The Decision 766 measures of the record-level exports per unit × authority level ×
-- period, for the exporting units and every unit above them as sums of their children.
with

dossier_records_aggregated as (

    select * from {{ ref('int_dossier_records_aggregated') }}

),

dossier_records as (

    -- 766 satisfaction with dossier handling: resolved, not rated dissatisfied, not late
    -- (complaints are not in the exports)
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        received,
        resolved,
        received_fully_online,
        received_fully_online_eligible,
        received_digitised,
        resolved_with_electronic_result,
        received_fee_required,
        received_paid_online,
        resolved - resolved_rated_dissatisfied - resolved_late as resolved_satisfactory
    from dossier_records_aggregated

),

rolled_up as (

    {{ rollup_along_unit_tree('dossier_records',
        ['authority_level', 'period_start', 'period_end'], unit_measures('dossier_records')) | indent(4) }}

)

select * from rolled_up
