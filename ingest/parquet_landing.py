"""Land the raw tables as Parquet for Spark (PARWH_ENGINE=spark).

The loaders write the raw tables into the working DuckDB database, whatever the engine.
On Spark, dbt reads them from Parquet instead: one folder per table under the landing
directory, registered as the `raw` tables when dbt starts
(dbt_project/macros/spark_raw_tables.sql).

The small tables (manifest, unit lists, forms) are one file each
(`<landing>/<table>/data.parquet`), written again only when their rows changed. A folder
is replaced whole: the new file is written beside it and swapped in by two renames, so a
reader never sees half of a table, and a failed landing leaves the previous one in place.

The record exports (`dossier_records`, millions of rows) are landed once per submitted
file: `<landing>/dossier_records/<key>-<n>.parquet`, key = md5 of the file's file_id,
beside `data.parquet` of no rows (the table's columns). A
night writes the files whose rows are not landed yet (or changed) and deletes those whose
rows left the table (a withdrawn or replaced submission); the files of the other
submissions are not touched, so the bytes a night writes are those of its new records.
`_parwh_files.json` (Spark skips files whose names start with _) records what each landed
file holds (its rows' count and checksum).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

import sqlfiles
from ingest.warehouse import RAW_TABLES

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql

FINGERPRINT_FILE = "_parwh_fingerprint.json"  # Spark skips files whose names start with _
DATA_FILE = "data.parquet"
# landed one Parquet file per submitted file (file_id): the large tables
PER_FILE_TABLES = ("dossier_records",)
FILES_MANIFEST = "_parwh_files.json"
_PER_FILE_NAME = re.compile(r"([0-9a-f]{32})-[0-9]+\.parquet")
_COPY_OPTIONS = "format parquet, compression zstd, row_group_size 1000000"
_KEY = "md5(coalesce(file_id, ''))"  # a landed file's key: a name for any file_id


@dataclass(frozen=True)
class Landing:
    table: str
    rows: int
    written: bool  # False: unchanged since the last landing
    files_written: int = 0  # per-file tables: submitted files landed tonight
    files_removed: int = 0  # per-file tables: landed files whose rows left the table


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
    con.execute(f"copy (select * from raw.{table}) to '{staging / DATA_FILE}' ({_COPY_OPTIONS})")
    (staging / FINGERPRINT_FILE).write_text(json.dumps(current), encoding="utf-8")
    if folder.exists():
        folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    return Landing(table, int(current["rows"]), written=True)  # type: ignore[call-overload]


FilePrints = dict[str, tuple[str | None, list[object]]]  # key → (file_id, [rows, checksum])


def _file_fingerprints(con: duckdb.DuckDBPyConnection, table: str) -> FilePrints:
    """key (md5 of file_id) → (file_id, [rows, checksum]) of each submitted file's rows."""
    rows = con.execute(
        f"select file_id, {_KEY}, count(*), sum(hash(file_id, source_row))::varchar "
        f"from raw.{table} group by file_id"
    ).fetchall()
    return {key: (file_id, [count, checksum]) for file_id, key, count, checksum in rows}


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _landed_files(folder: Path) -> dict[str, list[object]]:
    try:
        landed = json.loads((folder / FILES_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return landed if isinstance(landed, dict) else {}


def _write_manifest(folder: Path, files: dict[str, list[object]]) -> None:
    temporary = folder / f"{FILES_MANIFEST}.tmp"
    temporary.write_text(json.dumps(files, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / FILES_MANIFEST)


def land_per_file(con: duckdb.DuckDBPyConnection, table: str, landing_dir: Path) -> Landing:
    """Land a table of submitted rows as one Parquet file per submitted file: the files not
    landed yet (or whose rows changed) are written, those whose rows left the table are
    deleted, the others are left as they are. `data.parquet`, of no rows, holds the
    table's columns: Spark reads them from it when no submission is landed."""
    folder = landing_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    columns = _columns(con, table)
    files = _file_fingerprints(con, table)
    current = {key: print_ for key, (_, print_) in files.items()}
    landed = _landed_files(folder)
    if landed.get("_columns") != columns or not (folder / DATA_FILE).exists():
        landed = {}  # the table's columns changed (or a landing of another layout): all again
    present: dict[str, list[Path]] = {}
    strays: list[Path] = []
    for path in folder.iterdir():
        match = _PER_FILE_NAME.fullmatch(path.name)
        if match:
            present.setdefault(match.group(1), []).append(path)
        elif not path.name.startswith(("_", ".")) and path.name != DATA_FILE:
            strays.append(path)
    to_write = sorted(
        key for key, print_ in current.items() if landed.get(key) != print_ or key not in present
    )
    to_remove = sorted(key for key in present if key not in current)
    rows = sum(int(count) for count, _ in current.values())  # type: ignore[call-overload]
    if landed and not to_write and not to_remove and not strays:
        return Landing(table, rows, written=False)

    staging = landing_dir / f".{table}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        # table names come from RAW_TABLES, never from a file
        con.execute(f"copy (select * from raw.{table} limit 0) to '{staging / DATA_FILE}' ({_COPY_OPTIONS})")
        if to_write:
            # a literal list of file ids: the scan skips the row groups of the other files
            ids = [files[key][0] for key in to_write]
            listed = ", ".join(_sql_string(i) for i in ids if i is not None)
            wanted = " or ".join(
                ([f"file_id in ({listed})"] if listed else []) + (["file_id is null"] if None in ids else [])
            )
            only_new = "" if len(to_write) == len(current) else f" where {wanted}"
            # one pass over the new files' rows, a folder per key (the key is not a column)
            con.execute(
                f"copy (select *, {_KEY} as parwh_landing_key from raw.{table}{only_new}) "
                f"to '{staging}' ({_COPY_OPTIONS}, partition_by (parwh_landing_key), "
                "overwrite_or_ignore true)"
            )
        os.replace(staging / DATA_FILE, folder / DATA_FILE)
        # the files of a key are swapped in whole: tonight's written, then the old ones removed
        for key in to_write:
            written = sorted((staging / f"parwh_landing_key={key}").glob("*.parquet"))
            names = {f"{key}-{n}.parquet" for n in range(len(written))}
            for n, path in enumerate(written):
                os.replace(path, folder / f"{key}-{n}.parquet")
            for old in present.get(key, []):
                if old.name not in names:
                    old.unlink(missing_ok=True)
        for key in to_remove:
            for old in present[key]:
                old.unlink(missing_ok=True)
        for stray in strays:  # e.g. a folder of an earlier layout
            shutil.rmtree(stray) if stray.is_dir() else stray.unlink(missing_ok=True)
        (folder / FINGERPRINT_FILE).unlink(missing_ok=True)  # the whole-table landing's
        _write_manifest(folder, {"_columns": columns, **current})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Landing(table, rows, written=True, files_written=len(to_write), files_removed=len(to_remove))


def land_raw_tables(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[Landing]:
    """Land every raw table whose rows changed since its last landing."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    return [
        (land_per_file if table in PER_FILE_TABLES else land_table)(con, table, landing_dir)
        for table in RAW_TABLES
    ]
