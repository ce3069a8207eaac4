-- the rows of the status history staged for checking
select count(*) as staged from temp._history_stage
