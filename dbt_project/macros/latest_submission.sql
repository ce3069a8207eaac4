{#- "The latest file wins": the rows of `relation` that come from the latest file
    submitted for their key (key_columns), all other files' rows for that key dropped.
    The latest file is the one loaded last (max loaded_at of its rows), then the greater
    file_id. relation needs the key columns, file_id and loaded_at. Used by every model
    that reads submitted forms (int_*_submissions_latest, int_survey_results_unioned,
    int_survey_forms_aggregated): one rule for every source. -#}
{% macro latest_submission(relation, key_columns) -%}
select {{ relation }}.*
from {{ relation }}
inner join (
    select
        {% for column in key_columns %}{{ column }},
        {% endfor %}file_id,
        row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by max(loaded_at) desc, file_id desc
        ) as version_rank
    from {{ relation }}
    group by {{ key_columns | join(', ') }}, file_id
) as file_versions
    on
        {% for column in key_columns -%}
        {{ relation }}.{{ column }} = file_versions.{{ column }}
        and {% endfor %}{{ relation }}.file_id = file_versions.file_id
where file_versions.version_rank = 1
{%- endmacro %}
