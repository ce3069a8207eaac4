"""The comparison that proves another engine publishes what DuckDB publishes: it must see
every difference that matters, and only those."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from publication.diff import differences
from publication.marts import PUBLISHED_MARTS


def _publication(path: Path, statements: list[str] = ()) -> Path:  # type: ignore[assignment]
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    for table in PUBLISHED_MARTS:
        con.execute(
            f"create table marts.{table} as select * from (values "
            "('L866', 64.61428571428571::double, 1::bigint, 'run-a', timestamp '2026-11-24 01:00'), "
            "('L867', 45.23::double, 2, 'run-a', null)) t(unit_code, score, rank, run_id, found_at)"
        )
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


def test_the_same_rows_in_another_order_and_another_run_are_equal(tmp_path: Path) -> None:
    left = _publication(tmp_path / "a.duckdb")
    right = _publication(
        tmp_path / "b.duckdb",
        [
            "create or replace table marts.rankings as select * from (values "
            "('L867', 45.22999999999999::double, 2::bigint, 'run-b', null::timestamp), "
            "('L866', 64.6142857142857, 1, 'run-b', timestamp '2026-11-25 01:00')) "
            "t(unit_code, score, rank, run_id, found_at)"
        ],
    )
    assert differences(left, right) == []


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        (
            "update marts.rankings set score = score + 1e-6 where unit_code = 'L866'",
            "rankings: first different row: score",
        ),
        (
            "update marts.fct_scores set rank = 3 where unit_code = 'L867'",
            "fct_scores: first different row: rank: 2 != 3",
        ),
        (
            "update marts.fct_scores set unit_code = null where unit_code = 'L867'",
            "fct_scores: first different row",
        ),
        (
            "insert into marts.dim_admin_units values ('L866', 64.61428571428571, 1, 'run-a', null)",
            "dim_admin_units: 2 rows != 3 rows",
        ),
        (
            "update marts.data_quality_findings set found_at = null",
            "data_quality_findings: first different row: found_at",
        ),
        (
            "alter table marts.rankings alter rank type integer",
            "rankings: columns differ: rank BIGINT != rank INTEGER",
        ),
        ("drop table marts.mart_points_lost", "mart_points_lost: missing from"),
    ],
)
def test_every_difference_that_matters_is_reported(tmp_path: Path, change: str, reported: str) -> None:
    left = _publication(tmp_path / "a.duckdb")
    right = _publication(tmp_path / "b.duckdb", [change])
    problems = differences(left, right)
    assert len(problems) == 1 and problems[0].startswith(reported), problems
