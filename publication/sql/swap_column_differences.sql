-- The columns (name, type, position) in which one mart differs between the working database
-- and the attached publication: none when the previous publication's copy can be brought up
-- to date in place.
with

working_columns as (
    select
        column_name,
        data_type,
        ordinal_position
    from information_schema.columns
    where
        table_catalog = current_database()
        and table_schema = $schema
        and table_name = $table
),

published_columns as (
    select
        column_name,
        data_type,
        ordinal_position
    from information_schema.columns
    where
        table_catalog = 'publication'
        and table_schema = $schema
        and table_name = $table
),

only_working as (
    select * from working_columns
    except
    select * from published_columns
),

only_published as (
    select * from published_columns
    except
    select * from working_columns
),

differing as (
    select * from only_working
    union all
    select * from only_published
)

select count(*) as differences
from differing
