"""Who holds the working database: one line a user can act on, before a night starts; and
the warehouse lock (one pipeline process per warehouse: `parwh run`, `parwh withdraw`).

DuckDB allows one writing process, and a reader holding ``warehouse.duckdb`` open (even
read-only, e.g. DBeaver or a notebook) stops a night's writer. Without this check the night
failed deep inside dbt with a cut-off message and the holder only in the run log.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from settings import Settings

_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    program: str | None
    command: str | None  # the holder's command line, where the OS tells

    def describe(self) -> tuple[str, str]:
        """(English, Vietnamese) one-line descriptions of the holder and what to do."""
        who = f"process {self.pid}" if self.pid is not None else "another process"
        what = self.command or self.program or "unknown program"
        en = (
            f"the working database is open in {who} ({what}): close that program or connection"
            " (analysts: query published/latest.duckdb instead), then run again"
        )
        vi = (
            f"cơ sở dữ liệu làm việc đang được mở bởi tiến trình {self.pid or '?'} ({what}): hãy"
            " đóng chương trình hoặc kết nối đó (phân tích số liệu: dùng published/latest.duckdb),"
            " rồi chạy lại"
        )
        return en, vi


def _command_line(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    text = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return text[:200] or None


def lock_holder(database: Path) -> LockHolder | None:
    """The process holding ``database`` so that this process cannot write it, or ``None``
    when it can be opened for writing (or does not exist yet)."""
    if not database.exists():
        return None
    try:
        duckdb.connect(str(database)).close()
    except duckdb.Error as exc:
        message = str(exc)
        if not isinstance(exc, duckdb.IOException) or "lock" not in message.lower():
            return None  # not a lock held elsewhere: the night reports what it finds
        match = _HOLDER.search(message)
        if match is None:
            return LockHolder(None, None, None)
        pid = int(match["pid"])
        return LockHolder(pid, match["program"], _command_line(pid))
    return None


class WarehouseBusyError(RuntimeError):
    pass


@contextmanager
def warehouse_lock(settings: Settings) -> Iterator[None]:
    """One pipeline process per warehouse (DuckDB allows one writer)."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    lock_path = settings.warehouse_dir / ".pipeline.lock"
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise WarehouseBusyError(
                f"another parwh run is using {settings.warehouse_dir}; try again when it ends"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
