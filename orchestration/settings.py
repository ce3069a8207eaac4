"""Settings of a PAR Warehouse deployment, read from environment variables.

Every setting is listed in `.env.example`. The CLI's flags override the environment by
writing the resolved values back into it (`Settings.export`), so that dbt's
`profiles.yml`, the Dagster resources and any subprocess all read one value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_WAREHOUSE = "./warehouse"


@dataclass(frozen=True)
class Settings:
    warehouse_dir: Path
    inbox_dir: Path
    duckdb_memory_limit: str = "4GB"
    duckdb_threads: int = 2
    duckdb_temp_dir: Path | None = None  # spill directory (default <warehouse>/tmp)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        warehouse = Path(env.get("PARWH_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()
        inbox_value = env.get("PARWH_INBOX")
        inbox = Path(inbox_value).expanduser().resolve() if inbox_value else warehouse / "inbox"
        return cls(
            warehouse_dir=warehouse,
            inbox_dir=inbox,
            duckdb_memory_limit=env.get("PARWH_DUCKDB_MEMORY_LIMIT") or "4GB",
            duckdb_threads=int(env.get("PARWH_DUCKDB_THREADS") or 2),
            duckdb_temp_dir=Path(temp).expanduser().resolve()
            if (temp := env.get("PARWH_DUCKDB_TEMP_DIR"))
            else None,
        )

    def with_overrides(self, warehouse: Path | None = None, inbox: Path | None = None) -> Settings:
        """Flags win over the environment; a new warehouse moves the default inbox with it."""
        settings = self
        if warehouse is not None:
            new_warehouse = warehouse.expanduser().resolve()
            moved_inbox = self.inbox_dir == self.warehouse_dir / "inbox"
            settings = replace(
                settings,
                warehouse_dir=new_warehouse,
                inbox_dir=new_warehouse / "inbox" if moved_inbox else self.inbox_dir,
            )
        if inbox is not None:
            settings = replace(settings, inbox_dir=inbox.expanduser().resolve())
        return settings

    @property
    def database_path(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def latest_path(self) -> Path:
        return self.published_dir / "latest.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        return self.warehouse_dir / "quarantine"

    @property
    def spill_dir(self) -> Path:
        """Where DuckDB writes what does not fit in its memory limit."""
        return self.duckdb_temp_dir or self.warehouse_dir / "tmp"

    @property
    def inbox_hash_cache(self) -> Path:
        """sha256 of the inbox files already read (so unchanged files are not read again)."""
        return self.warehouse_dir / "inbox_hashes.json"

    @property
    def last_night_path(self) -> Path:
        """What the last published night saw (the fast path of a night with nothing new)."""
        return self.warehouse_dir / "last_night.json"

    @property
    def dagster_home(self) -> Path:
        return self.warehouse_dir / "dagster"

    def export(self) -> None:
        """Write the resolved settings into this process's environment (read by dbt, Dagster)."""
        os.environ["PARWH_WAREHOUSE"] = str(self.warehouse_dir)
        os.environ["PARWH_INBOX"] = str(self.inbox_dir)
        os.environ["PARWH_DUCKDB_MEMORY_LIMIT"] = self.duckdb_memory_limit
        os.environ["PARWH_DUCKDB_THREADS"] = str(self.duckdb_threads)
        os.environ["PARWH_DUCKDB_TEMP_DIR"] = str(self.spill_dir)
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
