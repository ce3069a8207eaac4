"""What the end-to-end tests do to a warehouse by hand: load one night's record export the
way the night's loading assets do, run dbt on it, and read a DuckDB file without holding
it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb

from engines.dbt import DBT_PROJECT_DIR, dbt_executable
from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema
from settings import Settings


def load_records_night(settings: Settings, name: str, header: str, rows: list[str]) -> None:
    """Write the record export ``name`` (``header`` and ``rows``, CSV lines) into the inbox,
    then register and load it as a night does; the file must load without a rejection."""
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    (settings.inbox_dir / name).write_text(header + "".join(rows), encoding="utf-8")
    con = duckdb.connect(str(settings.database_path))
    try:
        ensure_schema(con)
        load_admin_units(con)
        register_inbox(con, settings.inbox_dir, settings.quarantine_dir, "test")
        report = load_family(con, "dossier_records", settings.quarantine_dir, "test")
        assert report.files_rejected == 0, report.outcomes
    finally:
        con.close()


def query(path: Path, sql: str) -> list[tuple]:
    """The rows of ``sql`` on the DuckDB file ``path``, opened read-only and closed again."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def dbt_run_compiled(warehouse: Path, selection: list[str], model: str, *extra: str) -> str:
    """`dbt run --select <selection> <extra>` on the warehouse directory ``warehouse``;
    returns the SQL ``model`` compiled to (what it ran), from a target folder of its own."""
    target = warehouse / "dbt-target"
    env = {**os.environ, "PARWH_WAREHOUSE": str(warehouse)}
    result = subprocess.run(
        [dbt_executable(), "run", "--select", *selection, *extra, "--target-path", str(target),
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    (ran,) = target.glob(f"compiled/**/{model}.sql")
    return ran.read_text(encoding="utf-8")
