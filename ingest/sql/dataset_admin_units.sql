-- the vietnamadminunits package's current units (its SQLite dataset.db)
select * from admin_units
