{% macro qd766_measures() %}
    {#- The counts of int_qd766_unit_periods (before the derived processed_* sums), summed
        up the unit tree: see int_qd766_records_monthly for what each counts. -#}
    {{ return([
        'processed_start', 'processed_start_complained', 'processed_start_multiple_supplements',
        'received', 'received_complained', 'received_multiple_supplements',
        'received_online', 'received_online_with_electronic_result', 'received_online_counted',
        'received_online_without_result', 'received_channel_blank', 'received_synced',
        'received_fee_bearing', 'received_fee_bearing_paid_online',
        'received_digitised', 'received_data_reused',
        'ended', 'ended_on_time', 'resolved', 'resolved_with_electronic_result',
        'open_at_end', 'open_within_deadline',
    ]) }}
{% endmacro %}

{% macro measure_named(name_column, measures, relation) -%}
    {#- The value of the column of `relation` that `name_column` names (a rule's numerator,
        denominator …), one of `measures`; null for a name not among them. Picks a rule's
        measures in one pass over the unit-periods, where an unpivoted table joined back
        once per measure of the rule was read four times (on Spark, a scan per measure and
        per read). -#}
    case {{ name_column }}
        {%- for measure in measures %}
        when '{{ measure }}' then {{ relation }}.{{ measure }}
        {%- endfor %}
    end
{%- endmacro %}

{% macro quoted_list(names) -%}
    {#- 'a', 'b', 'c': a list of names as SQL string literals, for `in (…)` -#}
    {%- for name in names -%}
        '{{ name }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}
