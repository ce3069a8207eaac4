-- The units (and periods) whose rows of marts.fct_survey_satisfaction came from the files $files.
select
    source_file,
    unit_code,
    period_label
from marts.fct_survey_satisfaction
where unit_code is not null and list_contains($files, source_file)
