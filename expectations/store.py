"""Where the checks write their results: ``audit.check_results`` and
``marts.data_quality_findings``.

Both tables are declared, created and written in one place, ``ingest/bookkeeping.py``,
which the loaders use for the findings of rejected files too; this module names that API
for the checks.
"""

from __future__ import annotations

import duckdb

from ingest.bookkeeping import (
    CHECK_RESULTS,
    DATA_QUALITY_FINDINGS,
    Finding,
    append_check_results,
    append_findings,
    ensure_bookkeeping_tables,
    utc_now,
)

__all__ = [
    "CHECK_RESULTS",
    "DATA_QUALITY_FINDINGS",
    "Finding",
    "append_check_results",
    "append_findings",
    "ensure_result_tables",
    "utc_now",
]


def ensure_result_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the two result tables if missing (and add columns declared since)."""
    ensure_bookkeeping_tables(con)
