"""The dbt project, declared once, and how Dagster names its models.

The manifest is prepared before Definitions are loaded (`prepare_manifest`, called by the
CLI and the tests; `dagster dev` prepares it itself), never parsed at import time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed beside this Python (found even when the venv is not on PATH)."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def _newest_source_mtime(project_dir: Path) -> float:
    newest = (project_dir / "dbt_project.yml").stat().st_mtime
    for folder in ("models", "macros", "seeds", "tests"):
        for path in (project_dir / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


# The environment that profiles.yml renders: dbt re-parses the whole project when it changes
# (its partial-parse file records the profile), so `prepare_manifest` parses again for it.
PROFILE_ENV = (
    "PARWH_WAREHOUSE",
    "PARWH_DBT_TARGET",
    "PARWH_DUCKDB_MEMORY_LIMIT",
    "PARWH_DUCKDB_THREADS",
    "PARWH_DUCKDB_TEMP_DIR",
    "PARWH_ENGINE",
    "PARWH_SPARK_METHOD",
    "PARWH_SPARK_DIR",
    "PARWH_SPARK_LANDING_DIR",
    "PARWH_SPARK_TABLES_DIR",
    "PARWH_SPARK_MASTER",
    "PARWH_SPARK_DRIVER_MEMORY",
    "PARWH_SPARK_SHUFFLE_PARTITIONS",
    "PARWH_SPARK_HOST",
    "PARWH_SPARK_PORT",
    "PARWH_SPARK_USER",
    "PARWH_SPARK_THREADS",
)


def _profile_env_stamp(project: DbtProject) -> Path:
    return project.project_dir / "target" / "parwh_profile_env.json"


def _profile_env() -> str:
    return json.dumps({name: os.environ.get(name, "") for name in PROFILE_ENV}, sort_keys=True)


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    if manifest.stat().st_mtime < _newest_source_mtime(project.project_dir):
        return True
    stamp = _profile_env_stamp(project)
    return not stamp.exists() or stamp.read_text(encoding="utf-8") != _profile_env()


def prepare_manifest(project: DbtProject = dbt_project) -> Path:
    """Run `dbt parse` when the manifest is missing, older than the project files, or was
    parsed for another warehouse (then every `dbt build` would parse the project again)."""
    if manifest_is_stale(project):
        # dagster-dbt's own preparer looks for `dbt` on PATH only
        DbtCliResource(project_dir=project, dbt_executable=dbt_executable()).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()
        _profile_env_stamp(project).write_text(_profile_env(), encoding="utf-8")
    return project.manifest_path


def dbt_build_args(*, full_refresh: bool = False, selector: str | None = None) -> list[str]:
    """The dbt command line of the nightly run (a pure function, unit-tested).

    dbt unit tests check the SQL, not the night's data: they run in the test suite
    (tests/e2e/test_dbt_unit_tests.py), not every night.
    """
    args = ["build", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    if selector:
        args += ["--select", selector]
    return args


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Dagster keys equal warehouse relations: marts/fct_dossier_stats is marts.fct_dossier_stats."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "transform"


translator = WarehouseDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
