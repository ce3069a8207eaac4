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
    The 766 marts name int_qd766_records_monthly and last_month_ends_periods=true.
-#}

{% macro rebuilt_by_period(monthly='int_dossier_records_monthly', last_month_ends_periods=false) -%}
    {#- monthly: the monthly record model whose latest build says the months that changed
        (int_dossier_records_monthly, or int_qd766_records_monthly for the 766 marts);
        last_month_ends_periods: the model's periods not yet over end with the last month
        of data (the 766 marts), see records_periods_from -#}
    {{ return(adapter.dispatch('rebuilt_by_period', 'par_warehouse')(monthly, last_month_ends_periods)) }}
{%- endmacro %}

{% macro default__rebuilt_by_period(monthly, last_month_ends_periods) -%}
    {#- Spark: a whole table every night (dbt refuses an empty config) -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{% macro duckdb__rebuilt_by_period(monthly, last_month_ends_periods) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'sync_all_columns',
        'pre_hook': "{{ delete_periods_rebuilt('" ~ monthly ~ "', " ~ last_month_ends_periods ~ ") }}",
        'meta': {'rebuilt_by_period': {
            'monthly': monthly, 'last_month_ends_periods': last_month_ends_periods}},
    }) }}
{%- endmacro %}

{% macro records_periods_from(monthly='int_dossier_records_monthly', last_month_ends_periods=false) -%}
    {#- The first month of the periods rebuilt tonight, as a date literal; none when every
        period is. The months that changed are the stored rows of the monthly model written
        by its latest build: they carry its records_loaded_through, the greatest (a whole
        rebuild writes every month, so every period is rebuilt). With
        last_month_ends_periods (a quarter or year not yet over ends with the last month of
        data: int_qd766_unit_periods), when they reach past the latest month not written,
        that month is rebuilt too: it may have been the last month of data, and the stored
        rows of such periods end there. Read at execution, so that the variable never makes
        dbt parse again. -#}
    {#- (a dbt unit test renders the model with no `this`) -#}
    {%- if execute and env_var('PARWH_NIGHT_RECORDS_ONLY', 'false') == 'true'
        and this is not none and is_incremental() -%}
        {{ return(first_month_rebuilt(monthly, last_month_ends_periods)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro first_month_rebuilt(monthly, last_month_ends_periods) -%}
    {#- records_periods_from's date literal, on a night whose records alone are new -#}
    {#- the monthly model is an ancestor of every model rebuilt by period (built before
        it): its relation is looked up rather than ref'd, so that a dbt unit test of the
        model needs no input for it -#}
    {%- set monthly = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', monthly) | map(attribute='relation_name') | first -%}
    {%- set first_month = run_query(
        'with latest as (select max(records_loaded_through) as loaded_through from '
        ~ monthly ~ '), months as (select'
        ~ ' min(period_start) filter (where written) as first_written,'
        ~ ' max(period_start) filter (where written) as last_written,'
        ~ ' max(period_start) filter (where not written) as last_kept'
        ~ ' from (select period_start, coalesce(records_loaded_through = latest.loaded_through,'
        ~ ' false) as written from ' ~ monthly ~ ' cross join latest))'
        ~ ' select cast(case when ' ~ (last_month_ends_periods | string | lower)
        ~ ' and last_written > last_kept then least(first_written, last_kept)'
        ~ ' else first_written end as string) from months'
    ).rows[0][0] -%}
    {{ return("date '" ~ (first_month or '1900-01-01') ~ "'") }}
{%- endmacro %}

{% macro periods_filter(periods_from, period_end='period_end') -%}
    {%- if periods_from is not none %}where {{ period_end }} >= {{ periods_from }}{% endif -%}
{%- endmacro %}

{% macro delete_periods_rebuilt(monthly, last_month_ends_periods) -%}
    {#- the pre-hook: the stored rows of the periods the model inserts again -#}
    {%- if this is not none and is_incremental() -%}
        delete from {{ this }} {{ periods_filter(records_periods_from(monthly, last_month_ends_periods)) }}
    {%- endif -%}
{%- endmacro %}

{#- The dbt tests of a model rebuilt by period, on a night whose records alone are new,
    check the rows that night wrote: the periods ending on or after the first month it
    rebuilt. The rows of earlier periods were kept as stored, and were checked the night
    they were written. This holds only for a test that checks each row on its own
    (not_null, accepted_values, within_range, relationships from the model) or a
    combination of columns that names one period (a duplicate is then two rows of one
    period: both written tonight, or neither); any other test reads the whole table. On any
    other night, every test reads the whole table. dbt wraps a generic test's model in
    get_where_subquery; this one (the project's, in place of dbt's) also applies a test's
    `where` config as dbt's does. It is not dispatched: a test sees only the macros its
    own ones call, and dbt finds those of a macro found by name. -#}

{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set conditions = [periods_written_tonight(relation), where] | select | list -%}
    {%- if not conditions -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') }}
{%- endmacro %}

{% macro periods_written_tonight(relation) -%}
    {#- "period_end >= date '…'" when the test reads only the periods written tonight -#}
    {%- if not execute or env_var('PARWH_NIGHT_RECORDS_ONLY', 'false') != 'true'
        or flags.FULL_REFRESH or model.resource_type != 'test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tested = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('relation_name', 'equalto', relation | string) | list -%}
    {%- set rebuilt = (tested[0].config.meta.rebuilt_by_period if tested else none) -%}
    {%- if not rebuilt or not test_reads_rows_or_periods(model.test_metadata) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return('period_end >= ' ~ first_month_rebuilt(rebuilt.monthly, rebuilt.last_month_ends_periods)) }}
{%- endmacro %}

{% macro test_reads_rows_or_periods(test_metadata) -%}
    {#- a test of each row, or a unique combination that names one period: period_end,
        period_label, or period_kind with period_start -#}
    {%- set name = (test_metadata or {}).get('name') -%}
    {%- if name in ['not_null', 'accepted_values', 'within_range', 'relationships'] -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if name == 'unique_combination_of_columns' -%}
        {%- set columns = test_metadata.kwargs.combination_of_columns -%}
        {{ return('period_end' in columns or 'period_label' in columns
            or ('period_kind' in columns and 'period_start' in columns)) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}
