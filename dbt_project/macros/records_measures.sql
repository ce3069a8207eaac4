{% macro records_monthly_measures() %}
    {#- The counts of int_dossier_records_monthly, in column order. -#}
    {{ return([
        'carried_in', 'received', 'received_online', 'received_postal',
        'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'pending', 'pending_not_due', 'pending_overdue',
        'received_fully_online', 'received_fully_online_eligible', 'received_digitised',
        'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
        'resolved_rated_dissatisfied',
    ]) }}
{% endmacro %}

{% macro records_flow_measures() %}
    {#- Counts of events within a period: a year to date is the sum of its months. -#}
    {{ return([
        'received', 'received_online', 'received_postal',
        'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'received_fully_online', 'received_fully_online_eligible', 'received_digitised',
        'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
        'resolved_rated_dissatisfied',
    ]) }}
{% endmacro %}

{% macro records_stock_measures() %}
    {#- Dossiers still open at the period's end: a year to date takes its last month's. -#}
    {{ return(['pending', 'pending_not_due', 'pending_overdue']) }}
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

{% macro signed_count(condition) %}
    {#- Dossiers counted with their sign (+1 counted, -1 no longer counted) where the
        condition holds: count(*) filter (where condition) when every sign is +1. -#}
    coalesce(cast(sum(sign) filter (where {{ condition }}) as bigint), 0)
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
