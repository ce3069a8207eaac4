{{ config(materialized='view') }}
-- One row per submitted file: its id (sha256) and the name it was submitted under,
-- so that marts and findings can name the file a figure came from. A view: always as
-- current as the manifest, so a night that rebuilds only some marts needs no rebuild of it.
with

manifest as (

    select * from {{ ref('stg_raw__file_manifest') }}

),

final as (

    select
        file_id,
        min(file_name) as file_name
    from manifest
    group by file_id

)

select * from final
