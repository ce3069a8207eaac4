{%- set months = 'int_qd766_records_monthly' %}
{{ config(**rebuilt_by_period(months, last_month_ends_periods=true)) }}
{%- set periods_from = records_periods_from(months, last_month_ends_periods=true) %}
-- The 766 counts per unit × period (month, quarter, year), every authority level together,
-- for the exporting units and every unit above them: a unit's figure is its own dossiers
-- and those of every unit below it (the province's figure is all its dossiers; a district
-- that exports its own and its communes' records counts both). A period is derived from
-- its months: events are summed, dossiers active at its start are its first month's,
-- dossiers open at its end its last month's. A quarter or year not yet over ends with the
-- last month of data (period_end says so). Online dossiers of a procedure that returns a
-- paper result count only with an electronic result (the procedure catalogue; without
-- one, every online dossier counts).
with

monthly as (

    select * from {{ ref('int_qd766_records_monthly') }}
    {%- if periods_from is not none %}
        -- a period rebuilt tonight is made of months of its own year
        where period_start >= cast(date_trunc('year', {{ periods_from }}) as date)
    {%- endif %}

),

catalogue as (

    select * from {{ ref('int_procedure_catalogue_latest') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

catalogue_procedures as (

    select * from {{ ref('int_qd766_catalogue_procedures') }}

),

last_month as (

    select max(period_start) as last_month from monthly

),

period_kinds as (

    select 'month' as period_kind
    union all
    select 'quarter' as period_kind
    union all
    select 'year' as period_kind

),

in_periods as (

    select
        monthly.*,
        period_kinds.period_kind,
        case period_kinds.period_kind
            when 'month' then monthly.period_start
            when 'quarter' then cast(date_trunc('quarter', monthly.period_start) as date)
            else cast(date_trunc('year', monthly.period_start) as date)
        end as kind_start,
        case period_kinds.period_kind
            when 'month' then monthly.period_start
            when 'quarter'
                then cast(date_trunc('quarter', monthly.period_start) + interval 2 month as date)
            else cast(date_trunc('year', monthly.period_start) + interval 11 month as date)
        end as kind_last_month,
        last_month.last_month as data_last_month
    from monthly
    cross join period_kinds
    cross join last_month

),

bounded as (

    select
        *,
        least(kind_last_month, data_last_month) as covered_last_month
    from in_periods

),

procedure_periods as (

    select
        bounded.unit_code,
        bounded.procedure_code,
        bounded.period_kind,
        bounded.kind_start as period_start,
        cast(last_day(bounded.covered_last_month) as date) as period_end,
        sum(case when bounded.period_start = bounded.kind_start then bounded.processed_start end)
            as processed_start,
        sum(
            case
                when bounded.period_start = bounded.kind_start
                    then bounded.processed_start_complained
            end
        ) as processed_start_complained,
        sum(
            case
                when bounded.period_start = bounded.kind_start
                    then bounded.processed_start_multiple_supplements
            end
        ) as processed_start_multiple_supplements,
        sum(bounded.received) as received,
        sum(bounded.received_complained) as received_complained,
        sum(bounded.received_multiple_supplements) as received_multiple_supplements,
        sum(bounded.received_online) as received_online,
        sum(bounded.received_online_with_electronic_result)
            as received_online_with_electronic_result,
        sum(bounded.received_channel_blank) as received_channel_blank,
        sum(bounded.received_synced) as received_synced,
        sum(bounded.received_fee_bearing) as received_fee_bearing,
        sum(bounded.received_fee_bearing_paid_online) as received_fee_bearing_paid_online,
        sum(bounded.received_digitised) as received_digitised,
        sum(bounded.received_data_reused) as received_data_reused,
        sum(bounded.ended) as ended,
        sum(bounded.ended_on_time) as ended_on_time,
        sum(bounded.resolved) as resolved,
        sum(bounded.resolved_with_electronic_result) as resolved_with_electronic_result,
        sum(
            case when bounded.period_start = bounded.covered_last_month then bounded.open_at_end end
        )
            as open_at_end,
        sum(
            case
                when bounded.period_start = bounded.covered_last_month
                    then bounded.open_within_deadline
            end
        ) as open_within_deadline
    from bounded
    group by
        bounded.unit_code,
        bounded.procedure_code,
        bounded.period_kind,
        bounded.kind_start,
        bounded.covered_last_month

),

with_catalogue as (

    select
        procedure_periods.*,
        -- a paper result: an online dossier counts only with its electronic result
        -- the unit's own catalogue, else its province's (which lists every level's)
        case
            when coalesce(own.returns_paper_result, provincial.returns_paper_result, false)
                then procedure_periods.received_online_with_electronic_result
            else procedure_periods.received_online
        end as received_online_counted,
        case
            when coalesce(own.returns_paper_result, provincial.returns_paper_result, false)
                then
                    procedure_periods.received_online
                    - procedure_periods.received_online_with_electronic_result
            else 0
        end as received_online_without_result
    from procedure_periods
    left join units on procedure_periods.unit_code = units.unit_code
    left join catalogue as own
        on
            procedure_periods.unit_code = own.unit_code
            and procedure_periods.procedure_code = own.procedure_code
    left join catalogue as provincial
        on
            units.province_code = provincial.unit_code
            and procedure_periods.procedure_code = provincial.procedure_code

),

unit_periods as (

    select
        unit_code,
        period_kind,
        period_start,
        period_end,
        {{ measure_list(qd766_measures(), 'cast(coalesce(sum(@), 0) as bigint) as @') }}
    from with_catalogue
    {{ periods_filter(periods_from) }}
    group by unit_code, period_kind, period_start, period_end

),

unit_ancestors as (

    -- every unit with itself and each unit above it (commune → district → province → nation)
    select
        unit_code,
        unit_code as ancestor_code
    from units
    union all
    select
        unit_code,
        parent_code as ancestor_code
    from units
    where parent_code is not null
    union all
    select
        units.unit_code,
        parents.parent_code as ancestor_code
    from units
    inner join units as parents on units.parent_code = parents.unit_code
    where parents.parent_code is not null
    union all
    select
        units.unit_code,
        grandparents.parent_code as ancestor_code
    from units
    inner join units as parents on units.parent_code = parents.unit_code
    inner join units as grandparents on parents.parent_code = grandparents.unit_code
    where grandparents.parent_code is not null

),

rolled_up as (

    -- a unit's figure is its own dossiers and those of every unit below it
    select
        unit_ancestors.ancestor_code as unit_code,
        unit_periods.period_kind,
        unit_periods.period_start,
        unit_periods.period_end,
        case
            when
                min(
                    case
                        when unit_periods.unit_code = unit_ancestors.ancestor_code then 1 else 0
                    end
                )
                = 1
                then 'submitted'
            else 'with_units_below'
        end as figure_source,
        {{ measure_list(qd766_measures(), 'sum(unit_periods.@) as @') }}
    from unit_periods
    inner join unit_ancestors on unit_periods.unit_code = unit_ancestors.unit_code
    group by
        unit_ancestors.ancestor_code,
        unit_periods.period_kind,
        unit_periods.period_start,
        unit_periods.period_end

),

publicity as (

    -- the unit's own catalogue: the procedures published by the period's end
    select
        rolled_up.unit_code,
        rolled_up.period_kind,
        rolled_up.period_start,
        count(*) as catalogue_procedures,
        count(*) filter (where catalogue_procedures.has_dates) as catalogue_procedures_dated,
        count(*) filter (where catalogue_procedures.is_published_on_time)
            as catalogue_published_on_time,
        count(*) filter (
            where catalogue_procedures.has_dates and catalogue_procedures.is_updated_on_time
        )
            as catalogue_updated_on_time,
        count(*) filter (where catalogue_procedures.is_published_complete)
            as catalogue_published_complete
    from rolled_up
    inner join catalogue_procedures
        on
            rolled_up.unit_code = catalogue_procedures.unit_code
            and coalesce(catalogue_procedures.published_on, rolled_up.period_end)
            <= rolled_up.period_end
    group by rolled_up.unit_code, rolled_up.period_kind, rolled_up.period_start

),

final as (

    select
        rolled_up.unit_code,
        rolled_up.period_kind,
        rolled_up.period_start,
        rolled_up.period_end,
        {{ period_label('rolled_up.period_start', 'rolled_up.period_end') }} as period_label,
        rolled_up.figure_source,
        {{ measure_list(qd766_measures(), 'rolled_up.@') }},
        rolled_up.processed_start + rolled_up.received as processed,
        rolled_up.ended_on_time + rolled_up.open_within_deadline as processed_on_time,
        rolled_up.processed_start_complained + rolled_up.received_complained
            as processed_complained,
        -- 766 5.4: processed − overdue − complained or disliked (never below 0)
        greatest(
            rolled_up.ended_on_time
            + rolled_up.open_within_deadline
            - rolled_up.processed_start_complained
            - rolled_up.received_complained,
            0
        ) as processed_on_time_not_complained,
        rolled_up.processed_start_multiple_supplements + rolled_up.received_multiple_supplements
            as processed_multiple_supplements,
        coalesce(publicity.catalogue_procedures, 0) as catalogue_procedures,
        coalesce(publicity.catalogue_procedures_dated, 0) as catalogue_procedures_dated,
        coalesce(publicity.catalogue_published_on_time, 0) as catalogue_published_on_time,
        coalesce(publicity.catalogue_updated_on_time, 0) as catalogue_updated_on_time,
        coalesce(publicity.catalogue_published_complete, 0) as catalogue_published_complete
    from rolled_up
    left join publicity
        on
            rolled_up.unit_code = publicity.unit_code
            and rolled_up.period_kind = publicity.period_kind
            and rolled_up.period_start = publicity.period_start

)

select * from final
