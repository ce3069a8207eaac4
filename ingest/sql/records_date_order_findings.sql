-- the date-order findings of one record export, to report with the file
select
    rule,
    source_row,
    column_ref,
    stated_value,
    computed_value,
    message,
    message_vi,
    unit_code,
    period_label
from raw.load_findings
where file_id = $file_id and rule in ($finished_rule, $due_rule)
order by rule, source_row nulls last
