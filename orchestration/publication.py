"""Write, audit, publish: the analysts' copy of the marts.

A publication is a complete new DuckDB file holding the `marts` schema (and a
`meta.publication` row saying which run made it). It is written beside the published
files under a temporary name, audited, fsynced, renamed to `<UTC timestamp>.duckdb`, and
then `latest.duckdb` is switched to it by an atomic rename. `latest.duckdb` is never
modified in place: an analyst who has it open keeps reading the old file until they
reopen it. The current and the 7 previous publications are kept.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

#: tests only: SIGKILL the publisher when it reaches this step (see `_step`)
KILL_AT_ENV = "PARWH_PUBLISH_KILL_AT"
STEPS = ("copied", "audited", "fsynced", "renamed", "linked", "switched")
PUBLISHED_SCHEMA = "marts"
KEEP_PREVIOUS = 7
LATEST_NAME = "latest.duckdb"
#: the storage format of the published file: that of DuckDB 1.0, which every DuckDB client
#: and driver since 1.0 reads (the CLI, ODBC and JDBC drivers analysts' SQL tools bundle
#: lag behind the Python package; a 2.0 file is refused by them, "version number 69")
PUBLISHED_STORAGE_VERSION = "v1.0.0"


class PublicationError(RuntimeError):
    """The new publication failed its audit; nothing was switched."""


@dataclass(frozen=True)
class Publication:
    path: Path
    latest_path: Path
    run_id: str
    published_at: datetime
    row_counts: dict[str, int]


def timestamp_name(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ") + ".duckdb"


def _step(name: str) -> None:
    """Fault injection for the crash tests: die here, as a power cut or OOM kill would."""
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_marts(
    working: duckdb.DuckDBPyConnection, target: Path, run_id: str, published_at: datetime
) -> dict[str, int]:
    tables = [
        row[0]
        for row in working.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [PUBLISHED_SCHEMA],
        ).fetchall()
    ]
    if not tables:
        raise PublicationError("the working database has no marts to publish")
    working.execute(f"attach ? as publication (storage_version '{PUBLISHED_STORAGE_VERSION}')", [str(target)])
    try:
        working.execute(f"create schema publication.{PUBLISHED_SCHEMA}")
        working.execute("create schema publication.meta")
        counts: dict[str, int] = {}
        for table in tables:
            # table names come from the catalogue of our own marts schema, never from a file
            working.execute(
                f'create table publication.{PUBLISHED_SCHEMA}."{table}" as '
                f'select * from {PUBLISHED_SCHEMA}."{table}"'
            )
            source_rows = working.execute(f'select count(*) from {PUBLISHED_SCHEMA}."{table}"').fetchone()[0]
            copied_rows = working.execute(
                f'select count(*) from publication.{PUBLISHED_SCHEMA}."{table}"'
            ).fetchone()[0]
            if source_rows != copied_rows:
                raise PublicationError(f"{table}: {copied_rows} rows copied of {source_rows}")
            counts[table] = int(copied_rows)
        working.execute(
            "create table publication.meta.publication as select ? as run_id, "
            "cast(? as timestamp) as published_at, ? as tables",
            [run_id, published_at.replace(tzinfo=None), len(tables)],
        )
        working.execute("checkpoint publication")
    finally:
        working.execute("detach publication")
    return counts


def audit_publication(
    path: Path, expected_counts: dict[str, int], required_tables: tuple[str, ...] = ()
) -> None:
    """Reopen the new file read-only and check it holds what was copied."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        for table, expected in expected_counts.items():
            actual = con.execute(f'select count(*) from {PUBLISHED_SCHEMA}."{table}"').fetchone()[0]
            if actual != expected:
                raise PublicationError(f"audit: {table} has {actual} rows, expected {expected}")
        missing = [t for t in required_tables if t not in expected_counts]
        if missing:
            raise PublicationError(f"audit: required marts missing: {', '.join(missing)}")
        if "rankings" in expected_counts:
            nulls = con.execute(
                "select count(*) from marts.rankings where unit_code is null or rank is null"
            ).fetchone()[0]
            if nulls:
                raise PublicationError(f"audit: {nulls} rankings rows without unit or rank")
    finally:
        con.close()


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
    """Publish the marts of the working database (connection `working`) atomically."""
    published_at = now or datetime.now(UTC)
    published_dir.mkdir(parents=True, exist_ok=True)
    final_path = published_dir / timestamp_name(published_at)
    temp_path = published_dir / f".{final_path.stem}.tmp"
    for leftover in published_dir.glob(".*.tmp*"):
        leftover.unlink()  # a publisher killed earlier left it; it was never published
    try:
        counts = _copy_marts(working, temp_path, run_id, published_at)
        _step("copied")
        audit_publication(temp_path, counts, required_tables)
        _step("audited")
        _fsync(temp_path)
        _step("fsynced")
        os.replace(temp_path, final_path)
        _step("renamed")
        latest = published_dir / LATEST_NAME
        link_path = published_dir / ".latest.duckdb.tmp"
        if link_path.exists():
            link_path.unlink()
        os.link(final_path, link_path)
        _step("linked")
        os.replace(link_path, latest)
        _step("switched")
        _fsync(published_dir)
    finally:
        for path in (temp_path, published_dir / f"{temp_path.name}.wal"):
            if path.exists():
                path.unlink()
    prune_old_publications(published_dir)
    return Publication(
        path=final_path,
        latest_path=published_dir / LATEST_NAME,
        run_id=run_id,
        published_at=published_at,
        row_counts=counts,
    )
