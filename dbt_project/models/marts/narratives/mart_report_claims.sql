-- The claims of the units' narrative reports and what the warehouse says of each: one row per
-- figure the latest report of a unit and period states about a measure the warehouse knows,
-- with the unit, level, period and measure it was read as, the value as written and as read,
-- the warehouse's figure and the status (matches, differs, no_data, unresolved), the
-- difference and the submission file the warehouse figure came from, and where the figure
-- stands in the report (file, paragraph, offsets, quoted sentence).
with

claims as (

    select * from {{ ref('int_narrative_claims_checked') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

final as (

    select
        report_files.file_name,
        claims.claim_no,
        claims.report_unit_code,
        report_units.unit_name as report_unit_name,
        claims.report_date,
        claims.unit_code,
        units.unit_name,
        claims.claim_unit_name as unit_name_as_written,
        claims.unit_level,
        claims.authority_level,
        case
            when claims.period_start is not null
                then {{ period_label('claims.period_start', 'claims.period_end') }}
        end as period_label,
        claims.period_kind,
        claims.period_start,
        claims.period_end,
        claims.period_source,
        claims.measure,
        claims.measure_label_vi,
        claims.category,
        claims.value_text,
        claims.value,
        claims.max_value,
        claims.warehouse_value,
        claims.warehouse_value_rounded,
        claims.status,
        claims.difference,
        claims.reason,
        claims.compared_with,
        claims.warehouse_file,
        claims.warehouse_source_row,
        claims.warehouse_figure_source,
        claims.paragraph,
        claims.char_start,
        claims.char_end,
        claims.quote
    from claims
    left join file_names as report_files
        on claims.file_id = report_files.file_id
    left join units
        on claims.unit_code = units.unit_code
    left join units as report_units
        on claims.report_unit_code = report_units.unit_code

)

select * from final
