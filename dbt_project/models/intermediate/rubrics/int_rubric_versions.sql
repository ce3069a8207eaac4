-- The version of each rubric that scores each year. Per rubric and first year the latest
-- file wins: a file loaded with `parwh rubric load` over a shipped one, then the one loaded
-- last. A version scores from its first year to its own last year or to the year before
-- the next version's first, whichever comes first (2099: until replaced).
with

rubric_files as (

    select * from {{ ref('stg_raw__rubrics') }}

),

ranked_files as (

    select
        *,
        row_number() over (
            partition by rubric_id, year_from
            order by
                case when origin = 'loaded' then 0 else 1 end,
                loaded_at desc nulls last,
                file_name desc
        ) as file_order
    from rubric_files

),

versions as (

    select
        *,
        lead(year_from) over (partition by rubric_id order by year_from) as next_year_from
    from ranked_files
    where file_order = 1

),

final as (

    select
        rubric_id,
        cast(year_from as integer) as year_from,
        cast(
            least(coalesce(year_to, 2099), coalesce(next_year_from - 1, 2099)) as integer
        ) as year_to,
        name_vi,
        province_code,
        unit_kind,
        cast(score_decimals as integer) as score_decimals,
        basis,
        notes,
        file_name,
        origin,
        loaded_at,
        file_sha256
    from versions

)

select * from final
