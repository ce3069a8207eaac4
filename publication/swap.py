"""Write, audit, publish: the analysts' copy of the marts.

A publication is a complete new DuckDB file holding the `marts` schema (and a
`meta.publication` row saying which run made it). It is written beside the published
files under a temporary name, audited, fsynced, renamed to `<UTC timestamp>.duckdb`, and
then `latest.duckdb` is switched to it by an atomic rename. `latest.duckdb` is never
modified in place: an analyst who has it open keeps reading the old file until they
reopen it. The current and the 7 previous publications are kept.

The same marts are also published as Parquet, for tools that do not speak DuckDB: one
file per mart, written from the new (audited) DuckDB file with DuckDB's `COPY ... TO`, and
a `schema.json` (columns, DuckDB / Parquet / Arrow types, dbt descriptions, row counts,
run id). A set is written into a hidden folder, audited, fsynced, renamed to
`parquet/<UTC timestamp>/` (the stamp of its DuckDB file) and made current by switching
the symbolic link `parquet/latest` with an atomic rename, right after `latest.duckdb`:

    published/parquet/latest -> 20260105T010203000000Z   (symbolic link)
    published/parquet/20260105T010203000000Z/schema.json
    published/parquet/20260105T010203000000Z/marts/<mart>.parquet

A reader never sees a half-written set; the sets of the kept publications are kept with
them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import yaml

import sqlfiles
from settings import environment

_SQL = __package__ or "publication"

#: tests only: SIGKILL the publisher when it reaches this step (see `_step`)
KILL_AT_ENV = "PARWH_PUBLISH_KILL_AT"
STEPS = (
    "copied",
    "audited",
    "fsynced",
    "parquet_written",
    "renamed",
    "parquet_renamed",
    "linked",
    "switched",
    "parquet_switched",
)
PUBLISHED_SCHEMA = "marts"
KEEP_PREVIOUS = 7
LATEST_NAME = "latest.duckdb"
#: the storage format of the published file (sql/swap_attach_publication.sql writes it): that
#: of DuckDB 1.0, which every DuckDB client and driver since 1.0 reads (the CLI, ODBC and JDBC
#: drivers analysts' SQL tools bundle lag behind the Python package; a 2.0 file is refused by
#: them, "version number 69")
PUBLISHED_STORAGE_VERSION = "v1.0.0"
#: the Parquet sets: `published/parquet/<UTC timestamp>/`, the current one `parquet/latest`
PARQUET_DIR = "parquet"
PARQUET_LATEST = "latest"
PARQUET_SCHEMA_FILE = "schema.json"
PARQUET_SCHEMA_FORMAT = "parwh-parquet-set/1"
#: Snappy: the compression every Parquet reader has (Power Query, Spark, R arrow, pyarrow)
PARQUET_COMPRESSION = "snappy"
#: DuckDB would write these as DOUBLE in Parquet (inexact): they are written as DECIMAL(38,0)
_WIDE_INTEGERS = ("HUGEINT", "UHUGEINT")
#: the dbt YAML that documents the marts (descriptions copied into schema.json)
DBT_MARTS_MODELS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "marts"


class PublicationError(RuntimeError):
    """The new publication failed its audit; nothing was switched."""


@dataclass(frozen=True)
class Publication:
    path: Path
    latest_path: Path
    run_id: str
    published_at: datetime
    row_counts: dict[str, int]
    #: this publication's Parquet set, `published/parquet/<UTC timestamp>/`
    parquet_path: Path | None = None
    #: the symbolic link to the current set, `published/parquet/latest`
    parquet_latest_path: Path | None = None


def timestamp_name(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ") + ".duckdb"


def _step(name: str) -> None:
    """Fault injection for the crash tests: die here, as a power cut or OOM kill would."""
    if environment().get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Run a statement file to its end (DuckDB's relational API, used to copy, refuses a
    connection with an unfinished result)."""
    sqlfiles.execute(con, _SQL, name, params).fetchall()


def _row_count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    (row,) = sqlfiles.rows(con, _SQL, "swap_row_count", {"relation": relation})
    return int(row["row_count"])


def _copy_marts(
    working: duckdb.DuckDBPyConnection, target: Path, run_id: str, published_at: datetime
) -> dict[str, int]:
    tables = [
        row["table_name"]
        for row in sqlfiles.rows(working, _SQL, "swap_marts_to_publish", {"schema": PUBLISHED_SCHEMA})
    ]
    if not tables:
        raise PublicationError("the working database has no marts to publish")
    # the storage format (PUBLISHED_STORAGE_VERSION) is written in swap_attach_publication.sql
    _run(working, "swap_attach_publication", {"path": str(target)})
    try:
        _run(working, "swap_create_marts_schema")
        _run(working, "swap_create_meta_schema")
        counts: dict[str, int] = {}
        for table in tables:
            # table names come from the catalogue of our own marts schema, never from a file;
            # DuckDB binds no identifier, so the copy is made with its relational API
            source = f"{PUBLISHED_SCHEMA}.{_identifier(table)}"
            copy = f"publication.{PUBLISHED_SCHEMA}.{_identifier(table)}"
            working.table(source).create(copy)
            source_rows = _row_count(working, source)
            copied_rows = _row_count(working, copy)
            if source_rows != copied_rows:
                raise PublicationError(f"{table}: {copied_rows} rows copied of {source_rows}")
            counts[table] = int(copied_rows)
        _run(
            working,
            "swap_write_meta",
            {
                "run_id": run_id,
                "published_at": published_at.replace(tzinfo=None),
                "tables": len(tables),
            },
        )
        _run(working, "swap_checkpoint_publication")
    finally:
        _run(working, "swap_detach_publication")
    return counts


def audit_publication(
    path: Path, expected_counts: dict[str, int], required_tables: tuple[str, ...] = ()
) -> None:
    """Reopen the new file read-only and check it holds what was copied."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        for table, expected in expected_counts.items():
            actual = _row_count(con, f"{PUBLISHED_SCHEMA}.{_identifier(table)}")
            if actual != expected:
                raise PublicationError(f"audit: {table} has {actual} rows, expected {expected}")
        missing = [t for t in required_tables if t not in expected_counts]
        if missing:
            raise PublicationError(f"audit: required marts missing: {', '.join(missing)}")
        if "rankings" in expected_counts:
            nulls = sqlfiles.one(con, _SQL, "swap_rankings_without_unit_or_rank")[0]
            if nulls:
                raise PublicationError(f"audit: {nulls} rankings rows without unit or rank")
    finally:
        con.close()


def mart_descriptions(models_dir: Path = DBT_MARTS_MODELS_DIR) -> dict[str, dict]:
    """`{mart: {"description": text or None, "columns": {column: text}}}` from the dbt YAML.

    Documentation only: an unreadable or missing YAML gives no descriptions, never a failed
    publication."""
    found: dict[str, dict] = {}
    if not models_dir.is_dir():
        return found
    # one YAML per folder (core/, indicators/, scoring/): every YAML below models/marts
    for path in sorted([*models_dir.rglob("*.yml"), *models_dir.rglob("*.yaml")]):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        models = document.get("models") if isinstance(document, dict) else None
        for model in models or []:
            if not isinstance(model, dict) or not model.get("name"):
                continue
            columns = {
                str(column["name"]): str(column["description"]).strip()
                for column in model.get("columns") or []
                if isinstance(column, dict) and column.get("name") and column.get("description")
            }
            description = model.get("description")
            found[str(model["name"])] = {
                "description": str(description).strip() if description else None,
                "columns": columns,
            }
    return found


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parquet_row_count(working: duckdb.DuckDBPyConnection, file: Path) -> int:
    (row,) = sqlfiles.rows(working, _SQL, "swap_parquet_row_count", {"file": str(file)})
    return int(row["row_count"])


def _parquet_types(working: duckdb.DuckDBPyConnection, file: Path) -> dict[str, str]:
    """Column name -> Parquet physical type and logical annotation (`INT64 DECIMAL(18,3)`)."""
    rows = sqlfiles.execute(working, _SQL, "swap_parquet_types", {"file": str(file)}).fetchall()
    types = {}
    for name, physical, converted, precision, scale in rows:
        if converted == "DECIMAL":
            types[name] = f"{physical} DECIMAL({precision},{scale})"
        elif converted:
            types[name] = f"{physical} {converted}"
        else:
            types[name] = str(physical)
    return types


def _write_parquet_set(
    working: duckdb.DuckDBPyConnection,
    source: Path,
    target: Path,
    counts: dict[str, int],
    manifest: dict,
) -> dict:
    """One Parquet file per mart of the DuckDB file `source` (COPY ... TO), audited, and
    `schema.json`, in the new folder `target`; everything fsynced. Returns the schema."""
    descriptions = mart_descriptions()
    (target / PUBLISHED_SCHEMA).mkdir(parents=True)
    marts: dict[str, dict] = {}
    _run(working, "swap_attach_parquet_source", {"path": str(source)})
    try:
        for table in sorted(counts):
            columns = sqlfiles.execute(
                working, _SQL, "swap_parquet_source_columns", {"schema": PUBLISHED_SCHEMA, "table": table}
            ).fetchall()
            # COPY ... TO through DuckDB's relational API: the columns, wide integers cast
            select = [
                duckdb.ColumnExpression(name).cast(duckdb.decimal_type(38, 0)).alias(name)
                if data_type in _WIDE_INTEGERS
                else duckdb.ColumnExpression(name)
                for name, data_type in columns
            ]
            relative = f"{PUBLISHED_SCHEMA}/{table}.parquet"
            file = target / relative
            source_table = working.table(f"parquet_source.{PUBLISHED_SCHEMA}.{_identifier(table)}")
            source_table.select(*select).write_parquet(str(file), compression=PARQUET_COMPRESSION)
            rows = _parquet_row_count(working, file)
            if rows != counts[table]:
                raise PublicationError(f"parquet audit: {relative} has {rows} rows, expected {counts[table]}")
            parquet_types = _parquet_types(working, file)
            arrow_schema = pq.read_schema(file)
            documented = descriptions.get(table, {})
            column_entries = []
            for name, data_type in columns:
                arrow_type = str(arrow_schema.field(name).type)
                if data_type.startswith("DECIMAL") and not arrow_type.startswith("decimal"):
                    raise PublicationError(f"parquet audit: {relative}: {name} is {arrow_type}, not decimal")
                column_entries.append(
                    {
                        "name": name,
                        "duckdb_type": data_type,
                        "parquet_type": parquet_types.get(name),
                        "arrow_type": arrow_type,
                        "description": documented.get("columns", {}).get(name),
                    }
                )
            marts[table] = {
                "file": relative,
                "rows": rows,
                "description": documented.get("description"),
                "columns": column_entries,
            }
    finally:
        _run(working, "swap_detach_parquet_source")
    schema = {**manifest, "marts": marts}
    schema_file = target / PARQUET_SCHEMA_FILE
    schema_file.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for mart in marts.values():
        _fsync(target / mart["file"])
    _fsync(schema_file)
    _fsync(target / PUBLISHED_SCHEMA)
    _fsync(target)
    return schema


def _current_parquet_set(parquet_root: Path) -> str | None:
    """The folder name `parquet/latest` points to, if any."""
    link = parquet_root / PARQUET_LATEST
    return os.readlink(link) if link.is_symlink() else None


def _is_stamp(name: str) -> bool:
    return len(name) == 22 and name[8] == "T" and name.endswith("Z") and (name[:8] + name[9:21]).isdigit()


def prune_old_parquet_sets(published_dir: Path) -> list[Path]:
    """Delete the Parquet sets whose DuckDB publication was pruned (never the current one)."""
    parquet_root = published_dir / PARQUET_DIR
    if not parquet_root.is_dir():
        return []
    kept = {p.stem for p in published_dir.glob("*.duckdb") if p.name != LATEST_NAME}
    current = _current_parquet_set(parquet_root)
    removed = []
    for folder in sorted(parquet_root.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or not _is_stamp(folder.name):
            continue
        if folder.name not in kept and folder.name != current:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def prune_old_publications(published_dir: Path, keep_previous: int = KEEP_PREVIOUS) -> list[Path]:
    """Delete timestamped publications beyond the current one and the previous `keep_previous`."""
    stamped = sorted(
        (p for p in published_dir.glob("*.duckdb") if p.name != LATEST_NAME),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = []
    for old in stamped[keep_previous + 1 :]:
        old.unlink()
        removed.append(old)
    return removed


def publish(
    working: duckdb.DuckDBPyConnection,
    published_dir: Path,
    run_id: str,
    required_tables: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Publication:
    """Publish the marts of the working database (connection `working`) atomically, as a
    DuckDB file and as a Parquet set."""
    published_at = now or datetime.now(UTC)
    published_dir.mkdir(parents=True, exist_ok=True)
    final_path = published_dir / timestamp_name(published_at)
    temp_path = published_dir / f".{final_path.stem}.tmp"
    parquet_root = published_dir / PARQUET_DIR
    parquet_final = parquet_root / final_path.stem
    parquet_temp = parquet_root / f".{final_path.stem}.tmp"
    parquet_link_temp = parquet_root / f".{PARQUET_LATEST}.tmp"
    for leftover in published_dir.glob(".*.tmp*"):
        leftover.unlink()  # a publisher killed earlier left it; it was never published
    parquet_root.mkdir(exist_ok=True)
    for leftover in parquet_root.glob(".*.tmp*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    try:
        counts = _copy_marts(working, temp_path, run_id, published_at)
        _step("copied")
        audit_publication(temp_path, counts, required_tables)
        _step("audited")
        _fsync(temp_path)
        _step("fsynced")
        _write_parquet_set(
            working,
            temp_path,
            parquet_temp,
            counts,
            {
                "format": PARQUET_SCHEMA_FORMAT,
                "run_id": run_id,
                "published_at": published_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "duckdb_file": final_path.name,
                "duckdb_schema": PUBLISHED_SCHEMA,
                "compression": PARQUET_COMPRESSION,
            },
        )
        _step("parquet_written")
        os.replace(temp_path, final_path)
        _step("renamed")
        if parquet_final.exists():  # left by a publisher killed with the same timestamp
            if _current_parquet_set(parquet_root) == parquet_final.name:
                raise PublicationError(f"parquet/{parquet_final.name} is the current set already")
            shutil.rmtree(parquet_final)
        os.replace(parquet_temp, parquet_final)
        _fsync(parquet_root)
        _step("parquet_renamed")
        latest = published_dir / LATEST_NAME
        link_path = published_dir / ".latest.duckdb.tmp"
        if link_path.exists():
            link_path.unlink()
        os.link(final_path, link_path)
        _step("linked")
        os.replace(link_path, latest)
        _step("switched")
        # relative, so that the warehouse folder can be moved or mounted elsewhere
        os.symlink(parquet_final.name, parquet_link_temp)
        current_set = parquet_root / PARQUET_LATEST
        replaced_copy = None
        if current_set.is_dir() and not current_set.is_symlink():
            # a copy of the warehouse made by a tool that follows links (shutil.copytree, a
            # Windows copy) turned the link into a folder: moved aside, then removed
            replaced_copy = parquet_root / f".{PARQUET_LATEST}.copied"
            if replaced_copy.exists():
                shutil.rmtree(replaced_copy)
            os.replace(current_set, replaced_copy)
        os.replace(parquet_link_temp, current_set)
        if replaced_copy is not None:
            shutil.rmtree(replaced_copy)
        _step("parquet_switched")
        _fsync(published_dir)
        _fsync(parquet_root)
    finally:
        for path in (temp_path, published_dir / f"{temp_path.name}.wal"):
            if path.exists():
                path.unlink()
        if parquet_temp.exists():
            shutil.rmtree(parquet_temp)
        if os.path.lexists(parquet_link_temp):
            parquet_link_temp.unlink()
    prune_old_publications(published_dir)
    prune_old_parquet_sets(published_dir)
    return Publication(
        path=final_path,
        latest_path=published_dir / LATEST_NAME,
        run_id=run_id,
        published_at=published_at,
        row_counts=counts,
        parquet_path=parquet_final,
        parquet_latest_path=parquet_root / PARQUET_LATEST,
    )
