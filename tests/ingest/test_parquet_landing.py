"""The raw tables landed as Parquet for Spark: complete, typed, and rewritten only when
their rows changed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.parquet_landing import DATA_FILE, land_raw_tables
from ingest.warehouse import RAW_TABLES, ensure_schema


def _insert_budget_row(con: duckdb.DuckDBPyConnection, file_id: str, row: int) -> None:
    con.execute(
        "insert into raw.budget values (?, ?, 'L866', 'TP Cao Lãnh', 2023, date '2023-08-15',"
        " 'Tổng', 1234.5, 617.25, false, timestamp '2023-09-01 01:02:03.456789')",
        [file_id, row],
    )


def _written(landings) -> set[str]:
    return {item.table for item in landings if item.written}


def test_every_raw_table_is_landed_once_and_again_only_when_it_changes(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    ensure_schema(con)
    _insert_budget_row(con, "f1", 1)
    landing = tmp_path / "landing"

    first = land_raw_tables(con, landing)
    assert _written(first) == set(RAW_TABLES)
    for table in RAW_TABLES:
        assert (landing / table / DATA_FILE).exists(), table
    units = {item.table: item.rows for item in first}["admin_units"]
    assert units > 10_000

    assert _written(land_raw_tables(con, landing)) == set()

    _insert_budget_row(con, "f2", 1)
    con.execute(
        "insert into raw.file_manifest (file_id, file_name, status) values ('f2', 'b.xlsx', 'pending')"
    )
    assert _written(land_raw_tables(con, landing)) == {"budget", "file_manifest"}
    # an update in place (the manifest's status) is a change too
    con.execute("update raw.file_manifest set status = 'loaded' where file_id = 'f2'")
    assert _written(land_raw_tables(con, landing)) == {"file_manifest"}

    # what Spark will read is the table, with DuckDB's types
    rows = duckdb.sql(
        f"select file_id, plan_mvnd, disbursed_mvnd, loaded_at from "
        f"read_parquet('{landing / 'budget' / DATA_FILE}') order by file_id"
    ).fetchall()
    assert rows == [
        ("f1", Decimal("1234.500"), Decimal("617.250"), datetime(2023, 9, 1, 1, 2, 3, 456789)),
        ("f2", Decimal("1234.500"), Decimal("617.250"), datetime(2023, 9, 1, 1, 2, 3, 456789)),
    ]
    assert not list(landing.glob(".*")), "no staging folder is left behind"


def test_a_landing_that_fails_keeps_the_previous_one(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch
) -> None:
    ensure_schema(con)
    _insert_budget_row(con, "f1", 1)
    landing = tmp_path / "landing"
    land_raw_tables(con, landing)
    _insert_budget_row(con, "f2", 1)
    original_execute = duckdb.DuckDBPyConnection.execute

    class FailingCopy:
        def __init__(self, inner: duckdb.DuckDBPyConnection) -> None:
            self.inner = inner

        def execute(self, sql: str, *args):
            if sql.startswith("copy (select * from raw.budget)"):
                raise duckdb.IOException("disk full")
            return original_execute(self.inner, sql, *args)

    try:
        land_raw_tables(FailingCopy(con), landing)  # type: ignore[arg-type]
    except duckdb.IOException:
        pass
    else:
        raise AssertionError("the failed copy was not reported")
    ((count,),) = duckdb.sql(
        f"select count(*) from read_parquet('{landing / 'budget' / DATA_FILE}')"
    ).fetchall()
    assert count == 1
    assert len(land_raw_tables(con, landing)) == len(RAW_TABLES)
    ((count,),) = duckdb.sql(
        f"select count(*) from read_parquet('{landing / 'budget' / DATA_FILE}')"
    ).fetchall()
    assert count == 2
