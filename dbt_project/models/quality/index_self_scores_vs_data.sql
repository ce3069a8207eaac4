-- Rule self_score_contradicted_by_data: a unit's self-score for a criterion the warehouse
-- computes from data against the points the data gives (mart_index_claims_vs_data), with
-- both and the measured value written as the finding reads them ("tự chấm 3,0; dữ liệu
-- cho 2,99 — tỷ lệ … 99,70 %"). One row per criterion with a self-score and computed points.
with

claims as (

    select * from {{ ref('mart_index_claims_vs_data') }}

),

final as (

    select
        unit_code,
        cast(assessment_year as string) as period_label,
        self_assessment_file as source_file,
        self_assessment_row as source_row,
        node_code,
        claimed_points,
        computed_points,
        difference,
        {{ points_text_vi('claimed_points') }} as claimed_text,
        {{ points_text_vi('computed_points') }} as computed_text,
        lower(indicator_name_vi) as indicator_text,
        replace(cast(cast(measured_value as decimal(18, 2)) as string), '.', ',')
        || case when indicator_unit = 'percent' then ' %' else '' end as measured_text
    from claims
    where
        claimed_points is not null
        and computed_points is not null

)

select * from final
