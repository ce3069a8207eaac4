-- Units ranked by rubric score inside their province and nationally, against units of
-- the same kind only. Ties share a rank (standard competition ranking 1-2-2-4). The
-- score is the share (0-100) of the applicable maximum points that the unit earned.
with

scores as (

    select * from {{ ref('fct_scores') }}

),

bands as (

    select * from {{ ref('rubric_bands') }}

),

unit_totals as (

    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        period_label,
        period_end,
        sum(points) as total_points,
        sum(max_points) filter (where criterion_status = 'scored') as applicable_max_points,
        count(*) filter (where criterion_status = 'missing') as missing_criteria
    from scores
    group by
        rubric_id, unit_code, unit_name, unit_kind, province_code, period_label, period_end

),

scored_units as (

    select
        *,
        100 * cast(total_points as double) / applicable_max_points as score
    from unit_totals
    where applicable_max_points > 0

),

scoped as (

    select
        scored_units.*,
        'province' as ranking_scope,
        province_code as scope_code
    from scored_units
    where unit_kind <> 'province'
    union all
    select
        scored_units.*,
        'nation' as ranking_scope,
        'VN' as scope_code
    from scored_units

),

ranked as (

    select
        *,
        rank() over (
            partition by rubric_id, ranking_scope, scope_code, period_label, unit_kind
            order by round(score, 6) desc
        ) as rank
    from scoped

),

banded as (

    select
        ranked.*,
        (
            select bands.band_vi
            from bands
            where
                bands.rubric_id = ranked.rubric_id
                and ranked.score >= bands.min_score
            order by bands.min_score desc
            limit 1
        ) as band
    from ranked

),

with_change as (

    select
        *,
        lag(rank) over (
            partition by rubric_id, ranking_scope, scope_code, unit_code order by period_end
        ) as previous_rank,
        lag(score) over (
            partition by rubric_id, ranking_scope, scope_code, unit_code order by period_end
        ) as previous_score
    from banded

),

final as (

    select
        rubric_id,
        ranking_scope,
        scope_code,
        period_label,
        period_end,
        unit_code,
        unit_name,
        unit_kind,
        score,
        rank,
        band,
        total_points,
        applicable_max_points,
        missing_criteria,
        previous_rank,
        previous_rank - rank as rank_change,
        score - previous_score as score_change
    from with_change

)

select * from final
