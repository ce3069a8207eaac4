{#- The new rows of an incremental model appended straight from its query (issue 21).

    dbt-duckdb's incremental materialization writes the model's query into a temporary
    table, then inserts that table into the model's table. For the append strategy (the
    models rebuilt by period and the open dossiers: macros/rebuilt_by_period.sql,
    macros/open_dossiers.sql) the temporary relation is, here, a temporary view of the
    query: the insert runs the query once and writes its rows once. dbt reads the
    view's columns exactly as the table's (the schema change check, the column list of
    the insert). The pre-hooks have run before it is created, as before; the query is
    run by the insert, after them, as before.

    Any other strategy keeps the table: delete+insert reads the new rows twice (the
    delete's keys, then the insert), and between the two the delete changes the model's
    table, which a query may read. This overrides dbt's global `create_table_as`; every
    other call goes to the adapter's own. -#}

{% macro create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- if temporary and language == 'sql' and appends_from_view() -%}
        create temporary view {{ relation.include(database=false, schema=false) }} as (
            {{ compiled_code }}
        )
    {%- elif partitioned_by is none and sorted_by is none -%}
        {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code, language)) }}
    {%- else -%}
        {{ return(adapter.dispatch('create_table_as', 'dbt')(
            temporary, relation, compiled_code, language,
            partitioned_by=partitioned_by, sorted_by=sorted_by)) }}
    {%- endif -%}
{%- endmacro %}

{% macro appends_from_view() -%}
    {#- whether the model being built is a DuckDB incremental model appending its new rows -#}
    {{ return(
        target.type == 'duckdb'
        and model is defined and model is not none
        and config.get('materialized') == 'incremental'
        and config.get('incremental_strategy') == 'append'
    ) }}
{%- endmacro %}
