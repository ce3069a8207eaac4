"""The processes a night starts (dbt, the warm dbt process): each records its process id
in ``<warehouse>/run_children/<pid>``, so that the next night can end one left running by
a night that died. Imports nothing heavy: the CLI calls it before it knows whether tonight
runs at all (a no-op night must not wait for Dagster and dbt to import)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

__all__ = ["CHILDREN_DIR", "is_ours", "kill_leftover_children"]

# Where a dbt started by a night records its process id: <warehouse>/run_children/<pid>.
CHILDREN_DIR = "run_children"


def _environ(pid: int) -> dict[str, str]:
    """The environment a process started with (Linux /proc); empty when not readable."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {key.decode(errors="replace"): value.decode(errors="replace") for key, value in pairs}


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def is_ours(pid: int, warehouse_dir: Path) -> bool:
    """A process of this warehouse: started with PARWH_WAREHOUSE set to it, or naming it on
    its command line. Never this process."""
    if pid == os.getpid():
        return False
    warehouse = str(warehouse_dir)
    if _environ(pid).get("PARWH_WAREHOUSE") == warehouse:
        return True
    return any(warehouse in part for part in _cmdline(pid))


def kill_leftover_children(warehouse_dir: Path) -> list[int]:
    """End the processes an earlier night started (dbt) that still run; returns their ids.

    Called at the start of a night, holding the warehouse lock, so no night of this
    warehouse is running: a recorded process still alive is a leftover of a night that
    died. Only processes proven ours (:func:`is_ours`) are killed; a recorded id now used by
    another program is left alone. The records are removed.
    """
    children = warehouse_dir / CHILDREN_DIR
    killed: list[int] = []
    if not children.is_dir():
        return killed
    for record in sorted(children.iterdir()):
        if record.name.isdigit() and is_ours(int(record.name), warehouse_dir):
            try:
                os.kill(int(record.name), signal.SIGKILL)
                killed.append(int(record.name))
            except ProcessLookupError:
                pass
        record.unlink(missing_ok=True)
    return killed
