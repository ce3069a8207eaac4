{#- Compares each totals row ("Tổng cộng", "Cộng") of a submitted file with the sum of the
    data rows above it (back to the previous totals row of the same file), per measure.
    Returns source_family, file_id, source_row, period_label, measure, stated_total,
    sum_of_parts, difference. -#}
{% macro compare_totals(relation, source_family, measures, period_label_column) -%}
    {%- for measure in measures %}
    select
        '{{ source_family }}' as source_family,
        totals.file_id,
        totals.source_row,
        {{ period_label_column if period_label_column else 'cast(null as varchar)' }}
            as period_label,
        '{{ measure }}' as measure,
        cast(totals.{{ measure }} as decimal(38, 3)) as stated_total,
        cast((
            select sum(parts.{{ measure }})
            from {{ relation }} as parts
            where parts.file_id = totals.file_id
                and not parts.is_total_row
                and parts.source_row < totals.source_row
                and parts.source_row > coalesce((
                    select max(previous.source_row)
                    from {{ relation }} as previous
                    where previous.file_id = totals.file_id
                        and previous.is_total_row
                        and previous.source_row < totals.source_row
                ), 0)
        ) as decimal(38, 3)) as sum_of_parts
    from {{ relation }} as totals
    where totals.is_total_row and totals.{{ measure }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
