{#- The canonical label of a period from its first and last day (docs/architecture.md).
    ingest/periods.py implements the same table for messages; a test keeps them equal. -#}
{% macro period_label(start_date, end_date) -%}
    case
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and {{ end_date }} = make_date(year({{ start_date }}), 12, 31)
            then cast(year({{ start_date }}) as string)
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and {{ end_date }} = make_date(year({{ start_date }}), 6, 30)
            then cast(year({{ start_date }}) as string) || '-H1'
        when {{ start_date }} = make_date(year({{ start_date }}), 7, 1)
            and {{ end_date }} = make_date(year({{ start_date }}), 12, 31)
            then cast(year({{ start_date }}) as string) || '-H2'
        when day({{ start_date }}) = 1
            and {{ end_date }} = last_day({{ start_date }})
            then cast(year({{ start_date }}) as string) || '-'
                || lpad(cast(month({{ start_date }}) as string), 2, '0')
        when day({{ start_date }}) = 1
            and month({{ start_date }}) in (1, 4, 7, 10)
            and {{ end_date }} = last_day({{ start_date }} + interval 2 month)
            then cast(year({{ start_date }}) as string) || '-Q'
                || cast(quarter({{ start_date }}) as string)
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and {{ end_date }} = last_day({{ end_date }})
            and year({{ end_date }}) = year({{ start_date }})
            then cast(year({{ start_date }}) as string) || '-'
                || cast(month({{ end_date }}) as string) || 'M'
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and year({{ end_date }}) = year({{ start_date }})
            then cast(year({{ start_date }}) as string) || '-YTD-'
                || lpad(cast(month({{ end_date }}) as string), 2, '0') || '-'
                || lpad(cast(day({{ end_date }}) as string), 2, '0')
        else cast({{ start_date }} as string) || '..' || cast({{ end_date }} as string)
    end
{%- endmacro %}

{#- The kind of a period: year, half, quarter, month, ytd or custom. -#}
{% macro period_kind(start_date, end_date) -%}
    case
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and {{ end_date }} = make_date(year({{ start_date }}), 12, 31)
            then 'year'
        when ({{ start_date }} = make_date(year({{ start_date }}), 1, 1)
                and {{ end_date }} = make_date(year({{ start_date }}), 6, 30))
            or ({{ start_date }} = make_date(year({{ start_date }}), 7, 1)
                and {{ end_date }} = make_date(year({{ start_date }}), 12, 31))
            then 'half'
        when day({{ start_date }}) = 1 and {{ end_date }} = last_day({{ start_date }})
            then 'month'
        when day({{ start_date }}) = 1
            and month({{ start_date }}) in (1, 4, 7, 10)
            and {{ end_date }} = last_day({{ start_date }} + interval 2 month)
            then 'quarter'
        when {{ start_date }} = make_date(year({{ start_date }}), 1, 1)
            and year({{ end_date }}) = year({{ start_date }})
            then 'ytd'
        else 'custom'
    end
{%- endmacro %}
