-- Public investment disbursement per unit, fiscal year and as-of date; a later file for
-- the same unit and date replaces the earlier one; programmes are summed.
with

budget as (

    select * from {{ ref('stg_raw__budget') }}

),

data_rows as (

    select *
    from budget
    where not is_total_row

),

latest_rows as (

    {{ latest_submission('data_rows', ['unit_code', 'fiscal_year', 'as_of_date']) | indent(4) }}

),

summed as (

    select
        unit_code,
        fiscal_year,
        as_of_date,
        min(file_id) as file_id,
        min(source_row) as source_row,
        cast(sum(plan_mvnd) as decimal(18, 3)) as plan_mvnd,
        cast(sum(disbursed_mvnd) as decimal(18, 3)) as disbursed_mvnd
    from latest_rows
    group by unit_code, fiscal_year, as_of_date

)

select * from summed
