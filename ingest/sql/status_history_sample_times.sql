-- the first time cells of the staged status history, in file order (their format is tried
-- first)
select changed_cell
from temp._history_stage
where changed_cell is not null
order by source_row
limit 50
