"""The publisher killed (SIGKILL) at random moments and at each step: `latest.duckdb` is
always the old publication or the new one, byte for byte, and opens with DuckDB."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from publication.swap import KILL_AT_ENV, LATEST_NAME, STEPS, publish

ROWS = 1_500_000
KILLS = 24

PUBLISHER = """
import sys, duckdb
from pathlib import Path
from publication.swap import publish
con = duckdb.connect(sys.argv[1])
publish(con, Path(sys.argv[2]), sys.argv[3], required_tables=("rankings",))
con.close()
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _working(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.rankings as select 'L' || (i % 700) as unit_code,"
        " cast(i % 97 + 1 as integer) as rank, random() as score from range(?) t(i)",
        [ROWS],
    )
    con.close()
    return path


def _start(working: Path, published: Path, run_id: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(working), str(published), run_id],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def _assert_old_or_new(published: Path, old_digest: str, old_run: str = "old") -> str:
    """latest is the old file, or one of the complete new publications; returns its run id."""
    latest = published / LATEST_NAME
    digest = _digest(latest)
    stamped = {_digest(p) for p in published.glob("2*.duckdb")}
    assert digest == old_digest or digest in stamped
    con = duckdb.connect(str(latest), read_only=True)
    try:
        (run_id,) = con.execute("select run_id from meta.publication").fetchone()
        (rows,) = con.execute("select count(*) from marts.rankings").fetchone()
    finally:
        con.close()
    assert rows == ROWS
    if digest == old_digest:
        assert run_id == old_run
    return str(run_id)


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Path, Path, str]:
    working = _working(tmp_path / "working.duckdb")
    published = tmp_path / "published"
    con = duckdb.connect(str(working))
    publish(con, published, "old")
    con.close()
    return working, published, _digest(published / LATEST_NAME)


def test_killed_at_each_step(prepared: tuple[Path, Path, str]) -> None:
    working, published, old = prepared
    for step in STEPS:
        env = {**os.environ, KILL_AT_ENV: step}
        process = _start(working, published, f"killed-at-{step}", env)
        assert process.wait(timeout=120) == -signal.SIGKILL, step
        seen = _assert_old_or_new(published, old)
        # up to the atomic rename, the old file; from then on, the new one
        switched = STEPS.index(step) >= STEPS.index("switched")
        assert (seen != "old") == switched, (step, seen)
        if switched:  # start the next step from the old publication again
            con = duckdb.connect(str(working))
            publish(con, published, "old", now=None)
            con.close()
            old = _digest(published / LATEST_NAME)


def test_killed_at_random_moments(prepared: tuple[Path, Path, str]) -> None:
    working, published, old = prepared
    env = {k: v for k, v in os.environ.items() if k != KILL_AT_ENV}
    started = time.monotonic()
    full = _start(working, published, "timing", env)
    assert full.wait(timeout=120) == 0
    duration = time.monotonic() - started
    old = _digest(published / LATEST_NAME)
    old_run = "timing"
    rng = random.Random(20260105)
    outcomes: dict[str, int] = {"old": 0, "new": 0}
    for i in range(KILLS):
        process = _start(working, published, f"kill-{i}", env)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        seen = _assert_old_or_new(published, old, old_run)
        if seen == f"kill-{i}":
            outcomes["new"] += 1
            old, old_run = _digest(published / LATEST_NAME), seen
        else:
            assert _digest(published / LATEST_NAME) == old
            outcomes["old"] += 1
    # the kills landed both before and after the switch (else the delays were wrong)
    assert outcomes["old"] > 0 and sum(outcomes.values()) == KILLS, outcomes
    leftovers = [p.name for p in published.iterdir() if p.name.startswith(".")]
    con = duckdb.connect(str(working))
    publish(con, published, "clean-up")
    con.close()
    assert not [p for p in published.iterdir() if p.name.startswith(".")], leftovers
