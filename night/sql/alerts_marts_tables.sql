-- The tables of the marts schema (which findings tables this warehouse has).
select table_name
from information_schema.tables
where table_schema = 'marts'
