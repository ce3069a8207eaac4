-- Our 766 groups (from the records, by the portal's rules) against the portal's published
-- scores, per unit × period × group: own points, the portal's, the difference (own −
-- portal), and the likely cause where the records show one: dossiers not synced to the
-- portal (it cannot see them), blank channels (counted in person), more than one
-- supplement request (late), online dossiers of a paper-result procedure without an
-- electronic result, resolved dossiers without one, fee-bearing dossiers not paid online,
-- complaints, procedures published or updated late or not complete (the catalogue), and
-- the share of the group the warehouse computes at all. The portal's own
-- total is checked against its groups (portal_groups_sum) and banded (seed
-- qd766_portal_bands) beside the label it states.
with

portal as (

    select * from {{ ref('int_portal_766_scores_latest') }}

),

own_groups as (

    select * from {{ ref('fct_766_group_scores') }}

),

counts as (

    select * from {{ ref('int_qd766_unit_periods') }}

),

rules as (

    select distinct
        group_code,
        group_name_vi,
        group_max_points
    from {{ ref('qd766_portal_indicators') }}

),

bands as (

    select * from {{ ref('qd766_portal_bands') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

portal_groups as (

    {% for group_code, column in [('cong_khai', 'publicity'), ('tien_do', 'progress'),
        ('truc_tuyen', 'online_service'), ('thanh_toan', 'online_payment'),
        ('hai_long', 'satisfaction'), ('so_hoa', 'digitisation')] -%}
        select
            unit_code,
            period_kind,
            period_start,
            period_end,
            '{{ group_code }}' as group_code,
            {{ column }} as portal_points
        from portal
        {% if not loop.last %}union all
        {% endif %}
    {%- endfor %}

),

portal_totals as (

    select
        portal.unit_code,
        portal.period_kind,
        portal.period_start,
        portal.total as portal_total,
        portal.publicity + portal.progress + portal.online_service + portal.online_payment
        + portal.satisfaction + portal.digitisation as portal_groups_sum,
        portal.band_label as portal_band_label,
        portal.portal_rank
    from portal

),

portal_banded as (

    select
        portal_totals.*,
        bands.band_vi as portal_band_vi
    from portal_totals
    left join
        bands
        on coalesce(portal_totals.portal_total, portal_totals.portal_groups_sum) >= bands.min_score
    qualify row_number() over (
        partition by portal_totals.unit_code, portal_totals.period_kind, portal_totals.period_start
        order by bands.min_score desc
    ) = 1

),

compared as (

    select
        portal_groups.unit_code,
        portal_groups.period_kind,
        portal_groups.period_start,
        portal_groups.period_end,
        portal_groups.group_code,
        rules.group_name_vi,
        rules.group_max_points,
        own_groups.points as own_points,
        own_groups.computed_max_points as own_computed_max_points,
        portal_groups.portal_points,
        counts.period_end as own_period_end,
        counts.processed,
        counts.received,
        counts.received - counts.received_synced as dossiers_not_synced,
        counts.received_channel_blank as dossiers_channel_blank,
        counts.processed_multiple_supplements as dossiers_multiple_supplements,
        counts.processed - counts.processed_on_time as dossiers_late,
        counts.received_online_without_result as online_dossiers_without_result,
        counts.resolved - counts.resolved_with_electronic_result
            as resolved_without_electronic_result,
        counts.received_fee_bearing - counts.received_fee_bearing_paid_online
            as fee_bearing_not_paid_online,
        counts.processed_complained as dossiers_complained,
        counts.catalogue_procedures_dated - counts.catalogue_published_on_time
            as procedures_published_late,
        counts.catalogue_procedures_dated - counts.catalogue_updated_on_time
            as procedures_updated_late,
        counts.catalogue_procedures - counts.catalogue_published_complete
            as procedures_not_complete
    from portal_groups
    inner join rules on portal_groups.group_code = rules.group_code
    left join own_groups
        on
            portal_groups.unit_code = own_groups.unit_code
            and portal_groups.period_kind = own_groups.period_kind
            and portal_groups.period_start = own_groups.period_start
            and portal_groups.group_code = own_groups.group_code
    left join counts
        on
            portal_groups.unit_code = counts.unit_code
            and portal_groups.period_kind = counts.period_kind
            and portal_groups.period_start = counts.period_start

),

explained as (

    select
        *,
        concat_ws(
            '; ',
            case
                when processed is null
                    then 'kho dữ liệu không có hồ sơ của đơn vị trong kỳ'
            end,
            case
                when own_period_end < period_end
                    then 'dữ liệu của kho chỉ đến ngày ' || cast(own_period_end as string)
            end,
            case
                when dossiers_not_synced > 0
                    then
                        cast(dossiers_not_synced as string)
                        || ' hồ sơ chưa đồng bộ lên Cổng DVCQG (Cổng không tính các hồ sơ này)'
            end,
            case
                when group_code = 'cong_khai' and procedures_published_late > 0
                    then
                        cast(procedures_published_late as string)
                        || ' TTHC công bố muộn (chưa đủ 5 ngày làm việc trước ngày văn bản'
                        || ' có hiệu lực)'
            end,
            case
                when group_code = 'cong_khai' and procedures_updated_late > 0
                    then
                        cast(procedures_updated_late as string)
                        || ' TTHC chưa cập nhật lên CSDL quốc gia trước ngày văn bản có hiệu lực'
            end,
            case
                when group_code = 'cong_khai' and procedures_not_complete > 0
                    then cast(procedures_not_complete as string) || ' TTHC chưa công khai đầy đủ'
            end,
            case
                when group_code = 'tien_do' and dossiers_multiple_supplements > 0
                    then
                        cast(dossiers_multiple_supplements as string)
                        || ' hồ sơ yêu cầu bổ sung quá 1 lần (tính trễ hạn)'
            end,
            case
                when group_code = 'tien_do' and dossiers_late > 0
                    then cast(dossiers_late as string) || ' hồ sơ trễ hạn theo quy tắc 766'
            end,
            case
                when group_code = 'truc_tuyen' and dossiers_channel_blank > 0
                    then
                        cast(dossiers_channel_blank as string)
                        || ' hồ sơ để trống kênh nộp (tính là trực tiếp)'
            end,
            case
                when group_code = 'truc_tuyen' and online_dossiers_without_result > 0
                    then
                        cast(online_dossiers_without_result as string)
                        || ' hồ sơ trực tuyến của TTHC trả kết quả bản giấy chưa có kết quả điện tử'
            end,
            case
                when group_code = 'so_hoa' and resolved_without_electronic_result > 0
                    then
                        cast(resolved_without_electronic_result as string)
                        || ' hồ sơ đã giải quyết không có kết quả điện tử'
            end,
            case
                when group_code = 'thanh_toan' and fee_bearing_not_paid_online > 0
                    then
                        cast(fee_bearing_not_paid_online as string)
                        || ' hồ sơ có phí chưa thanh toán trực tuyến'
            end,
            case
                when group_code = 'hai_long' and dossiers_complained > 0
                    then
                        cast(dossiers_complained as string)
                        || ' hồ sơ bị phản ánh, kiến nghị hoặc đánh giá không hài lòng'
            end,
            case
                when own_computed_max_points < group_max_points
                    then
                        'kho dữ liệu chỉ tính được '
                        || {{ points_text_vi('own_computed_max_points') }} || '/'
                        || {{ points_text_vi('group_max_points') }} || ' điểm của nhóm từ hồ sơ'
            end
        ) as likely_cause_vi
    from compared

),

final as (

    select
        explained.unit_code,
        units.unit_name,
        units.unit_kind,
        explained.period_kind,
        explained.period_start,
        explained.period_end,
        {{ period_label('explained.period_start', 'explained.period_end') }} as period_label,
        explained.group_code,
        explained.group_name_vi,
        cast(explained.group_max_points as decimal(9, 4)) as group_max_points,
        cast(explained.own_points as decimal(9, 4)) as own_points,
        cast(explained.own_computed_max_points as decimal(9, 4)) as own_computed_max_points,
        cast(explained.portal_points as decimal(9, 4)) as portal_points,
        cast(explained.own_points - explained.portal_points as decimal(9, 4)) as difference,
        cast(explained.dossiers_not_synced as bigint) as dossiers_not_synced,
        cast(explained.dossiers_channel_blank as bigint) as dossiers_channel_blank,
        cast(explained.dossiers_multiple_supplements as bigint) as dossiers_multiple_supplements,
        cast(explained.online_dossiers_without_result as bigint) as online_dossiers_without_result,
        cast(explained.resolved_without_electronic_result as bigint)
            as resolved_without_electronic_result,
        nullif(explained.likely_cause_vi, '') as likely_cause_vi,
        cast(portal_banded.portal_total as decimal(9, 4)) as portal_total,
        cast(portal_banded.portal_groups_sum as decimal(9, 4)) as portal_groups_sum,
        portal_banded.portal_band_vi,
        portal_banded.portal_band_label,
        cast(portal_banded.portal_rank as integer) as portal_rank
    from explained
    left join units on explained.unit_code = units.unit_code
    left join portal_banded
        on
            explained.unit_code = portal_banded.unit_code
            and explained.period_kind = portal_banded.period_kind
            and explained.period_start = portal_banded.period_start

)

select * from final
