{#- Compares each totals row ("Tổng cộng", "Cộng") of a submitted file with the sum of the
    data rows above it (back to the previous totals row of the same file), per measure.
    `segment` = the number of totals rows strictly above a row, so a totals row shares its
    segment with its own parts (window sums: Spark cannot resolve a correlated subquery two
    levels deep). Returns source_family, file_id, source_row, period_label, measure,
    stated_total, sum_of_parts, difference. -#}
{% macro compare_totals(relation, source_family, measures, period_label_column) -%}
    {%- for measure in measures %}
    select
        '{{ source_family }}' as source_family,
        totals.file_id,
        totals.source_row,
        {{ period_label_column if period_label_column else 'cast(null as string)' }}
            as period_label,
        '{{ measure }}' as measure,
        cast(totals.{{ measure }} as decimal(38, 3)) as stated_total,
        cast(totals.sum_of_parts as decimal(38, 3)) as sum_of_parts
    from (
        select
            segmented.*,
            sum(case when not segmented.is_total_row then segmented.{{ measure }} end)
                over (partition by segmented.file_id, segmented.segment) as sum_of_parts
        from (
            select
                rows_.*,
                coalesce(sum(case when rows_.is_total_row then 1 else 0 end) over (
                    partition by rows_.file_id order by rows_.source_row
                    rows between unbounded preceding and 1 preceding
                ), 0) as segment
            from {{ relation }} as rows_
        ) as segmented
    ) as totals
    where totals.is_total_row and totals.{{ measure }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
