"""The Dagster selection of tonight's part of the pipeline (the decision of what runs is
night/scope.py, which needs no Dagster): the raw tables of the source families with new
data, every dbt model downstream of them with its dbt tests, the tables that read only the
file manifest, the publication and the reports; every Great Expectations check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import dagster as dg
from dagster_dbt.metadata_set import DbtMetadataSet

MANIFEST_KEY = dg.AssetKey(["raw", "file_manifest"])
PUBLICATION_KEYS = (dg.AssetKey("published_rankings"), dg.AssetKey("published_reports"))

#: the asset graph of the definitions (``Definitions.resolve_asset_graph()``, or a schedule's
#: ``context.repository_def.asset_graph``); Dagster exports no public name for its type
AssetGraph = Any


def _raw_inputs(
    graph: AssetGraph, key: dg.AssetKey, dbt_keys: set[dg.AssetKey], memo: dict[dg.AssetKey, frozenset]
) -> frozenset[dg.AssetKey]:
    """The non-dbt assets (raw tables) a dbt model reads, through other dbt models."""
    if key not in memo:
        inputs: set[dg.AssetKey] = set()
        for parent in graph.get(key).parent_keys:
            if parent in dbt_keys:
                inputs |= _raw_inputs(graph, parent, dbt_keys, memo)
            else:
                inputs.add(parent)
        memo[key] = frozenset(inputs)
    return memo[key]


def _is_view(graph: AssetGraph, key: dg.AssetKey) -> bool:
    metadata = DbtMetadataSet.extract(graph.get(key).metadata)
    return metadata.materialization_type == "view"


def scoped_selection(
    graph: AssetGraph, families: Iterable[str]
) -> tuple[set[dg.AssetKey], set[dg.AssetCheckKey]]:
    """The assets and checks of a night whose new data belongs to ``families``."""
    from orchestration.assets.inbox_loading import FAMILY_TABLES
    from orchestration.assets.quality import quality_checks
    from orchestration.assets.transform import warehouse_dbt_models

    raw_keys = [dg.AssetKey(["raw", table]) for family in families for table in FAMILY_TABLES[family]]
    dbt_keys = set(warehouse_dbt_models.keys)
    memo: dict[dg.AssetKey, frozenset] = {}
    # models reading only the manifest: views are always current, tables are rebuilt
    manifest_readers = {
        key
        for key in dbt_keys
        if _raw_inputs(graph, key, dbt_keys, memo) == {MANIFEST_KEY} and not _is_view(graph, key)
    }
    downstream = dg.AssetSelection.assets(*raw_keys).downstream().resolve(graph) if raw_keys else set()
    assets = {MANIFEST_KEY, *raw_keys, *downstream, *manifest_readers, *PUBLICATION_KEYS}
    gx_checks = {key for checks in quality_checks for key in checks.check_keys}
    dbt_tests = {key for key in warehouse_dbt_models.check_keys if key.asset_key in assets}
    return assets, gx_checks | dbt_tests
