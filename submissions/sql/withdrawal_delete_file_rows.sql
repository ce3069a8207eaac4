-- Delete the file $file_id's rows from one raw table; returns the count.
-- {raw_table} is the table's name, substituted by submissions/withdrawal.py from the raw
-- tables the catalogue lists (withdrawal_file_tables.sql), never from user input: DuckDB
-- takes no parameter in a DELETE's target (query_table() reads, it cannot delete).
delete from raw."{raw_table}"  -- noqa: RF05
where file_id = $file_id
