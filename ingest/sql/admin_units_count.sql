-- how many administrative units are loaded (none: load them)
select count(*) as units from raw.admin_units
