"""Write, audit, publish: the analysts' copy of the marts.

A publication is a complete new DuckDB file holding the `marts` schema (and a
`meta.publication` row saying which run made it). It is written beside the published
files under a temporary name, audited, fsynced, renamed to `<UTC timestamp>.duckdb`, and
then `latest.duckdb` is switched to it by an atomic rename. `latest.duckdb` is never
modified in place: an analyst who has it open keeps reading the old file until they
reopen it. The current and the 7 previous publications are kept.

The new file starts as a file copy of the last publication (`latest.duckdb`), in which each
mart is brought up to date with the working database period by period: only the periods
whose rows differ are replaced (`publication.refresh`); a mart that cannot be is copied
whole, and so is every mart when there is no last publication or it cannot be opened.

The same marts are also published as Parquet, for tools that do not speak DuckDB: one
file per mart, written from the new DuckDB file with DuckDB's `COPY ... TO` (each mart read
back from the new file once it is copied there, while the other marts are still being
copied), and a `schema.json` (columns, DuckDB / Parquet / Arrow types, dbt descriptions, row
counts, run id). Nothing is published before the new DuckDB file has passed its audit and
every Parquet file its own. A set is written into a hidden folder, audited, fsynced, renamed to
`parquet/<UTC timestamp>/` (the stamp of its DuckDB file) and made current by switching
the symbolic link `parquet/latest` with an atomic rename, right after `latest.duckdb`:

    published/parquet/latest -> 20260105T010203000000Z   (symbolic link)
    published/parquet/20260105T010203000000Z/schema.json
    published/parquet/20260105T010203000000Z/marts/<mart>.parquet

A reader never sees a half-written set; the sets of the kept publications are kept with
them.

The marts are copied two at a time, each by its own connection (`COPY_WORKERS`), the
largest first, and each one's Parquet file is written as soon as it is copied: DuckDB
compresses a table it copies on hardly more than one core (a mart has few row groups), so
one mart after the other left a 2-core machine half idle.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import yaml

import sqlfiles
import yamlfiles
from publication.refresh import Refreshed, refresh_mart
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
#: the connections that copy marts (and write their Parquet files) side by side; they share
#: DuckDB's threads (`PARWH_DUCKDB_THREADS`) between them (:func:`threads_per_copy`)
COPY_WORKERS = 2
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
    #: the previous publication the new file started from (a copy brought up to date), if any
    started_from: str | None = None
    #: the marts of that copy kept or brought up to date: mart → periods replaced (0: none);
    #: the other marts were copied whole
    periods_replaced: dict[str, int] | None = None


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


def _copy_mart(
    working: duckdb.DuckDBPyConnection, table: str, from_previous: bool
) -> tuple[int, Refreshed | None]:
    """Copy one mart into the attached publication, on a connection of its own; returns its
    rows, counted in the working database and in the copy, and, when the publication is a copy
    of the previous one (`from_previous`), what bringing the mart up to date did (None: it was
    copied whole)."""
    con = working.cursor()
    try:
        # table names come from the catalogue of our own marts schema, never from a file;
        # DuckDB binds no identifier, so the copy is made with its relational API
        source = f"{PUBLISHED_SCHEMA}.{_identifier(table)}"
        copy = f"publication.{PUBLISHED_SCHEMA}.{_identifier(table)}"
        refreshed = None
        if from_previous:
            refreshed = refresh_mart(con, table, source, copy)
            if refreshed is None:
                sqlfiles.execute(con, _SQL, "swap_drop_published_mart", identifiers={"mart": table})
        if refreshed is None:
            con.table(source).create(copy)
        source_rows = _row_count(con, source)
        copied_rows = _row_count(con, copy)
    finally:
        con.close()
    if source_rows != copied_rows:
        raise PublicationError(f"{table}: {copied_rows} rows copied of {source_rows}")
    return int(copied_rows), refreshed


def _copy_marts(
    working: duckdb.DuckDBPyConnection,
    target: Path,
    parquet_target: Path,
    run_id: str,
    published_at: datetime,
    previous: Path | None = None,
) -> tuple[dict[str, int], dict[str, dict], dict[str, int] | None]:
    """Copy the marts into the new DuckDB file `target` and write each one's Parquet file
    (read back from `target`) into the new set folder `parquet_target`. With `previous` (the
    last publication), `target` starts as a copy of it and each mart is brought up to date
    period by period (`publication.refresh`); a copy that cannot be opened is discarded and
    the marts copied whole.

    Returns the rows of each mart (in name order), each one's `schema.json` entry and, when
    `target` started from `previous`, the periods replaced in each mart not copied whole."""
    found = sqlfiles.rows(working, _SQL, "swap_marts_to_publish", {"schema": PUBLISHED_SCHEMA})
    tables = [row["table_name"] for row in found]
    if not tables:
        raise PublicationError("the working database has no marts to publish")
    # the largest first: the last mart to finish is then a small one
    largest_first = [row["table_name"] for row in sorted(found, key=lambda row: -row["estimated_rows"])]
    (setting,) = sqlfiles.rows(working, _SQL, "swap_threads")
    threads = int(setting["threads"])
    # FSST is not tried on the marts' strings while they are copied (swap_skip_fsst.sql says why)
    _run(working, "swap_skip_fsst")
    try:
        _run(working, "swap_set_threads", {"threads": threads_per_copy(threads)})
        return _copy_into(
            working, target, parquet_target, tables, largest_first, run_id, published_at, previous
        )
    finally:
        _run(working, "swap_set_threads", {"threads": threads})
        _run(working, "swap_reset_compression")


def threads_per_copy(threads: int, workers: int = COPY_WORKERS) -> int:
    """DuckDB's threads while the marts are copied: the working database's, shared by the
    ``workers`` copying side by side (at least one). With two copies on two threads each, the
    four queries fought for two cores: at 100M records the publication took 4.2–4.9 s, and
    3.7–4.1 s with one thread each (a whole copy 4.7 against 4.2 s; session 32)."""
    return max(1, threads // workers)


def _copy_into(
    working: duckdb.DuckDBPyConnection,
    target: Path,
    parquet_target: Path,
    tables: list[str],
    largest_first: list[str],
    run_id: str,
    published_at: datetime,
    previous: Path | None,
) -> tuple[dict[str, int], dict[str, dict], dict[str, int] | None]:
    """`_copy_marts`'s work: the publication attached, the marts copied (or brought up to
    date) and written as Parquet side by side, the meta row written, checkpointed and
    detached."""
    descriptions = mart_descriptions()
    (parquet_target / PUBLISHED_SCHEMA).mkdir(parents=True)
    from_previous = previous is not None and _attach_copy_of(working, previous, target)
    if not from_previous:
        # the storage format (PUBLISHED_STORAGE_VERSION) is written in swap_attach_publication.sql
        _run(working, "swap_attach_publication", {"path": str(target)})
    try:
        _run(working, "swap_create_marts_schema")
        _run(working, "swap_create_meta_schema")
        if from_previous:
            for stale in _published_tables(working):
                if stale not in tables:
                    sqlfiles.execute(working, _SQL, "swap_drop_published_mart", identifiers={"mart": stale})
        counts: dict[str, int] = {}
        periods_replaced: dict[str, int] = {}
        marts: dict[str, dict] = {}
        pool = ThreadPoolExecutor(COPY_WORKERS, thread_name_prefix="publish")
        try:
            copies = {
                pool.submit(_copy_mart, working, table, from_previous): table for table in largest_first
            }
            writes: dict[Future[dict], str] = {}
            for copied in as_completed(copies):
                table = copies[copied]
                counts[table], refreshed = copied.result()
                if refreshed is not None:
                    periods_replaced[table] = refreshed.periods
                documented = descriptions.get(table, {})
                write = pool.submit(
                    _write_parquet_file, working, table, parquet_target, counts[table], documented
                )
                writes[write] = table
            for written in as_completed(writes):
                marts[writes[written]] = written.result()
        finally:
            # a failed mart: the others queued are not started, those running are waited for
            pool.shutdown(wait=True, cancel_futures=True)
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
    return (
        {table: counts[table] for table in tables},
        {table: marts[table] for table in sorted(counts)},
        dict(sorted(periods_replaced.items())) if from_previous else None,
    )


def _attach_copy_of(working: duckdb.DuckDBPyConnection, previous: Path, target: Path) -> bool:
    """Copy the previous publication's file to `target` and attach it as `publication`; False
    (and no copy left) when it cannot be copied or opened: the marts are then copied whole."""
    try:
        shutil.copyfile(previous, target)
        _run(working, "swap_attach_previous_publication", {"path": str(target)})
    except (OSError, duckdb.Error):
        for path in (target, target.with_name(f"{target.name}.wal")):
            if path.exists():
                path.unlink()
        return False
    return True


def _stamped_name(published_dir: Path, latest: Path) -> str:
    """The timestamped file `latest.duckdb` is a link to (its own name if none is)."""
    for stamped in published_dir.glob("*.duckdb"):
        if stamped.name != LATEST_NAME and stamped.samefile(latest):
            return stamped.name
    return latest.name


def _published_tables(working: duckdb.DuckDBPyConnection) -> list[str]:
    found = sqlfiles.rows(working, _SQL, "swap_published_tables", {"schema": PUBLISHED_SCHEMA})
    return [row["table_name"] for row in found]


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
            # libyaml (yamlfiles): the marts' YAML took 0.6 s of every publication in pure Python
            document = yamlfiles.read(path) or {}
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


def _write_parquet_file(
    working: duckdb.DuckDBPyConnection, table: str, target: Path, rows: int, documented: dict
) -> dict:
    """The mart `table` of the attached publication (as copied there) as
    `<target>/marts/<table>.parquet` (COPY ... TO), on a connection of its own, audited;
    returns its `schema.json` entry."""
    con = working.cursor()
    try:
        columns = sqlfiles.execute(
            con, _SQL, "swap_publication_columns", {"schema": PUBLISHED_SCHEMA, "table": table}
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
        source_table = con.table(f"publication.{PUBLISHED_SCHEMA}.{_identifier(table)}")
        source_table.select(*select).write_parquet(str(file), compression=PARQUET_COMPRESSION)
        written_rows = _parquet_row_count(con, file)
        if written_rows != rows:
            raise PublicationError(f"parquet audit: {relative} has {written_rows} rows, expected {rows}")
        parquet_types = _parquet_types(con, file)
    finally:
        con.close()
    arrow_schema = pq.read_schema(file)
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
    return {
        "file": relative,
        "rows": written_rows,
        "description": documented.get("description"),
        "columns": column_entries,
    }


def _write_parquet_schema(target: Path, marts: dict[str, dict], manifest: dict) -> dict:
    """`schema.json` of the set in the new folder `target` (its Parquet files written and
    audited by `_write_parquet_file`); everything fsynced. Returns the schema."""
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
    latest = published_dir / LATEST_NAME
    previous = latest if latest.is_file() else None
    previous_name = _stamped_name(published_dir, previous) if previous else None
    try:
        counts, parquet_marts, periods_replaced = _copy_marts(
            working, temp_path, parquet_temp, run_id, published_at, previous
        )
        _step("copied")
        audit_publication(temp_path, counts, required_tables)
        _step("audited")
        _fsync(temp_path)
        _step("fsynced")
        _write_parquet_schema(
            parquet_temp,
            parquet_marts,
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
        started_from=previous_name if periods_replaced is not None else None,
        periods_replaced=periods_replaced,
    )
