{#- SQL that differs between DuckDB (the default) and Spark (PARWH_ENGINE=spark), dispatched
    by adapter so that no model is written twice. -#}

{% macro month_series(start_date, end_date) -%}
    {#- One row per month start from start_date to end_date (both dates, inclusive; none when
        start_date > end_date), in a select list: select {{ month_series('a', 'b') }} as m -#}
    {{ return(adapter.dispatch('month_series', 'par_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro plausible_months() -%}
    {#- The first and last month a series may hold: the plausible date window of ingest
        (ingest/dates.py: PARWH_EARLIEST_DATE, default 2000-01-01, to the run date +
        PARWH_LATEST_DATE_MARGIN_DAYS, default 366). Ingest rejects a file with a date
        outside it; this bound only keeps a date loaded before that check (9999) from
        making a series of 96,000 months per unit and running the build out of memory. -#}
    {%- set earliest = env_var('PARWH_EARLIEST_DATE', '') or '2000-01-01' -%}
    {%- set margin = (env_var('PARWH_LATEST_DATE_MARGIN_DAYS', '') or '366') | int -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', earliest) -%}
        {{ exceptions.raise_compiler_error(
            'PARWH_EARLIEST_DATE=' ~ earliest ~ ': expected an ISO date (yyyy-mm-dd)') }}
    {%- endif -%}
    {{ return((
        "cast(date_trunc('month', date '" ~ earliest ~ "') as date)",
        "cast(date_trunc('month', current_date + interval " ~ margin ~ " day) as date)"
    )) }}
{%- endmacro %}

{% macro default__month_series(start_date, end_date) -%}
    {%- set bounds = plausible_months() -%}
    cast(unnest(generate_series(
        greatest({{ start_date }}, {{ bounds[0] }}),
        least({{ end_date }}, {{ bounds[1] }}),
        interval 1 month)) as date)
{%- endmacro %}

{% macro spark__month_series(start_date, end_date) -%}
    {#- sequence() fails when start > end (DuckDB returns no rows): guarded -#}
    {%- set bounds = plausible_months() -%}
    {%- set first = "greatest(" ~ start_date ~ ", " ~ bounds[0] ~ ")" -%}
    {%- set last = "least(" ~ end_date ~ ", " ~ bounds[1] ~ ")" -%}
    explode(case when {{ first }} <= {{ last }}
        then sequence({{ first }}, {{ last }}, interval 1 month)
        else array() end)
{%- endmacro %}

{% macro unnest_list(column) -%}
    {#- One row per element of a list column, in a select list -#}
    {{ return(adapter.dispatch('unnest_list', 'par_warehouse')(column)) }}
{%- endmacro %}

{% macro default__unnest_list(column) -%}
    unnest({{ column }})
{%- endmacro %}

{% macro spark__unnest_list(column) -%}
    explode({{ column }})
{%- endmacro %}

{% macro rewrite_by_partition(partition_column) -%}
    {#- The config of an incremental model whose night rewrites whole partitions (months):
        {{ config(**rewrite_by_partition('period_start')) }} -#}
    {{ return(adapter.dispatch('rewrite_by_partition', 'par_warehouse')(partition_column)) }}
{%- endmacro %}

{% macro default__rewrite_by_partition(partition_column) -%}
    {#- DuckDB: delete the partitions the new rows touch, then insert them -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': [partition_column],
        'on_schema_change': 'sync_all_columns',
    }) }}
{%- endmacro %}

{% macro spark__rewrite_by_partition(partition_column) -%}
    {#- Spark: Parquet has no delete (and an incremental unique_key on Parquet appends
        duplicates); insert_overwrite replaces the partitions the new rows touch -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [partition_column],
        'file_format': 'parquet',
        'on_schema_change': 'sync_all_columns',
    }) }}
{%- endmacro %}
