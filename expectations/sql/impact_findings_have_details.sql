-- Whether marts.data_quality_findings has its details column (an older release wrote none).
select count(*) > 0 as has_details
from information_schema.columns
where
    table_catalog = current_database()
    and table_schema = 'marts'
    and table_name = 'data_quality_findings'
    and column_name = 'details'
