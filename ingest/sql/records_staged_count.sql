-- the rows of the record export staged for checking
select count(*) as staged from temp._records_stage
