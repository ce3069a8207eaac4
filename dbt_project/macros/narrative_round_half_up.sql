{#- A warehouse figure rounded half up to the decimals a report writes (at most 4, the scale
    of a claim's value), for comparing it with the report's figure. -#}
{% macro narrative_round_half_up(value, decimals) -%}
    cast(
        floor(
            {{ value }} * cast(power(10, least({{ decimals }}, 4)) as decimal(18, 0))
            + cast(0.5 as decimal(2, 1))
        )
        / cast(power(10, least({{ decimals }}, 4)) as decimal(18, 0))
        as decimal(24, 4)
    )
{%- endmacro %}
