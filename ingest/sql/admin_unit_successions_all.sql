-- every legacy → current succession, for the unit resolver
select
    legacy_unit_code,
    current_unit_code,
    is_split,
    is_default
from raw.admin_unit_successions
