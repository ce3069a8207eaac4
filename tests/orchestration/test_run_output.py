"""What `parwh run` prints is something people can act on: the reports written with their
paths, checks in words, the findings that hold publication back with the unit by name, the
file and the command that resolves them; one logical line per line when the output is not
a terminal; dbt's files under the warehouse, pruned.

Two real nights on the hand-written inbox of tests/e2e: the first publishes (run through
CliRunner), the second loads a budget file the gate blocks (run as a program whose output
is a pipe, as cron or a log collector reads it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from cli.main import app
from engines.dbt import dbt_project
from night.summary import RunSummary, check_words, summary_line
from settings import Settings
from tests.e2e.inbox_files import write_bad_budget, write_small_inbox

ANSI = re.compile(r"\x1b\[")
SPINNER = set("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")


@dataclass
class Nights:
    settings: Settings
    published_output: str
    published_run: str
    blocked_output: str
    blocked_code: int
    blocked_run: str


def _latest_run_id(settings: Settings) -> str:
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    try:
        return instance.get_runs(limit=1)[0].run_id
    finally:
        instance.dispose()


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Nights:
    with pytest.MonkeyPatch.context() as monkeypatch:
        # a long warehouse path: a console wrapping at 80 columns would split it
        base = tmp_path_factory.mktemp("run_output")
        warehouse = base / "kho_du_lieu_cai_cach_hanh_chinh_so_noi_vu" / "warehouse"
        monkeypatch.setenv("PARWH_WAREHOUSE", str(warehouse))
        monkeypatch.setenv("PARWH_KEEP_DBT_RUNS", "1")
        for name in (
            "PARWH_INBOX",
            "DAGSTER_HOME",
            "PARWH_DUCKDB_THREADS",
            "PARWH_ENGINE",
            "PARWH_DBT_TARGET",
        ):
            monkeypatch.setenv(name, "")
        for name in ("DBT_TARGET_PATH", "DBT_LOG_PATH"):
            monkeypatch.delenv(name, raising=False)
        settings = Settings.from_env()
        settings.export()
        write_small_inbox(settings.inbox_dir)
        first = CliRunner().invoke(app, ["run", "--warehouse", str(warehouse)])
        assert first.exit_code == 0, first.output
        published_run = _latest_run_id(settings)

        write_bad_budget(settings.inbox_dir)
        parwh = Path(sys.executable).with_name("parwh")
        env = {**os.environ, "COLUMNS": "", "TERM": "xterm-256color"}
        second = subprocess.run(
            [str(parwh), "run", "--warehouse", str(warehouse)],
            capture_output=True,
            env=env,
            timeout=600,
            check=False,
        )
        yield Nights(
            settings=settings,
            published_output=first.output,
            published_run=published_run,
            blocked_output=second.stdout.decode("utf-8"),
            blocked_code=second.returncode,
            blocked_run=_latest_run_id(settings),
        )


def _line_with(output: str, text: str) -> str:
    lines = [line for line in output.splitlines() if text in line]
    assert lines, f"{text!r} is on no line of:\n{output}"
    return lines[0]


def test_the_summary_lists_the_reports_written_with_their_paths(nights: Nights) -> None:
    instance = dg.DagsterInstance.from_config(str(nights.settings.dagster_home))
    try:
        event = instance.get_latest_materialization_event(dg.AssetKey("published_reports"))
    finally:
        instance.dispose()
    assert event is not None and event.run_id == nights.published_run
    recorded = event.asset_materialization.metadata
    reports = [Path(p) for p in str(recorded["reports"].value).splitlines()]
    assert {p.suffix for p in reports} == {".xlsx", ".html"}
    output = nights.published_output
    assert "Báo cáo đã ghi / Reports written:" in output
    for path in reports:
        assert path.exists()
        line = _line_with(output, str(path))  # whole, on one line
        assert line.split(": ", 1)[1] == str(path)
        kind = "ranking workbook (Excel)" if path.suffix == ".xlsx" else "HTML report"
        assert kind in line
    docs = nights.settings.published_dir / "reports" / "dbt_docs" / "index.html"
    assert str(recorded["dbt_docs"].value) == str(docs) and docs.exists()
    assert _line_with(output, "dbt docs").endswith(str(docs))
    data_docs = nights.settings.warehouse_dir / "docs" / "quality" / "index.html"
    assert _line_with(output, "Data Docs (quality checks)").endswith(str(data_docs))
    parquet = nights.settings.published_dir / "parquet" / "latest"
    assert (parquet / "schema.json").is_file()
    assert _line_with(output, "Parquet").endswith(str(parquet))


def test_piped_output_is_plain_and_unwrapped(nights: Nights) -> None:
    for output in (nights.published_output, nights.blocked_output):
        assert not ANSI.search(output), "colour or cursor codes in piped output"
        assert not SPINNER & set(output), "spinner frames in piped output"
        assert "Nightly run: " not in output  # the status line draws nothing when piped
        assert not set("┏┃━│└") & set(output)  # no box characters either
    # long lines stay whole: the paths are longer than 80 columns
    database = str(nights.settings.database_path)
    assert len(database) > 80 - len("Working database: ")
    assert f"Working database: {database}" in nights.blocked_output.splitlines()
    log = nights.settings.warehouse_dir / "logs" / f"{nights.blocked_run}.log"
    assert f"Run log (dbt and Dagster output): {log}" in nights.blocked_output.splitlines()
    assert max(len(line) for line in nights.blocked_output.splitlines()) > 120
    assert f"== Nightly run {nights.blocked_run[:8]} (" in nights.blocked_output


def test_checks_are_named_in_words(nights: Nights) -> None:
    # the rule that failed, in Vietnamese then English, the check id after it
    line = _line_with(nights.blocked_output, "gx_fct_budget_disbursement")
    assert line.lstrip().startswith("lỗi / error Tỷ lệ giải ngân trên 150% là bất thường")
    assert "A disbursement rate above 150 % is implausible" in line
    assert "gx_fct_budget_disbursement on marts/fct_budget_disbursement" in line


def test_the_findings_that_block_publication_name_unit_file_and_command(nights: Nights) -> None:
    output = nights.blocked_output
    assert nights.blocked_code == 2, output
    assert "Quality gate held publication back" in output
    assert "Findings that block publication: 1 in 1 group(s)" in output
    lines = output.splitlines()
    start = lines.index(_line_with(output, "Findings that block publication"))
    block = lines[start + 1 : start + 5]
    assert "Tỷ lệ giải ngân trên 150% là bất thường / A disbursement rate above 150 %" in block[0]
    assert block[1].strip() == (
        "đơn vị / unit: Thành phố Hồng Ngự (L868); tệp / file giai_ngan_hong_ngu_2023_sua.csv"
    )
    assert "Disbursement rate 200 % is above 150 % (disbursed 2000, plan 1000 million VND)" in block[2]
    assert 'parwh withdraw giai_ngan_hong_ngu_2023_sua.csv --reason "…"' in block[3]
    assert "correct and resubmit the file" in block[3]
    # a night that did not publish shows the findings still open, never "none"
    assert "Findings: none" not in output
    assert "Open findings: 3 (3 warn) as of the last night that reached the gate" in output
    assert "found tonight: 1 error" in output


def test_dbt_writes_under_the_warehouse_and_keeps_the_last_runs(nights: Nights) -> None:
    target = nights.settings.dbt_target_dir
    assert target == nights.settings.warehouse_dir / "dbt" / "target"
    assert (target / "partial_parse.msgpack").exists()  # parsed for this warehouse's profile
    assert (nights.settings.dbt_log_dir / "dbt.log").exists()  # dbt parse's log
    folders = sorted(p.name for p in target.iterdir() if p.is_dir())
    # PARWH_KEEP_DBT_RUNS=1: only the last night's dbt build is kept, with its dbt.log
    assert folders == [f for f in folders if f.startswith(f"warehouse_dbt_models-{nights.blocked_run[:7]}-")]
    assert len(folders) == 1
    assert (target / folders[0] / "run_results.json").exists()
    assert (target / folders[0] / "dbt.log").exists()
    # nothing of these nights in the code checkout
    code_target = dbt_project.project_dir / "target"
    for run in (nights.published_run, nights.blocked_run):
        assert not list(code_target.glob(f"*-{run[:7]}-*"))


def test_a_dbt_test_is_named_in_words_from_the_manifest(dbt_manifest: Path) -> None:
    assert check_words("not_null_indicators_indicator_code") == (
        "indicators.indicator_code không được để trống",
        "indicators.indicator_code must not be empty",
    )
    vi, en = check_words("relationships_rubric_threshold_steps_rubric_id__rubric_id__ref_rubrics_")
    assert en == "every rubric_threshold_steps.rubric_id must exist in rubrics.rubric_id"
    assert vi == "rubric_threshold_steps.rubric_id phải có trong rubrics.rubric_id"
    vi, en = check_words("gx_int_submitted_totals_compared")
    assert (vi, en) == (
        "Dòng tổng cộng phải bằng tổng các dòng chi tiết",
        "A stated total must equal the sum of its parts",
    )


def test_after_a_failed_run_the_open_findings_are_shown_not_none() -> None:
    summary = RunSummary(
        run_id="n2",
        run_succeeded=False,
        history_recorded=False,
        history_run_id="1234567890",
        findings_by_status={"open": 224},
        open_by_severity={"error": 4, "warn": 220},
    )
    line = summary_line(summary)
    assert "none" not in line
    assert line.startswith("Phát hiện còn mở / Open findings: 224 (4 error, 220 warn)")
    assert "(run 12345678)" in line
