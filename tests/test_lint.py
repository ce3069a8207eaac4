"""CI's lint step: ruff (check and format) over the repository, sqlfluff over every dbt model
and every SQL file Python runs (`<package>/sql/*.sql`).

Each test fails on one lint error and prints what the linter said. sqlfluff runs with the dbt
templater (the project's .sqlfluff) in two processes, against a profile that points at a
scratch warehouse: it compiles the models, it builds nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


def _lint(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_ruff_finds_no_lint_error() -> None:
    done = _lint([_tool("ruff"), "check", "."])
    assert done.returncode == 0, f"ruff check . found errors:\n{done.stdout}{done.stderr}"


def test_ruff_format_would_change_no_file() -> None:
    # Python files only: this ruff also formats the code blocks of Markdown pages, whose
    # aligned comments are written for readers
    done = _lint([_tool("ruff"), "format", "--check", ".", "--extend-exclude", "*.md"])
    assert done.returncode == 0, f"ruff format --check . would reformat:\n{done.stdout}{done.stderr}"


def test_sqlfluff_finds_no_lint_error_in_the_dbt_models(tmp_path: Path) -> None:
    (tmp_path / "warehouse").mkdir()  # dbt-duckdb opens warehouse.duckdb there to compile
    env = {**os.environ, "PARWH_WAREHOUSE": str(tmp_path / "warehouse")}
    # dbt's parse state and logs of the templater: not in the checkout's target, whose
    # manifest and parse state other processes (another test worker, a night) read
    env |= {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    env.pop("PARWH_DBT_TARGET", None)
    env.pop("PARWH_ENGINE", None)  # the duckdb profile: the models are linted as DuckDB SQL
    # the models and the singular data tests (SQL like the models'; the generic tests are macros)
    paths = ["dbt_project/models", "dbt_project/tests/singular"]
    done = _lint([_tool("sqlfluff"), "lint", *paths, "--processes", "2"], env=env)
    assert done.returncode == 0, f"sqlfluff lint {' '.join(paths)} found errors:\n{done.stdout}{done.stderr}"


def test_sqlfluff_finds_no_lint_error_in_the_sql_files_python_runs() -> None:
    folders = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/sql") if path.is_dir())
    assert len(folders) >= 8, f"expected the packages' sql folders, found {folders}"
    done = _lint([_tool("sqlfluff"), "lint", *folders, "--templater", "placeholder", "--processes", "2"])
    assert done.returncode == 0, (
        f"sqlfluff lint {' '.join(folders)} found errors:\n{done.stdout}{done.stderr}"
    )
