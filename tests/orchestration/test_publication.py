"""Write, audit, publish on real DuckDB files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.publication import PublicationError, prune_old_publications, publish


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
