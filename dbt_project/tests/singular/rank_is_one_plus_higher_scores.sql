-- Standard competition ranking on the published score: a unit's rank is 1 + the number of
-- units of its ranking (rubric, scope, period, unit kind) whose published score is higher.
-- Units with equal published scores share a rank; a difference the score does not show
-- (binary float noise below its decimals) can never part them. Returns the rows that break it.
with

rankings as (

    select * from {{ ref('rankings') }}

),

units_per_score as (

    select
        rubric_id,
        ranking_scope,
        scope_code,
        period_label,
        unit_kind,
        score,
        count(*) as units_at_score
    from rankings
    group by rubric_id, ranking_scope, scope_code, period_label, unit_kind, score

),

units_above as (

    select
        *,
        sum(units_at_score) over (
            partition by rubric_id, ranking_scope, scope_code, period_label, unit_kind
            order by score desc
            rows between unbounded preceding and current row
        ) - units_at_score as units_with_a_higher_score
    from units_per_score

),

checked as (

    select
        rankings.rubric_id,
        rankings.ranking_scope,
        rankings.scope_code,
        rankings.period_label,
        rankings.unit_kind,
        rankings.unit_code,
        rankings.score,
        rankings.rank,
        1 + units_above.units_with_a_higher_score as expected_rank
    from rankings
    inner join units_above
        on
            rankings.rubric_id = units_above.rubric_id
            and rankings.ranking_scope = units_above.ranking_scope
            and rankings.scope_code = units_above.scope_code
            and rankings.period_label = units_above.period_label
            and rankings.unit_kind = units_above.unit_kind
            and rankings.score = units_above.score

)

select * from checked
where rank <> expected_rank
