{#- A percentage 0-100, unrounded; null when the denominator is 0 or null
    ("not applicable" is never the same as zero). -#}
{% macro safe_rate(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else 100 * cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}

{#- Rounds half up to n decimals, as the reports do. Rounding a decimal (not a double)
    keeps 98.925 at 98.93 instead of the binary 98.92499999. -#}
{% macro round_half_up(value, decimals=2) -%}
    cast(round(cast({{ value }} as decimal(38, 10)), {{ decimals }}) as double)
{%- endmacro %}
