"""Write, audit, publish on real DuckDB files and Parquet sets."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from publication import swap
from publication.swap import (
    PublicationError,
    prune_old_parquet_sets,
    prune_old_publications,
    publish,
)


def _working_db(path: Path, ranks: list[tuple[str, int]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.rankings(unit_code varchar, rank integer)")
    con.executemany("insert into marts.rankings values (?, ?)", ranks)
    con.execute("create schema if not exists staging")
    con.execute("create or replace table staging.not_published(x integer)")
    return con


def test_publish_writes_latest_and_a_timestamped_copy(tmp_path: Path) -> None:
    con = _working_db(tmp_path / "w.duckdb", [("L867", 1), ("L866", 2)])
    published = tmp_path / "published"
    publication = publish(con, published, "run-1", required_tables=("rankings",))
    con.close()

    assert publication.row_counts == {"rankings": 2}
    latest = duckdb.connect(str(published / "latest.duckdb"), read_only=True)
    assert latest.execute("select unit_code from marts.rankings order by rank").fetchall() == [
        ("L867",),
        ("L866",),
    ]
    assert latest.execute("select run_id from meta.publication").fetchone() == ("run-1",)
    schemas = {r[0] for r in latest.execute("select schema_name from information_schema.schemata").fetchall()}
    assert "staging" not in schemas
    latest.close()
    assert publication.path.exists() and publication.path.name.endswith("Z.duckdb")
    assert not list(published.glob(".*"))


def test_reader_keeps_its_file_while_a_new_one_is_published(tmp_path: Path) -> None:
    con = _working_db(tmp_path / "w.duckdb", [("A", 1)])
    published = tmp_path / "published"
    publish(con, published, "run-1")
    reader = duckdb.connect(str(published / "latest.duckdb"), read_only=True)
    con.execute("insert into marts.rankings values ('B', 2)")
    publish(con, published, "run-2", now=datetime.now(UTC) + timedelta(seconds=1))
    # the open reader still sees the publication it opened
    assert reader.execute("select count(*) from marts.rankings").fetchone() == (1,)
    reader.close()
    fresh = duckdb.connect(str(published / "latest.duckdb"), read_only=True)
    assert fresh.execute("select count(*) from marts.rankings").fetchone() == (2,)
    fresh.close()
    con.close()


def test_failed_audit_leaves_latest_untouched(tmp_path: Path) -> None:
    con = _working_db(tmp_path / "w.duckdb", [("A", 1)])
    published = tmp_path / "published"
    publish(con, published, "run-1")
    before = (published / "latest.duckdb").read_bytes()
    con.execute("insert into marts.rankings values ('B', null)")
    with pytest.raises(PublicationError, match="without unit or rank"):
        publish(con, published, "run-2", now=datetime.now(UTC) + timedelta(seconds=1))
    con.close()
    assert (published / "latest.duckdb").read_bytes() == before
    assert not list(published.glob(".*tmp*"))


def test_missing_required_mart_is_refused(tmp_path: Path) -> None:
    con = _working_db(tmp_path / "w.duckdb", [("A", 1)])
    with pytest.raises(PublicationError, match="fct_scores"):
        publish(con, tmp_path / "published", "run-1", required_tables=("rankings", "fct_scores"))
    con.close()
    assert not (tmp_path / "published" / "latest.duckdb").exists()


def test_keeps_current_and_seven_previous(tmp_path: Path) -> None:
    published = tmp_path / "published"
    published.mkdir()
    for i in range(10):
        (published / f"2026010{0}T0000{i:02d}000000Z.duckdb").write_bytes(b"x")
    (published / "latest.duckdb").write_bytes(b"x")
    removed = prune_old_publications(published)
    assert len(removed) == 2
    remaining = sorted(p.name for p in published.glob("*.duckdb"))
    assert len(remaining) == 9  # latest + current + 7 previous
    assert "20260100T000000000000Z.duckdb" not in remaining


# --- the Parquet set -------------------------------------------------------------------


def _typed_working_db(path: Path, run: int) -> duckdb.DuckDBPyConnection:
    """A `rankings` mart as dbt writes it (its columns documented in the dbt YAML), and a
    mart with every type the marts use, exact decimals and a HUGEINT sum among them."""
    con = _working_db(path, [("L867", 1), ("L866", 2), ("L868", 2 + run)])
    con.execute(
        "create or replace table marts.fct_budget_disbursement as select"
        " 'L' || (860 + i) as unit_code, cast(i as integer) as fiscal_year_rank,"
        " cast(i * 1234.567 + ? as decimal(18, 3)) as disbursed_mvnd,"
        " sum(cast(4611686018427387904 + i as bigint)) over () as huge_total,"
        " i / 3 as ratio, date '2023-12-31' - cast(i as integer) as as_of_date,"
        " timestamp '2024-01-05 01:02:03.456789' as loaded_at, i % 2 = 0 as is_even"
        " from range(1, 8) t(i)",
        [run],
    )
    return con


def _parquet_rows(path: Path) -> list[tuple]:
    table = pq.read_table(path)
    return [tuple(row.values()) for row in table.to_pylist()]


def test_parquet_set_beside_the_duckdb_file(tmp_path: Path) -> None:
    con = _typed_working_db(tmp_path / "w.duckdb", run=1)
    published = tmp_path / "published"
    publication = publish(con, published, "run-1", required_tables=("rankings",))
    con.close()

    latest = published / "parquet" / "latest"
    assert latest.is_symlink() and os.readlink(latest) == publication.path.stem
    assert publication.parquet_latest_path == latest
    assert publication.parquet_path == published / "parquet" / publication.path.stem
    assert sorted(p.name for p in (latest / "marts").iterdir()) == [
        "fct_budget_disbursement.parquet",
        "rankings.parquet",
    ]
    schema = json.loads((latest / "schema.json").read_text(encoding="utf-8"))
    assert schema["run_id"] == "run-1"
    assert schema["duckdb_file"] == publication.path.name
    assert schema["published_at"] == publication.published_at.isoformat().replace("+00:00", "Z")
    assert {name: mart["rows"] for name, mart in schema["marts"].items()} == {
        "fct_budget_disbursement": 7,
        "rankings": 3,
    }
    # descriptions come from the dbt YAML of the marts
    rankings = schema["marts"]["rankings"]
    assert rankings["file"] == "marts/rankings.parquet"
    assert rankings["description"].startswith("Units ranked by rubric score")
    assert [c["description"] for c in rankings["columns"]] == [
        "Ranked unit.",
        "Standard competition rank within scope, period and unit kind.",
    ]
    budget = {c["name"]: c for c in schema["marts"]["fct_budget_disbursement"]["columns"]}
    assert budget["disbursed_mvnd"] == {
        "name": "disbursed_mvnd",
        "duckdb_type": "DECIMAL(18,3)",
        "parquet_type": "INT64 DECIMAL(18,3)",
        "arrow_type": "decimal128(18, 3)",
        "description": budget["disbursed_mvnd"]["description"],
    }
    assert budget["disbursed_mvnd"]["description"]  # documented in models/marts/core/_core.yml
    assert budget["huge_total"]["duckdb_type"] == "HUGEINT"
    assert budget["huge_total"]["arrow_type"] == "decimal128(38, 0)"  # never a float
    assert budget["as_of_date"]["arrow_type"] == "date32[day]"
    assert budget["loaded_at"]["arrow_type"] == "timestamp[us]"

    # the Parquet values are the published values, exactly
    arrow_types = {
        f.name: str(f.type) for f in pq.read_schema(latest / "marts" / "fct_budget_disbursement.parquet")
    }
    assert arrow_types == {name: c["arrow_type"] for name, c in budget.items()}
    rows = sorted(_parquet_rows(latest / "marts" / "fct_budget_disbursement.parquet"))
    assert rows[0][:4] == ("L861", 1, Decimal("1235.567"), 7 * 4611686018427387904 + 28)
    assert rows[6][2] == Decimal("8642.969")
    assert rows[0][6] == datetime(2024, 1, 5, 1, 2, 3, 456789)
    latest_db = duckdb.connect(str(published / "latest.duckdb"), read_only=True)
    try:
        published_rows = latest_db.execute(
            "select * from marts.fct_budget_disbursement order by unit_code"
        ).fetchall()
    finally:
        latest_db.close()
    assert rows == published_rows
    assert sorted(_parquet_rows(latest / "marts" / "rankings.parquet")) == [
        ("L866", 2),
        ("L867", 1),
        ("L868", 3),
    ]
    assert not [p.name for p in (published / "parquet").iterdir() if p.name.startswith(".")]


def test_many_marts_copied_side_by_side_are_each_published_whole(tmp_path: Path) -> None:
    """The marts are copied (and written as Parquet) two at a time, the largest first: every
    one of them, large and small, arrives whole, in its rows' order, in both forms; the
    working connection is left with every compression method."""
    con = _working_db(tmp_path / "w.duckdb", [("L867", 1)])
    sizes = {f"mart_{i:02d}": rows for i, rows in enumerate([300_000, 0, 5, 130_000, 1, 70_000, 2])}
    for name, rows in sizes.items():
        con.execute(
            f"create table marts.{name} as select i, 'U' || (i % 977) as unit_code,"
            " cast(i / 7 as decimal(18, 3)) as score from range(?) t(i) order by i desc",
            [rows],
        )
    published = tmp_path / "published"
    publication = publish(con, published, "run-1", required_tables=("rankings", *sizes))
    assert publication.row_counts == {"rankings": 1, **sizes}
    assert list(publication.row_counts) == sorted(publication.row_counts)
    assert con.execute("select current_setting('disabled_compression_methods')").fetchone() == ("",)
    schema = json.loads((published / "parquet" / "latest" / "schema.json").read_text(encoding="utf-8"))
    assert list(schema["marts"]) == sorted(["rankings", *sizes])
    latest = duckdb.connect(str(published / "latest.duckdb"), read_only=True, config={"threads": 1})
    try:
        for name, rows in sizes.items():
            expected = con.execute(f"select * from marts.{name}").fetchall()
            assert latest.execute(f"select * from marts.{name}").fetchall() == expected, name
            parquet = pq.read_table(published / "parquet" / "latest" / "marts" / f"{name}.parquet")
            assert [tuple(row.values()) for row in parquet.to_pylist()] == expected, name
            assert schema["marts"][name]["rows"] == rows
    finally:
        latest.close()
        con.close()


@pytest.mark.parametrize(("threads", "per_copy"), [(4, 2), (2, 1), (1, 1)])
def test_the_copies_share_the_databases_threads_and_give_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int, per_copy: int
) -> None:
    """While the marts are copied two at a time, each copy's queries get half of the working
    database's DuckDB threads (one at least); afterwards the setting is what it was, also
    when a copy fails."""
    con = _working_db(tmp_path / "w.duckdb", [("L867", 1)])
    con.execute("create table marts.fct_scores as select i, 'U' || (i % 97) as unit from range(5000) t(i)")
    con.execute(f"set threads = {threads}")
    seen: list[int] = []
    copy_mart = swap._copy_mart

    def copy_counting_threads(working: duckdb.DuckDBPyConnection, table: str, from_previous: bool):  # noqa: ANN202
        seen.append(int(working.cursor().execute("select current_setting('threads')").fetchone()[0]))
        return copy_mart(working, table, from_previous)

    monkeypatch.setattr(swap, "_copy_mart", copy_counting_threads)
    publish(con, tmp_path / "published", "run-1")
    assert seen == [per_copy, per_copy]
    assert con.execute("select current_setting('threads')").fetchone() == (threads,)

    def failing_copy(working: duckdb.DuckDBPyConnection, table: str, from_previous: bool):  # noqa: ANN202
        raise PublicationError(f"{table}: the disk is full")

    monkeypatch.setattr(swap, "_copy_mart", failing_copy)
    with pytest.raises(PublicationError, match="the disk is full"):
        publish(con, tmp_path / "published", "run-2", now=datetime.now(UTC) + timedelta(minutes=1))
    assert con.execute("select current_setting('threads')").fetchone() == (threads,)
    con.close()


def test_a_new_parquet_set_replaces_the_old_one_which_is_kept(tmp_path: Path) -> None:
    published = tmp_path / "published"
    con = _typed_working_db(tmp_path / "w.duckdb", run=1)
    first = publish(con, published, "run-1")
    reader_folder = (published / "parquet" / "latest").resolve()  # a reader resolves the link once
    con.close()
    con = _typed_working_db(tmp_path / "w.duckdb", run=2)
    second = publish(con, published, "run-2", now=first.published_at + timedelta(seconds=1))
    con.close()

    latest = published / "parquet" / "latest"
    assert os.readlink(latest) == second.path.stem
    assert json.loads((latest / "schema.json").read_text())["run_id"] == "run-2"
    assert sorted(_parquet_rows(latest / "marts" / "rankings.parquet"))[-1] == ("L868", 4)
    # the previous set stays with the previous DuckDB file, whole
    assert reader_folder == first.parquet_path and first.path.exists()
    assert json.loads((reader_folder / "schema.json").read_text())["run_id"] == "run-1"
    assert sorted(_parquet_rows(reader_folder / "marts" / "rankings.parquet"))[-1] == ("L868", 3)
    assert sorted(_parquet_rows(reader_folder / "marts" / "fct_budget_disbursement.parquet"))[0][
        2
    ] == Decimal("1235.567")


def test_a_warehouse_copied_through_its_links_publishes_again(tmp_path: Path) -> None:
    """A copy that followed the links (shutil.copytree, a Windows copy) has a folder where
    parquet/latest was a link: the next publication replaces it with the link."""
    con = _typed_working_db(tmp_path / "w.duckdb", run=1)
    first = publish(con, tmp_path / "original", "run-1")
    con.close()
    copied = tmp_path / "copy"
    shutil.copytree(tmp_path / "original", copied)
    assert not (copied / "parquet" / "latest").is_symlink()
    con = _typed_working_db(tmp_path / "w.duckdb", run=2)
    second = publish(con, copied, "run-2", now=first.published_at + timedelta(seconds=1))
    con.close()

    latest = copied / "parquet" / "latest"
    assert latest.is_symlink() and os.readlink(latest) == second.path.stem
    assert json.loads((latest / "schema.json").read_text())["run_id"] == "run-2"
    assert not list((copied / "parquet").glob(".*"))  # nothing left aside


def test_a_failed_publication_leaves_the_parquet_set_untouched(tmp_path: Path) -> None:
    published = tmp_path / "published"
    con = _typed_working_db(tmp_path / "w.duckdb", run=1)
    first = publish(con, published, "run-1")
    files = {p: p.read_bytes() for p in first.parquet_path.rglob("*") if p.is_file()}
    con.execute("insert into marts.rankings values ('B', null)")
    with pytest.raises(PublicationError, match="without unit or rank"):
        publish(con, published, "run-2", now=first.published_at + timedelta(seconds=1))
    con.close()
    assert os.readlink(published / "parquet" / "latest") == first.path.stem
    assert {p: p.read_bytes() for p in first.parquet_path.rglob("*") if p.is_file()} == files
    assert sorted(p.name for p in (published / "parquet").iterdir()) == [first.path.stem, "latest"]


def test_parquet_sets_pruned_with_their_publications(tmp_path: Path) -> None:
    published = tmp_path / "published"
    sets = published / "parquet"
    sets.mkdir(parents=True)
    stamps = [f"20260101T0000{i:02d}000000Z" for i in range(10)]
    for stamp in stamps:
        (published / f"{stamp}.duckdb").write_bytes(b"x")
        (sets / stamp / "marts").mkdir(parents=True)
    (sets / "latest").symlink_to(stamps[-1])
    (sets / "notes").mkdir()  # not a set: never touched
    assert len(prune_old_publications(published)) == 2
    removed = prune_old_parquet_sets(published)
    assert sorted(p.name for p in removed) == stamps[:2]
    assert sorted(p.name for p in sets.iterdir()) == sorted([*stamps[2:], "latest", "notes"])
    # the current set is kept even when its DuckDB file is gone
    (sets / "latest").unlink()
    (sets / "latest").symlink_to(stamps[2])
    (published / f"{stamps[2]}.duckdb").unlink()
    assert prune_old_parquet_sets(published) == []


def test_the_publication_is_attached_in_the_declared_storage_format() -> None:
    import sqlfiles
    from publication.swap import PUBLISHED_STORAGE_VERSION

    attach = sqlfiles.text("publication", "swap_attach_publication")
    assert f"(storage_version '{PUBLISHED_STORAGE_VERSION}')" in attach
