{% macro spark_night_table(model, part, query) %}
    {#- Spark: one of a night's small sets (tonight's records, the versions they supersede,
        the dossiers still open in a new month …) written as a Parquet table before the
        model's query runs, which then reads it like any table. Neither a CTE nor a cached
        view does this on Spark: a CTE is inlined into every read of it (its scan of the
        whole record table repeated), and a cached view is not substituted into a query
        with a WITH clause (Spark 4), as every model's is. The tables live in their own
        schema, parwh_night (not a model's: the read-back into DuckDB and dbt's catalog
        list only the models'), named <model>__<part>, and are replaced every night.
        Returns the table's name. -#}
    {%- set table = 'parwh_night.' ~ model ~ '__' ~ part -%}
    {%- if execute -%}
        {%- do run_query('create database if not exists parwh_night') -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- do run_query('create table ' ~ table ~ ' using parquet as ' ~ query) -%}
    {%- endif -%}
    {{ return(table) }}
{% endmacro %}
