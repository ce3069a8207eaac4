"""Does tonight have anything to do? The fast path of a night with nothing new.

A night changes nothing when no inbox file is new (same content under the same name as a
file in ``raw.file_manifest``), the code and dbt project are those of the last published
night, and so are the settings that change results. No rule depends on the calendar date
(timeliness compares load times with period ends), so such a night would publish the same
file again: `parwh run` and the 01:00 schedule skip it in about a second instead of
starting Dagster and dbt. ``parwh run --force`` runs it anyway.

A night is never skipped when the warehouse says the last one did not end well: a night
that started and did not finish (``night_started.json``, written when a night starts and
removed when it ends in any way, is still there), files registered but never loaded
(``pending`` in ``raw.file_manifest``), files loaded after the last published night
(the warehouse is ahead of the published file), or submissions withdrawn since it
(`parwh withdraw`: their rows are gone from the working tables, the published file still
counts them). :func:`reasons_to_run` says which.

No Dagster or dbt imports here: this runs before they load.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import sqlfiles
from ingest.errors import IngestError
from ingest.inbox import InboxHashes, classify, unregistered_inbox_files
from night.summary import escape_control
from rubrics.loading import rubrics_loaded_since
from settings import Settings, environment

_SQL = __package__ or "night"

REPO_ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = (
    "dbt_project",
    "ingest",
    "expectations",
    "orchestration",
    "reports",
    "cli",
    "settings",
    "night",
    "gate",
    "publication",
    "engines",
    "submissions",
    "sqlfiles",
    "yamlfiles",
    "narratives",  # the narrative reports' claims, read by ingest
    "rubrics",  # the shipped rubric files score
)
CODE_FILES = ("pyproject.toml", "uv.lock")  # package versions (the admin unit lists come from one)
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".md", ".html", ".xlsx", ".xls", ".ods"}
SKIPPED_FOLDERS = {"target", "logs", "dbt_packages", "__pycache__"}
# settings that change what a night computes or publishes
RESULT_SETTINGS = ("PARWH_SUBMISSION_DEADLINE_DAYS", "PARWH_DBT_TARGET", "PARWH_ENGINE")


def code_fingerprint() -> str:
    """sha256 over the pipeline's code, the dbt project and the settings that change results."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        root = REPO_ROOT / folder
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(REPO_ROOT)
            if not path.is_file() or path.suffix not in CODE_SUFFIXES:
                continue
            if SKIPPED_FOLDERS.intersection(rel.parts):
                continue
            digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in CODE_FILES:
        path = REPO_ROOT / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in RESULT_SETTINGS:
        digest.update(f"{name}={environment().get(name, '')}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class LastNight:
    run_id: str
    finished_at: str  # ISO 8601, UTC
    code_fingerprint: str
    inbox_dir: str
    # max(raw.file_manifest.loaded_at) when it published: later rows are not published yet
    manifest_loaded_through: str | None = None


@dataclass(frozen=True)
class StartedNight:
    """The record of a night in progress: still there at the next start, the night died."""

    run_id: str
    started_at: str  # ISO 8601, UTC
    pid: int

    def describe(self) -> str:
        return (
            f"the night of {self.started_at} (run {self.run_id[:8]}) did not finish: running again"
            f" / đêm {self.started_at} (lần chạy {self.run_id[:8]}) không chạy xong: chạy lại"
        )


def night_started_path(settings: Settings) -> Path:
    """Beside last_night.json: present while a night runs, left behind by a night that died."""
    return settings.warehouse_dir / "night_started.json"


def record_night_start(settings: Settings, run_id: str) -> None:
    """Written (atomically) when a night starts, before anything in the warehouse changes."""
    state = StartedNight(
        run_id=run_id, started_at=datetime.now(UTC).isoformat(timespec="seconds"), pid=os.getpid()
    )
    path = night_started_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def clear_night_start(settings: Settings) -> None:
    """The night ended (published, held back, failed): it did not die."""
    night_started_path(settings).unlink(missing_ok=True)


def unfinished_night(settings: Settings) -> StartedNight | None:
    """The night that started and never ended, if any. An unreadable record (the night died
    while writing it) counts as a night that died."""
    path = night_started_path(settings)
    if not path.exists():
        return None
    try:
        return StartedNight(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return StartedNight(run_id="unknown", started_at="unknown", pid=0)


def read_last_night(settings: Settings) -> LastNight | None:
    try:
        data = json.loads(settings.last_night_path.read_text(encoding="utf-8"))
        return LastNight(**data)
    except (OSError, ValueError, TypeError):
        return None


def record_published_night(
    settings: Settings,
    run_id: str,
    fingerprint: str,
    manifest_loaded_through: datetime | None = None,
) -> None:
    """Called at the end of a night that published (written atomically)."""
    state = LastNight(
        run_id=run_id,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        code_fingerprint=fingerprint,
        inbox_dir=str(settings.inbox_dir),
        manifest_loaded_through=(
            manifest_loaded_through.isoformat() if manifest_loaded_through is not None else None
        ),
    )
    tmp = settings.last_night_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    os.replace(tmp, settings.last_night_path)
    clear_night_start(settings)  # a published night supersedes one that died before it


def manifest_loaded_through(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The last load time in ``raw.file_manifest``: the high-water mark a publication records
    (:func:`record_published_night`); later rows are not published yet."""
    row = sqlfiles.one(con, _SQL, "state_manifest_loaded_through")
    return row[0] if row else None


#: the read-only connection that :func:`_query_warehouse` shares while a night is planned
#: (:func:`shared_warehouse_reads`): the database path and the connection, opened at the
#: first query
_SHARED_READER: ContextVar[dict[Path, duckdb.DuckDBPyConnection] | None] = ContextVar(
    "shared_warehouse_reader", default=None
)


@contextmanager
def shared_warehouse_reads() -> Iterator[None]:
    """The queries of :func:`_query_warehouse` inside the block share one read-only
    connection per database, closed when the block ends. Opening the working database
    reads its catalogue (about 25 ms at 100 million records), and planning a night asks
    about ten questions. Nothing may write the database inside the block: DuckDB refuses a
    second connection of another kind to a file this process holds."""
    opened: dict[Path, duckdb.DuckDBPyConnection] = {}
    token = _SHARED_READER.set(opened)
    try:
        yield
    finally:
        _SHARED_READER.reset(token)
        for con in opened.values():
            con.close()


def _query_warehouse(settings: Settings, name: str, params: dict | None = None) -> list[tuple] | None:
    """Rows of the read-only query ``night/sql/<name>.sql``; ``None`` when there is no database
    yet or it is busy."""
    if not settings.database_path.exists():
        return None
    shared = _SHARED_READER.get()
    con = shared.get(settings.database_path) if shared is not None else None
    if con is None:
        try:
            con = duckdb.connect(str(settings.database_path), read_only=True)
        except duckdb.Error:
            return None
        if shared is not None:
            shared[settings.database_path] = con
    try:
        return sqlfiles.execute(con, _SQL, name, params).fetchall()
    except duckdb.Error:
        return None
    finally:
        if shared is None:
            con.close()


def _new_inbox_paths(settings: Settings, hashes: InboxHashes) -> list[tuple[Path, str]] | None:
    if not settings.database_path.exists():
        return None
    seen = _query_warehouse(settings, "state_registered_files")
    if seen is None:
        return None
    new = unregistered_inbox_files(settings.inbox_dir, hashes, set(seen))
    return [(path, rel) for path, rel, _ in new]


def new_inbox_files(settings: Settings) -> list[str] | None:
    """Inbox files not yet registered under the same name and content; ``None`` when the
    warehouse cannot tell (no database yet, or it is busy)."""
    hashes = InboxHashes(settings.inbox_hash_cache)
    new = _new_inbox_paths(settings, hashes)
    hashes.save()  # the registration of tonight's run reads these hashes: no file is hashed twice
    return None if new is None else [rel for _, rel in new]


def changed_families(settings: Settings, last: LastNight) -> set[str] | None:
    """Source families whose raw data may differ from the last published night's: those of
    the new inbox files (recognised by their header, as registration will), those of the
    files registered or loaded since that night (a night that failed or was held back) and
    those of the submissions withdrawn since it.
    ``None`` when that cannot be told: the whole pipeline must run."""
    if last.manifest_loaded_through is None or rubrics_loaded_since(settings, last.finished_at):
        return None  # a rubric loaded since scores every unit again: the whole pipeline
    hashes = InboxHashes(settings.inbox_hash_cache)
    new = _new_inbox_paths(settings, hashes)
    since = _query_warehouse(settings, "state_families_since", {"through": last.manifest_loaded_through})
    withdrawn = withdrawn_since(settings, last)
    if new is None or since is None or withdrawn is None:
        hashes.save()
        return None
    families = {family for (family,) in since}
    families.update(family for _, withdrawn_families in withdrawn for family in withdrawn_families)
    for path, rel in new:
        try:
            families.update(classify(path, rel, hashes))
        except IngestError:
            continue  # registration rejects it: no data of any family changes
    # tonight's registration (maybe another process: the schedule) reads these hashes and
    # classifications: no file is hashed or classified twice
    hashes.save()
    return families


def comparable_last_night(settings: Settings) -> tuple[LastNight | None, str]:
    """The last published night if tonight can be compared with it, else ``None`` and why
    (the whole pipeline must run)."""
    last = read_last_night(settings)
    if last is None or not settings.latest_path.exists():
        return None, "no published night to build on"
    if last.inbox_dir != str(settings.inbox_dir):
        return None, "another inbox than the last published night's"
    if last.code_fingerprint != code_fingerprint():
        return None, "the pipeline code or its settings changed since the last published night"
    return last, "new data since the last published night"


def pending_files(settings: Settings) -> list[str] | None:
    """Files registered and never loaded nor rejected (a night died while loading them);
    ``None`` when the warehouse cannot tell."""
    rows = _query_warehouse(settings, "state_pending_files")
    return None if rows is None else [name for (name,) in rows]


def loaded_after(settings: Settings, through: str) -> list[str] | None:
    """Files loaded after ``through`` (the last published night's high-water mark): the
    warehouse is ahead of the published file. ``None`` when the warehouse cannot tell."""
    rows = _query_warehouse(settings, "state_loaded_after", {"through": through})
    return None if rows is None else [name for (name,) in rows]


def _naive_utc(iso: str) -> datetime | None:
    """``last_night.json``'s ISO time as the naive UTC timestamps the warehouse stores."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def withdrawn_since(settings: Settings, last: LastNight) -> list[tuple[str, list[str]]] | None:
    """(file name, source families) of the submissions withdrawn (`parwh withdraw`) after
    the last published night: the published file still counts their rows. No night runs
    during a withdrawal (it takes the warehouse lock), so "after the night finished" is
    "not published yet". ``None`` when the warehouse cannot tell."""
    since = _naive_utc(last.finished_at)
    if since is None:
        return None
    exists = _query_warehouse(settings, "state_withdrawals_table_exists")
    if exists is None:
        return None
    if not exists[0][0]:
        return []  # nothing was ever withdrawn
    rows = _query_warehouse(settings, "state_withdrawn_since", {"since": since})
    return None if rows is None else [(name, list(families or [])) for name, families in rows]


def _records_among(withdrawn: list[tuple[str, list[str]]]) -> bool:
    return any("dossier_records" in families for _, families in withdrawn)


def spark_records_withdrawn(settings: Settings) -> bool:
    """On Spark, a record export withdrawn since the last published night: the incremental
    records model lives in Spark's tables, so tonight rebuilds it whole (``--full-refresh``)."""
    if settings.engine != "spark":
        return False
    last = read_last_night(settings)
    withdrawn = withdrawn_since(settings, last) if last is not None else None
    return bool(withdrawn) and _records_among(withdrawn)


def _names(names: list[str], limit: int = 5) -> str:
    """File names (submitter text) on one line, control characters escaped."""
    shown = ", ".join(escape_control(name) for name in names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more / và {more} tệp khác" if more > 0 else "")


def reasons_to_run(settings: Settings, last: LastNight | None = None) -> list[str]:
    """Why tonight must run although no inbox file is new: the last night died, files are
    pending, the warehouse holds data the published file does not, or submissions were
    withdrawn since the last publication. Empty when none."""
    reasons = []
    died = unfinished_night(settings)
    if died is not None:
        reasons.append(died.describe())
    pending = pending_files(settings)
    if pending:
        reasons.append(
            f"{len(pending)} file(s) registered but never loaded ({_names(pending)}): loading them"
            f" / {len(pending)} tệp đã tiếp nhận nhưng chưa nạp: nạp lại"
        )
    last = last or read_last_night(settings)
    if last is not None and last.manifest_loaded_through is not None:
        ahead = loaded_after(settings, last.manifest_loaded_through)
        if ahead:
            reasons.append(
                f"{len(ahead)} file(s) loaded after the last published night ({_names(ahead)}):"
                f" publishing them / {len(ahead)} tệp đã nạp sau lần công bố gần nhất: công bố"
            )
        rubrics = rubrics_loaded_since(settings, last.finished_at)
        if rubrics:
            reasons.append(
                f"Bộ tiêu chí mới / New rubric: {_names(rubrics)} — loaded with `parwh rubric load`"
                " after the last published night: scoring again / nạp sau lần công bố gần nhất:"
                " chấm điểm lại"
            )
        withdrawn = withdrawn_since(settings, last)
        if withdrawn:
            names = [name for name, _ in withdrawn]
            reasons.append(
                f"Rút hồ sơ / Withdrawn: {_names(names)} — {len(names)} submission(s) withdrawn after"
                " the last published night: rebuilding what depended on them / đã rút sau lần công bố"
                " gần nhất: dựng lại phần số liệu phụ thuộc"
                + (
                    "; PARWH_ENGINE=spark: record-level models rebuilt whole (as --full-refresh) so"
                    " that they forget them / số liệu hồ sơ chi tiết được dựng lại toàn bộ để bỏ các"
                    " bản ghi đã rút"
                    if settings.engine == "spark" and _records_among(withdrawn)
                    else ""
                )
            )
    return reasons


def nothing_new(settings: Settings) -> LastNight | None:
    """The last published night when tonight would change nothing, else ``None``."""
    last, _ = comparable_last_night(settings)
    if last is None:
        return None
    if reasons_to_run(settings, last):
        return None
    new_files = new_inbox_files(settings)
    if new_files is None or new_files:
        return None
    return last
