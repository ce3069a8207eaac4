{#- Points of a rubric criterion (seed rubric_criteria) for a value given as a fraction of
    two decimals: value = value_numerator / value_denominator, a percentage (a rate's
    100 × numerator and denominator; a Wilson bound and 1). Computed on those decimals,
    never on a binary float (exact while the inputs' decimals add up to at most 10: the
    rubric's points and thresholds have 4, amounts 4), and rounded once as the rubric says:
    proportional: max × min(value, full_points_at) / full_points_at (766 satisfaction:
      min(6, 6 × ratio / 0.9) is full_points_at = 90);
    threshold: max × the points_share of the highest step (seed rubric_threshold_steps)
      whose min_value the value reaches, 0 below every step (threshold_share);
    yes_no: max when value ≥ full_points_at, else 0.
    rounding: round_half_up_2 (half up to 2 decimals), truncate_2 (toward zero to 2
    decimals) or none (kept to the 4 decimals points are published with, half up). A
    decimal of scale 4; null when the value is null. -#}
{% macro rubric_points(rule, value_numerator, value_denominator, max_points, full_points_at, rounding, threshold_share) -%}
    {{ rubric_points_of_scaled(value_numerator, value_denominator, rounding,
        exact_scaled(rubric_points_numerator(rule, value_numerator, value_denominator,
            max_points, full_points_at, threshold_share)),
        exact_scaled(rubric_points_denominator(rule, value_denominator, full_points_at))) }}
{%- endmacro %}

{#- The parts of rubric_points, for a model that computes each once per row in a column of
    a preceding CTE (rubric_points repeats them in every branch of its expression):
    rubric_points(…) is rubric_points_of_scaled(value_numerator, value_denominator,
    rounding, exact_scaled(rubric_points_numerator(…)), exact_scaled(rubric_points_denominator(…))).
    The points before rounding are the fraction points_numerator / points_denominator. -#}
{% macro rubric_points_numerator(rule, value_numerator, value_denominator, max_points, full_points_at, threshold_share) -%}
{%- set full_at = "cast(coalesce(" ~ full_points_at ~ ", 100) as decimal(9, 4))" -%}
{%- set max_exact = "cast(" ~ max_points ~ " as decimal(9, 4))" -%}
    case
        when {{ rule }} = 'proportional'
            then {{ max_exact }} * least(
                greatest({{ value_numerator }}, 0),
                {{ full_at }} * {{ value_denominator }}
            )
        when {{ rule }} = 'threshold'
            then {{ max_exact }} * cast(coalesce({{ threshold_share }}, 0) as decimal(5, 4))
        when {{ rule }} = 'yes_no'
            then case
                when {{ value_numerator }} >= {{ full_at }} * {{ value_denominator }}
                    then {{ max_exact }}
                else 0
            end
    end
{%- endmacro %}

{% macro rubric_points_denominator(rule, value_denominator, full_points_at) -%}
{%- set full_at = "cast(coalesce(" ~ full_points_at ~ ", 100) as decimal(9, 4))" -%}
    case
        when {{ rule }} = 'proportional' then {{ full_at }} * {{ value_denominator }}
        else 1
    end
{%- endmacro %}

{% macro rubric_points_of_scaled(value_numerator, value_denominator, rounding, scaled_points_numerator, scaled_points_denominator) -%}
    {#- the points rounded as `rounding` says, from the sides of the points' fraction scaled
        by exact_scaled; null when the value is -#}
    case
        when {{ value_numerator }} is null or {{ value_denominator }} is null then null
        when {{ value_denominator }} = 0 then null
        when {{ rounding }} = 'truncate_2'
            then {{ rounded_scaled_quotient(scaled_points_numerator, scaled_points_denominator, 2, 4, 'truncate') }}
        when {{ rounding }} = 'round_half_up_2'
            then {{ rounded_scaled_quotient(scaled_points_numerator, scaled_points_denominator, 2, 4) }}
        else {{ rounded_scaled_quotient(scaled_points_numerator, scaled_points_denominator, 4, 4) }}
    end
{%- endmacro %}
