-- Rule carried_in_matches_previous_pending: the comparisons of
-- int_dossier_carried_in_compared (dossiers carried in at a period's start against those
-- pending at the previous period's end), with the wording of each comparison's scope,
-- computed from codes and row numbers (field names are submitted text: never in
-- messages). difference ≠ 0 is a finding.
with

compared as (

    select * from {{ ref('int_dossier_carried_in_compared') }}

),

final as (

    select
        *,
        case authority_level
            when 'tinh' then 'province level'
            when 'huyen' then 'district level'
            when 'xa' then 'commune level'
            else 'level ' || authority_level
        end
        || case comparison_level
            when 'unit' then ', all fields'
            else
                ', the field on row ' || source_row || ' (row ' || previous_source_row
                || ' of the previous file)'
        end as scope_en,
        case authority_level
            when 'tinh' then 'cấp tỉnh'
            when 'huyen' then 'cấp huyện'
            when 'xa' then 'cấp xã'
            else 'cấp ' || authority_level
        end
        || case comparison_level
            when 'unit' then ', tổng các lĩnh vực'
            else
                ', lĩnh vực ở dòng ' || source_row || ' (dòng ' || previous_source_row
                || ' của tệp kỳ trước)'
        end as scope_vi
    from compared

)

select * from final
