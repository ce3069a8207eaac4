"""The publisher killed (SIGKILL) at each step: `parquet/latest` is always a whole Parquet
set, the old one up to its switch and the new one from then on, and it matches
`latest.duckdb` except between the two switches (two renames cannot be one)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from publication.swap import KILL_AT_ENV, LATEST_NAME, STEPS, publish

ROWS = 50_000

PUBLISHER = """
import sys, duckdb
from pathlib import Path
from publication.swap import publish
con = duckdb.connect(sys.argv[1])
publish(con, Path(sys.argv[2]), sys.argv[3], required_tables=("rankings",))
con.close()
"""


def _working(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.rankings as select 'L' || (i % 700) as unit_code,"
        " cast(i % 97 + 1 as integer) as rank, cast(i / 7 as decimal(18, 3)) as score"
        " from range(?) t(i)",
        [ROWS],
    )
    con.close()
    return path


def _parquet_run(published: Path) -> str:
    """The run id of the set `parquet/latest` points to, after checking the set is whole."""
    latest = published / "parquet" / "latest"
    schema = json.loads((latest / "schema.json").read_text(encoding="utf-8"))
    assert schema["marts"]["rankings"]["rows"] == ROWS
    table = pq.read_table(latest / schema["marts"]["rankings"]["file"])
    assert table.num_rows == ROWS
    assert str(table.schema.field("score").type) == "decimal128(18, 3)"
    return schema["run_id"]


def _duckdb_run(published: Path) -> str:
    con = duckdb.connect(str(published / LATEST_NAME), read_only=True)
    try:
        return con.execute("select run_id from meta.publication").fetchone()[0]
    finally:
        con.close()


def test_parquet_set_killed_at_each_step(tmp_path: Path) -> None:
    working = _working(tmp_path / "working.duckdb")
    published = tmp_path / "published"
    con = duckdb.connect(str(working))
    publish(con, published, "old")
    con.close()
    for step in STEPS:
        run_id = f"killed-at-{step}"
        process = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, str(working), str(published), run_id],
            env={**os.environ, KILL_AT_ENV: step},
            cwd=Path(__file__).resolve().parents[2],
        )
        assert process.wait(timeout=120) == -signal.SIGKILL, step
        parquet_run, duckdb_run = _parquet_run(published), _duckdb_run(published)
        parquet_switched = STEPS.index(step) >= STEPS.index("parquet_switched")
        assert parquet_run == (run_id if parquet_switched else "old"), step
        if step == "switched":  # killed between the two switches: the only window
            assert (duckdb_run, parquet_run) == (run_id, "old")
        else:
            assert duckdb_run == parquet_run, step
        # the next publication cleans what the killed one left and switches both
        con = duckdb.connect(str(working))
        publish(con, published, "old")
        con.close()
        assert _parquet_run(published) == _duckdb_run(published) == "old"
        assert not [p.name for p in (published / "parquet").iterdir() if p.name.startswith(".")], step
