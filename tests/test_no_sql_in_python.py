"""No SQL in Python strings outside the loaders' bulk inserts: statements live in
``<package>/sql/*.sql`` (run with ``sqlfiles``) or in dbt models.

A string constant (or f-string) that starts like a SQL statement is SQL. The loaders'
bulk inserts are the only exception: the ingest modules that write raw tables (listed
below with why) and the benchmark and demo generators, which are not the product."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "cli",
    "settings",
    "night",
    "gate",
    "publication",
    "engines",
    "submissions",
    "orchestration",
    "expectations",
    "reports",
    "ingest",
    "sqlfiles",
)
# module → why it may hold SQL (bulk inserts of the loaders)
LOADERS: dict[str, str] = {
    "ingest.inbox": "bulk insert of a file's rows from an Arrow batch; columns from the declared schema",
    "ingest.records": "record-export loader: read_csv/read_parquet, staging, checks and an insert "
    "built from the export's header columns",
    "ingest.status_history": "status-history loader: the records' read_csv/read_parquet source, "
    "staged and typed by the export's header columns (as ingest.records)",
    "ingest.export_scan": "the read_csv/read_parquet staging query and the timestamp and unit "
    "expressions both row-per-event loaders (records, status histories) build from a header",
    "ingest.record_units": "record-export loader: the unit names of the export's header columns, "
    "resolved into a temporary lookup the records' insert reads (as ingest.records)",
    "ingest.quarantine": "copy of a rejected export with its personal columns masked",
    "ingest.parquet_landing": "raw tables landed as Parquet (copy) and their content fingerprint",
    "ingest.raw_tables": "DDL generated from the one raw-table declaration",
    "ingest.bookkeeping": "inserts into bookkeeping tables, columns from their declarations",
}

_STATEMENT = re.compile(
    r"^\s*(select|with|insert|update|delete|create|drop|alter|copy|attach|detach|"
    r"begin|commit|rollback|checkpoint|pragma|set|install|load|describe|summarize|from)\s",
    re.IGNORECASE,
)
_SQL_WORDS = re.compile(r"\b(from|into|table|where|values|schema|set|view|select)\b", re.IGNORECASE)


def _looks_like_sql(text: str) -> bool:
    """A statement keyword written as SQL is (all lower or all upper case: "Select the unit"
    is prose), followed by a clause word."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if not (first.islower() or first.isupper()):
        return False
    return bool(_STATEMENT.match(text)) and bool(_SQL_WORDS.search(text[7:] if len(text) > 7 else ""))


def _string_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else " x " for part in node.values)
    return None


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    inside_fstrings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in inside_fstrings:
            continue
        text = _string_of(node)
        if text is not None and _looks_like_sql(text):
            found.append((node.lineno, " ".join(text.split())[:80]))
    return found


def offenders(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """``module:line: statement`` for each SQL string outside the loaders."""
    found = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if module not in LOADERS:
                found += [f"{module}:{line}: {text}" for line, text in _sql_strings(path)]
    return found


def test_the_detector_finds_sql_and_leaves_prose(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'A = "select unit_code from marts.rankings"\n'
        'B = f"insert into raw.staff values ({1})"\n'
        'C = "Select the unit from the list"\n'
        'D = "with the warehouse"\n',
        encoding="utf-8",
    )
    assert [line for line, _ in _sql_strings(sample)] == [1, 2]


def test_python_modules_hold_no_sql_statement() -> None:
    found = offenders()
    assert not found, "SQL in Python strings (move it to <package>/sql/*.sql):\n" + "\n".join(found)


if __name__ == "__main__":  # `python tests/test_no_sql_in_python.py reports night`: what is left
    import sys

    print("\n".join(offenders(tuple(sys.argv[1:]) or PACKAGES)))
