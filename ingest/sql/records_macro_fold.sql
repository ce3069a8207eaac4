-- A cell folded as ingest.text.fold folds it: lowercase, accents dropped (đ → d),
-- punctuation and spacing one space ("Miễn phí." → "mien phi").
create or replace temp macro records_fold(x) as trim(
    regexp_replace(
        replace(strip_accents(lower(nfc_normalize(x))), 'đ', 'd'), '[^0-9a-z]+', ' ', 'g'
    )
)
