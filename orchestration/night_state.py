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

from ingest.inbox import InboxHashes, hashed_inbox_files
from orchestration.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("dbt_project", "ingest", "expectations", "orchestration", "reports")
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
    for name in RESULT_SETTINGS:
        digest.update(f"{name}={os.environ.get(name, '')}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class LastNight:
    run_id: str
    finished_at: str  # ISO 8601, UTC
    code_fingerprint: str
    inbox_dir: str


def read_last_night(settings: Settings) -> LastNight | None:
    try:
        data = json.loads(settings.last_night_path.read_text(encoding="utf-8"))
        return LastNight(**data)
    except (OSError, ValueError, TypeError):
        return None


def record_published_night(settings: Settings, run_id: str, fingerprint: str) -> None:
    """Called at the end of a night that published (written atomically)."""
    state = LastNight(
        run_id=run_id,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        code_fingerprint=fingerprint,
        inbox_dir=str(settings.inbox_dir),
    )
    tmp = settings.last_night_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    os.replace(tmp, settings.last_night_path)


def new_inbox_files(settings: Settings) -> list[str] | None:
    """Inbox files not yet registered under the same name and content; ``None`` when the
    warehouse cannot tell (no database yet, or it is busy)."""
    if not settings.database_path.exists():
        return None
    hashes = InboxHashes(settings.inbox_hash_cache)
    files = hashed_inbox_files(settings.inbox_dir, hashes)
    hashes.save()
    try:
        con = duckdb.connect(str(settings.database_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        seen = set(con.execute("select file_id, file_name from raw.file_manifest").fetchall())
    except duckdb.Error:
        return None
    finally:
        con.close()
    return [rel for _, rel, sha in files if (sha, rel) not in seen]


def nothing_new(settings: Settings) -> LastNight | None:
    """The last published night when tonight would change nothing, else ``None``."""
    last = read_last_night(settings)
    if last is None or not settings.latest_path.exists():
        return None
    if last.inbox_dir != str(settings.inbox_dir) or last.code_fingerprint != code_fingerprint():
        return None
    new_files = new_inbox_files(settings)
    if new_files is None or new_files:
        return None
    return last
