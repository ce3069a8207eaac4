-- The narrative claims compared with the unit's PAR self-assessment (int_index_self_scores)
-- of the claim's year: one row per claim (compared_with = 'self_assessment') the warehouse
-- holds a figure for: the self-assessed points of an area (par_points, category = the area's
-- node code) or of all areas (par_points_total).
with

claims as (

    select * from {{ ref('int_narrative_claims_latest') }}
    where compared_with = 'self_assessment'

),

self_scores as (

    select * from {{ ref('int_index_self_scores') }}

),

-- the self-assessed points of each area (node level 1), and their total
area_scores as (

    select
        unit_code,
        assessment_year,
        node_code,
        file_id,
        source_row,
        self_score
    from self_scores
    where node_level = 1
    union all
    select
        unit_code,
        assessment_year,
        cast(null as string) as node_code,
        min(file_id) as file_id,
        min(source_row) as source_row,
        sum(self_score) as self_score
    from self_scores
    where node_level = 1
    group by unit_code, assessment_year

),

compared as (

    select
        claims.file_id,
        claims.claim_no,
        area_scores.file_id as warehouse_file_id,
        area_scores.source_row as warehouse_source_row,
        'submitted' as warehouse_figure_source,
        cast(case claims.measure
            when 'par_points' then area_scores.self_score
            when 'par_points_total' then area_scores.self_score
        end as decimal(24, 8)) as warehouse_value_as_published,
        cast(null as decimal(24, 8)) as warehouse_value_with_carried_in
    from claims
    inner join area_scores
        on
            claims.claim_unit_code = area_scores.unit_code
            and year(claims.period_end) = area_scores.assessment_year
            and (
                (claims.measure = 'par_points' and claims.category = area_scores.node_code)
                or (claims.measure = 'par_points_total' and area_scores.node_code is null)
            )

)

select * from compared
