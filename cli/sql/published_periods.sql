-- the period labels of the published rankings (`parwh report --period` names one of them)
select distinct period_label
from marts.rankings
order by period_label
