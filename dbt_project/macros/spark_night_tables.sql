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

{% macro spark_open_dossiers(records, built_through) %}
    {#- The keys of the dossiers still open after the stored table's last month
        (`built_through`, a date literal): on the night a later month appears they are
        active in it. A plain filter of the scan (the month a literal, not a join). -#}
    select distinct
        unit_code,
        dossier_id
    from {{ records }}
    where
        coalesce(cast(finished_at as date), date '9999-12-31')
        >= cast({{ built_through }} + interval 1 month as date)
{%- endmacro %}

{% macro spark_versions_of(records, keys, keys_name) %}
    {#- Every version of the dossiers in the table `keys` (a night table, small): the
        history's semi join broadcasts the keys instead of shuffling the history. -#}
    select /*+ broadcast({{ keys_name }}) */ records.*
    from {{ records }} as records
    semi join {{ keys }} as {{ keys_name }}
        on
            records.unit_code = {{ keys_name }}.unit_code
            and records.dossier_id = {{ keys_name }}.dossier_id
{%- endmacro %}
