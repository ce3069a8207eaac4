"""The Dagster resource that hands out connections to the working DuckDB database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from settings import DEFAULT_KEEP_DBT_RUNS, Settings


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse directory and its working database.

    Configured from the environment (`PARWH_*`, see `.env.example`). DuckDB allows one
    writing process: every step opens its connection, writes, and closes it before the
    next step (the nightly job runs its steps one at a time).
    """

    warehouse_dir: str
    inbox_dir: str
    duckdb_memory_limit: str = "4GB"
    duckdb_threads: int = 2
    duckdb_temp_dir: str = ""
    engine: str = "duckdb"
    spark_method: str = "session"
    spark_dir: str = ""
    spark_landing_dir: str = ""
    spark_tables_dir: str = ""
    dbt_target_override: str = ""
    keep_dbt_runs: int = DEFAULT_KEEP_DBT_RUNS

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            warehouse_dir=str(settings.warehouse_dir),
            inbox_dir=str(settings.inbox_dir),
            duckdb_memory_limit=settings.duckdb_memory_limit,
            duckdb_threads=settings.duckdb_threads,
            duckdb_temp_dir=str(settings.spill_dir),
            engine=settings.engine,
            spark_method=settings.spark_method,
            spark_dir=_text(settings.spark_dir),
            spark_landing_dir=_text(settings.spark_landing_dir),
            spark_tables_dir=_text(settings.spark_tables_dir),
            dbt_target_override=settings.dbt_target_override or "",
            keep_dbt_runs=settings.keep_dbt_runs,
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            warehouse_dir=Path(self.warehouse_dir),
            inbox_dir=Path(self.inbox_dir),
            duckdb_memory_limit=self.duckdb_memory_limit,
            duckdb_threads=self.duckdb_threads,
            duckdb_temp_dir=Path(self.duckdb_temp_dir) if self.duckdb_temp_dir else None,
            engine=self.engine,
            spark_method=self.spark_method,
            spark_dir=_path(self.spark_dir),
            spark_landing_dir=_path(self.spark_landing_dir),
            spark_tables_dir=_path(self.spark_tables_dir),
            dbt_target_override=self.dbt_target_override or None,
            keep_dbt_runs=self.keep_dbt_runs,
        )

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = self.settings
        settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            str(settings.database_path),
            config={
                "memory_limit": settings.duckdb_memory_limit,
                "threads": settings.duckdb_threads,
                "temp_directory": str(settings.spill_dir),
            },
        )
        try:
            yield con
        finally:
            con.close()


def _text(path: Path | None) -> str:
    return str(path) if path else ""


def _path(text: str) -> Path | None:
    return Path(text) if text else None
