"""Build the quality rules' views (dbt_project/models/quality) in a DuckDB warehouse file.

On DuckDB the nightly `dbt build` builds them with the other models. On Spark
(PARWH_ENGINE=spark) dbt-spark skips them (their SQL is DuckDB's: the checks always read
the working DuckDB database), so after the tables Spark built are read back into DuckDB
(engines/spark_readback.py) this runs `dbt run` with the `duckdb` target on that database
for the quality views and the views they read (staging, `int_source_files`): the same model
files, the same refs, nothing written twice. It also
builds them on a hand-made warehouse in tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from settings import environment

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
#: the views of models/quality (the tables there, engine-neutral, are built by every engine),
#: and the views they read (int_source_files and the staging views below it): Spark's views
#: are not read back into DuckDB (only its tables are), so without them a quality view that
#: reads one (index_self_assessment_vs_rubric) could not be built and its suite was skipped
SELECTOR = "+path:models/quality,config.materialized:view"


class QualityViewsError(RuntimeError):
    """dbt could not build the quality views."""


def _dbt() -> str:
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_quality_views(
    database_path: Path, environ: dict[str, str] | None = None, exclude: Sequence[str] = ()
) -> None:
    """`dbt run` of the quality views on ``database_path`` (it must be named
    warehouse.duckdb, as profiles.yml names it, and no connection may hold it), except the
    views named in ``exclude`` (a warehouse without the relations they read)."""
    database_path = Path(database_path).resolve()
    if database_path.name != "warehouse.duckdb":
        raise ValueError(f"{database_path}: the warehouse database must be named warehouse.duckdb")
    env = dict(environment() if environ is None else environ)
    env.update(PARWH_WAREHOUSE=str(database_path.parent), PARWH_DBT_TARGET="duckdb")
    with tempfile.TemporaryDirectory(prefix="parwh-quality-views-") as scratch:
        command = [
            _dbt(),
            "run",
            "--select",
            SELECTOR,
            "--target",
            "duckdb",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(Path(scratch) / "target"),
            "--log-path",
            str(Path(scratch) / "logs"),
            "--no-partial-parse",
            "--quiet",
        ]
        if exclude:
            command += ["--exclude", *exclude]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise QualityViewsError(
            "dbt could not build the quality views (dbt_project/models/quality) in"
            f" {database_path}:\n{done.stdout[-4000:]}{done.stderr[-4000:]}"
        )
