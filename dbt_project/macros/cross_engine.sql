{#- SQL that differs between DuckDB (the default) and Spark (PARWH_ENGINE=spark), dispatched
    by adapter so that no model is written twice. -#}

{% macro month_series(start_date, end_date) -%}
    {#- One row per month start from start_date to end_date (both dates, inclusive; none when
        start_date > end_date), in a select list: select {{ month_series('a', 'b') }} as m -#}
    {{ return(adapter.dispatch('month_series', 'par_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__month_series(start_date, end_date) -%}
    cast(unnest(generate_series({{ start_date }}, {{ end_date }}, interval 1 month)) as date)
{%- endmacro %}

{% macro spark__month_series(start_date, end_date) -%}
    {#- sequence() fails when start > end (DuckDB returns no rows): guarded -#}
    explode(case when {{ start_date }} <= {{ end_date }}
        then sequence({{ start_date }}, {{ end_date }}, interval 1 month)
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
