"""Land the raw tables as Parquet for Spark (PARWH_ENGINE=spark).

The loaders write the raw tables into the working DuckDB database, whatever the engine.
On Spark, dbt reads them from Parquet instead: one folder per table under the landing
directory (`<landing>/<table>/data.parquet`), registered as the `raw` tables when dbt
starts (dbt_project/macros/spark_raw_tables.sql).

A table is written again only when its rows changed. A folder is replaced whole: the new
file is written beside it and swapped in by two renames, so a reader never sees half of
a table, and a failed landing leaves the previous one in place.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

import sqlfiles
from ingest.warehouse import RAW_TABLES

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql

FINGERPRINT_FILE = "_parwh_fingerprint.json"  # Spark skips files whose names start with _
DATA_FILE = "data.parquet"


@dataclass(frozen=True)
class Landing:
    table: str
    rows: int
    written: bool  # False: unchanged since the last landing


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        row[0]
        for row in sqlfiles.execute(con, PACKAGE, "raw_table_columns", {"table_name": table}).fetchall()
    ]


def fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, object]:
    """What identifies a table's content. Submitted rows are never changed in place (a
    corrected file adds rows, a replaced file's rows are deleted), so their count and the
    sum of the hashes of (file_id, source_row) change whenever the rows do. The other raw
    tables (manifest, unit lists) are small and compared whole."""
    columns = _columns(con, table)
    if {"file_id", "source_row"} <= set(columns):
        key = "hash(file_id, source_row)"
    else:
        key = "hash(" + ", ".join(columns) + ")"
    rows, checksum = con.execute(
        f"select count(*), coalesce(sum({key}), 0)::varchar from raw.{table}"
    ).fetchone()
    return {"rows": rows, "checksum": checksum, "columns": columns}


def _landed_fingerprint(folder: Path) -> dict[str, object] | None:
    try:
        return json.loads((folder / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def land_table(con: duckdb.DuckDBPyConnection, table: str, landing_dir: Path) -> Landing:
    folder = landing_dir / table
    current = fingerprint(con, table)
    if (folder / DATA_FILE).exists() and _landed_fingerprint(folder) == current:
        return Landing(table, int(current["rows"]), written=False)  # type: ignore[call-overload]
    staging = landing_dir / f".{table}.new"
    previous = landing_dir / f".{table}.old"
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    # table names come from RAW_TABLES, never from a file
    con.execute(
        f"copy (select * from raw.{table}) to '{staging / DATA_FILE}' "
        "(format parquet, compression zstd, row_group_size 1000000)"
    )
    (staging / FINGERPRINT_FILE).write_text(json.dumps(current), encoding="utf-8")
    if folder.exists():
        folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    return Landing(table, int(current["rows"]), written=True)  # type: ignore[call-overload]


def land_raw_tables(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[Landing]:
    """Land every raw table whose rows changed since its last landing."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    return [land_table(con, table, landing_dir) for table in RAW_TABLES]
