-- The words that state a fee of zero ("Miễn phí", "Không thu"), folded as ingest.text.fold
-- folds them, for records_fee_amount (ingest/records.py; vocabulary.yaml fee_words).
create or replace temp table _records_fee_free_words as
select unnest(cast($words as varchar[])) as word
