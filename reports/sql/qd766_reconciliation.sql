-- The portal's published 766 figures against the warehouse's in one period ($period_kind,
-- $period_start), per unit and group, from marts.mart_766_reconciliation (run only when
-- the publication has it): portal points, difference (own − portal), the counts of the
-- records that explain it and the likely cause; the portal's total, band and rank; the
-- unit's name, kind and province (a unit the portal scores may have no records). Limited
-- to the province $province_code (null: all).
-- sqlfluff:templater:placeholder:period_kind:'year'
-- sqlfluff:templater:placeholder:period_start:'2023-01-01'
-- sqlfluff:templater:placeholder:province_code:'L87'
select
    r.unit_code,
    u.unit_name,
    u.unit_kind,
    u.province_code,
    p.unit_name as province_name,
    r.group_code,
    r.group_name_vi,
    r.group_max_points,
    r.own_points,
    r.own_computed_max_points,
    r.portal_points,
    r.difference,
    r.dossiers_not_synced,
    r.dossiers_channel_blank,
    r.dossiers_multiple_supplements,
    r.online_dossiers_without_result,
    r.resolved_without_electronic_result,
    r.likely_cause_vi,
    r.portal_total,
    r.portal_groups_sum,
    r.portal_band_vi,
    r.portal_band_label,
    r.portal_rank
from marts.mart_766_reconciliation as r
inner join marts.dim_admin_units as u on r.unit_code = u.unit_code
left join marts.dim_admin_units as p on u.province_code = p.unit_code
where
    r.period_kind = $period_kind
    and r.period_start = cast($period_start as date)
    and u.unit_kind <> 'nation'
    and ($province_code is null or u.province_code = $province_code)
order by r.unit_code asc, r.group_code asc
