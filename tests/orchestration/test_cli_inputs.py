"""The CLI refuses what it cannot act on before touching anything: a missing inbox (a
mistyped path used to run the whole pipeline on nothing) and a report period that was never
published (it used to write "báo cáo năm nonsense", and "Quý 3/2023" made a sub-folder)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PARWH_WAREHOUSE", "PARWH_INBOX", "DAGSTER_HOME", "PARWH_ENGINE", "PARWH_DBT_TARGET"):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_inbox_is_an_error_and_nothing_runs(tmp_path: Path, clean_env: None) -> None:
    warehouse, inbox = tmp_path / "wh", tmp_path / "hop_thu_go_nham"
    result = runner.invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert "Inbox not found" in output and "Không tìm thấy hộp thư đến" in output
    assert "--create-inbox" in output
    assert not inbox.exists()
    assert not (warehouse / "warehouse.duckdb").exists() and not (warehouse / "dagster").exists()


def _published(warehouse: Path, labels: list[str]) -> Path:
    published = warehouse / "published" / "latest.duckdb"
    published.parent.mkdir(parents=True)
    con = duckdb.connect(str(published))
    con.execute("create schema marts")
    con.execute("create table marts.rankings (period_label varchar)")
    con.executemany("insert into marts.rankings values (?)", [[label] for label in labels])
    con.close()
    return published


def test_a_report_period_never_published_is_refused_with_the_published_ones(
    tmp_path: Path, clean_env: None
) -> None:
    warehouse = tmp_path / "wh"
    _published(warehouse, ["2022", "2023", "2023-Q3"])
    result = runner.invoke(app, ["report", "--period", "nonsense", "--warehouse", str(warehouse)])
    assert result.exit_code == 1, result.output
    output = result.output
    assert "No published ranking for period 'nonsense'" in output
    assert "Published periods: 2022, 2023, 2023-Q3" in output
    assert not (warehouse / "published" / "reports").exists()


@pytest.mark.parametrize(
    ("asked", "label"),
    [("2023", "2023"), ("Quý 3/2023", "2023-Q3"), ("quý III năm 2023", "2023-Q3"), ("2023-Q3", "2023-Q3")],
)
def test_a_report_period_is_read_as_the_published_label(tmp_path: Path, asked: str, label: str) -> None:
    from cli.main import _published_period

    published = _published(tmp_path, ["2023", "2023-Q3"])
    assert _published_period(published, asked) == label


def test_a_period_of_the_right_shape_but_not_published_is_refused(tmp_path: Path) -> None:
    import typer

    from cli.main import _published_period

    published = _published(tmp_path, ["2023"])
    with pytest.raises(typer.Exit):
        _published_period(published, "Quý 2/2023")


def test_a_reader_holding_the_working_database_is_named_in_one_line(tmp_path: Path, clean_env: None) -> None:
    """A notebook or DBeaver holding warehouse.duckdb open (even read-only): the night does not
    start, and one line names the process and what to do."""
    import subprocess
    import sys

    warehouse = tmp_path / "wh"
    (warehouse / "inbox").mkdir(parents=True)
    duckdb.connect(str(warehouse / "warehouse.duckdb")).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True);"
            " print('open', flush=True); time.sleep(60)",
            str(warehouse / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = runner.invoke(app, ["run", "--warehouse", str(warehouse)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1, result.output
    # one line, even when the output is not a terminal (it was wrapped at 80 columns)
    line = next(line for line in result.output.splitlines() if f"open in process {holder.pid}" in line)
    assert "time.sleep(60)" in line and f"mở bởi tiến trình {holder.pid}" in line
    output = " ".join(result.output.split())
    assert f"open in process {holder.pid}" in output and "time.sleep(60)" in output
    assert f"mở bởi tiến trình {holder.pid}" in output and "published/latest.duckdb" in output
    assert not (warehouse / "dagster").exists()  # nothing started


def test_a_bad_number_of_dbt_runs_to_keep_is_a_setting_error(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARWH_KEEP_DBT_RUNS", "mười")
    result = runner.invoke(app, ["run", "--create-inbox", "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 1, result.output
    assert "Setting error: PARWH_KEEP_DBT_RUNS='mười': expected a whole number of runs, 1 or more" in (
        result.output.splitlines()
    )
    assert not (tmp_path / "wh").exists()
