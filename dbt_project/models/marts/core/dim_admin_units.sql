-- Administrative units of the whole country, legacy and current, with the nation ('VN')
-- as the root: the unit tree of int_admin_units, published.
with

units as (

    select * from {{ ref('int_admin_units') }}

)

select * from units
