-- The units (and periods: the label, else the fiscal year) whose rows of
-- marts.fct_budget_disbursement came from the files $files.
select
    source_file,
    unit_code,
    coalesce(period_label, cast(fiscal_year as varchar)) as period_label
from marts.fct_budget_disbursement
where unit_code is not null and list_contains($files, source_file)
