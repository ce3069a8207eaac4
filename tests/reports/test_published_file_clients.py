"""The published file is read by the clients analysts have, not only by this project's own
DuckDB: a DuckDB client of the previous major version (the CLI and the ODBC/JDBC drivers of
SQL tools lag behind the Python package) opens every mart of the demo publication."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

#: the previous major version of the DuckDB client, installed in its own environment
PREVIOUS_CLIENT = "duckdb>=1.1,<2"

READ_EVERY_MART = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [r[0] for r in con.execute(
    "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
).fetchall()]
counts = {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
sample = con.execute("select sum(rank), count(distinct unit_code) from marts.rankings").fetchone()
print(json.dumps({"version": duckdb.__version__, "counts": counts, "sample": [str(v) for v in sample]}))
"""


@pytest.fixture(scope="session")
def previous_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("previous_duckdb") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PREVIOUS_CLIENT],
        check=True,
        timeout=900,
    )
    return python


def test_a_previous_major_duckdb_client_reads_every_published_mart(
    published_db: Path, previous_duckdb: Path
) -> None:
    done = subprocess.run(
        [str(previous_duckdb), "-c", READ_EVERY_MART, str(published_db)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    old = json.loads(done.stdout)
    assert old["version"].startswith("1.")
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        counts = {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
        sample = con.execute("select sum(rank), count(distinct unit_code) from marts.rankings").fetchone()
    finally:
        con.close()
    assert "rankings" in counts and counts["rankings"] > 0
    assert old["counts"] == counts
    assert old["sample"] == [str(v) for v in sample]
