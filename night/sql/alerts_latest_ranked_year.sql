-- The period the nightly reports rank: the latest year of marts.rankings (null: none).
select max(period_label) as period_label
from marts.rankings
where period_kind = 'year'
