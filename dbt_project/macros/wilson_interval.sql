{#- Bound of the Wilson score interval of a proportion (successes of trials), as a
    percentage 0-100; side 'lower' or 'upper'; z = 1.959964 for 95 %. Null when trials
    is 0 or null. -#}
{% macro wilson_bound(successes, trials, side, z=1.959964) -%}
    {%- set sign = '-' if side == 'lower' else '+' -%}
    case
        when {{ trials }} is null or {{ trials }} = 0 then null
        else 100 * (
            (cast({{ successes }} as double) / {{ trials }}
                + {{ z }} * {{ z }} / (2 * cast({{ trials }} as double)))
            {{ sign }} {{ z }} * sqrt(
                (cast({{ successes }} as double) / {{ trials }})
                * (1 - cast({{ successes }} as double) / {{ trials }})
                / {{ trials }}
                + {{ z }} * {{ z }} / (4 * cast({{ trials }} as double) * {{ trials }})
            )
        ) / (1 + {{ z }} * {{ z }} / cast({{ trials }} as double))
    end
{%- endmacro %}
