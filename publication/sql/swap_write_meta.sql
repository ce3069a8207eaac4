-- Which run made this publication.
create or replace table publication.meta.publication as
select
    $run_id as run_id,  -- noqa: AL09
    cast($published_at as timestamp) as published_at,
    $tables as tables  -- noqa: AL09, RF04
