"""The tables ingest writes: every raw table (declared in
``dbt_project/models/staging/raw/_raw__sources.yml``, read by ``ingest/raw_tables.py``) and
the bookkeeping tables (``ingest/bookkeeping.py``). Idempotent: creates what is missing and
adds the columns declared since a warehouse was created. The administrative units are
loaded by ``ingest/admin_units.py`` (``ensure_admin_units``), which uses this module."""

from __future__ import annotations

import duckdb

from ingest.bookkeeping import BOOKKEEPING_TABLES
from ingest.raw_tables import RAW_TABLES, ensure_tables, raw_tables

__all__ = ["RAW_TABLES", "ensure_schema"]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and tables ingest writes, if they do not exist yet."""
    ensure_tables(con, [*raw_tables().values(), *BOOKKEEPING_TABLES])
