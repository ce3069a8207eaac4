{#- Marts rebuilt only for the periods a night's records changed (issue 21).

    A night whose only new data is record-level exports (`parwh run` sets
    PARWH_NIGHT_RECORDS_ONLY=true for dbt when the night's scope is dossier_records alone,
    the night before ended well and it is not a full refresh: night/scope.py) changes the
    stored months of int_dossier_records_monthly it rewrites, and nothing else these marts
    read. A period ending before the first of those months is made of months that did not
    change, so its rows stay as built; every period ending on or after it is deleted and
    computed again from the whole inputs (a later period also depends on an earlier one
    through rankings' previous period, so "ending on or after" covers it). Any other
    night (or dbt run by hand) rebuilds every period: the stored rows are deleted and the
    whole query inserted. On Spark the models stay whole tables.

    In a model:
        {{ config(**rebuilt_by_period()) }}
        {%- set periods_from = records_periods_from() %}
        ... from x {{ periods_filter(periods_from) }} ...
-#}

{% macro rebuilt_by_period() -%}
    {{ return(adapter.dispatch('rebuilt_by_period', 'par_warehouse')()) }}
{%- endmacro %}

{% macro default__rebuilt_by_period() -%}
    {#- Spark: a whole table every night (dbt refuses an empty config) -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{% macro duckdb__rebuilt_by_period() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'sync_all_columns',
        'pre_hook': "{{ delete_periods_rebuilt() }}",
    }) }}
{%- endmacro %}

{% macro records_periods_from() -%}
    {#- The first month the night's records changed, as a date literal, when only the
        periods from it are rebuilt; none when every period is. The changed months are the
        stored rows of int_dossier_records_monthly written by the latest build (they carry
        its records_loaded_through; a whole rebuild writes every month, so every period is
        rebuilt). Read at execution, so that the variable never forces dbt to parse again. -#}
    {%- set monthly = ref('int_dossier_records_monthly') -%}
    {%- if execute and is_incremental() and env_var('PARWH_NIGHT_RECORDS_ONLY', 'false') == 'true' -%}
        {%- set first_month = run_query(
            'select cast(min(period_start) as string) from ' ~ monthly
            ~ ' where records_loaded_through = (select max(records_loaded_through) from '
            ~ monthly ~ ')').rows[0][0] -%}
        {{ return("date '" ~ (first_month or '1900-01-01') ~ "'") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro periods_filter(periods_from, period_end='period_end') -%}
    {%- if periods_from is not none %}where {{ period_end }} >= {{ periods_from }}{% endif -%}
{%- endmacro %}

{% macro delete_periods_rebuilt() -%}
    {#- the pre-hook: the stored rows of the periods the model inserts again -#}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ periods_filter(records_periods_from()) }}
    {%- endif -%}
{%- endmacro %}
