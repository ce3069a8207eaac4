-- the units built from the official lists, registered by the caller as _ingest_units
insert into raw.admin_units
select
    unit_code,
    gso_code,
    admin_era,
    unit_name,
    short_name,
    unit_type,
    unit_kind,
    province_code,
    parent_code,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to
from _ingest_units
