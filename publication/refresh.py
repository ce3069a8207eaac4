"""A mart of the previous publication's copy brought up to date, period by period.

A night that received one day of records changes the periods that day falls in (its month,
quarter, half, year and years to date); the other periods' rows are the rows published the
night before. The new publication therefore starts as a file copy of the previous one
(`publication.swap`), and each mart of the copy is compared with the working database's,
period by period (`period_end`): each side's rows and the sum of its rows' hashes per period
(sql/swap_changed_periods.sql). Only the periods that differ are deleted from the copy and
inserted from the working database; nothing is trusted from the night's plan, so a night that
changed every period, or a copy that differs for any other reason, is still published exactly
as ranked.

A mart is copied whole instead (the caller drops it and copies it) when the copy does not have
it, when its columns or their types differ, when it has no `period_end` and its rows differ, or
when the periods that differ hold more than half of its rows (a whole copy compresses better
than many deletions).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

import sqlfiles

_SQL = __package__ or "publication"

#: the column that splits a mart into the periods compared and replaced
PERIOD_COLUMN = "period_end"
#: the share of a mart's published rows in changed periods above which it is copied whole
WHOLE_COPY_SHARE = 0.5


class RefreshError(RuntimeError):
    """The copy's mart does not hold what was inserted into it."""


@dataclass(frozen=True)
class Refreshed:
    """What was done to one mart of the copy: `periods` replaced (0: it was up to date)."""

    periods: int
    rows_deleted: int
    rows_inserted: int


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]] | None:
    """A table's columns and their types, in order (None: there is no such table)."""
    try:
        table = con.table(relation)
    except duckdb.CatalogException:
        return None
    return list(zip(table.columns, (str(column_type) for column_type in table.types), strict=True))


def _fingerprint(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, int]:
    row_count, row_hashes = sqlfiles.one(con, _SQL, "swap_mart_fingerprint", {"relation": relation})
    return int(row_count), int(row_hashes)


def refresh_mart(con: duckdb.DuckDBPyConnection, mart: str, working: str, published: str) -> Refreshed | None:
    """Bring the mart `mart` of the previous publication's copy (attached as `publication`;
    `published`, its quoted relation) up to date with the working database's (`working`), on
    `con` (a connection of its own: the changed periods are a temporary table of it).

    Returns what was done, or None when the mart must be copied whole (see the module's
    docstring)."""
    columns = _columns(con, working)
    if columns != _columns(con, published):
        return None
    if PERIOD_COLUMN not in dict(columns):
        if _fingerprint(con, working) == _fingerprint(con, published):
            return Refreshed(periods=0, rows_deleted=0, rows_inserted=0)
        return None
    sqlfiles.execute(con, _SQL, "swap_changed_periods", {"working": working, "published": published})
    try:
        changed = sqlfiles.rows(con, _SQL, "swap_changed_periods_summary")[0]
        if not changed["periods"]:
            return Refreshed(periods=0, rows_deleted=0, rows_inserted=0)
        (published_rows,) = sqlfiles.one(con, _SQL, "swap_row_count", {"relation": published})
        if changed["published_rows"] > WHOLE_COPY_SHARE * published_rows:
            return None
        names = {"mart": mart}
        (deleted,) = sqlfiles.one(con, _SQL, "swap_delete_changed_periods", identifiers=names)
        (inserted,) = sqlfiles.one(con, _SQL, "swap_insert_changed_periods", identifiers=names)
    finally:
        sqlfiles.execute(con, _SQL, "swap_drop_changed_periods")
    if deleted != changed["published_rows"] or inserted != changed["working_rows"]:
        raise RefreshError(
            f"{mart}: {deleted} rows deleted and {inserted} inserted in {changed['periods']} periods, "
            f"expected {changed['published_rows']} and {changed['working_rows']}"
        )
    return Refreshed(periods=int(changed["periods"]), rows_deleted=int(deleted), rows_inserted=int(inserted))
