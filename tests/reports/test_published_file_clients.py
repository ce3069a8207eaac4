"""The publication is read by the clients analysts have, not only by this project's own
DuckDB: DuckDB clients of the previous major version (the oldest one the docs promise, 1.0,
and the newest 1.x: the CLI and the ODBC/JDBC drivers of SQL tools lag behind the Python
package) open every mart of the demo publication and read its Parquet set; pyarrow reads the
Parquet files with their exact types and values; the Node.js client (`@duckdb/node-api`)
reads both when npm can install it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from publication.swap import publish

#: the previous major version of the DuckDB client, installed in its own environment: the
#: oldest one docs/marts.md promises, and the newest 1.x
PREVIOUS_CLIENTS = {"oldest": "duckdb==1.0.0", "newest-1.x": "duckdb>=1.1,<2"}
NODE_CLIENT = "@duckdb/node-api"

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

READ_PARQUET_FOLDER = """
import json, os, sys
import duckdb
folder = sys.argv[1]
con = duckdb.connect()
pattern = folder + "/marts/*.parquet"
files = [r[0] for r in con.execute("select file from glob(?) order by 1", [pattern]).fetchall()]
counts, types = {}, {}
for file in files:
    name = os.path.basename(file)[: -len(".parquet")]
    counts[name] = con.execute("select count(*) from read_parquet(?)", [file]).fetchone()[0]
    described = con.execute("describe select * from read_parquet(?)", [file]).fetchall()
    types[name] = {r[0]: r[1] for r in described}
sample = con.execute(
    "select sum(rank), count(distinct unit_code) from read_parquet(?)", [folder + "/marts/rankings.parquet"]
).fetchone()
money = con.execute(
    "select cast(sum(plan_mvnd) as varchar), cast(sum(disbursed_mvnd) as varchar),"
    " typeof(sum(disbursed_mvnd)) from read_parquet(?)", [folder + "/marts/fct_budget_disbursement.parquet"]
).fetchone()
print(json.dumps({"version": duckdb.__version__, "counts": counts, "types": types,
                  "sample": [str(v) for v in sample], "money": list(money)}))
"""

NODE_READER = """
import { DuckDBInstance } from '@duckdb/node-api';
const [dbPath, folder] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();
const quoted = (text) => "'" + text.replaceAll("'", "''") + "'";
const version = (await rows('select version()'))[0][0];
const parquet = {};
const pattern = quoted(folder + '/marts/*.parquet');
for (const [file, n] of await rows(
  `select file_name, cast(num_rows as varchar) from parquet_file_metadata(${pattern})`)) {
  parquet[file.split('/').pop().replace('.parquet', '')] = Number(n);
}
const money = (await rows(`select cast(sum(disbursed_mvnd) as varchar) from
  read_parquet(${quoted(folder + '/marts/fct_budget_disbursement.parquet')})`))[0][0];
await con.run(`attach ${quoted(dbPath)} as published (read_only)`);
const published = {};
for (const [name] of await rows("select table_name from information_schema.tables"
    + " where table_catalog = 'published' and table_schema = 'marts'")) {
  const [[count]] = await rows(`select cast(count(*) as varchar) from published.marts."${name}"`);
  published[name] = Number(count);
}
console.log(JSON.stringify({ version, parquet, money, published }));
"""


def _venv_with(tmp_path_factory: pytest.TempPathFactory, name: str, requirement: str) -> Path:
    venv = tmp_path_factory.mktemp(f"duckdb_{name}") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
        check=True,
        timeout=900,
    )
    return python


@pytest.fixture(scope="session", params=sorted(PREVIOUS_CLIENTS))
def previous_duckdb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv_with(tmp_path_factory, request.param, PREVIOUS_CLIENTS[request.param])


@pytest.fixture(scope="session")
def parquet_set(published_db: Path) -> Path:
    """The current Parquet set, resolved once (as a reader should)."""
    latest = published_db.parent / "parquet" / "latest"
    assert latest.is_symlink(), "published/parquet/latest is not a link to a set"
    return latest.resolve()


def _published_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
    ]
    return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.lstrip("v").split(".")[:2]
    return int(major), int(minor)


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
        counts = _published_counts(con)
        sample = con.execute("select sum(rank), count(distinct unit_code) from marts.rankings").fetchone()
    finally:
        con.close()
    assert "rankings" in counts and counts["rankings"] > 0
    assert old["counts"] == counts
    assert old["sample"] == [str(v) for v in sample]


def test_pyarrow_reads_the_parquet_set_with_the_published_types_and_values(
    published_db: Path, parquet_set: Path
) -> None:
    schema = json.loads((parquet_set / "schema.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        counts = _published_counts(con)
        (run_id,) = con.execute("select run_id from meta.publication").fetchone()
        columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append((column, data_type))
        key_marts = ("rankings", "fct_budget_disbursement", "mart_points_lost")
        published_rows = {t: con.execute(f'select * from marts."{t}"').fetchall() for t in key_marts}
    finally:
        con.close()

    assert schema["run_id"] == run_id
    assert (published_db.parent / schema["duckdb_file"]).samefile(published_db)
    assert sorted(schema["marts"]) == sorted(counts)
    assert sorted(p.stem for p in (parquet_set / "marts").glob("*.parquet")) == sorted(counts)
    decimals = 0
    for table, expected_rows in counts.items():
        entry = schema["marts"][table]
        path = parquet_set / entry["file"]
        assert pq.read_metadata(path).num_rows == expected_rows == entry["rows"], table
        arrow_schema = pq.read_schema(path)
        assert arrow_schema.names == [name for name, _ in columns[table]], table
        assert [str(f.type) for f in arrow_schema] == [c["arrow_type"] for c in entry["columns"]], table
        for (name, data_type), field in zip(columns[table], arrow_schema, strict=True):
            if data_type.startswith("DECIMAL"):
                precision, scale = (int(x) for x in data_type[len("DECIMAL(") : -1].split(","))
                assert field.type == pa.decimal128(precision, scale), (table, name)
                decimals += 1
            elif pa.types.is_floating(field.type):
                assert data_type in ("DOUBLE", "FLOAT"), (table, name, data_type)
    assert decimals >= 2  # plan_mvnd, disbursed_mvnd stay exact
    # the dbt documentation travels with the files
    rankings_columns = {c["name"]: c for c in schema["marts"]["rankings"]["columns"]}
    assert schema["marts"]["rankings"]["description"]
    assert rankings_columns["score"]["description"]
    for table, rows in published_rows.items():
        from_parquet = [
            tuple(r.values()) for r in pq.read_table(parquet_set / f"marts/{table}.parquet").to_pylist()
        ]
        assert rows, table
        assert sorted(from_parquet, key=repr) == sorted(rows, key=repr), table


def test_a_previous_major_duckdb_client_reads_the_parquet_folder(
    published_db: Path, parquet_set: Path, previous_duckdb: Path
) -> None:
    done = subprocess.run(
        [str(previous_duckdb), "-c", READ_PARQUET_FOLDER, str(parquet_set)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    old = json.loads(done.stdout)
    assert old["version"].startswith("1.")
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        counts = _published_counts(con)
        sample = con.execute("select sum(rank), count(distinct unit_code) from marts.rankings").fetchone()
        money = con.execute(
            "select cast(sum(plan_mvnd) as varchar), cast(sum(disbursed_mvnd) as varchar), "
            "typeof(sum(disbursed_mvnd)) from marts.fct_budget_disbursement"
        ).fetchone()
        types = {
            table: dict(
                con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            )
            for table in counts
        }
    finally:
        con.close()
    assert old["counts"] == counts
    assert old["types"] == types  # the old client sees DECIMAL(18,3), dates, timestamps, as published
    assert old["sample"] == [str(v) for v in sample]
    assert old["money"] == list(money)
    assert money[2].startswith("DECIMAL")


@pytest.fixture(scope="session")
def node_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with `@duckdb/node-api` installed (skips when node or npm cannot install it)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed")
    folder = tmp_path_factory.mktemp("duckdb_node")
    (folder / "package.json").write_text('{"private": true, "type": "module"}\n', encoding="utf-8")
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", NODE_CLIENT],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"npm could not install {NODE_CLIENT}: {done.stderr[-500:]}")
    (folder / "read.mjs").write_text(NODE_READER, encoding="utf-8")
    return folder


def test_the_node_duckdb_client_reads_the_file_and_the_parquet_set(
    published_db: Path, parquet_set: Path, node_client: Path
) -> None:
    done = subprocess.run(
        ["node", "read.mjs", str(published_db), str(parquet_set)],
        cwd=node_client,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    assert _minor(read["version"]) >= (1, 0)
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        counts = _published_counts(con)
        (money,) = con.execute(
            "select cast(sum(disbursed_mvnd) as varchar) from marts.fct_budget_disbursement"
        ).fetchone()
    finally:
        con.close()
    assert read["published"] == counts
    assert read["parquet"] == counts
    assert read["money"] == money


def test_a_previous_major_duckdb_client_reads_a_publication_brought_up_to_date(
    published_db: Path, previous_duckdb: Path, tmp_path: Path
) -> None:
    """The second night's file is a copy of the first one's with periods replaced in place
    (publication/refresh.py): still in the storage format 1.0 clients read."""
    working_path = tmp_path / "working.duckdb"
    shutil.copyfile(published_db, working_path)
    working = duckdb.connect(str(working_path))
    published = tmp_path / "published"
    night = datetime(2026, 12, 1, tzinfo=UTC)
    publish(working, published, "night-1", now=night)
    (last_period,) = working.execute("select max(period_end) from marts.rankings").fetchone()
    working.execute("update marts.rankings set rank = rank + 1000 where period_end = ?", [last_period])
    second = publish(working, published, "night-2", now=night + timedelta(days=1))
    assert second.periods_replaced is not None and second.periods_replaced["rankings"] >= 1
    counts = _published_counts(working)
    sample = working.execute("select sum(rank), count(distinct unit_code) from marts.rankings").fetchone()
    working.close()

    done = subprocess.run(
        [str(previous_duckdb), "-c", READ_EVERY_MART, str(second.latest_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    old = json.loads(done.stdout)
    assert old["counts"] == counts
    assert old["sample"] == [str(v) for v in sample]
