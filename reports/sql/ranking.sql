-- One ranking (rubric, period, scope, unit kind), limited to the province $province_code
-- (null: all), best rank first, unranked units last.
select *
from marts.rankings
where
    rubric_id = $rubric
    and period_label = $period
    and ranking_scope = $ranking_scope
    and scope_code = $scope_code
    and unit_kind = $unit_kind
    and ($province_code is null or province_code = $province_code)
order by rank nulls last, unit_name
