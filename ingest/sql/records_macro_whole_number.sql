-- A count written as a whole number ≥ 0 ("2", or "2.0" as spreadsheets and pandas write a
-- number), or null where the cell is no such number (the loader refuses the file).
create or replace temp macro records_whole_number(x) as case
    when regexp_full_match(x, '[0-9]+([.,]0{1,2})?')
        then try_cast(regexp_replace(x, '[.,]0{1,2}$', '') as integer)
end
