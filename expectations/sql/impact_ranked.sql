-- The periods in which the units $codes are ranked (only the periods $periods; null: any).
select distinct
    unit_code,
    period_label
from marts.rankings
where
    list_contains($codes, unit_code)
    and rank is not null
    and (cast($periods as varchar[]) is null or list_contains($periods, period_label))
