-- The rubric version that scores each unit's PAR INDEX for a year: every unit and year with
-- a self-assessment or an appraisal, matched to the rubric versions of its kind, its
-- province (a province's own rubric before a national one) and the year.
with

self_scores as (

    select * from {{ ref('int_index_self_scores') }}

),

appraised_scores as (

    select * from {{ ref('int_index_appraised_scores') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

versions as (

    select * from {{ ref('int_rubric_versions') }}

),

unit_years as (

    select distinct
        unit_code,
        assessment_year
    from self_scores
    union
    select distinct
        unit_code,
        assessment_year
    from appraised_scores

),

matched as (

    select
        unit_years.unit_code,
        cast(unit_years.assessment_year as integer) as assessment_year,
        units.unit_name,
        units.unit_kind,
        coalesce(units.province_code, units.unit_code) as province_code,
        versions.rubric_id,
        versions.year_from,
        versions.file_name,
        versions.score_decimals,
        row_number() over (
            partition by unit_years.unit_code, unit_years.assessment_year
            order by
                case when versions.province_code is null then 1 else 0 end,
                versions.rubric_id
        ) as rubric_order
    from unit_years
    inner join units
        on unit_years.unit_code = units.unit_code
    inner join versions
        on
            units.unit_kind = versions.unit_kind
            and (
                versions.province_code is null
                or coalesce(units.province_code, units.unit_code) = versions.province_code
            )
            and unit_years.assessment_year between versions.year_from and versions.year_to

),

final as (

    select
        rubric_id,
        year_from,
        file_name,
        score_decimals,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        assessment_year
    from matched
    where rubric_order = 1

)

select * from final
