-- the columns of one raw table, in their order
select column_name
from information_schema.columns
where table_schema = 'raw' and table_name = $table_name
order by ordinal_position
