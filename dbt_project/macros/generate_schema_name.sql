{#- Use the folder's schema as is (staging, intermediate, marts, reference):
    analysts query marts.fct_dossier_stats, not main_marts.fct_dossier_stats. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
