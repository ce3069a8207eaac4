{#- Points of a rubric criterion for an indicator value (seed rubric_criteria):
    proportional: max × min(value, full_points_at) / full_points_at (766 satisfaction:
      min(6, 6 × ratio / 0.9) is full_points_at = 90);
    threshold: max × the points_share of the highest step (seed rubric_threshold_steps)
      whose min_value the value reaches, 0 below every step (threshold_share);
    yes_no: max when value ≥ full_points_at, else 0.
    rounding: round_half_up_2, truncate_2 or none. Null when the value is null. -#}
{% macro rubric_points(rule, value, max_points, full_points_at, rounding, threshold_share) -%}
{%- set raw -%}
    case
        when {{ rule }} = 'proportional'
            then {{ max_points }}
                * least(greatest({{ value }}, 0), coalesce({{ full_points_at }}, 100))
                / coalesce({{ full_points_at }}, 100)
        when {{ rule }} = 'threshold'
            then {{ max_points }} * coalesce({{ threshold_share }}, 0)
        when {{ rule }} = 'yes_no'
            then case
                when {{ value }} >= coalesce({{ full_points_at }}, 100) then {{ max_points }}
                else 0
            end
    end
{%- endset -%}
    case
        when {{ value }} is null then null
        when {{ rounding }} = 'truncate_2'
            then cast(floor(cast({{ raw }} as decimal(38, 10)) * 100) / 100 as double)
        when {{ rounding }} = 'round_half_up_2' then {{ round_half_up(raw) }}
        else cast({{ raw }} as double)
    end
{%- endmacro %}
