-- A fee in VND, or null where the cell cannot be read as one (the loader refuses the file).
-- Accepted: a whole number (50000), thousands grouped by dots, commas or spaces in groups of
-- three (50.000, 50,000, 1 250 000), each with at most a zero decimal part (50000.0,
-- 1.250.000,00), and the words of _records_fee_free_words (0). A decimal part that is not
-- zero (1,5; 12.34) or a sign is never read: it is no VND amount. Plain digits, most cells
-- of an export, are read first without the text clean-up.
create or replace temp macro records_fee_amount(x) as cast(
    case
        when regexp_full_match(x, '[0-9]+') then try_cast(x as decimal(18, 2))
        when
            regexp_full_match(
                records_fee_text(x),
                '[0-9]+([.,]0{1,2})?'
                || '|[0-9]{1,3}(\.[0-9]{3})+(,0{1,2})?'
                || '|[0-9]{1,3}(,[0-9]{3})+(\.0{1,2})?'
                || '|[0-9]{1,3}( [0-9]{3})+([.,]0{1,2})?'
            )
            then try_cast(
                regexp_replace(
                    regexp_replace(records_fee_text(x), '[.,]0{1,2}$', ''), '[^0-9]', '', 'g'
                ) as decimal(18, 2)
            )
        when records_fold(x) in (select w.word from _records_fee_free_words as w) then 0
    end as decimal(18, 2)
)
