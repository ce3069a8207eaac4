-- For each file of the whole-submission raw table $raw_table ('raw.dossiers', ...): the keys
-- it holds, the keys it still wins, the files that won the others and those lost keys. A key
-- is the columns $key_columns (a unit and period or date), packed in a struct; the latest
-- loaded file wins it, as in the dbt models int_*_submissions_latest.
with versions as (
    select
        file_id,
        struct_pack(*columns(lambda c: list_contains($key_columns, c))) as replacement_key,
        max(loaded_at) as loaded_at
    from query_table($raw_table)
    where not coalesce(is_total_row, false) and unit_code is not null
    group by all
),

ranked as (
    select
        file_id,
        replacement_key,
        row_number() over latest_first as version_rank,
        first_value(file_id) over latest_first as winner
    from versions
    window latest_first as (
        partition by replacement_key order by loaded_at desc, file_id desc
    )
)

select
    file_id,
    count(*) as keys_held,
    count(*) filter (where version_rank = 1) as keys_won,
    list(distinct winner) filter (where version_rank > 1) as winners,
    list(replacement_key) filter (where version_rank > 1) as keys_lost
from ranked
group by file_id
