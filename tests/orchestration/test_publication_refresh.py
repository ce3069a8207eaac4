"""A new publication starts from a copy of the previous one and replaces only the periods
whose rows changed (publication/refresh.py), on real DuckDB files: whatever the copy holds,
the new publication holds exactly the working database's marts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from publication.swap import Publication, publish

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
MONTH_ENDS = [date(2026, month, 28) for month in range(1, 13)]


def _working_db(path: Path) -> duckdb.DuckDBPyConnection:
    """Marts shaped like the real ones: a large one by period, a small one by period with a
    period left empty, and one without periods."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_scores as "
        "select 'U' || (i % 40) as unit_code, make_date(2026, 1 + i % 12, 28) as period_end, "
        "cast(i % 997 / 7 as decimal(18, 3)) as score "
        "from range(12000) as t(i)"
    )
    con.execute(
        "create table marts.rankings as "
        "select 'U' || (i % 40) as unit_code, make_date(2026, 1 + i % 12, 28) as period_end, "
        "cast(i % 40 + 1 as integer) as rank from range(480) as t(i)"
    )
    con.execute("insert into marts.rankings values ('U0', null, 1)")
    con.execute(
        "create table marts.dim_admin_units as "
        "select 'U' || i as unit_code, 'Xã số ' || i as unit_name from range(40) as t(i)"
    )
    return con


def _publish(con: duckdb.DuckDBPyConnection, published: Path, night: int) -> Publication:
    return publish(con, published, f"run-{night}", now=START + timedelta(days=night))


def _first_night(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path, Publication]:
    """The working database and its first publication (copied whole: there is no last one)."""
    con = _working_db(tmp_path / "w.duckdb")
    published = tmp_path / "published"
    first = _publish(con, published, 0)
    assert first.started_from is None and first.periods_replaced is None
    return con, published, first


def _published_rows(path: Path, mart: str) -> list[tuple]:
    reader = duckdb.connect(str(path), read_only=True)
    try:
        return sorted(reader.execute(f"select * from marts.{mart}").fetchall(), key=repr)
    finally:
        reader.close()


def _assert_published_as_working(con: duckdb.DuckDBPyConnection, publication: Publication) -> None:
    for (mart,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
    ).fetchall():
        working = sorted(con.execute(f"select * from marts.{mart}").fetchall(), key=repr)
        assert _published_rows(publication.latest_path, mart) == working, mart
        parquet = pq.read_table(publication.parquet_latest_path / "marts" / f"{mart}.parquet")
        assert parquet.num_rows == len(working), mart


def test_a_day_of_records_replaces_only_its_periods(tmp_path: Path) -> None:
    con, published, first = _first_night(tmp_path)

    # the night's new day changes December's scores and ranks
    con.execute("update marts.fct_scores set score = score + 1 where period_end = date '2026-12-28'")
    con.execute("update marts.rankings set rank = 41 - rank where period_end = date '2026-12-28'")
    second = _publish(con, published, 1)

    assert second.started_from == first.path.name
    assert second.periods_replaced == {"dim_admin_units": 0, "fct_scores": 1, "rankings": 1}
    _assert_published_as_working(con, second)
    reader = duckdb.connect(str(second.latest_path), read_only=True)
    assert reader.execute("select run_id, tables from meta.publication").fetchall() == [("run-1", 3)]
    reader.close()
    # the previous publication is untouched
    assert _published_rows(first.path, "rankings") != _published_rows(second.path, "rankings")
    con.close()


def test_rows_the_copy_holds_wrongly_are_replaced_whatever_the_night_changed(tmp_path: Path) -> None:
    """The copy is compared with the working marts, never trusted: a published row altered
    after publication (a restored backup, a hand edit) is put right in the next one."""
    con, published, first = _first_night(tmp_path)
    editor = duckdb.connect(str(first.path))
    editor.execute(
        "update marts.fct_scores set score = 0 where unit_code = 'U3' and period_end = date '2026-04-28'"
    )
    editor.execute("update marts.rankings set rank = 99 where period_end is null")
    editor.execute("update marts.dim_admin_units set unit_name = 'sai' where unit_code = 'U7'")
    editor.close()

    second = _publish(con, published, 1)

    assert second.periods_replaced == {"fct_scores": 1, "rankings": 1}  # dim_admin_units copied whole
    _assert_published_as_working(con, second)
    con.close()


def test_new_and_removed_periods_rows_and_marts(tmp_path: Path) -> None:
    con, published, _ = _first_night(tmp_path)
    con.execute("delete from marts.rankings where period_end = date '2026-03-28'")
    con.execute("insert into marts.rankings values ('U1', date '2027-01-28', 1), ('U1', null, 2)")
    con.execute("delete from marts.fct_scores where unit_code = 'U5' and period_end = date '2026-06-28'")
    con.execute("create table marts.fct_staffing as select 'U1' as unit_code, 3 as staff")
    con.execute("drop table marts.dim_admin_units")

    second = _publish(con, published, 1)

    # March gone, January 2027 new, the null period changed; June lost a unit
    assert second.periods_replaced == {"fct_scores": 1, "rankings": 3}
    _assert_published_as_working(con, second)
    reader = duckdb.connect(str(second.latest_path), read_only=True)
    tables = reader.execute("select table_name from duckdb_tables() where schema_name = 'marts' order by 1")
    assert [name for (name,) in tables.fetchall()] == ["fct_scores", "fct_staffing", "rankings"]
    reader.close()
    con.close()


def test_changed_columns_or_most_periods_copy_the_mart_whole(tmp_path: Path) -> None:
    con, published, _ = _first_night(tmp_path)
    con.execute("alter table marts.rankings add column band varchar default 'A'")
    con.execute("update marts.fct_scores set score = score + 1 where period_end >= date '2026-06-28'")

    second = _publish(con, published, 1)

    assert second.periods_replaced == {"dim_admin_units": 0}
    _assert_published_as_working(con, second)
    con.close()


def test_an_unreadable_previous_publication_is_not_used(tmp_path: Path) -> None:
    con, published, first = _first_night(tmp_path)
    first.path.write_bytes(b"not a DuckDB file")  # latest.duckdb is the same file

    second = _publish(con, published, 1)

    assert second.started_from is None and second.periods_replaced is None
    _assert_published_as_working(con, second)
    con.close()


def test_nights_of_period_replacements_keep_the_file_size_bounded(tmp_path: Path) -> None:
    con = _working_db(tmp_path / "w.duckdb")
    con.execute("insert into marts.fct_scores select * from marts.fct_scores")
    con.execute("insert into marts.fct_scores select * from marts.fct_scores")
    published = tmp_path / "published"
    first = _publish(con, published, 0)
    sizes = []
    for night, month_end in enumerate(MONTH_ENDS[6:], start=1):
        con.execute(f"update marts.fct_scores set score = score + 1 where period_end = date '{month_end}'")
        publication = _publish(con, published, night)
        assert publication.periods_replaced["fct_scores"] == 1
        sizes.append(publication.path.stat().st_size)
    _assert_published_as_working(con, publication)
    assert max(sizes) <= 2 * first.path.stat().st_size, sizes
    reader = duckdb.connect(str(publication.latest_path), read_only=True)
    assert (
        reader.execute("select sum(score) from marts.fct_scores").fetchone()[0]
        == con.execute("select sum(score) from marts.fct_scores").fetchone()[0]
    )
    assert isinstance(reader.execute("select score from marts.fct_scores limit 1").fetchone()[0], Decimal)
    reader.close()
    con.close()
