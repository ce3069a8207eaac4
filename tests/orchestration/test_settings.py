from pathlib import Path

from orchestration.settings import Settings


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
