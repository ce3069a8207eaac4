-- The run that made the publication, and when it was published.
select
    run_id,
    published_at
from meta.publication
order by published_at desc
limit 1
