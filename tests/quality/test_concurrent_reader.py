"""A reader process opens `latest.duckdb` read-only in a loop during a whole nightly run
(`parwh run` in its own process): it never gets a lock error and sees the switch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from settings import Settings
from tests.e2e.inbox_files import write_small_inbox

ROOT = Path(__file__).resolve().parents[2]

READER = """
import json, sys, time
from pathlib import Path
import duckdb
latest, log, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with log.open("w") as out:
    while not stop.exists():
        try:
            con = duckdb.connect(str(latest), read_only=True)
            try:
                (run_id,) = con.execute("select run_id from meta.publication").fetchone()
                con.execute("select count(*) from marts.rankings").fetchone()
            finally:
                con.close()
            out.write(json.dumps({"run_id": run_id}) + "\\n")
        except Exception as exc:
            out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\\n")
        out.flush()
        time.sleep(0.02)
"""


def _parwh_run(settings: Settings, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARWH_WAREHOUSE": str(settings.warehouse_dir), "COLUMNS": "200"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "run",
            "--warehouse",
            str(settings.warehouse_dir),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_reader_never_blocked_during_a_nightly_run(warehouse_settings: Settings, tmp_path: Path) -> None:
    write_small_inbox(warehouse_settings.inbox_dir)
    first = _parwh_run(warehouse_settings)
    assert first.returncode == 0, first.stdout + first.stderr
    log, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse_settings.latest_path), str(log), str(stop)],
        cwd=ROOT,
    )
    try:
        time.sleep(1.0)  # the reader is reading before the run starts
        second = _parwh_run(warehouse_settings, "--force")  # nothing new: forced, not skipped
        time.sleep(1.0)  # and after it ends
    finally:
        stop.touch()
        reader.wait(timeout=60)
    assert second.returncode == 0, second.stdout + second.stderr
    reads = [json.loads(line) for line in log.read_text().splitlines()]
    errors = [r["error"] for r in reads if "error" in r]
    assert not errors, errors[:5]
    runs = [r["run_id"] for r in reads]
    assert len(runs) > 100, len(runs)
    # the reader saw the first publication, then the second one (the switch), never back
    switches = [i for i in range(1, len(runs)) if runs[i] != runs[i - 1]]
    assert len(switches) == 1, switches
    assert runs[0] != runs[-1]
