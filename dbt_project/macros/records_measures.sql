{% macro records_monthly_measures() %}
    {#- The counts of int_dossier_records_monthly, in column order (later additions at the
        end: a stored table gains them as new columns). -#}
    {{ return([
        'carried_in', 'received', 'received_online', 'received_postal',
        'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'pending', 'pending_not_due', 'pending_overdue',
        'received_fully_online', 'received_fully_online_eligible', 'received_digitised',
        'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
        'resolved_rated_dissatisfied',
        'received_in_person', 'received_partly_online',
        'waiting_supplement', 'withdrawn', 'stopped',
    ]) }}
{% endmacro %}

{% macro records_flow_measures() %}
    {#- Counts of events within a period: a year to date is the sum of its months. Withdrawn
        and stopped dossiers count in the period they ended, like resolved ones. -#}
    {{ return([
        'received', 'received_online', 'received_postal',
        'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'received_fully_online', 'received_fully_online_eligible', 'received_digitised',
        'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
        'resolved_rated_dissatisfied',
        'received_in_person', 'received_partly_online', 'withdrawn', 'stopped',
    ]) }}
{% endmacro %}

{% macro records_stock_measures() %}
    {#- Dossiers still open at the period's end: a year to date takes its last month's. -#}
    {{ return(['pending', 'pending_not_due', 'pending_overdue', 'waiting_supplement']) }}
{% endmacro %}

{% macro dossier_stats_measures() %}
    {#- The measures of a dossier statistics row (int_dossier_submissions_latest,
        int_dossier_records_aggregated, int_dossier_stats_unioned, fct_dossier_stats), in
        column order: what a form states and what records count; null where a source has
        no such figure. Balance: carried_in + received = resolved + pending
        + waiting_supplement + withdrawn + stopped (a null measure counts as 0). -#}
    {{ return([
        'carried_in', 'received', 'received_online', 'received_postal',
        'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'pending', 'pending_not_due', 'pending_overdue',
        'received_fully_online', 'received_fully_online_eligible', 'received_digitised',
        'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
        'resolved_rated_dissatisfied',
        'received_total', 'received_in_person', 'received_in_person_or_postal',
        'received_partly_online', 'received_out_of_area',
        'waiting_supplement', 'returned', 'withdrawn', 'stopped',
    ]) }}
{% endmacro %}

{% macro measure_list(measures, expression) %}
    {#- One select-list item per measure, `@` standing for the measure's name:
        measure_list(['a', 'b'], 'sum(@) as @') → sum(a) as a, sum(b) as b -#}
    {%- for measure in measures -%}
        {{ expression | replace('@', measure) }}{{ ",\n        " if not loop.last }}
    {%- endfor -%}
{% endmacro %}

{% macro not_materialized() %}
    {#- A CTE read several times is materialised by DuckDB (the whole record table, spilled
        to disk at national scale); `not materialized` lets each read push its filters. -#}
    {{ return(adapter.dispatch('not_materialized', 'par_warehouse')()) }}
{% endmacro %}

{% macro default__not_materialized() %}{% endmacro %}

{% macro duckdb__not_materialized() %}not materialized{% endmacro %}

{% macro materialized() %}
    {#- A small CTE read several times (an incremental night's few dossiers), computed once
        instead of once per read: DuckDB may otherwise inline it, repeating its scan of the
        whole record table. Spark inlines every CTE (a night's small sets are written as
        tables instead: spark_night_table). -#}
    {{ return(adapter.dispatch('materialized', 'par_warehouse')()) }}
{% endmacro %}

{% macro default__materialized() %}{% endmacro %}

{% macro duckdb__materialized() %}materialized{% endmacro %}

{% macro signed_count(condition) %}
    {#- Dossiers counted with their sign (+1 counted, -1 no longer counted) where the
        condition holds: count(*) filter (where condition) when every sign is +1. A sum of a
        case, not a filtered sum: DuckDB evaluates two dozen filters per row more slowly
        (6.8 against 4.0 s for the full build's 18 million rows at 10M records). -#}
    cast(sum(case when {{ condition }} then sign else 0 end) as bigint)
{%- endmacro %}

{% macro latest_version_only(relation=none) %}
    {#- Keeps the latest version of each dossier (the same dossier in a later export, or in
        a later file of the same night, replaces the earlier one). -#}
    {%- set q = relation ~ '.' if relation else '' -%}
    qualify row_number() over (
        partition by {{ q }}unit_code, {{ q }}dossier_id
        order by {{ q }}loaded_at desc, {{ q }}file_id desc
    ) = 1
{%- endmacro %}

{% macro records_monthly_state(stored_table, records) %}
    {#- What int_dossier_records_monthly was built through, read before its incremental query
        runs: {'loaded_through': a timestamp literal, 'new_months': bool}.
        As a literal, the filter on loaded_at skips the history's row groups: Spark cannot
        push a subquery down to Parquet, and it inlines CTEs, so it would read the whole
        history once per reference. new_months: whether tonight's records reach a month
        later than any stored (then the dossiers still open are counted in it); when not,
        that part of the query, which reads the whole history, is left out.
        has_every_measure: whether the stored table has every column of
        records_monthly_measures(); a table built before a measure existed is counted again
        whole (the model then runs its full query). built_through: the stored table's last
        month, a date literal (date '1900-01-01' when it has none). When dbt only parses,
        these are the safe defaults. -#}
    {%- set state = {'loaded_through': "timestamp '1900-01-01'", 'new_months': true,
        'has_every_measure': true, 'built_through': "date '1900-01-01'"} -%}
    {%- if execute -%}
        {%- set stored_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(stored_table) -%}
            {%- do stored_columns.append(column.name | lower) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for measure in records_monthly_measures() if measure not in stored_columns -%}
            {%- do missing.append(measure) -%}
        {%- endfor -%}
        {%- do state.update({'has_every_measure': missing | length == 0}) -%}
        {%- set stored = run_query(
            'select cast(max(records_loaded_through) as string), cast(max(period_start) as string)'
            ~ ' from ' ~ stored_table).rows[0] -%}
        {%- if stored[0] -%}
            {%- do state.update({'loaded_through': "cast('" ~ stored[0] ~ "' as timestamp)"}) -%}
        {%- endif -%}
        {%- if stored[1] -%}
            {%- do state.update({'built_through': "date '" ~ stored[1] ~ "'"}) -%}
        {%- endif -%}
        {%- set tonight_last_month = run_query(
            "select cast(cast(date_trunc('month', max(coalesce(finished_at, received_at))) as date)"
            ~ ' as string) from ' ~ records
            ~ ' where loaded_at > ' ~ state['loaded_through']).rows[0][0] -%}
        {%- do state.update({'new_months': tonight_last_month is not none
            and (stored[1] is none or tonight_last_month > stored[1])}) -%}
    {%- endif -%}
    {{ return(state) }}
{% endmacro %}

{% macro records_tonight(records, loaded_through, new_months=false, built_through=none) %}
    {#- The bodies of the records model's CTEs latest_new (tonight's records, the latest
        version of each dossier) and superseded (the version each re-exported dossier was
        counted with until tonight), on an incremental night: {'latest_new': sql,
        'superseded': sql}; on Spark, on a night with new months, also
        'latest_in_new_months' (the latest version of every dossier still open after the
        stored table's last month; where absent, the model's own CTEs compute it).
        records: the staged records' relation; loaded_through: the stored table's, a
        literal; built_through: its last month, a date literal (records_monthly_state). -#}
    {{ return(adapter.dispatch('records_tonight', 'par_warehouse')(
        records, loaded_through, new_months, built_through)) }}
{% endmacro %}

{% macro records_tonight_queries(records, latest_new, loaded_through, hint='') %}
    {#- records and latest_new: the relations (or CTE names) read; hint: a Spark join hint -#}
    {%- set records_as = records ~ ('' if records == 'records' else ' as records') -%}
    {%- set latest_new_as = latest_new ~ ('' if latest_new == 'latest_new' else ' as latest_new') -%}
    {%- set latest_new_sql -%}
    -- tonight's records; a dossier in two of tonight's files: the latest file wins
    select *
    from {{ records_as }}
    where loaded_at > {{ loaded_through }}
    {{ latest_version_only() }}
    {%- endset -%}
    {%- set superseded_sql -%}
    -- the version each re-exported dossier was counted with until tonight
    select {{ hint }}records.*
    from {{ records_as }}
    semi join {{ latest_new_as }}
        on
            records.unit_code = latest_new.unit_code
            and records.dossier_id = latest_new.dossier_id
    where records.loaded_at <= {{ loaded_through }}
    {{ latest_version_only('records') }}
    {%- endset -%}
    {{ return({'latest_new': latest_new_sql, 'superseded': superseded_sql}) }}
{% endmacro %}

{% macro default__records_tonight(records, loaded_through, new_months, built_through) %}
    {#- DuckDB: the queries themselves, over the model's CTEs `records` (not materialised:
        each read pushes its filters into the scan) and `latest_new` -#}
    {{ return(records_tonight_queries('records', 'latest_new', loaded_through)) }}
{% endmacro %}

{% macro spark__records_tonight(records, loaded_through, new_months, built_through) %}
    {#- Spark inlines CTEs: latest_new, read by superseded, bounds and counted, would be
        computed (a window over tonight's records) once per read, superseded's join with
        the history shuffled the whole history, and so did the new months' join of every
        version with the dossiers still open. Here each is computed once, before the
        model's query, into a Parquet table (spark_night_table; a few hundred thousand rows
        a night), the history's semi joins broadcast the small side's dossier keys instead
        of shuffling the history, and the dossiers still open are found with the stored
        table's last month as a literal (a plain filter of the scan, not a join). -#}
    {%- set model = 'int_dossier_records_monthly' -%}
    {%- set tables = {} -%}
    {%- do tables.update({'latest_new': spark_night_table(model, 'latest_new',
        records_tonight_queries(records, 'latest_new', loaded_through)['latest_new'])}) -%}
    {%- do tables.update({'superseded': spark_night_table(model, 'superseded',
        records_tonight_queries(records, tables['latest_new'], loaded_through,
            '/*+ broadcast(latest_new) */ ')['superseded'])}) -%}
    {%- set bodies = {
        'latest_new': 'select * from ' ~ tables['latest_new'],
        'superseded': 'select * from ' ~ tables['superseded'],
    } -%}
    {%- if new_months -%}
        {%- set open_keys = spark_night_table(model, 'open_in_new_months',
            spark_open_dossiers(records, built_through)) -%}
        {%- set latest_sql -%}
    {{ spark_versions_of(records, open_keys, 'open_in_new_months') }}
    {{ latest_version_only('records') }}
        {%- endset -%}
        {%- set latest_in_new_months = spark_night_table(model, 'latest_in_new_months', latest_sql) -%}
        {#- as the model's CTEs: none when no month is later than the built ones -#}
        {%- do bodies.update({'latest_in_new_months':
            'select latest_in_new_months.* from ' ~ latest_in_new_months
            ~ ' as latest_in_new_months cross join bounds'
            ~ ' where bounds.last_month > bounds.built_through'}) -%}
    {%- endif -%}
    {{ return(bodies) }}
{% endmacro %}

{% macro months_counted_tonight(received, new_months) %}
    {#- The body of the CTE `span` of a monthly record model on a night that adds to the
        stored months: from the earliest receipt (column `received`) of a version that
        changes (latest_new, superseded; a later month's whole count starts after the last
        built month) to the last month (bounds). From those parts rather than from
        `counted`, so that `counted` is read once: read twice, DuckDB materialised it
        (millions of rows with all their columns on the night a month opens). -#}
    select
        cast(date_trunc('month', least(
            (select min(latest_new.{{ received }}) from latest_new),
            (select min(superseded.{{ received }}) from superseded)
            {%- if new_months %},
            cast(bounds.built_through + interval 1 month as date)
            {%- endif %}
        )) as date) as first_month,
        {{ 'bounds.last_month' if new_months else 'bounds.built_through' }} as last_month
    from bounds
{%- endmacro %}

{% macro months_added_to_stored(keys, measures) %}
    {#- The CTEs `stored` and `monthly` of an incremental monthly model: tonight's signed
        counts (CTE `aggregated`, +1 counted, -1 superseded) added to the stored rows of
        the months they touch (the model's own table, CTE `built`); those months are then
        replaced whole. `keys`: the key columns in the table's order, period_end after
        period_start (it follows period_start, so it is not joined on); authority_level
        may be null and is matched null-safe. -#}
stored as (

    -- every stored row of the months that change (the months are replaced whole)
    select built.*
    from built
    semi join aggregated on built.period_start = aggregated.period_start

),

monthly as (

    select
        {% for key in keys -%}
        coalesce(aggregated.{{ key }}, stored.{{ key }}) as {{ key }},
        {% endfor -%}
        {{ measure_list(measures, "coalesce(stored.@, 0) + coalesce(aggregated.@, 0) as @") }}
    from aggregated
    full outer join stored
        on
        {%- for key in keys if key != 'period_end' %}
            {{ 'and ' if not loop.first }}aggregated.{{ key }}
            {{- ' is not distinct from ' if key == 'authority_level' else ' = ' -}}
            stored.{{ key }}
        {%- endfor %}

)
{% endmacro %}
