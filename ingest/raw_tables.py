"""The declaration of the tables Python writes, and what is derived from it.

Raw tables (schema ``raw``, the submitted data and the loaders' record of it) are declared
once, in dbt's sources file ``dbt_project/models/staging/raw/_raw__sources.yml``: every
column with its type (DuckDB spelling), description and, where the loader guarantees it, a
``not_null`` test. dbt reads that file as it is; this module reads it for Python:

* :meth:`Table.create_sql` and :func:`ensure_tables`: the DDL (``ingest/warehouse.py``),
  adding the columns declared since a warehouse was created;
* :meth:`Table.arrow_schema`: the Arrow schemas the aggregated loaders insert through
  (``ingest/inbox.py``);
* :data:`RAW_TABLES`: the tables landed as Parquet for Spark (``ingest/parquet_landing.py``),
  the same that ``macros/spark_raw_tables.sql`` registers (it lists the sources).

The bookkeeping tables (findings, check results) use the same :class:`Table` type and are
declared in ``ingest/bookkeeping.py``. ``tests/ingest/test_raw_declarations.py`` fails when
the tables of a warehouse, the Arrow schemas or dbt's YAML drift from the declarations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

import sqlfiles
import yamlfiles

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql
DBT_STAGING_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "staging"
SOURCES_YAML = DBT_STAGING_DIR / "raw" / "_raw__sources.yml"
RAW_SCHEMA = "raw"

#: the columns every loader adds itself to the rows it inserts (not in the Arrow batches)
LOADER_COLUMNS = ("file_id", "loaded_at")

_ARROW_TYPES: dict[str, pa.DataType] = {
    "varchar": pa.string(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "varchar[]": pa.list_(pa.string()),
}
_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")


def arrow_type(data_type: str) -> pa.DataType:
    """The Arrow type of a declared (DuckDB) column type."""
    decimal = _DECIMAL.fullmatch(data_type)
    if decimal:
        return pa.decimal128(int(decimal[1]), int(decimal[2]))
    try:
        return _ARROW_TYPES[data_type]
    except KeyError:
        known = ", ".join(sorted(_ARROW_TYPES))
        raise ValueError(f"unknown column type {data_type!r}: one of {known} or decimal(p,s)") from None


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # DuckDB spelling, lower case: varchar, bigint, decimal(18,3), varchar[] …
    description: str
    not_null: bool = False  # the writer guarantees a value (a not_null test in dbt's YAML)
    primary_key: bool = False  # a bookkeeping table's key (``ingest/bookkeeping.py``)

    @property
    def arrow_type(self) -> pa.DataType:
        return arrow_type(self.data_type)


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def create_sql(self) -> str:
        columns = ", ".join(
            f"{c.name} {c.data_type}{' primary key' if c.primary_key else ''}" for c in self.columns
        )
        return f"create table if not exists {self.qualified_name} ({columns})"

    def arrow_schema(self, leave_out: Iterable[str] = LOADER_COLUMNS) -> pa.Schema:
        """The table's columns as an Arrow schema, in declared order, without ``leave_out``."""
        left_out = set(leave_out)
        return pa.schema([(c.name, c.arrow_type) for c in self.columns if c.name not in left_out])


def _table_from_yaml(entry: dict) -> Table:
    columns = []
    for column in entry.get("columns") or ():
        tests = column.get("data_tests") or ()
        columns.append(
            Column(
                name=column["name"],
                data_type=str(column["data_type"]).lower(),
                description=" ".join(str(column.get("description", "")).split()),
                not_null="not_null" in tests,
            )
        )
    description = " ".join(str(entry.get("description", "")).split())
    return Table(RAW_SCHEMA, entry["name"], description, tuple(columns))


@cache
def raw_tables() -> dict[str, Table]:
    """Every raw table, by name, as declared in the sources YAML (in its order)."""
    document = yamlfiles.load(SOURCES_YAML.read_text(encoding="utf-8"))
    (source,) = (s for s in document["sources"] if s["name"] == RAW_SCHEMA)
    return {entry["name"]: _table_from_yaml(entry) for entry in source["tables"]}


def raw_table(name: str) -> Table:
    return raw_tables()[name]


#: the raw tables' names, in declared order
RAW_TABLES: tuple[str, ...] = tuple(raw_tables())


def ensure_tables(con: duckdb.DuckDBPyConnection, tables: Iterable[Table]) -> None:
    """Create the schemas and tables that do not exist yet, and add to existing tables the
    columns declared since they were created (existing warehouses are migrated in place;
    columns are never dropped or retyped)."""
    tables = list(tables)
    for schema in dict.fromkeys(t.schema for t in tables):
        con.execute(f"create schema if not exists {schema}")
    existing: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in sqlfiles.execute(con, PACKAGE, "existing_columns").fetchall():
        existing.setdefault((schema, table), set()).add(column)
    for table in tables:
        present = existing.get((table.schema, table.name))
        if present is None:
            con.execute(table.create_sql())  # names and types come from the declarations
            continue
        for column in table.columns:
            if column.name not in present:
                con.execute(
                    f"alter table {table.qualified_name}"
                    f" add column if not exists {column.name} {column.data_type}"
                )
