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
        every dossier is exported once: only those seen more than once go through the
        window; the others are their own latest version. They are found by a hash of the
        two keys (one 64-bit value grouped and joined instead of two strings; the full
        builds at 100M, compiled queries alone: records 33.3-34.5 -> 30.5-30.7 s, 766
        52.6 -> 51.3 s). Two dossiers whose keys hash alike both go through the window,
        which partitions by the keys themselves: a collision costs a little sorting, never
        a wrong version. -#}
{{ name }}_duplicated as materialized (

    -- the dossiers exported more than once (and any whose keys hash alike)
    select hash(unit_code, dossier_id) as dossier_key
    from {{ keys_from }}
    group by dossier_key
    having count(*) > 1

),

{{ name }} as (

    select versions.*
    from {{ relation }} as versions
    anti join {{ name }}_duplicated as duplicated
        on hash(versions.unit_code, versions.dossier_id) = duplicated.dossier_key
    union all
    select versions.*
    from {{ relation }} as versions
    semi join {{ name }}_duplicated as duplicated
        on hash(versions.unit_code, versions.dossier_id) = duplicated.dossier_key
    {{ latest_version_only('versions') }}

)
{%- endmacro %}
