-- the administrative units are rewritten whole (ingest/admin_units.py, load_admin_units)
delete from raw.admin_units
