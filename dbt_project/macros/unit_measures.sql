{#- The measures behind the indicators, per source family: one list, read by the family's
    rolled-up model (int_<family>_rolled_up) and by int_unit_measures_rolled_up. -#}
{% macro unit_measures(family) -%}
    {#- the staff categories of the vocabulary (var staff_categories, dbt_project.yml) -#}
    {%- set staff_categories = var('staff_categories').keys() | list -%}
    {%- set staff_measures = ['quota', 'actual', 'vacancies'] -%}
    {%- for category in staff_categories -%}
        {%- do staff_measures.extend(['quota_' ~ category, 'actual_' ~ category,
            'vacancies_' ~ category]) -%}
    {%- endfor -%}
    {%- set measures = {
        'dossiers': ['received', 'resolved', 'resolved_on_time', 'resolved_late',
            'received_online', 'received_postal', 'pending', 'pending_overdue',
            'resolved_on_time_or_pending_not_due', 'resolved_or_pending'],
        'dossier_records': ['received', 'resolved', 'received_fully_online',
            'received_fully_online_eligible', 'received_digitised',
            'resolved_with_electronic_result', 'received_fee_required', 'received_paid_online',
            'resolved_satisfactory'],
        'surveys': ['forms', 'satisfied_forms'],
        'budget': ['plan_mvnd', 'disbursed_mvnd'],
        'staff': staff_measures,
        'staff_categories': staff_categories,
    } -%}
    {{ return(measures[family]) }}
{%- endmacro %}
