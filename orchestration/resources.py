"""The Dagster resource that hands out connections to the working DuckDB database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse directory and its working database.

    Holds the deployment's `Settings` as the environment variables they are read from
    (`Settings.as_environ`, one config field: Dagster resources take plain values), so that a
    setting added to `Settings` needs no change here. DuckDB allows one writing process:
    every step opens its connection, writes, and closes it before the next step (the
    nightly job runs its steps one at a time).
    """

    settings_environ: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(settings_environ=settings.as_environ())

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.settings_environ)

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
