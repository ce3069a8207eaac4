-- the rows of the staged status history dated outside the plausible window, and the first
select
    count(*) as affected,
    min(source_row) as first_row
from temp._history_typed
where
    changed_at is not null
    and cast(changed_at as date) not between $earliest and $latest
