-- A fee cell without its currency ("1.250.000 đ", "50000 VNĐ", "1 250 000 đồng"): lowercase,
-- every kind of space (no-break spaces of spreadsheets included) one space.
create or replace temp macro records_fee_text(x) as trim(
    regexp_replace(
        trim(regexp_replace(lower(nfc_normalize(x)), '[\s\x{00a0}\x{202f}]+', ' ', 'g')),
        ' ?(vnđ|vnd|việt nam đồng|đồng|dong|đ|₫)\.?$',
        ''
    )
)
