"""The same dbt project on Spark (PARWH_ENGINE=spark) publishes what DuckDB publishes.

Run alone with `uv run --extra spark pytest -m spark`. It needs the `spark` extra and
Java 17; CI installs both (the README's test command). It builds the demo submissions
twice, once per engine, and compares every published mart row for row (numbers to 1e-9),
then does it again after a night that adds record-level exports, which exercises Spark's
incremental model (insert_overwrite of the touched months) and the scoped night, and after a
night whose records open a later month (the dossiers still open are counted in it: the
monthly models' night tables of the open dossiers).
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


def _l866_month(settings: Settings, month: str) -> tuple[int, int, int, int] | None:
    """866's record counts of one month (int_dossier_records_monthly, all levels): carried
    in, received, resolved, and still open at the month's end (pending or waiting)."""
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        return con.execute(
            "select sum(carried_in), sum(received), sum(resolved), sum(pending + waiting_supplement)"
            " from intermediate.int_dossier_records_monthly"
            " where unit_code in ('866', 'L866') and period_start = cast(? as date)"
            " having count(*) > 0",
            [month],
        ).fetchone()
    finally:
        con.close()


# the first records of January 2024, a month later than any the demo built: H7 received and
# resolved in it, while H3 (received in November, due on 10 January) is still open
NEW_MONTH_RECORDS = (
    "dossier_id,unit_code,authority_level,channel,received_at,due_at,finished_at\n"
    "H7,866,huyen,truc_tuyen,2024-01-04 08:00,2024-01-20 17:00,2024-01-15 10:00\n"
)


def test_a_night_that_opens_a_month_on_spark_equals_duckdb(warehouses: dict[str, Settings]) -> None:
    """Records of a month later than any built: both monthly record models count the dossiers
    still open in it (H3) from the open dossiers' night tables, on Spark as on DuckDB. Runs
    after the second night (module order), whose records it builds on."""
    spark = warehouses["spark"]
    months = spark.tables_dir / "intermediate.db" / "int_dossier_records_monthly"
    assert (months / "period_start=2023-12-01").is_dir()
    assert not (months / "period_start=2024-01-01").exists()
    assert _l866_month(spark, "2024-01-01") is None
    december = _l866_month(spark, "2023-12-01")
    assert december is not None and december[3] >= 1, december  # H3 is open at December's end
    outputs = {}
    for engine, settings in warehouses.items():
        (settings.inbox_dir / "ho_so_cao_lanh_2024_01.csv").write_text(NEW_MONTH_RECORDS, encoding="utf-8")
        outputs[engine] = _invoke(engine, ["run", "--warehouse", str(settings.warehouse_dir)])
    tonight = outputs["spark"].split("Tonight:")[1].splitlines()[0]
    assert "dossier_records" in tonight and "whole" not in tonight, tonight
    assert _differences(warehouses["duckdb"], spark) == []
    assert (months / "period_start=2024-01-01").is_dir()
    # 866 in January 2024: H7 received and resolved; what was open at December's end (H3
    # among it) carried in
    for settings in warehouses.values():
        carried_in, received, resolved, _ = _l866_month(settings, "2024-01-01")
        assert (carried_in, received) == (december[3], 1)
        assert resolved >= 1
    # the new month's night tables: the dossiers still open (H3) beside tonight's (H7)
    night_tables = spark.tables_dir / "parwh_night.db"
    for table in ("int_dossier_records_monthly__open_in_new_months", "int_qd766_records_monthly__keys"):
        files = str(night_tables / table / "*.parquet")
        found = duckdb.sql(f"select dossier_id from read_parquet('{files}')").fetchall()
        dossiers = {dossier for (dossier,) in found}
        assert "H3" in dossiers, (table, sorted(dossiers)[:10])
