-- the successions are rewritten whole with the units
delete from raw.admin_unit_successions
