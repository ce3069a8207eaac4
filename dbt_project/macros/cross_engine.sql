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
