{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- History across the 1 July 2025 reorganisation: the measures of legacy units summed into
-- the current unit they became, so that a current province or commune has figures for
-- the periods before it existed. Current provinces get the sum of their legacy provinces
-- (figure_source 'legacy_provinces': current Khánh Hòa '56' = L56 + L58); current
-- communes the sum of the legacy communes' own figures ('legacy_communes'). A legacy
-- commune divided among several current communes is not apportioned: its default
-- successor takes all of it and includes_split_legacy_units flags the figure.
with

measures as (

    select * from {{ ref('int_unit_measures_rolled_up') }}
    {{ periods_filter(periods_from) }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

legacy_parts as (

    select
        measures.*,
        units.unit_kind,
        units.current_unit_code,
        units.is_split_in_2025
    from measures
    inner join units
        on measures.unit_code = units.unit_code
    where
        units.admin_era = 'legacy'
        and units.current_unit_code is not null
        and (
            units.unit_kind = 'province'
            or (units.unit_kind = 'commune' and measures.figure_source = 'submitted')
        )

),

summed as (

    select
        current_unit_code as unit_code,
        authority_level,
        period_start,
        period_end,
        source_family,
        measure,
        sum(measure_value) as measure_value,
        case
            when unit_kind = 'province' then 'legacy_provinces' else 'legacy_communes'
        end as figure_source,
        max(case when is_split_in_2025 then 1 else 0 end) = 1 as includes_split_legacy_units,
        count(distinct unit_code) as legacy_unit_count
    from legacy_parts
    group by
        current_unit_code, unit_kind, authority_level, period_start, period_end,
        source_family, measure

),

final as (

    -- a current unit's own figure for the same period (none before July 2025) wins
    select summed.*
    from summed
    where not exists (
        select 1
        from measures
        where
            measures.unit_code = summed.unit_code
            and measures.authority_level = summed.authority_level
            and measures.period_start = summed.period_start
            and measures.period_end = summed.period_end
            and measures.source_family = summed.source_family
            and measures.measure = summed.measure
    )

)

select * from final
