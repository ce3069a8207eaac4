{% macro qd766_history_fingerprint(history) -%}
    {#- What identifies the status histories' content (int_qd766_status_history_per_dossier):
        a night whose histories differ from the stored build's counts every month again -#}
    cast(count(*) as string) || '/' || coalesce(cast(sum(hash(
        {{ history }}.unit_code, {{ history }}.dossier_id, {{ history }}.supplement_requests,
        {{ history }}.supplement_requested_at, {{ history }}.supplement_completed_at,
        {{ history }}.ended_at, {{ history }}.end_status
    )) as string), '')
{%- endmacro %}

{% macro qd766_successions_fingerprint(successions) -%}
    {#- What identifies the unit successions the history of a legacy unit is matched by -#}
    cast(count(*) as string) || '/' || coalesce(cast(sum(hash(
        {{ successions }}.legacy_unit_code, {{ successions }}.current_unit_code
    )) as string), '')
{%- endmacro %}

{% macro qd766_records_state(stored_table, records, history, successions) %}
    {#- What int_qd766_records_monthly was built through, read before its incremental query:
        {'add_to_stored': bool, 'loaded_through': a timestamp literal, 'new_months': bool,
        'built_through': the stored table's last month, a date literal}.
        A night adds to the stored months what its new records change only when nothing
        else the counts depend on changed since the stored build: the records loaded
        through the stored build are the same number (none withdrawn or replaced), the
        status histories and the unit successions have the same fingerprint, and the
        stored table has every column. Otherwise the model counts every month again.
        When dbt only parses, these are the safe defaults (count everything). -#}
    {%- set state = {'add_to_stored': false, 'loaded_through': "timestamp '1900-01-01'",
        'new_months': true, 'built_through': 'cast(null as date)'} -%}
    {%- if execute -%}
        {%- set stored_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(stored_table) -%}
            {%- do stored_columns.append(column.name | lower) -%}
        {%- endfor -%}
        {%- set needed = qd766_measures_counted() + ['records_loaded_through',
            'records_counted', 'history_fingerprint', 'successions_fingerprint'] -%}
        {%- set missing = [] -%}
        {%- for column in needed if column not in stored_columns -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing | length == 0 -%}
            {%- set stored = run_query(
                'select cast(max(records_loaded_through) as string), max(records_counted),'
                ~ ' max(history_fingerprint), max(successions_fingerprint),'
                ~ ' cast(max(period_start) as string)'
                ~ ' from ' ~ stored_table).rows[0] -%}
            {%- if stored[0] -%}
                {%- set through = "cast('" ~ stored[0] ~ "' as timestamp)" -%}
                {%- set now = run_query(
                    'select (select count(*) from ' ~ records ~ ' where loaded_at <= ' ~ through ~ '),'
                    ~ ' (select ' ~ qd766_history_fingerprint('h') ~ ' from ' ~ history ~ ' as h),'
                    ~ ' (select ' ~ qd766_successions_fingerprint('s') ~ ' from ' ~ successions
                    ~ ' as s),'
                    ~ " (select cast(cast(date_trunc('month', max(coalesce(finished_at, received_at)))"
                    ~ ' as date) as string) from ' ~ records ~ ' where loaded_at > ' ~ through ~ '),'
                    ~ " (select cast(cast(date_trunc('month', max(ended_at)) as date) as string)"
                    ~ ' from ' ~ history ~ ')'
                ).rows[0] -%}
                {#- a later month: tonight's records reach it, or a history's end does (a
                    dossier the export shows open ends there) -#}
                {%- set later = [] -%}
                {%- for month in [now[3], now[4]] if month is not none
                    and (stored[4] is none or month > stored[4]) -%}
                    {%- do later.append(month) -%}
                {%- endfor -%}
                {%- do state.update({
                    'add_to_stored': (now[0] | int) == (stored[1] | int)
                        and now[1] == stored[2] and now[2] == stored[3],
                    'loaded_through': through,
                    'new_months': later | length > 0,
                    'built_through': "date '" ~ stored[4] ~ "'" if stored[4] else 'cast(null as date)',
                }) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(state) }}
{% endmacro %}

{% macro qd766_measures_counted() %}
    {#- The counts int_qd766_records_monthly stores per unit × level × procedure × month -#}
    {{ return([
        'processed_start', 'processed_start_complained', 'processed_start_multiple_supplements',
        'received', 'received_complained', 'received_multiple_supplements', 'received_online',
        'received_online_with_electronic_result', 'received_channel_blank', 'received_synced',
        'received_fee_bearing', 'received_fee_bearing_paid_online', 'received_digitised',
        'received_data_reused', 'ended', 'ended_on_time', 'resolved',
        'resolved_with_electronic_result', 'open_at_end', 'open_within_deadline',
    ]) }}
{% endmacro %}

{% macro qd766_touched_table(records, loaded_through, new_months, built_through) %}
    {#- On a night that adds to the stored months: the name of a table holding the CTE
        `touched` of int_qd766_records_monthly (every version of the dossiers whose counts
        may change tonight), written before the model's query; none where the model
        computes it itself. records: the staged records' relation; the other arguments:
        qd766_records_state's. -#}
    {{ return(adapter.dispatch('qd766_touched_table', 'par_warehouse')(
        records, loaded_through, new_months, built_through)) }}
{% endmacro %}

{% macro default__qd766_touched_table(records, loaded_through, new_months, built_through) %}
    {#- DuckDB materialises the CTE itself -#}
    {{ return(none) }}
{% endmacro %}

{% macro spark__qd766_touched_table(records, loaded_through, new_months, built_through) %}
    {#- Spark inlines CTEs, and `touched` is read by every later step: its semi join of the
        whole history with the dossiers' keys (a sort-merge join, the history shuffled)
        ran once per read. Here the keys (tonight's dossiers; on a night with a new month
        also those still open after the last stored month, with that month as a literal)
        and then touched (the keys broadcast) are written as tables first
        (spark_night_table). -#}
    {%- set model = 'int_qd766_records_monthly' -%}
    {%- set keys_sql -%}
    select distinct unit_code, dossier_id
    from {{ records }}
    where loaded_at > {{ loaded_through }}
    {%- if new_months %}
    union
    {{ spark_open_dossiers(records, built_through) }}
    {%- endif -%}
    {%- endset -%}
    {%- set keys = spark_night_table(model, 'keys', keys_sql) -%}
    {{ return(spark_night_table(model, 'touched', spark_versions_of(records, keys, 'keys'))) }}
{% endmacro %}
