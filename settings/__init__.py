"""Settings of a PAR Warehouse deployment, read from environment variables.

Every setting is listed in `.env.example`. The CLI's flags override the environment by
writing the resolved values back into it (`Settings.export`), so that dbt's
`profiles.yml`, the Dagster resources and any subprocess all read one value.

This is the one module that reads the process environment (issue 17): every other module
asks it, through `Settings` or `environment()` (alerts, file limits, the date window, dbt's
profile variables, the crash tests' fault injection).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_WAREHOUSE = "./warehouse"
#: PARWH_KEEP_DBT_RUNS: how many runs' dbt target folders (artifacts and dbt.log) are kept
DEFAULT_KEEP_DBT_RUNS = 10
ENGINES = ("duckdb", "spark")
SPARK_METHODS = ("session", "thrift")
BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def environment() -> Mapping[str, str]:
    """The process environment, read here only: a module that needs a variable that is not a
    field of `Settings` (PARWH_ALERT_*, PARWH_LIMIT_*, …) takes it from this mapping."""
    return os.environ


def environment_replaced(variables: Mapping[str, str]) -> None:
    """This process's environment becomes ``variables``, whole (the warm dbt process takes
    the environment of the command it runs: engines/warm_dbt.py)."""
    os.environ.clear()
    os.environ.update(variables)


@contextlib.contextmanager
def environment_set(variables: Mapping[str, str]) -> Iterator[None]:
    """These variables in this process's environment inside the block (for the programs it
    starts: dagster-dbt starts dbt with this process's environment); restored after it."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class SettingsError(ValueError):
    """A setting has a value the warehouse cannot use (the message names the variable)."""


@dataclass(frozen=True)
class Settings:
    warehouse_dir: Path
    inbox_dir: Path
    duckdb_memory_limit: str = "4GB"
    duckdb_threads: int = 2
    duckdb_temp_dir: Path | None = None  # spill directory (default <warehouse>/tmp)
    engine: str = "duckdb"  # where dbt builds the models: duckdb (embedded) or spark
    spark_method: str = "session"  # session (Spark inside dbt) or thrift (a cluster)
    spark_dir: Path | None = None  # default <warehouse>/spark
    spark_landing_dir: Path | None = None  # raw Parquet for Spark (default <spark>/landing)
    spark_tables_dir: Path | None = None  # Spark's tables (default <spark>/tables)
    dbt_target_override: str | None = None  # PARWH_DBT_TARGET: another output of profiles.yml
    keep_dbt_runs: int = DEFAULT_KEEP_DBT_RUNS  # PARWH_KEEP_DBT_RUNS: dbt run folders kept
    warm_dbt: bool = True  # PARWH_WARM_DBT: dbt imported and parsed while the night loads

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        warehouse = Path(env.get("PARWH_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()
        inbox_value = env.get("PARWH_INBOX")
        inbox = Path(inbox_value).expanduser().resolve() if inbox_value else warehouse / "inbox"
        engine = (env.get("PARWH_ENGINE") or "duckdb").strip().lower()
        if engine not in ENGINES:
            raise SettingsError(f"PARWH_ENGINE={engine!r}: expected one of {', '.join(ENGINES)}")
        method = (env.get("PARWH_SPARK_METHOD") or "session").strip().lower()
        if method not in SPARK_METHODS:
            raise SettingsError(f"PARWH_SPARK_METHOD={method!r}: expected one of {', '.join(SPARK_METHODS)}")
        target = env.get("PARWH_DBT_TARGET")
        if target and (target == "duckdb") != (engine == "duckdb"):
            raise SettingsError(
                f"PARWH_DBT_TARGET={target!r} does not match PARWH_ENGINE={engine!r}: "
                "unset PARWH_DBT_TARGET (the engine chooses the target)"
            )
        keep_text = (env.get("PARWH_KEEP_DBT_RUNS") or str(DEFAULT_KEEP_DBT_RUNS)).strip()
        if not (keep_text.isascii() and keep_text.isdigit()) or int(keep_text) < 1:
            raise SettingsError(
                f"PARWH_KEEP_DBT_RUNS={keep_text!r}: expected a whole number of runs, 1 or more"
            )
        warm_text = (env.get("PARWH_WARM_DBT") or "true").strip().lower()
        if warm_text not in BOOLEAN_WORDS:
            raise SettingsError(f"PARWH_WARM_DBT={warm_text!r}: expected true or false")
        return cls(
            warehouse_dir=warehouse,
            inbox_dir=inbox,
            duckdb_memory_limit=env.get("PARWH_DUCKDB_MEMORY_LIMIT") or "4GB",
            duckdb_threads=int(env.get("PARWH_DUCKDB_THREADS") or 2),
            duckdb_temp_dir=Path(temp).expanduser().resolve()
            if (temp := env.get("PARWH_DUCKDB_TEMP_DIR"))
            else None,
            engine=engine,
            spark_method=method,
            spark_dir=_optional_path(env.get("PARWH_SPARK_DIR")),
            spark_landing_dir=_optional_path(env.get("PARWH_SPARK_LANDING_DIR")),
            spark_tables_dir=_optional_path(env.get("PARWH_SPARK_TABLES_DIR")),
            dbt_target_override=target or None,
            keep_dbt_runs=int(keep_text),
            warm_dbt=BOOLEAN_WORDS[warm_text],
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
    def rubrics_dir(self) -> Path:
        """The rubric files a Department loaded (`parwh rubric load`), kept as loaded."""
        return self.warehouse_dir / "rubrics"

    @property
    def quarantine_dir(self) -> Path:
        return self.warehouse_dir / "quarantine"

    @property
    def spill_dir(self) -> Path:
        """Where DuckDB writes what does not fit in its memory limit."""
        return self.duckdb_temp_dir or self.warehouse_dir / "tmp"

    @property
    def dbt_target(self) -> str:
        """The output of dbt_project/profiles.yml this engine builds with."""
        if self.dbt_target_override:
            return self.dbt_target_override
        if self.engine == "duckdb":
            return "duckdb"
        return "spark_thrift" if self.spark_method == "thrift" else "spark"

    @property
    def spark_home(self) -> Path:
        """Spark's metastore and tables (PARWH_ENGINE=spark): kept or deleted together."""
        return self.spark_dir or self.warehouse_dir / "spark"

    @property
    def landing_dir(self) -> Path:
        """The raw tables as Parquet, one folder per table, which Spark reads."""
        return self.spark_landing_dir or self.spark_home / "landing"

    @property
    def tables_dir(self) -> Path:
        """Spark's warehouse directory: the models' Parquet, <schema>.db/<model>/."""
        return self.spark_tables_dir or self.spark_home / "tables"

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

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target path for this warehouse: the partial-parse state of the project parsed
        for it, and a folder per dbt command of a run (artifacts and its dbt.log), pruned to
        the last ``keep_dbt_runs`` runs. Not in the code checkout (dbt_project/target)."""
        return self.warehouse_dir / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        """dbt's log path for the commands that have no folder of their own (dbt parse)."""
        return self.warehouse_dir / "dbt" / "logs"

    def as_environ(self) -> dict[str, str]:
        """The resolved settings as the environment variables they are read from (what
        `export` writes; `Settings.from_env(settings.as_environ())` is these settings again)."""
        environ = {
            "PARWH_WAREHOUSE": str(self.warehouse_dir),
            "PARWH_INBOX": str(self.inbox_dir),
            "PARWH_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "PARWH_DUCKDB_THREADS": str(self.duckdb_threads),
            "PARWH_DUCKDB_TEMP_DIR": str(self.spill_dir),
            "PARWH_ENGINE": self.engine,
            "PARWH_SPARK_METHOD": self.spark_method,
            "PARWH_KEEP_DBT_RUNS": str(self.keep_dbt_runs),
            "PARWH_WARM_DBT": "true" if self.warm_dbt else "false",
        }
        for name, value in self._chosen():
            if value:
                environ[name] = str(value)
        return environ

    def _chosen(self) -> tuple[tuple[str, object], ...]:
        return (
            ("PARWH_DBT_TARGET", self.dbt_target_override),
            ("PARWH_SPARK_DIR", self.spark_dir),
            ("PARWH_SPARK_LANDING_DIR", self.spark_landing_dir),
            ("PARWH_SPARK_TABLES_DIR", self.spark_tables_dir),
        )

    def export(self) -> None:
        """Write the resolved settings into this process's environment (read by dbt, Dagster)."""
        os.environ.update(self.as_environ())
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
        # read by dagster-dbt (a folder per dbt command under it) and by dbt itself
        os.environ["DBT_TARGET_PATH"] = str(self.dbt_target_dir)
        os.environ["DBT_LOG_PATH"] = str(self.dbt_log_dir)
        # set only when chosen: profiles.yml derives the rest from PARWH_WAREHOUSE and the
        # engine, so a value exported for one warehouse never leaks into the next
        for name, value in self._chosen():
            if not value:
                os.environ.pop(name, None)


def _optional_path(value: str | None) -> Path | None:
    return Path(value).expanduser().resolve() if value else None


def spark_missing(method: str = "session") -> str | None:
    """Why this machine cannot build on Spark, or None when it can."""
    if method == "thrift":  # Spark and its Java run on the cluster
        if any(importlib.util.find_spec(module) is None for module in ("dbt.adapters.spark", "pyhive")):
            return "PARWH_SPARK_METHOD=thrift needs `dbt-spark[PyHive]` installed (docs/deploy.md)"
        return None
    if any(importlib.util.find_spec(module) is None for module in ("dbt.adapters.spark", "pyspark")):
        return (
            "the Spark extra is not installed: run `uv sync --extra spark` "
            "(or `uv run --extra spark parwh …`)"
        )
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        return "Spark needs Java 17 or newer: install it, or set JAVA_HOME"
    return None
