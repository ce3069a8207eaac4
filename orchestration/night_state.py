"""Does tonight have anything to do? The fast path of a night with nothing new.

A night changes nothing when no inbox file is new (same content under the same name as a
file in ``raw.file_manifest``), the code and dbt project are those of the last published
night, and so are the settings that change results. No rule depends on the calendar date
(timeliness compares load times with period ends), so such a night would publish the same
file again: `parwh run` and the 01:00 schedule skip it in about a second instead of
starting Dagster and dbt. ``parwh run --force`` runs it anyway.

No Dagster or dbt imports here: this runs before they load.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.errors import IngestError
from ingest.inbox import InboxHashes, classify, hashed_inbox_files
from orchestration.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("dbt_project", "ingest", "expectations", "orchestration", "reports")
CODE_FILES = ("pyproject.toml", "uv.lock")  # package versions (the admin unit lists come from one)
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".md", ".html"}
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
        digest.update(f"{name}={os.environ.get(name, '')}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class LastNight:
    run_id: str
    finished_at: str  # ISO 8601, UTC
    code_fingerprint: str
    inbox_dir: str
    # max(raw.file_manifest.loaded_at) when it published: later rows are not published yet
    manifest_loaded_through: str | None = None


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


def _query_warehouse(settings: Settings, sql: str, params: list | None = None) -> list[tuple] | None:
    """Rows of a read-only query; ``None`` when there is no database yet or it is busy."""
    if not settings.database_path.exists():
        return None
    try:
        con = duckdb.connect(str(settings.database_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()


def _new_inbox_paths(settings: Settings) -> list[tuple[Path, str]] | None:
    if not settings.database_path.exists():
        return None
    hashes = InboxHashes(settings.inbox_hash_cache)
    files = hashed_inbox_files(settings.inbox_dir, hashes)
    hashes.save()
    seen = _query_warehouse(settings, "select file_id, file_name from raw.file_manifest")
    if seen is None:
        return None
    registered = set(seen)
    return [(path, rel) for path, rel, sha in files if (sha, rel) not in registered]


def new_inbox_files(settings: Settings) -> list[str] | None:
    """Inbox files not yet registered under the same name and content; ``None`` when the
    warehouse cannot tell (no database yet, or it is busy)."""
    new = _new_inbox_paths(settings)
    return None if new is None else [rel for _, rel in new]


def changed_families(settings: Settings, last: LastNight) -> set[str] | None:
    """Source families whose raw data may differ from the last published night's: those of
    the new inbox files (recognised by their header, as registration will) and those of the
    files registered or loaded since that night (a night that failed or was held back).
    ``None`` when that cannot be told: the whole pipeline must run."""
    if last.manifest_loaded_through is None:
        return None
    new = _new_inbox_paths(settings)
    since = _query_warehouse(
        settings,
        "select distinct source_family from raw.file_manifest"
        " where loaded_at > cast(? as timestamp) and status in ('pending', 'loaded')"
        " and source_family is not null",
        [last.manifest_loaded_through],
    )
    if new is None or since is None:
        return None
    families = {family for (family,) in since}
    for path, rel in new:
        try:
            families.update(classify(path, rel))
        except IngestError:
            continue  # registration rejects it: no data of any family changes
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


def nothing_new(settings: Settings) -> LastNight | None:
    """The last published night when tonight would change nothing, else ``None``."""
    last, _ = comparable_last_night(settings)
    if last is None:
        return None
    new_files = new_inbox_files(settings)
    if new_files is None or new_files:
        return None
    return last
