-- sqlfluff:indentation:template_blocks_indent:False
{{ config(**open_dossiers_config()) }}
-- The latest version of every dossier whose latest version has no finish date (still open,
-- or never received), as of the records loaded so far, with records_counted (how many
-- records were loaded when its rows were written). The rows of the last two nights with
-- records are all kept, ended or not: the latest's loaded_at and records_counted say what
-- the table is current with.
-- Read by the monthly record models on the night a later month appears
-- (macros/open_dossiers.sql); built after them, so that they read it as the night before
-- left it:
-- depends_on: {{ ref('int_dossier_records_monthly') }}
-- depends_on: {{ ref('int_qd766_records_monthly') }}
-- A night replaces tonight's dossiers (the pre-hooks delete them; this query inserts their
-- latest versions); a night after records loaded before its build were withdrawn or
-- replaced, and `parwh run --full-refresh`, write it again whole.
{%- set state = open_dossiers_state(ref('stg_raw__dossier_records')) %}
with

records as {{ not_materialized() }} (

    select * from {{ ref('stg_raw__dossier_records') }}

),

{% if state['add_to_stored'] %}

latest as (

    -- tonight's records: the latest version of each of their dossiers
    select *
    from records
    where loaded_at > {{ state['loaded_through'] }}
    {{ latest_version_only() }}

),

{% else %}

{{ latest_versions('latest_of_all', 'records', 'records') }},

latest as (

    select *
    from latest_of_all
    where
        finished_at is null
        or loaded_at = (select max(records.loaded_at) from records)

),

{% endif %}

final as (

    select
        latest.*,
        (select count(*) from records) as records_counted
    from latest

)

select * from final
