-- the rows read from the rubric files, registered by the caller as _rubric_bands
insert into raw.rubric_bands by name
select * from _rubric_bands
