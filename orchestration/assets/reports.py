"""What people read, produced after each publication from the published file only."""

import shutil
import tempfile
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.night_state import code_fingerprint, record_published_night
from orchestration.resources import WarehouseResource
from reports import write_reports

DBT_DOCS_FILES = ("index.html", "manifest.json", "catalog.json")


def publish_dbt_docs(dbt: DbtCliResource, out_dir: Path) -> Path:
    """`dbt docs generate` (the catalogue of every model and column), copied beside the reports."""
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as scratch:
        invocation = dbt.cli(
            ["docs", "generate"], manifest=dbt_project.manifest_path, target_path=Path(scratch)
        ).wait()
        docs_dir = out_dir / "dbt_docs"
        docs_dir.mkdir(parents=True, exist_ok=True)
        for name in DBT_DOCS_FILES:
            shutil.copy2(invocation.target_path / name, docs_dir / name)
    return docs_dir / "index.html"


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
        docs_index = publish_dbt_docs(dbt, out_dir)  # the catalogue changes with the code only
        stamp.write_text(fingerprint)
    else:
        context.log.info("dbt docs unchanged since the code last changed: not regenerated")
    context.log.info(f"reports: {', '.join(p.name for p in written)}; dbt docs: {docs_index}")
    selection = context.run.asset_selection
    if not selection or dg.AssetKey("published_rankings") in selection:  # empty: the whole job
        with warehouse.connect() as con:
            (manifest_loaded_through,) = con.execute(
                "select max(loaded_at) from raw.file_manifest"
            ).fetchone() or (None,)
        record_published_night(settings, context.run.run_id, fingerprint, manifest_loaded_through)
    return dg.MaterializeResult(
        metadata={"reports": "\n".join(str(p) for p in written), "dbt_docs": str(docs_index)}
    )
