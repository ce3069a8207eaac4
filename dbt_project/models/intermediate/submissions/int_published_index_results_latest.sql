-- The published figures (PAR INDEX, SIPAS) of each unit and year: a later file with the
-- same index, year and unit replaces the earlier one (a corrected decision); the raw table
-- keeps every version. For comparison only, never an input to scores.
with

published_results as (

    select * from {{ ref('stg_raw__published_index_results') }}

),

latest_results as (

    {{ latest_submission('published_results', ['index_kind', 'year', 'unit_code']) | indent(4) }}

)

select * from latest_results
