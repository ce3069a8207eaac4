"""The same dbt project on Spark (PARWH_ENGINE=spark) publishes what DuckDB publishes.

Run alone with `uv run --extra spark pytest -m spark`. It needs the `spark` extra and
Java 17; CI installs both (the README's test command). It builds the demo submissions
twice, once per engine, and compares every published mart row for row (numbers to 1e-9),
then does it again after a night that adds record-level exports, which exercises Spark's
incremental model (insert_overwrite of the touched months) and the scoped night.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from publication.diff import differences
from settings import Settings, spark_missing
from tests.e2e.test_night_scope import RECORDS_CSV, l866_records_to_november

pytestmark = pytest.mark.spark

runner = CliRunner()

ENGINES = ("duckdb", "spark")
ENGINE_ENV = (
    "PARWH_WAREHOUSE",
    "PARWH_INBOX",
    "DAGSTER_HOME",
    "PARWH_ENGINE",
    "PARWH_DBT_TARGET",
    "PARWH_SPARK_METHOD",
    "PARWH_SPARK_DIR",
    "PARWH_SPARK_LANDING_DIR",
    "PARWH_SPARK_TABLES_DIR",
)


def _invoke(engine: str, args: list[str]) -> str:
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ENGINE_ENV:
            monkeypatch.setenv(name, "")
        monkeypatch.setenv("PARWH_ENGINE", engine)
        result = runner.invoke(app, args)
    assert result.exit_code == 0, f"{engine}: parwh {' '.join(args)}\n{result.output}"
    return result.output


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Settings]]:
    """`parwh demo` on each engine, in its own warehouse."""
    problem = spark_missing()
    assert problem is None, f"the Spark tests need the spark extra and Java: {problem}"
    root = tmp_path_factory.mktemp("engines")
    settings = {}
    for engine in ENGINES:
        warehouse = root / engine
        _invoke(engine, ["demo", "--warehouse", str(warehouse)])
        settings[engine] = Settings.from_env({"PARWH_WAREHOUSE": str(warehouse)})
    yield settings
    shutil.rmtree(root, ignore_errors=True)


def _differences(expected: Settings, actual: Settings) -> list[str]:
    return differences(expected.latest_path, actual.latest_path)


def _quality_views(settings: Settings) -> set[str]:
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        found = con.execute("select view_name from duckdb_views() where schema_name = 'quality'").fetchall()
    finally:
        con.close()
    return {name for (name,) in found}


def test_every_published_mart_on_spark_equals_duckdb(warehouses: dict[str, Settings]) -> None:
    duck, spark = warehouses["duckdb"], warehouses["spark"]
    assert _differences(duck, spark) == []
    con = duckdb.connect(str(spark.latest_path), read_only=True)
    try:
        # the demo's rankings are there, not an empty publication that would compare equal
        (ranked,) = con.execute("select count(*) from marts.rankings").fetchone()
        assert ranked > 1000
        (indicators,) = con.execute("select count(*) from marts.fct_indicator_values").fetchone()
        assert indicators > 10000
    finally:
        con.close()
    # every quality view the checks read was built in the Spark warehouse's DuckDB too (a view
    # reading one of Spark's views, not read back, once failed there and its suite was skipped)
    assert _quality_views(spark) == _quality_views(duck)
    assert "index_self_assessment_vs_rubric" in _quality_views(spark)
    # Spark built the models: its tables, and the raw Parquet it read, are on disk
    assert any((spark.tables_dir / "marts.db" / "rankings").glob("*.parquet"))
    assert (spark.landing_dir / "dossier_records" / "data.parquet").exists()
    assert not duck.spark_home.exists()


def _records_file(settings: Settings) -> Path:
    return settings.inbox_dir / "ho_so_cao_lanh_sa_dec_2023.csv"


def _l866_records_to_november(settings: Settings) -> tuple[int, int, int]:
    rows = l866_records_to_november(settings)
    assert len(rows) <= 1, rows
    return rows[0] if rows else (0, 0, 0)


def test_a_second_night_on_spark_equals_duckdb(warehouses: dict[str, Settings]) -> None:
    """New record-level exports: Spark overwrites the touched months of the incremental
    model and reads the partitioned table back; the published marts still agree."""
    spark = warehouses["spark"]
    before = _l866_records_to_november(spark)
    outputs = {}
    for engine, settings in warehouses.items():
        _records_file(settings).write_text(RECORDS_CSV, encoding="utf-8")
        outputs[engine] = _invoke(engine, ["run", "--warehouse", str(settings.warehouse_dir)])
    tonight = outputs["spark"].split("Tonight:")[1].splitlines()[0]
    assert "dossier_records" in tonight and "whole" not in tonight, tonight
    assert _differences(warehouses["duckdb"], spark) == []
    # 866 gains H1, H2, H3 by November 2023: received 3, resolved 2 (H1, H2), pending 1 (H3)
    after = _l866_records_to_november(spark)
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (3, 2, 1)
    months = spark.tables_dir / "intermediate.db" / "int_dossier_records_monthly"
    assert (months / "period_start=2023-11-01").is_dir()
