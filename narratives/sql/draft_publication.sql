-- The publication a draft is read from.
select
    run_id,
    published_at
from meta.publication
