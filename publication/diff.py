"""Compare two publications (`published/*.duckdb`) mart by mart, row for row.

Used to check that another engine publishes what DuckDB publishes (tests/spark, and the
engines benchmark), and by an operator moving the warehouse to a Spark cluster:

    uv run python -m publication.diff published/latest.duckdb other/latest.duckdb

Columns must match in name, order and type. Rows are compared as multisets; numbers to a
relative or absolute tolerance (1e-9: engines add floating-point numbers in different
orders). The columns that name the run, or when it ran, are compared as null or not.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import duckdb

import sqlfiles
from publication.marts import PUBLISHED_MARTS

RUN_COLUMNS = frozenset({"run_id", "found_at", "first_seen_at", "last_seen_at", "resolved_at"})
TOLERANCE = 1e-9

Columns = list[tuple[str, str]]


def read_publication(path: Path) -> dict[str, tuple[Columns, list[tuple]]]:
    """Every published mart: its columns with their types, and its rows, sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {}
        for table in PUBLISHED_MARTS:
            columns: Columns = sqlfiles.execute(
                con, __package__ or "publication", "diff_mart_columns", {"table": table}
            ).fetchall()
            if not columns:
                tables[table] = ([], [])
                continue
            # the run's columns compared as null or not, through DuckDB's relational API
            select = [
                duckdb.ColumnExpression(name).isnull()
                if name in RUN_COLUMNS
                else duckdb.ColumnExpression(name)
                for name, _ in columns
            ]
            rows = con.table(f"marts.{table}").select(*select).fetchall()
            tables[table] = (columns, sorted(rows, key=_sort_key))
        return tables
    finally:
        con.close()


def _sort_key(row: tuple) -> tuple:
    # floats are rounded for the order only; they are compared to TOLERANCE
    return tuple(
        (value is None, round(value, 6) if isinstance(value, float) else repr(value)) for value in row
    )


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return left == right


def differences(expected: Path, actual: Path) -> list[str]:
    """What differs between two publications (empty when they are equal)."""
    problems = []
    left, right = read_publication(expected), read_publication(actual)
    for table in PUBLISHED_MARTS:
        (left_columns, left_rows), (right_columns, right_rows) = left[table], right[table]
        if not left_columns or not right_columns:
            problems.append(f"{table}: missing from {expected if not left_columns else actual}")
            continue
        if left_columns != right_columns:
            unequal_columns = [
                f"{a[0]} {a[1]} != {b[0]} {b[1]}"
                for a, b in zip(left_columns, right_columns, strict=False)
                if a != b
            ]
            if len(left_columns) != len(right_columns):
                unequal_columns.append(f"{len(left_columns)} columns != {len(right_columns)}")
            problems.append(f"{table}: columns differ: {'; '.join(unequal_columns)}")
            continue
        if len(left_rows) != len(right_rows):
            problems.append(f"{table}: {len(left_rows)} rows != {len(right_rows)} rows")
            continue
        names = [name for name, _ in left_columns]
        for left_row, right_row in zip(left_rows, right_rows, strict=True):
            unequal = [
                f"{name}: {a!r} != {b!r}"
                for name, a, b in zip(names, left_row, right_row, strict=True)
                if not _same(a, b)
            ]
            if unequal:
                problems.append(f"{table}: first different row: {'; '.join(unequal)}")
                break
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__)
        return 2
    problems = differences(Path(args[0]), Path(args[1]))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"The {len(PUBLISHED_MARTS)} published marts are equal.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
