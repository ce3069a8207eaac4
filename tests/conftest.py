"""Shared fixtures: every test gets its own warehouse directory and environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from settings import Settings


def _name_the_main_file_of_a_test_worker() -> None:
    """pytest-xdist starts each worker's Python from `-c` code, so its ``__main__`` has neither
    ``__file__`` nor ``__spec__``. pyspark (which Great Expectations imports when the spark
    extra is installed) takes that for a doctest run and exits the process
    (pyspark/sql/connect/utils.py, ``check_dependencies``). A worker names this file as its
    main; nothing in the project starts processes by `spawn`, the one user of that name."""
    import os
    import sys

    main = sys.modules["__main__"]
    if os.environ.get("PYTEST_XDIST_WORKER") and main.__spec__ is None and not hasattr(main, "__file__"):
        main.__file__ = __file__


_name_the_main_file_of_a_test_worker()

#: cleared before a test's warehouse is set (the environment of the machine must not leak in)
CLEARED_ENV = ("PARWH_WAREHOUSE", "PARWH_INBOX", "DAGSTER_HOME", "PARWH_ENGINE", "PARWH_DBT_TARGET")
#: set empty before Settings.export() writes them (so monkeypatch restores them afterwards)
EXPORTED_ENV = (
    "PARWH_INBOX",
    "PARWH_DUCKDB_THREADS",
    "DAGSTER_HOME",
    "PARWH_ENGINE",
    "PARWH_SPARK_METHOD",
    "PARWH_SPARK_DIR",
    "PARWH_SPARK_LANDING_DIR",
    "PARWH_SPARK_TABLES_DIR",
    "PARWH_KEEP_DBT_RUNS",
    "PARWH_WARM_DBT",
    "DBT_TARGET_PATH",
    "DBT_LOG_PATH",
)


@pytest.fixture
def warehouse_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh warehouse under tmp_path, exported to the environment like the CLI does."""
    for name in CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PARWH_WAREHOUSE", str(tmp_path / "warehouse"))
    monkeypatch.setenv("PARWH_DUCKDB_MEMORY_LIMIT", "2GB")
    settings = Settings.from_env()
    # export() writes os.environ directly; monkeypatch restores what it set
    for name in EXPORTED_ENV:
        monkeypatch.setenv(name, "")
    settings.export()
    return settings


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """The manifest the Dagster definitions load (`dbt parse`, only when stale)."""
    from engines.dbt import prepare_manifest

    return prepare_manifest()


@dataclass(frozen=True)
class DemoBuild:
    """The shipped demo as `parwh demo` builds it: its warehouse and what the command printed."""

    settings: Settings
    output: str


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> DemoBuild:
    """One demo warehouse for every test that reads it (the demo, scoring and report tests):
    the real pipeline, run once per session (about a minute). Tests read it and never write
    to it; a test that runs a night of its own builds its own warehouse."""
    from typer.testing import CliRunner

    from cli.main import app

    with pytest.MonkeyPatch.context() as monkeypatch:
        warehouse = tmp_path_factory.mktemp("demo") / "warehouse"
        for name in ("PARWH_WAREHOUSE", "PARWH_INBOX", "DAGSTER_HOME"):
            monkeypatch.setenv(name, "")
        result = CliRunner().invoke(app, ["demo", "--warehouse", str(warehouse)])
        assert result.exit_code == 0, result.output
    return DemoBuild(Settings.from_env({"PARWH_WAREHOUSE": str(warehouse)}), result.output)


#: the files that take minutes (measured by CI's --durations), started first so that the two
#: workers finish together: one started last would keep a worker busy after the other is done
SLOW_FILES_FIRST = (
    "tests/spark/test_spark_engine.py",
    "tests/bench/test_bench_smoke.py",
    "tests/e2e/test_demo.py",
    "tests/quality/test_concurrent_reader.py",
    "tests/e2e/test_withdraw.py",
    "tests/e2e/test_nightly_run.py",
    "tests/test_lint.py",
    "tests/narratives/test_draft.py",
    "tests/e2e/test_rubric_load.py",
    "tests/e2e/test_index_stages.py",
    "tests/e2e/test_night_scope.py",
    "tests/e2e/test_hostile_memory.py",
    "tests/e2e/test_privacy_scan.py",
    "tests/orchestration/test_run_output.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slowest files first, the rest in their usual order (a stable sort)."""
    rank = {name: position for position, name in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final teardown.

    DuckDB 2.0's nanobind bindings print pages of harmless "nanobind: leaked …" lines at
    interpreter exit, after pytest's summary, burying the result line that people and CI
    read. Everything pytest writes is done by now; exit with pytest's own status.
    """
    if _exit_status:
        import os
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
