-- The bands (xếp loại) of the rubric versions that score, lowest score of each band.
with

versions as (

    select * from {{ ref('int_rubric_versions') }}

),

bands as (

    select * from {{ ref('stg_raw__rubric_bands') }}

),

final as (

    select
        versions.rubric_id,
        versions.year_from,
        bands.band_vi,
        cast(bands.min_score as decimal(7, 4)) as min_score
    from versions
    inner join bands
        on
            versions.file_name = bands.file_name
            and versions.rubric_id = bands.rubric_id

)

select * from final
