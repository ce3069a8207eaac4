-- every column of every table of the open database (to create or extend the declared tables)
select
    table_schema,
    table_name,
    column_name
from information_schema.columns
where table_catalog = current_database()
