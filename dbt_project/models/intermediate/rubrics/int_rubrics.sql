-- Every rubric fct_scores scores, one row each: the seeded data-only rubrics (ranked in
-- rankings) and the rubrics of the rubric files (their latest version's title block;
-- scored on years; their index marts rank them).
with

seeded_rubrics as (

    select * from {{ ref('rubrics') }}

),

versions as (

    select * from {{ ref('int_rubric_versions') }}

),

latest_versions as (

    select
        *,
        row_number() over (partition by rubric_id order by year_from desc) as version_order
    from versions

),

from_seeds as (

    select
        rubric_id,
        province_code,
        name_vi,
        name_en,
        period_kinds,
        cast(min_share_of_max_with_data as decimal(5, 4)) as min_share_of_max_with_data,
        cast(score_decimals as integer) as score_decimals,
        description,
        'seed' as rubric_source
    from seeded_rubrics

),

from_files as (

    select
        rubric_id,
        province_code,
        name_vi,
        cast(null as string) as name_en,
        'year' as period_kinds,
        cast(0 as decimal(5, 4)) as min_share_of_max_with_data,
        score_decimals,
        notes as description,
        'file' as rubric_source
    from latest_versions
    where version_order = 1

),

final as (

    select * from from_seeds
    union all
    select * from from_files

)

select * from final
