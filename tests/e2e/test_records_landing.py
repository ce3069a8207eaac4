"""The record exports landed for Spark one Parquet file per submitted file: a night writes
the files it received, deletes those whose rows left the table (withdrawn, replaced), and
leaves the others untouched; the folder read whole is the table, row for row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from ingest.parquet_landing import DATA_FILE, FILES_MANIFEST, land_raw_tables
from ingest.warehouse import ensure_schema

TABLE = "dossier_records"


def _add_file(con: duckdb.DuckDBPyConnection, file_id: str, rows: int, loaded_at: datetime) -> None:
    for row in range(1, rows + 1):
        con.execute(
            "insert into raw.dossier_records (file_id, source_row, dossier_id, unit_code, loaded_at)"
            " values (?, ?, ?, '866', ?)",
            [file_id, row, f"{file_id}-{row}", loaded_at],
        )


def _landing(con: duckdb.DuckDBPyConnection, landing: Path):
    return {item.table: item for item in land_raw_tables(con, landing)}[TABLE]


def _files(landing: Path) -> dict[str, int]:
    """landed data file → its modification time (ns)"""
    return {
        path.name: path.stat().st_mtime_ns
        for path in (landing / TABLE).glob("*.parquet")
        if path.name != DATA_FILE
    }


def _landed_rows(landing: Path) -> list[tuple]:
    return duckdb.sql(
        f"select file_id, source_row, dossier_id from read_parquet('{landing / TABLE}/*.parquet')"
        " order by all"
    ).fetchall()


def _table_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select file_id, source_row, dossier_id from raw.dossier_records order by all"
    ).fetchall()


def test_records_are_landed_per_submitted_file(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(con)
    landing = tmp_path / "landing"

    # no records yet: a file of no rows holds the columns
    first = _landing(con, landing)
    assert first.written and first.rows == 0
    assert (landing / TABLE / DATA_FILE).exists() and _files(landing) == {}
    assert _landed_rows(landing) == []

    _add_file(con, "a" * 64, 3, datetime(2026, 11, 1, 1))
    _add_file(con, "b" * 64, 2, datetime(2026, 11, 1, 1))
    night1 = _landing(con, landing)
    assert (night1.files_written, night1.files_removed, night1.rows) == (2, 0, 5)
    assert _landed_rows(landing) == _table_rows(con)
    assert not list(landing.glob(".*")), "no staging folder is left behind"
    before = _files(landing)
    assert len(before) == 2

    # nothing changed: nothing written
    assert not _landing(con, landing).written
    assert _files(landing) == before

    # a night with one more file writes that file only
    _add_file(con, "c" * 64, 4, datetime(2026, 11, 2, 1))
    night2 = _landing(con, landing)
    assert (night2.files_written, night2.files_removed) == (1, 0)
    after = _files(landing)
    assert {name: after[name] for name in before} == before, "the landed files were not touched"
    assert len(after) == 3
    assert _landed_rows(landing) == _table_rows(con)

    # a withdrawn (or replaced) file's rows leave the table: its landed file goes too
    con.execute("delete from raw.dossier_records where file_id = ?", ["a" * 64])
    night3 = _landing(con, landing)
    assert (night3.files_written, night3.files_removed) == (0, 1)
    assert _landed_rows(landing) == _table_rows(con)
    assert len(_files(landing)) == 2

    # a file whose rows changed (more rows under its id) is landed again
    con.execute(
        "insert into raw.dossier_records (file_id, source_row, dossier_id, unit_code, loaded_at)"
        " values (?, 9, 'extra', '866', ?)",
        ["b" * 64, datetime(2026, 11, 3, 1)],
    )
    night4 = _landing(con, landing)
    assert (night4.files_written, night4.files_removed) == (1, 0)
    assert _landed_rows(landing) == _table_rows(con)

    # every record withdrawn: the folder holds the columns and no rows
    con.execute("delete from raw.dossier_records")
    assert _landing(con, landing).files_removed == 2
    assert _files(landing) == {} and _landed_rows(landing) == []
    assert (landing / TABLE / FILES_MANIFEST).exists()
    con.close()


def test_a_whole_table_landing_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(con)
    _add_file(con, "a" * 64, 3, datetime(2026, 11, 1, 1))
    landing = tmp_path / "landing"
    folder = landing / TABLE
    folder.mkdir(parents=True)
    # the earlier landing: the whole table in data.parquet, a fingerprint beside it
    con.execute(f"copy (select * from raw.dossier_records) to '{folder / DATA_FILE}' (format parquet)")
    (folder / "_parwh_fingerprint.json").write_text("{}", encoding="utf-8")
    landed = _landing(con, landing)
    assert landed.files_written == 1
    assert _landed_rows(landing) == _table_rows(con), "no row is read twice"
    assert not (folder / "_parwh_fingerprint.json").exists()
    con.close()
