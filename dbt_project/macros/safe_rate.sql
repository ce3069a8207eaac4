{#- A percentage 0-100, unrounded; null when the denominator is 0 or null
    ("not applicable" is never the same as zero). -#}
{% macro safe_rate(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else 100 * cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}
