-- Yearly values of the indicator $indicator for the units $unit_codes, at the authority
-- level $authority_level and from the figure source $figure_source (each null: any).
select
    unit_code,
    period_label,
    authority_level,
    value
from marts.fct_indicator_values
where
    indicator_code = $indicator
    and period_kind = 'year'
    and list_contains($unit_codes, unit_code)
    and ($authority_level is null or authority_level = $authority_level)
    and ($figure_source is null or figure_source = $figure_source)
order by unit_code, period_label
