-- Each unit's procedure catalogue: a later file of the same unit replaces the earlier one
-- whole (the latest file loaded, whatever its stated date; the raw table keeps every
-- version). One row per unit and procedure.
with

catalogue as (

    select * from {{ ref('stg_raw__procedure_catalogue') }}

),

latest_catalogue as (

    {{ latest_submission('catalogue', ['unit_code']) | indent(4) }}

)

select * from latest_catalogue
