"""The reports asset: what people read (workbooks, the HTML report, the dbt docs), made after
each publication from the published file only. The night itself is recorded as published by
the publication asset (publication.py)."""

import logging
import re
import shutil
import tempfile
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from engines.dbt import dbt_project, full_build_manifest
from expectations.data_docs_offline import external_references
from night.state import code_fingerprint
from orchestration.resources import WarehouseResource
from reports import write_reports

log = logging.getLogger(__name__)

#: beside the page, for tools that read dbt's artefacts (the page itself needs neither)
DBT_DOCS_FILES = ("manifest.json", "catalog.json")
#: dbt docs' usage tracker, loaded only when the manifest allows tracking (ours does not:
#: `send_anonymous_usage_stats: false`); emptied so that the page can never fetch it
DBT_DOCS_TRACKER = re.compile(r"""(["'])//[\w.-]+\.cloudfront\.net/[\w./-]*sp\.js\1""")


def offline_dbt_docs(page: str) -> tuple[str, list[str]]:
    """dbt's static page with its tracker emptied, and what it would still fetch from the
    network (nothing, unless a dbt upgrade adds a font or a script from a CDN)."""
    page = DBT_DOCS_TRACKER.sub('""', page)
    return page, external_references(page)


def publish_dbt_docs(dbt: DbtCliResource, out_dir: Path, built_manifest: Path | None = None) -> Path:
    """`dbt docs generate --static` (the catalogue of every model and column): one
    self-contained page, the manifest and catalogue inlined, that opens from disk with no
    server and no network, published as dbt_docs/index.html beside the reports.

    ``built_manifest``: the manifest of tonight's build of the whole project
    (:func:`engines.dbt.full_build_manifest`); the page then shows the SQL that ran and dbt
    does not compile the project again. Without it dbt compiles the project."""
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as scratch:
        command = ["docs", "generate", "--static"]
        if built_manifest is not None:
            shutil.copyfile(built_manifest, Path(scratch) / "manifest.json")
            command.append("--no-compile")
        invocation = dbt.cli(command, manifest=dbt_project.manifest_path, target_path=Path(scratch)).wait()
        static_page = invocation.target_path / "static_index.html"
        page, online = offline_dbt_docs(static_page.read_text(encoding="utf-8"))
        if online:  # published all the same: the page still works where the network is open
            log.warning("the dbt docs page loads from the network: %s", ", ".join(online))
        docs_dir = out_dir / "dbt_docs"
        docs_dir.mkdir(parents=True, exist_ok=True)
        for name in DBT_DOCS_FILES:
            shutil.copy2(invocation.target_path / name, docs_dir / name)
        index = docs_dir / "index.html"
        tmp = docs_dir / ".index.html.tmp"
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(index)  # a reader never sees half a page
    return index


@dg.asset(
    key="published_reports",
    deps=["published_rankings"],
    group_name="publish",
    description="published/reports/: ranking workbooks (Excel), the HTML report and the dbt "
    "docs, made after each publication from the published file only.",
)
def published_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource, dbt: DbtCliResource):
    settings = warehouse.settings
    out_dir = settings.published_dir / "reports"
    written = write_reports(settings.latest_path, out_dir)
    fingerprint = code_fingerprint()
    docs_index = out_dir / "dbt_docs" / "index.html"
    stamp = out_dir / "dbt_docs" / "code_fingerprint.txt"
    if not docs_index.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        # the catalogue changes with the code only
        built = full_build_manifest(settings.dbt_target_dir, context.run.run_id)
        docs_index = publish_dbt_docs(dbt, out_dir, built)
        context.log.info(
            "dbt docs from tonight's build (not compiled again)" if built else "dbt docs: project compiled"
        )
        stamp.write_text(fingerprint)
    else:
        context.log.info("dbt docs unchanged since the code last changed: not regenerated")
    context.log.info(f"reports: {', '.join(p.name for p in written)}; dbt docs: {docs_index}")
    return dg.MaterializeResult(
        metadata={"reports": "\n".join(str(p) for p in written), "dbt_docs": str(docs_index)}
    )
