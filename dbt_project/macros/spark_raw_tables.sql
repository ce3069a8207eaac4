{#- On Spark (PARWH_ENGINE=spark) the raw tables are read from the Parquet that the ingest
    lands under PARWH_SPARK_LANDING_DIR, one folder per table (ingest/parquet_landing.py):
    a table is every Parquet file of its folder (dossier_records: one file per submitted
    file). Every dbt command registers them again (on-run-start), so that Spark lists the
    files of tonight's landing, not those it saw last time. On DuckDB the raw tables are in the
    warehouse database itself: nothing to do. -#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables', 'par_warehouse')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
    select 1
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set landing = env_var('PARWH_SPARK_LANDING_DIR', env_var('PARWH_SPARK_DIR', env_var('PARWH_WAREHOUSE', '../warehouse') ~ '/spark') ~ '/landing') -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- for source in graph.sources.values() if source.source_name == 'raw' -%}
            {%- do run_query('drop table if exists raw.' ~ source.name) -%}
            {%- do run_query("create table raw." ~ source.name ~ " using parquet location '"
                ~ landing ~ "/" ~ source.name ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
