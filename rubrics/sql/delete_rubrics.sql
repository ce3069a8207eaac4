-- every row of the table: the night rewrites it from the rubric files
delete from raw.rubrics
