{#- Points as a finding writes them: two decimals at most, one at least, a decimal comma
    (3 → 3,0; 2.99 → 2,99; 1.5 → 1,5). -#}
{% macro points_text_vi(column) -%}
    replace(regexp_replace(cast(cast({{ column }} as decimal(9, 2)) as string), '0$', ''), '.', ',')
{%- endmacro %}
