-- the vietnamadminunits package's units before the 2025 reorganisation (its SQLite dataset.db)
select * from admin_units_legacy
