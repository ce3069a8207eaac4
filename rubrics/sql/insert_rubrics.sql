-- the rows read from the rubric files, registered by the caller as _rubrics
insert into raw.rubrics by name
select * from _rubrics
