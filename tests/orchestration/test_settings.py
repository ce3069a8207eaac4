import os
import re
from pathlib import Path

import pytest

from settings import Settings, SettingsError


def test_defaults_put_everything_under_the_warehouse(tmp_path: Path) -> None:
    settings = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "wh")})
    assert settings.warehouse_dir == tmp_path / "wh"
    assert settings.inbox_dir == tmp_path / "wh" / "inbox"
    assert settings.database_path == tmp_path / "wh" / "warehouse.duckdb"
    assert settings.latest_path == tmp_path / "wh" / "published" / "latest.duckdb"
    assert settings.quarantine_dir == tmp_path / "wh" / "quarantine"
    assert settings.dagster_home == tmp_path / "wh" / "dagster"
    assert settings.duckdb_threads == 2


def test_relative_warehouse_is_made_absolute(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.warehouse_dir == tmp_path / "warehouse"
    assert settings.warehouse_dir.is_absolute()


def test_flags_override_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"PARWH_WAREHOUSE": str(tmp_path / "a"), "PARWH_DUCKDB_THREADS": "1"}
    ).with_overrides(warehouse=tmp_path / "b")
    assert settings.warehouse_dir == tmp_path / "b"
    # the default inbox follows the warehouse given on the command line
    assert settings.inbox_dir == tmp_path / "b" / "inbox"
    assert settings.duckdb_threads == 1


def test_explicit_inbox_is_kept_when_warehouse_moves(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"PARWH_WAREHOUSE": str(tmp_path / "a"), "PARWH_INBOX": str(tmp_path / "drop")}
    ).with_overrides(warehouse=tmp_path / "b")
    assert settings.inbox_dir == tmp_path / "drop"


def test_the_engine_chooses_the_dbt_target_and_spark_lives_under_the_warehouse(tmp_path: Path) -> None:
    duck = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "wh")})
    assert (duck.engine, duck.dbt_target) == ("duckdb", "duckdb")
    spark = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "wh"), "PARWH_ENGINE": "Spark"})
    assert (spark.engine, spark.dbt_target) == ("spark", "spark")
    assert spark.spark_home == tmp_path / "wh" / "spark"
    assert spark.landing_dir == tmp_path / "wh" / "spark" / "landing"
    assert spark.tables_dir == tmp_path / "wh" / "spark" / "tables"
    cluster = Settings.from_env(
        {
            "PARWH_WAREHOUSE": str(tmp_path / "wh"),
            "PARWH_ENGINE": "spark",
            "PARWH_SPARK_METHOD": "thrift",
            "PARWH_SPARK_LANDING_DIR": str(tmp_path / "shared" / "landing"),
        }
    )
    assert cluster.dbt_target == "spark_thrift"
    assert cluster.landing_dir == tmp_path / "shared" / "landing"
    assert cluster.tables_dir == tmp_path / "wh" / "spark" / "tables"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PARWH_ENGINE": "postgres"}, "PARWH_ENGINE='postgres'"),
        ({"PARWH_ENGINE": "spark", "PARWH_SPARK_METHOD": "odbc"}, "PARWH_SPARK_METHOD='odbc'"),
        ({"PARWH_ENGINE": "spark", "PARWH_DBT_TARGET": "duckdb"}, "PARWH_DBT_TARGET='duckdb'"),
        ({"PARWH_DBT_TARGET": "spark"}, "PARWH_DBT_TARGET='spark'"),
    ],
)
def test_an_impossible_engine_setting_is_refused_by_name(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(named)):
        Settings.from_env(environ)


def test_export_sets_only_the_spark_folders_that_were_chosen(monkeypatch, tmp_path: Path) -> None:
    for name in ("PARWH_ENGINE", "PARWH_SPARK_METHOD", "PARWH_SPARK_DIR", "PARWH_DBT_TARGET"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("PARWH_SPARK_LANDING_DIR", str(tmp_path / "old-warehouse" / "landing"))
    for name in ("PARWH_WAREHOUSE", "PARWH_INBOX", "PARWH_DUCKDB_MEMORY_LIMIT", "PARWH_DUCKDB_THREADS"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("PARWH_DUCKDB_TEMP_DIR", "")
    monkeypatch.setenv("PARWH_SPARK_TABLES_DIR", "")
    monkeypatch.setenv("DAGSTER_HOME", "")
    settings = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "wh"), "PARWH_ENGINE": "spark"})
    settings.export()
    assert os.environ["PARWH_ENGINE"] == "spark"
    # derived folders are left to profiles.yml (from PARWH_WAREHOUSE): no stale value stays
    assert "PARWH_SPARK_LANDING_DIR" not in os.environ
    assert "PARWH_DBT_TARGET" not in os.environ
    assert os.environ["PARWH_WAREHOUSE"] == str(tmp_path / "wh")


def test_the_cli_names_a_wrong_engine_setting_and_touches_nothing(monkeypatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("PARWH_ENGINE", "postgres")
    result = CliRunner().invoke(app, ["run", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 1
    assert "PARWH_ENGINE='postgres'" in result.output and "duckdb, spark" in result.output
    assert not (tmp_path / "wh").exists()
