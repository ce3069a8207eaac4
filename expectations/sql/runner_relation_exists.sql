-- Whether a relation ($schema.$name) exists in the working database.
select count(*) as found
from information_schema.tables
where
    table_catalog = current_database()
    and table_schema = $schema
    and table_name = $name
