-- the rows read from the rubric files, registered by the caller as _rubric_nodes
insert into raw.rubric_nodes by name
select * from _rubric_nodes
