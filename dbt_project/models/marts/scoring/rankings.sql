{{ config(**rebuilt_by_period()) }}
{%- set periods_from = records_periods_from() %}
-- Units ranked by rubric score inside their province and nationally, against units of
-- the same kind and the same period only (766: months, quarters and years). Ties share
-- a rank (standard competition ranking 1-2-2-4). The score is the share (0-100) of the
-- applicable maximum points that the unit earned; a unit is ranked when the criteria with
-- data are worth at least the rubric's min_share_of_max_with_data of the maximum of the
-- criteria that apply to it. The score is computed once from exact decimals and rounded
-- half up to the rubric's score_decimals; that one value is ranked, banded, compared and
-- published. Changes are against the previous period of the same kind.
-- is_statistical_tie_with_above: the unit's score interval (survey criteria scored at the
-- bounds of their 95 % Wilson interval) reaches the lower bound of a unit of the rank
-- directly above (units sharing a rank are tied already and are not compared).
with

area_scores as (

    select * from {{ ref('fct_area_scores') }}
    {{ periods_filter(periods_from) }}

),

rubrics as (

    select * from {{ ref('rubrics') }}

),

bands as (

    select * from {{ ref('rubric_bands') }}

),

unit_totals as (

    -- a unit's totals: the sums of its areas' (fct_area_scores decides what counts)
    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        period_label,
        period_start,
        period_end,
        period_kind,
        cast(sum(total_points) as decimal(9, 4)) as total_points,
        cast(sum(total_points_lower_95) as decimal(9, 4)) as total_points_lower_95,
        cast(sum(total_points_upper_95) as decimal(9, 4)) as total_points_upper_95,
        cast(sum(applicable_max_points) as decimal(9, 4)) as applicable_max_points,
        cast(sum(max_points_of_applicable_criteria) as decimal(9, 4))
            as max_points_of_applicable_criteria,
        cast(sum(missing_criteria) as bigint) as missing_criteria,
        cast(sum(not_applicable_criteria) as bigint) as not_applicable_criteria
    from area_scores
    group by
        rubric_id, unit_code, unit_name, unit_kind, province_code, period_label,
        period_start, period_end, period_kind

),

scored_units as (

    select
        unit_totals.*,
        cast({{ rounded_quotient('unit_totals.applicable_max_points',
            'unit_totals.max_points_of_applicable_criteria', 6, 6) }} as decimal(7, 6))
            as share_of_max_with_data,
        cast({{ rounded_quotient('100 * unit_totals.total_points',
            'unit_totals.applicable_max_points', 'rubrics.score_decimals') }} as decimal(7, 4))
            as score,
        cast({{ rounded_quotient('100 * unit_totals.total_points_lower_95',
            'unit_totals.applicable_max_points', 'rubrics.score_decimals') }} as decimal(7, 4))
            as score_lower_95,
        cast({{ rounded_quotient('100 * unit_totals.total_points_upper_95',
            'unit_totals.applicable_max_points', 'rubrics.score_decimals') }} as decimal(7, 4))
            as score_upper_95
    from unit_totals
    inner join rubrics
        on unit_totals.rubric_id = rubrics.rubric_id
    where
        unit_totals.applicable_max_points > 0
        and unit_totals.applicable_max_points
        >= rubrics.min_share_of_max_with_data * unit_totals.max_points_of_applicable_criteria

),

scoped as (

    select
        scored_units.*,
        'province' as ranking_scope,
        scored_units.province_code as scope_code
    from scored_units
    where scored_units.unit_kind <> 'province'
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
        -- bigint on every engine (Spark's rank() is an int)
        cast(rank() over (
            partition by rubric_id, ranking_scope, scope_code, period_label, unit_kind
            order by score desc
        ) as bigint) as rank,
        count(*) over (
            partition by rubric_id, ranking_scope, scope_code, period_label, unit_kind
        ) as ranked_units
    from scoped

),

rank_groups as (

    -- the units sharing a rank, and the lowest lower bound among them
    select
        rubric_id,
        ranking_scope,
        scope_code,
        period_label,
        unit_kind,
        rank,
        min(score_lower_95) as score_lower_95
    from ranked
    group by rubric_id, ranking_scope, scope_code, period_label, unit_kind, rank

),

rank_groups_above as (

    select
        *,
        lag(score_lower_95) over (
            partition by rubric_id, ranking_scope, scope_code, period_label, unit_kind
            order by rank
        ) as score_lower_95_of_rank_above
    from rank_groups

),

band_candidates as (

    -- a province's own bands win over the rubric's default ones
    select
        ranked.rubric_id,
        ranked.ranking_scope,
        ranked.scope_code,
        ranked.period_label,
        ranked.unit_code,
        bands.band_code,
        bands.band_vi,
        row_number() over (
            partition by
                ranked.rubric_id, ranked.ranking_scope, ranked.scope_code,
                ranked.period_label, ranked.unit_code
            order by
                case when bands.province_code is null then 1 else 0 end,
                bands.min_score desc
        ) as band_order
    from ranked
    inner join bands
        on
            ranked.rubric_id = bands.rubric_id
            and (bands.province_code is null or ranked.province_code = bands.province_code)
            and ranked.score >= bands.min_score

),

banded as (

    select
        ranked.*,
        rank_groups_above.score_lower_95_of_rank_above,
        band_candidates.band_code,
        band_candidates.band_vi as band
    from ranked
    inner join rank_groups_above
        on
            ranked.rubric_id = rank_groups_above.rubric_id
            and ranked.ranking_scope = rank_groups_above.ranking_scope
            and ranked.scope_code = rank_groups_above.scope_code
            and ranked.period_label = rank_groups_above.period_label
            and ranked.unit_kind = rank_groups_above.unit_kind
            and ranked.rank = rank_groups_above.rank
    left join band_candidates
        on
            ranked.rubric_id = band_candidates.rubric_id
            and ranked.ranking_scope = band_candidates.ranking_scope
            and ranked.scope_code = band_candidates.scope_code
            and ranked.period_label = band_candidates.period_label
            and ranked.unit_code = band_candidates.unit_code
            and band_candidates.band_order = 1

),

{%- set compared = ['rubric_id', 'ranking_scope', 'scope_code', 'unit_code', 'period_kind',
    'period_end', 'period_label', 'rank', 'score'] %}

previous_candidates as (

    -- the periods a unit's change is measured against: tonight's, and on a night that
    -- rebuilds only the later periods, the stored ones before them (they did not change)
    select
        {{ compared | join(',\n        ') }}
    from banded
    {%- if periods_from is not none %}
        union all
        select
            {{ compared | join(',\n            ') }}
        from {{ this }}
        where period_end < {{ periods_from }}
    {%- endif %}

),

with_change as (

    -- previous period of the same kind: the one ending the day before this one starts
    -- (year, half, quarter, month); for year-to-date periods the same period a year before
    select
        banded.*,
        previous.period_label as previous_period_label,
        previous.rank as previous_rank,
        previous.score as previous_score
    from banded
    left join previous_candidates as previous
        on
            banded.rubric_id = previous.rubric_id
            and banded.ranking_scope = previous.ranking_scope
            and banded.scope_code = previous.scope_code
            and banded.unit_code = previous.unit_code
            and banded.period_kind = previous.period_kind
            and (
                (
                    banded.period_kind in ('year', 'half', 'quarter', 'month')
                    and previous.period_end
                    = cast(banded.period_start - interval 1 day as date)
                )
                or (
                    banded.period_kind = 'ytd'
                    and previous.period_end
                    = cast(banded.period_end - interval 1 year as date)
                )
            )

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
        cast(score - previous_score as decimal(7, 4)) as score_change,
        period_start,
        period_kind,
        province_code,
        band_code,
        ranked_units,
        max_points_of_applicable_criteria,
        share_of_max_with_data,
        not_applicable_criteria,
        score_lower_95,
        score_upper_95,
        coalesce(score_upper_95 >= score_lower_95_of_rank_above, false)
            as is_statistical_tie_with_above,
        previous_period_label,
        previous_score
    from with_change

)

select * from final
