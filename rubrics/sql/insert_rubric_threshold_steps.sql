-- the rows read from the rubric files, registered by the caller as _rubric_threshold_steps
insert into raw.rubric_threshold_steps by name
select * from _rubric_threshold_steps
