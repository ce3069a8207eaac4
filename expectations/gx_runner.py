"""Great Expectations 1.x validation of pandas dataframes, returning counts only.

GX is imported lazily (several seconds); one ephemeral context serves one
`run_quality_checks` call. The SQL datasource path is avoided on purpose (DuckDB bugs in
GX, issues #10738 and #11579): dataframes are read from DuckDB and validated in pandas.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.spec import Rule

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

#: SUMMARY with no partial lists: counts only, never row values.
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0}
DATASOURCE = "parwh_quality"
DOCS_SITE = "parwh_quality_docs"
RESULTS_KEEP_DAYS = 30
#: the name of no expectation suite (`pages_to_render`; suite names are identifiers + "_n")
NOTHING_TO_RENDER = "__parwh_nothing_to_render__"


@dataclass(frozen=True)
class Outcome:
    success: bool
    unexpected_count: int
    element_count: int
    error: str | None = None


def _import_great_expectations() -> None:
    import great_expectations  # noqa: F401
    from great_expectations.data_context.types import base  # noqa: F401


def import_in_background() -> threading.Thread:
    """Start importing Great Expectations (about 1.5 s of CPU) on a thread of its own, for a
    caller about to wait on something else (the night's dbt step waits on dbt's process); the
    first `new_context` then finds it imported, or waits for the import to end."""
    thread = threading.Thread(target=_import_great_expectations, name="import-gx", daemon=True)
    thread.start()
    return thread


def new_context(docs_dir: Path | None = None) -> AbstractDataContext:
    """An ephemeral context; with `docs_dir`, validation results are kept as JSON (counts
    only) under `docs_dir/../quality_results` and a Data Docs site is built in `docs_dir`."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    defaults = InMemoryStoreBackendDefaults()
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        defaults.stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(results_dir(docs_dir)),
            },
        }
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        stores=defaults.stores,
        expectations_store_name=defaults.expectations_store_name,
        validation_results_store_name=defaults.validation_results_store_name,
        checkpoint_store_name=defaults.checkpoint_store_name,
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.data_sources.add_pandas(DATASOURCE)
    return context


def results_dir(docs_dir: Path) -> Path:
    return docs_dir.parent / f"{docs_dir.name}_results"


def build_docs(context: AbstractDataContext) -> Path | None:
    """Bring the Data Docs site up to date with every stored result; the path of its index.html.

    Incremental: a stored validation result is rendered once, when its page is missing (the
    results of this context, and any a former build left without a page), and the pages of
    the context's own expectation suites and the index are rebuilt every time. A stored
    result never changes, so its page rendered again would be the same page: a full rebuild
    rendered every result kept (`RESULTS_KEEP_DAYS` nights of them) on every check step.
    The index lists every result kept, and forgets the pages of results pruned.

    The site opens offline: the styles and scripts GX takes from CDNs are copied into it and
    every page refers to them by relative path (`data_docs_offline.bundle_assets`; the pages
    this build wrote, and the site's index and style sheets)."""
    from expectations.data_docs_offline import bundle_assets, page_stamps, written_since

    if DOCS_SITE not in (context.list_data_docs_sites() or {}):
        return None
    site = Path(context.list_data_docs_sites()[DOCS_SITE]["store_backend"]["base_directory"])
    prune_results(results_dir(site))
    started, before = time.time(), page_stamps(site)
    render = pages_to_render(context, site)
    urls = context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=render)
    bundle_assets(site, pages=written_since(site, before, started))
    url = urls.get(DOCS_SITE, "")
    return Path(url.removeprefix("file://")) if url else None


def docs_up_to_date(site: Path, keep_days: int = RESULTS_KEEP_DAYS) -> bool:
    """Whether the site already shows every stored result, written after the last of them,
    with none to prune: a call that validated nothing then leaves the site as it is (and
    imports no GX). Read from the files alone: a result is stored as its key's tuple + .json
    (`results_dir`), its page as the same tuple + .html under validations/."""
    index = site / "index.html"
    if not index.is_file():
        return False
    results = results_dir(site)
    stored = list(results.rglob("*.json")) if results.is_dir() else []
    cutoff = time.time() - keep_days * 86400
    shown = index.stat().st_mtime
    for path in stored:
        written = path.stat().st_mtime
        if written < cutoff or written > shown:
            return False
        if not site.joinpath("validations", path.relative_to(results)).with_suffix(".html").is_file():
            return False
    return True


def validation_page(site: Path, key: Any) -> Path:
    """Where the site keeps the page of the validation result `key` (GX's HTML site store
    names it by the key's tuple, as the results store names the result's JSON file)."""
    *folders, batch = key.to_tuple()
    return site.joinpath("validations", *folders, f"{batch}.html")


def pages_to_render(context: AbstractDataContext, site: Path) -> list[Any]:
    """The resources a build renders: the context's expectation suites, and the stored
    validation results that have no page yet. Never empty: GX reads an empty list as
    "render everything", so with nothing to render it gets a key no resource has."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    suites = list(context.expectations_store.list_keys())
    stored = context.validation_results_store.list_keys()
    results = [key for key in stored if not validation_page(site, key).is_file()]
    return [*suites, *results] or [ExpectationSuiteIdentifier(name=NOTHING_TO_RENDER)]


def prune_results(directory: Path, keep_days: int = RESULTS_KEEP_DAYS) -> None:
    """Forget validation results older than `keep_days` (the site shows what is kept)."""
    cutoff = time.time() - keep_days * 86400
    for path in directory.rglob("*.json") if directory.exists() else ():
        if path.stat().st_mtime < cutoff:
            path.unlink()


def validate(
    context: AbstractDataContext, name: str, df: pd.DataFrame, rules: Sequence[Rule]
) -> dict[str, Outcome]:
    """Validate `df` against `rules`; `name` must be unique within the context."""
    import great_expectations as gx

    datasource = context.data_sources.get(DATASOURCE)
    asset = datasource.add_dataframe_asset(name=name)
    batch_definition = asset.add_batch_definition_whole_dataframe(name)
    suite = context.suites.add(
        gx.ExpectationSuite(name=name, expectations=[r.to_gx_expectation() for r in rules])
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": df}, result_format=RESULT_FORMAT)
    outcomes: dict[str, Outcome] = {}
    for item in result.results:
        rule_id = str((item.expectation_config.meta or {})["rule"])
        counts = item.result or {}
        raised = _raised(item.exception_info)
        outcomes[rule_id] = Outcome(
            success=bool(item.success) and not raised,
            unexpected_count=int(counts.get("unexpected_count") or 0),
            element_count=int(counts.get("element_count") or len(df)),
            error="great_expectations raised an exception" if raised else None,
        )
    del result
    return outcomes


def _raised(info: Any) -> bool:
    """GX puts `raised_exception` at the top level or one level down, keyed by metric."""
    if not isinstance(info, dict):
        return False
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())
