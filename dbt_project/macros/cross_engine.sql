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
    {#- DuckDB: delete the partitions the new rows touch, then insert them. The key is one
        column, not a list: dbt-duckdb deletes by `key in (select key from new rows)` (a
        semi join); with a list it deletes `using` the new rows joined on the key, which
        pairs every stored row of a month with every new row of it (10 s a night at 1M
        records for int_qd766_records_monthly, 40,000 rows a month). -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': partition_column,
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

{% macro rounded_quotient(numerator, denominator, decimals, result_scale=4, mode='half_up') -%}
    {#- numerator / denominator rounded once to `decimals` places, exactly: both sides are
        exact decimals (at most 12 places) scaled to integers and divided as integers, so
        96.375 is never 96.37499999 and 2/3 of 3.0 is 2.00. `decimals` is a number or an
        integer column (a rubric's score_decimals), at most `result_scale`; the result is
        a decimal of scale `result_scale`. mode: half_up (half away from zero, as the
        reports and the rubrics round) or truncate (toward zero). Null when the denominator
        is 0 or null. The caller casts the result to its published type. -#}
    {%- if mode not in ('half_up', 'truncate') -%}
        {{ exceptions.raise_compiler_error('rounded_quotient: mode is half_up or truncate, not ' ~ mode) }}
    {%- endif -%}
    {{ return(adapter.dispatch('rounded_quotient', 'par_warehouse')(
        numerator, denominator, decimals, result_scale, mode)) }}
{%- endmacro %}

{% macro rounded_scaled_quotient(scaled_numerator, scaled_denominator, decimals, result_scale=4, mode='half_up') -%}
    {#- rounded_quotient of two sides already scaled by exact_scaled: rounded_quotient(n, d,
        …) is rounded_scaled_quotient(exact_scaled(n), exact_scaled(d), …), digit for digit.
        For a model that scales each side once per row (a column of a preceding CTE), where
        rounded_quotient repeats each side's scaling in every branch of its expression. -#}
    {%- if mode not in ('half_up', 'truncate') -%}
        {{ exceptions.raise_compiler_error('rounded_scaled_quotient: mode is half_up or truncate, not ' ~ mode) }}
    {%- endif -%}
    {{ return(adapter.dispatch('rounded_scaled_quotient', 'par_warehouse')(
        scaled_numerator, scaled_denominator, decimals, result_scale, mode)) }}
{%- endmacro %}

{% macro default__rounded_scaled_quotient(scaled_numerator, scaled_denominator, decimals, result_scale, mode) -%}
    {{ _rounded_quotient_sql(scaled_numerator, scaled_denominator, decimals, result_scale, mode, _hugeint_div) }}
{%- endmacro %}

{% macro spark__rounded_scaled_quotient(scaled_numerator, scaled_denominator, decimals, result_scale, mode) -%}
    {{ _rounded_quotient_sql(scaled_numerator, scaled_denominator, decimals, result_scale, mode, _decimal_div) }}
{%- endmacro %}

{% macro exact_scaled(value) -%}
    {#- value × 10^12 as an exact integer, the side rounded_quotient divides: a hugeint on
        DuckDB (_hugeint_scaled), a decimal(38, 0) on Spark (_decimal_scaled) -#}
    {{ return(adapter.dispatch('exact_scaled', 'par_warehouse')(value)) }}
{%- endmacro %}

{% macro default__exact_scaled(value) -%}
    {{ _hugeint_scaled(value) }}
{%- endmacro %}

{% macro spark__exact_scaled(value) -%}
    {{ _decimal_scaled(value) }}
{%- endmacro %}

{% macro _rounded_quotient_sql(scaled_numerator, scaled_denominator, decimals, result_scale, mode, integer_div) -%}
    {#- n and d are integers (the sides × 10^12), d > 0; q = n·10^decimals / d rounded;
        the result q · 10^(result_scale − decimals) · 10^−result_scale -#}
    {%- set power = "cast(power(10, " ~ decimals ~ ") as decimal(38, 0))" -%}
    {%- set n = "abs(" ~ scaled_numerator ~ ") * " ~ power -%}
    {%- set d = "abs(" ~ scaled_denominator ~ ")" -%}
    case
        when {{ scaled_denominator }} = 0 then null
        else
            cast(
                -- the sign as integers (Spark's sign() is a double)
                case when ({{ scaled_numerator }} < 0) = ({{ scaled_denominator }} < 0) then 1 else -1 end
                {%- if mode == 'truncate' %}
                * {{ integer_div(n, d) }}
                {%- else %}
                * {{ integer_div("(2 * " ~ n ~ " + " ~ d ~ ")", "(2 * " ~ d ~ ")") }}
                {%- endif %}
                as decimal(38, 0)
            )
            * cast(power(10, {{ result_scale }} - {{ decimals }}) as decimal(38, 0))
            * cast({{ '1e-%d' % result_scale if result_scale > 0 else '1' }} as decimal(38, {{ result_scale }}))
    end
{%- endmacro %}

{% macro default__rounded_quotient(numerator, denominator, decimals, result_scale, mode) -%}
    {#- DuckDB: a decimal ÷ decimal is a DOUBLE; hugeint // hugeint is exact -#}
    {{ _rounded_quotient_sql(_hugeint_scaled(numerator), _hugeint_scaled(denominator),
        decimals, result_scale, mode, _hugeint_div) }}
{%- endmacro %}

{% macro _hugeint_scaled(value) -%}
    {#- value × 10^12 as an exact hugeint. Scaling the decimal(38, 12) itself overflows
        from 10^14 on (its unscaled digits × 10^12 pass 10^38), and a 766 product
        indicator's numerator reaches that at ten million records, so the integer part and
        the fraction are scaled apart: exact for any |value| < 10^26 -#}
    {%- set v = "cast(" ~ value ~ " as decimal(38, 12))" -%}
    (cast(trunc({{ v }}) as hugeint) * 1000000000000
        + cast(({{ v }} - trunc({{ v }})) * 1000000000000 as hugeint))
{%- endmacro %}

{% macro _hugeint_div(n, d) -%}
    (cast({{ n }} as hugeint) // cast({{ d }} as hugeint))
{%- endmacro %}

{% macro spark__rounded_quotient(numerator, denominator, decimals, result_scale, mode) -%}
    {#- Spark: no hugeint; `div` on decimal(38, 0) divides exactly and returns the integer
        part (a bigint: every quotient here is far below 9.2e18) -#}
    {{ _rounded_quotient_sql(_decimal_scaled(numerator), _decimal_scaled(denominator),
        decimals, result_scale, mode, _decimal_div) }}
{%- endmacro %}

{% macro _decimal_scaled(value) -%}
    {#- value × 10^12 as an exact decimal(38, 0), the integer part and the fraction scaled
        apart as on DuckDB (`%` keeps the dividend's sign, so value − value % 1 is the
        integer part toward zero) -#}
    {%- set v = "cast(" ~ value ~ " as decimal(38, 12))" -%}
    (cast({{ v }} - {{ v }} % 1 as decimal(38, 0)) * cast(1000000000000 as decimal(38, 0))
        + cast(({{ v }} % 1) * 1000000000000 as decimal(38, 0)))
{%- endmacro %}

{% macro _decimal_div(n, d) -%}
    (cast({{ n }} as decimal(38, 0)) div cast({{ d }} as decimal(38, 0)))
{%- endmacro %}

{% macro days_between(start_date, end_date) -%}
    {#- Whole calendar days from start_date to end_date (dates; negative when end is before
        start): date_diff('day', start, end) on DuckDB, datediff(end, start) on Spark -#}
    {{ return(adapter.dispatch('days_between', 'par_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}

{% macro day_series(start_date, end_date) -%}
    {#- One row per day from start_date to end_date (dates, inclusive; none when start_date >
        end_date), within the plausible months, in a select list: select {{ day_series('a', 'b') }} as d -#}
    {{ return(adapter.dispatch('day_series', 'par_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    {%- set bounds = plausible_months() -%}
    cast(unnest(generate_series(
        greatest({{ start_date }}, {{ bounds[0] }}),
        least({{ end_date }}, cast({{ bounds[1] }} + interval 1 month as date)),
        interval 1 day)) as date)
{%- endmacro %}

{% macro spark__day_series(start_date, end_date) -%}
    {%- set bounds = plausible_months() -%}
    {%- set first = "greatest(" ~ start_date ~ ", " ~ bounds[0] ~ ")" -%}
    {%- set last = "least(" ~ end_date ~ ", cast(" ~ bounds[1] ~ " + interval 1 month as date))" -%}
    explode(case when {{ first }} <= {{ last }}
        then sequence({{ first }}, {{ last }}, interval 1 day)
        else array() end)
{%- endmacro %}

{% macro is_weekend(day) -%}
    {#- Saturday or Sunday: DuckDB's isodow is 6 or 7; Spark's dayofweek is 7 or 1 -#}
    {{ return(adapter.dispatch('is_weekend', 'par_warehouse')(day)) }}
{%- endmacro %}

{% macro default__is_weekend(day) -%}
    isodow({{ day }}) in (6, 7)
{%- endmacro %}

{% macro spark__is_weekend(day) -%}
    dayofweek({{ day }}) in (1, 7)
{%- endmacro %}
