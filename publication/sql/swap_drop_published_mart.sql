-- Drop one mart from the attached publication (a copy of the previous one) before it is copied
-- whole, or because the working database no longer has it. "{mart}" as in
-- swap_delete_changed_periods.sql.
drop table if exists publication.marts."{mart}"  -- noqa: RF05
