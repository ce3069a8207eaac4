-- legacy → current units, registered by the caller as _ingest_successions
insert into raw.admin_unit_successions
select
    legacy_unit_code,
    current_unit_code,
    is_split,
    is_default
from _ingest_successions
