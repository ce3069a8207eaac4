-- The latest year ranked (by the rubric $rubric; null: any).
select max(period_label) as period_label
from marts.rankings
where period_kind = 'year' and ($rubric is null or rubric_id = $rubric)
