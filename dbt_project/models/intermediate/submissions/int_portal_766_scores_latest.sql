-- The portal's published 766 scores: for each unit and period, the latest file's figures
-- (a later export or answer replaces an earlier one; the raw table keeps every version).
with

scores as (

    select * from {{ ref('stg_raw__portal_766_scores') }}

),

latest_scores as (

    {{ latest_submission('scores', ['unit_code', 'period_kind', 'period_start']) | indent(4) }}

)

select * from latest_scores
