-- Administrative units of the whole country, legacy (before 1 July 2025) and current,
-- with the current unit each legacy unit became, and the nation ('VN') as the root.
-- The unit tree every roll-up climbs; published as marts.dim_admin_units.
with

units as (

    select * from {{ ref('stg_raw__admin_units') }}

),

successions as (

    select * from {{ ref('stg_raw__admin_unit_successions') }}

),

default_successors as (

    select
        legacy_unit_code,
        min(current_unit_code) as current_unit_code,
        bool_or(is_split) as is_split
    from successions
    where is_default
    group by legacy_unit_code

),

with_successor as (

    select
        units.unit_code,
        units.gso_code,
        units.admin_era,
        units.unit_name,
        units.short_name,
        units.unit_type,
        units.unit_kind,
        units.province_code,
        coalesce(units.parent_code, 'VN') as parent_code,
        units.valid_from,
        units.valid_to,
        case
            when units.admin_era = 'current' then units.unit_code
            else default_successors.current_unit_code
        end as current_unit_code,
        coalesce(default_successors.is_split, false) as is_split_in_2025
    from units
    left join default_successors
        on units.unit_code = default_successors.legacy_unit_code

),

with_current_province as (

    select
        with_successor.*,
        case
            when with_successor.admin_era = 'current' then with_successor.province_code
            else province_successors.current_unit_code
        end as current_province_code
    from with_successor
    left join default_successors as province_successors
        on with_successor.province_code = province_successors.legacy_unit_code

),

nation as (

    select
        'VN' as unit_code,
        'VN' as gso_code,
        'current' as admin_era,
        'Việt Nam' as unit_name,
        'Việt Nam' as short_name,
        'Quốc gia' as unit_type,
        'nation' as unit_kind,
        cast(null as string) as province_code,
        cast(null as string) as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        'VN' as current_unit_code,
        false as is_split_in_2025,
        cast(null as string) as current_province_code

),

final as (

    select * from with_current_province
    union all
    select * from nation

)

select * from final
