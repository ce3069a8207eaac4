-- the different status cells of the staged status history (mapped with the vocabulary)
select distinct status_cell
from temp._history_stage
where status_cell is not null
