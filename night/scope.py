"""Tonight's part of the pipeline: only what depends on the source families with new data.

A night whose new files belong to some source families rebuilds the dbt models downstream
of those families' raw tables, with their dbt tests. Models whose only raw input is the
file manifest (they name the file a figure came from) are views, always current; a table
of that kind would be rebuilt too. Every Great Expectations suite still runs: findings
are tracked from night to night, and a suite left out would make its open findings look
resolved. Publication copies every mart, rebuilt or not, so the published file is the same
as a full night's (tests/e2e/test_night_scope.py compares the two).

The whole pipeline runs when there is no published night to build on, when the code or a
setting that changes results differs from that night's, for ``--force`` and
``--full-refresh``, whenever the warehouse cannot tell what changed, and after a night that
died (``night_started.json`` left behind): such a night may have stopped anywhere, in the
middle of dbt too, so everything is rebuilt rather than trusting what it left. Files it
left pending or loaded without publishing them also make their families' part run
(`night_state.changed_families`), for a night that failed rather than died, and so do the
submissions withdrawn since the last published night (`parwh withdraw`): their families'
models are rebuilt without the withdrawn rows. The incremental record-level model only
adds what new records change, so withdrawing a record export drops it
(submissions/withdrawal.py) and tonight's part rebuilds it from all records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.assets.graph.asset_graph import AssetGraph
from dagster_dbt.metadata_set import DbtMetadataSet

from night.state import changed_families, comparable_last_night, unfinished_night
from settings import Settings

SCOPE_TAG = "parwh/scope"  # run tag: what tonight's run covers, in words
MANIFEST_KEY = dg.AssetKey(["raw", "file_manifest"])
PUBLICATION_KEYS = (dg.AssetKey("published_rankings"), dg.AssetKey("published_reports"))


@dataclass(frozen=True)
class NightScope:
    """``families`` None: the whole pipeline; else the source families with new data."""

    families: frozenset[str] | None
    reason: str

    @property
    def is_whole(self) -> bool:
        return self.families is None

    def describe(self) -> str:
        if self.families is None:
            return f"whole pipeline ({self.reason})"
        if not self.families:
            return f"no source data changed ({self.reason}): checks and publication only"
        return f"only what depends on {', '.join(sorted(self.families))} ({self.reason})"


def night_scope(settings: Settings, *, whole: bool = False) -> NightScope:
    """Decide tonight's scope from the last published night and the inbox."""
    if whole:
        return NightScope(None, "requested")
    died = unfinished_night(settings)
    if died is not None:
        return NightScope(None, died.describe())
    last, reason = comparable_last_night(settings)
    if last is None:
        return NightScope(None, reason)
    families = changed_families(settings, last)
    if families is None:
        return NightScope(None, "cannot tell which source data changed")
    return NightScope(frozenset(families), reason)


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
