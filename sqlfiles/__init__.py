"""SQL that Python runs, kept in `.sql` files beside the code that runs it.

A package that queries DuckDB keeps each statement in ``<package>/sql/<name>.sql`` (lowercase
SQL, linted by sqlfluff with named ``$parameters``; ``tests/test_lint.py``) and runs it with
:func:`rows` or :func:`execute`. Python strings hold no SQL outside the loaders' bulk inserts
(``tests/test_no_sql_in_python.py`` checks it). Computations that analysts could reuse belong
in dbt models, not here: these files read, filter and write bookkeeping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import duckdb

_PARAMETER = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)", re.IGNORECASE)


@cache
def text(package: str, name: str) -> str:
    """The statement ``<package>/sql/<name>.sql`` (``package`` as in ``__package__``)."""
    found = resources.files(package).joinpath("sql", f"{name}.sql")
    if not found.is_file():
        raise FileNotFoundError(f"no SQL file {package}/sql/{name}.sql")
    return found.read_text(encoding="utf-8")


def parameters(sql: str) -> set[str]:
    """The ``$name`` parameters a statement uses."""
    return set(_PARAMETER.findall(sql))


def with_identifiers(sql: str, identifiers: Mapping[str, str]) -> str:
    """``sql`` with its identifier placeholders filled in, quoted.

    DuckDB binds values, not names: a statement whose target table is known only at run time
    (a DELETE, an INSERT, a DROP) writes it as the quoted placeholder ``"{name}"`` (which
    sqlfluff lints as an identifier), and the caller passes a name that comes from a catalogue
    or a manifest, never from a user or a file."""
    for key, name in identifiers.items():
        sql = sql.replace('"{' + key + '}"', '"' + name.replace('"', '""') + '"')
    return sql


def execute(
    con: duckdb.DuckDBPyConnection,
    package: str,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    identifiers: Mapping[str, str] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Run one statement file with its named parameters (extra keys are ignored, missing ones
    are an error naming the file) and its identifier placeholders (:func:`with_identifiers`)."""
    sql = with_identifiers(text(package, name), identifiers or {})
    wanted = parameters(sql)
    given = dict(params or {})
    missing = wanted - given.keys()
    if missing:
        raise ValueError(f"{package}/sql/{name}.sql needs parameters {sorted(missing)}")
    return con.execute(sql, {key: given[key] for key in wanted}) if wanted else con.execute(sql)


def rows(
    con: duckdb.DuckDBPyConnection, package: str, name: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rows of a query file as dicts (column name → value)."""
    cursor = execute(con, package, name, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(
    con: duckdb.DuckDBPyConnection,
    package: str,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    identifiers: Mapping[str, str] | None = None,
) -> tuple | None:
    """The first row of a query file as a tuple (``None`` when it returns no row)."""
    return execute(con, package, name, params, identifiers=identifiers).fetchone()
