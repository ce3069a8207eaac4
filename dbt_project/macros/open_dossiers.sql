{#- The dossiers still open, maintained night by night (int_dossier_records_open, issue 21).

    On the night a later month appears, both monthly record models (int_dossier_records_monthly,
    int_qd766_records_monthly) count in it every dossier still open after the last stored
    month. Found from the whole history, that took a scan of every version, a join back of
    all the versions of the dossiers found and a window over them (20-27 s a model at 100
    million records). int_dossier_records_open keeps, instead, the latest version of every
    dossier whose latest version has no finish date, as of the records loaded through its
    latest build (with the ended versions of its last two nights with records: the latest
    night's say what it is current with); each night deletes tonight's dossiers from it and
    inserts their latest versions (a cost proportional to the day). It is built after both monthly models, so
    that on the night a month opens they read it as the night before left it, together with
    tonight's records, which they read anyway.

    Why "no finish date" is enough: a counted dossier whose latest version ended has a row
    in the month it ended (it is active in it), so every stored month reaches past its end;
    a dossier still open after the last stored month therefore has no finish date, unless
    it arrives tonight. Versions that never count (never received; finished before
    received) are left out by the models as before.

    A model uses the table only when it is current: its latest rows were loaded exactly
    when the model's stored build was (records_loaded_through), and the records loaded
    through then are as many as when the table was written (none withdrawn or replaced
    since). Otherwise the model falls back to the history, and the table is written again
    whole (a withdrawal, a replaced file, a stored table without every column). DuckDB
    only: on Spark (no delete) the model is disabled and the monthly models keep their own
    plan (macros/records_measures.sql, macros/qd766_records_state.sql). -#}

{% macro open_dossiers_config() -%}
    {{ return(adapter.dispatch('open_dossiers_config', 'par_warehouse')()) }}
{%- endmacro %}

{% macro default__open_dossiers_config() -%}
    {{ return({'enabled': false}) }}
{%- endmacro %}

{% macro duckdb__open_dossiers_config() -%}
    {#- the pre-hook deletes what tonight's rows replace (or everything, when the table is
        written again whole); the query appends -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'sync_all_columns',
        'pre_hook': [
            "{{ open_dossiers_upkeep('ended') }}", "{{ open_dossiers_upkeep('tonight') }}",
        ],
    }) }}
{%- endmacro %}

{% macro open_dossiers_columns(records) -%}
    {#- the staged records' columns, in order (the table has them and records_counted) -#}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(records) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{% macro open_dossiers_current(table, records, loaded_through) -%}
    {#- Whether `table` (int_dossier_records_open as stored) holds the open dossiers as of
        the records loaded through `loaded_through` (a timestamp literal): its latest rows
        were loaded then, the records loaded through then are as many as it counted, and it
        has every column of the staged records. -#}
    {%- if not execute or table is none or loaded_through is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set stored_columns = open_dossiers_columns(table) -%}
    {%- for name in open_dossiers_columns(records) + ['records_counted']
        if name not in stored_columns -%}
        {{ return(false) }}
    {%- endfor -%}
    {%- set current = run_query(
        'with latest as (select loaded_at, records_counted from ' ~ table
        ~ ' order by loaded_at desc limit 1)'
        ~ ' select count(*) from latest where loaded_at = ' ~ loaded_through
        ~ ' and records_counted = (select count(*) from ' ~ records
        ~ ' where loaded_at <= ' ~ loaded_through ~ ')'
    ).rows[0][0] -%}
    {{ return(current == 1) }}
{%- endmacro %}

{% macro maintained_open_dossiers(records, loaded_through) -%}
    {#- For a monthly record model on the night a later month appears: the relation of
        int_dossier_records_open when it is current as of the model's stored build
        (`loaded_through`, a timestamp literal), else none. Looked up, not ref'd: it is
        built after the monthly models, and their dbt unit tests need no input for it. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', 'int_dossier_records_open') | first -%}
    {%- if node is not defined or node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set table = adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if open_dossiers_current(table, records, loaded_through) -%}
        {{ return(table) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro open_dossiers_state(records) -%}
    {#- int_dossier_records_open's own state, read before its query and its pre-hook:
        {'add_to_stored': whether tonight only replaces tonight's dossiers,
         'loaded_through': the stored table's latest loaded_at, a literal} -#}
    {%- set state = {'add_to_stored': false, 'loaded_through': none} -%}
    {%- if execute and is_incremental() -%}
        {%- set through = run_query(
            'select cast(max(loaded_at) as string) from ' ~ this).rows[0][0] -%}
        {%- if through -%}
            {%- set literal = "cast('" ~ through ~ "' as timestamp)" -%}
            {%- do state.update({
                'loaded_through': literal,
                'add_to_stored': open_dossiers_current(this, records, literal),
            }) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(state) }}
{%- endmacro %}

{% macro open_dossiers_upkeep(step) -%}
    {#- int_dossier_records_open's pre-hooks, step 'ended' then 'tonight'. On a night that
        only replaces tonight's dossiers: the ended versions kept by the nights before the
        last, when tonight brings records (the last night's stay one more night: the state
        each hook and the query read, the table's latest loaded_at, must not move between
        them), then tonight's dossiers (one delete with both conditions took 3.3 s at
        100M, these two 1 s). Tonight's dossiers are found by a hash of their two keys
        first, then by the keys: probing 14 million stored rows with two strings took
        1.1-2.3 s at 100M, with the hash 0.4 s. Otherwise every row (the query inserts them
        all again). Dossier ids and unit codes are never null (ingest refuses
        such a row). -#}
    {%- if is_incremental() -%}
        {%- set records = ref('stg_raw__dossier_records') -%}
        {%- set state = open_dossiers_state(records) -%}
        {%- if not state['add_to_stored'] -%}
            {%- if step == 'ended' %}delete from {{ this }}{% endif -%}
        {%- elif step == 'ended' -%}
            delete from {{ this }}
            where
                finished_at is not null
                and loaded_at < {{ state['loaded_through'] }}
                and exists (
                    select 1
                    from {{ records }} as tonight
                    where tonight.loaded_at > {{ state['loaded_through'] }}
                )
        {%- else -%}
            delete from {{ this }} as stored
            where
                -- candidates: a 64-bit hash of the keys, one number probed per stored
                -- row instead of two strings; the keys themselves then decide
                hash(stored.unit_code, stored.dossier_id) in (
                    select hash(tonight.unit_code, tonight.dossier_id)
                    from {{ records }} as tonight
                    where tonight.loaded_at > {{ state['loaded_through'] }}
                )
                and exists (
                    select 1
                    from {{ records }} as tonight
                    where
                        tonight.loaded_at > {{ state['loaded_through'] }}
                        and tonight.unit_code = stored.unit_code
                        and tonight.dossier_id = stored.dossier_id
                )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
