{% macro latest_versions(name, relation, keys_from) %}
    {#- CTEs ending with `name`: the latest version of each dossier (unit_code, dossier_id)
        of `relation`, as latest_version_only keeps it; `keys_from`: a relation holding every
        version of those dossiers, or more (the staged records), read for the keys only. For
        a full build over the whole record history. -#}
    {{ return(adapter.dispatch('latest_versions', 'par_warehouse')(name, relation, keys_from)) }}
{% endmacro %}

{% macro default__latest_versions(name, relation, keys_from) %}
    {#- Spark: one window over every version (a shuffle by dossier, which it does anyway) -#}
{{ name }} as (

    select *
    from {{ relation }}
    {{ latest_version_only() }}

)
{%- endmacro %}

{% macro duckdb__latest_versions(name, relation, keys_from) %}
    {#- DuckDB: a window over the whole history sorts every version with all its columns
        (about 70 % of a full build's time, and most of what it spills to disk). Almost
        every dossier is exported once: only those seen more than once (a hash of the keys
        alone) go through the window; the others are their own latest version. -#}
{{ name }}_duplicated as materialized (

    -- the dossiers exported more than once
    select
        unit_code,
        dossier_id
    from {{ keys_from }}
    group by unit_code, dossier_id
    having count(*) > 1

),

{{ name }} as (

    select versions.*
    from {{ relation }} as versions
    anti join {{ name }}_duplicated as duplicated
        on
            versions.unit_code is not distinct from duplicated.unit_code
            and versions.dossier_id is not distinct from duplicated.dossier_id
    union all
    select versions.*
    from {{ relation }} as versions
    semi join {{ name }}_duplicated as duplicated
        on
            versions.unit_code is not distinct from duplicated.unit_code
            and versions.dossier_id is not distinct from duplicated.dossier_id
    {{ latest_version_only('versions') }}

)
{%- endmacro %}
