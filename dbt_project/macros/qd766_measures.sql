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
