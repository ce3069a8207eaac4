-- Points lost per unit and criterion, with the unit's rank in its province; limited to the
-- province $province_code (null: all).
-- sqlfluff:templater:placeholder:rubric:'par_basic'
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
select
    p.*,
    r.rank as province_rank,
    r.ranked_units as province_ranked_units
from marts.mart_points_lost as p
left join marts.rankings as r
    on
        p.rubric_id = r.rubric_id
        and p.period_label = r.period_label
        and p.unit_code = r.unit_code
        and r.ranking_scope = 'province'
where
    p.rubric_id = $rubric
    and p.period_label = $period
    and ($province_code is null or p.province_code = $province_code)
order by
    p.province_code asc,
    list_position(['province', 'district', 'commune'], p.unit_kind) asc,
    r.rank desc nulls last,
    p.unit_name asc,
    p.loss_order asc
