{#- Adds the figures of parent units computed from their children, up the unit tree:
    communes → their district (or current province), districts → province, provinces →
    nation ('VN'). Numerators and denominators are summed, never rates. A figure the unit
    submitted itself wins over the sum of its children (figure_source says which).
    relation must have unit_code, the group_columns and the measures. -#}
{% macro rollup_along_unit_tree(relation, group_columns, measures) -%}
{%- set key_match -%}
    {%- for column in group_columns %}
        and existing.{{ column }} is not distinct from candidate.{{ column }}
    {%- endfor %}
{%- endset -%}
{%- set levels = [('commune', 'level_0', 'level_1'), ('district', 'level_1', 'level_2'),
                  ('province', 'level_2', 'level_3')] -%}
with

units as (

    select unit_code, unit_kind, parent_code from {{ ref('int_admin_units') }}

),

level_0 as (

    select
        unit_code,
        {% for column in group_columns %}{{ column }},{% endfor %}
        {% for measure in measures %}{{ measure }},{% endfor %}
        'submitted' as figure_source
    from {{ relation }}

),
{% for child_kind, below, above in levels %}
{{ above }}_candidates as (

    select
        units.parent_code as unit_code,
        {% for column in group_columns %}{{ below }}.{{ column }},{% endfor %}
        {% for measure in measures %}sum({{ below }}.{{ measure }}) as {{ measure }},{% endfor %}
        'sum_of_{{ child_kind }}s' as figure_source
    from {{ below }}
    inner join units
        on {{ below }}.unit_code = units.unit_code
    where units.unit_kind = '{{ child_kind }}'
        and units.parent_code is not null
    group by units.parent_code{% for column in group_columns %}, {{ below }}.{{ column }}{% endfor %}

),

{{ above }} as (

    select * from {{ below }}
    union all
    select candidate.*
    from {{ above }}_candidates as candidate
    where not exists (
        select 1
        from {{ below }} as existing
        where existing.unit_code = candidate.unit_code
        {{ key_match }}
    )

){% if not loop.last %},{% endif %}
{% endfor %}
select * from level_3
{%- endmacro %}
