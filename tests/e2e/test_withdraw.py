"""`parwh withdraw` end to end: a loaded submission that makes the quality gate hold every
night back is withdrawn with the command, and the next night publishes what was published
before it arrived (publication diff), says why it ran, and keeps the audit record; `parwh
submissions` shows what happened. Real ingest, dbt, Dagster, Great Expectations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.main import app
from publication.diff import differences
from settings import Settings
from submissions.withdrawal import os_user, withdraw
from tests.e2e.inbox_files import write_bad_budget, write_small_inbox
from tests.e2e.test_incremental_records import HEADER, _aggregated, _dbt_run, _differences, _row
from tests.e2e.warehouse_io import load_records_night, query

runner = CliRunner()
BAD = "giai_ngan_hong_ngu_2023_sua.csv"  # Hồng Ngự's budget: 200 % of plan disbursed (error)
REASON = "Kế hoạch vốn nhập sai (2.000 thay vì 1.000 triệu đồng)"


def _parwh(settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--warehouse", str(settings.warehouse_dir)])
    return result.exit_code, result.output


def test_a_blocking_submission_is_withdrawn_and_the_next_night_publishes(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    code, output = _parwh(settings, "run")
    assert code == 0, output
    before = tmp_path / "before_the_bad_file.duckdb"
    shutil.copy(settings.latest_path, before)

    # a corrected budget for Hồng Ngự that is wrong: the gate holds publication back
    write_bad_budget(settings.inbox_dir)
    code, output = _parwh(settings, "run")
    assert code == 2, output
    code, output = _parwh(settings, "submissions", "--unit", "L868", "--period", "2023")
    assert code == 0, output
    lines = {line.split("\t")[0]: line.split("\t") for line in output.splitlines()[1:-1]}
    assert lines["giai_ngan_dong_thap_2023.csv"][6] == "đã nạp / loaded"
    assert f"partly replaced by {BAD}" in lines["giai_ngan_dong_thap_2023.csv"][8]

    code, output = _parwh(settings, "withdraw", BAD, "--reason", REASON)
    assert code == 0, output
    assert f"Đã rút hồ sơ / Withdrawn: {BAD}" in output
    assert "Thành phố Hồng Ngự (L868)" in output
    assert "rows removed: 1 (raw.budget 1)" in output
    # the version it had replaced counts again
    assert "earlier version current again: giai_ngan_dong_thap_2023.csv: Thành phố Hồng Ngự (L868)" in output
    assert not (settings.inbox_dir / BAD).exists()
    assert (settings.warehouse_dir / "withdrawn" / BAD).is_file()
    bad_rows = (
        "select count(*) from raw.budget where file_id in"
        f" (select file_id from raw.file_manifest where file_name = '{BAD}')"
    )
    assert query(settings.database_path, bad_rows) == [(0,)]

    # the next night is not "nothing new": it says why it runs, rebuilds and publishes
    code, output = _parwh(settings, "run")
    assert code == 0, output
    flat = " ".join(output.split())
    assert f"Rút hồ sơ / Withdrawn: {BAD}" in flat
    assert "Nothing new" not in flat
    assert "Tonight:" in flat, flat[:3000]
    assert "only what depends on budget" in flat  # the withdrawn file's family, nothing else

    # nothing else changed: every mart as published before the bad file (run columns aside).
    # data_quality_findings is a log by run: it keeps the two later nights' rows (the night
    # held back found the bad file), and tonight's findings are the first night's.
    assert differences(before, settings.latest_path) == ["data_quality_findings: 3 rows != 11 rows"]
    findings = (
        "select rule, severity, unit_code, period_label, source_file, message"
        " from marts.data_quality_findings where run_id = (select run_id from meta.publication)"
    )
    assert sorted(query(before, findings)) == sorted(query(settings.latest_path, findings))
    held_back = query(
        settings.latest_path,
        "select source_file from marts.data_quality_findings where severity = 'error'",
    )
    assert held_back == [(BAD,)]  # the log of the night held back is kept
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        assert con.execute(
            "select disbursed_mvnd, plan_mvnd from marts.fct_budget_disbursement"
            " where unit_code = 'L868' and period_label = '2023'"
        ).fetchall() == [(900, 1000)]
    finally:
        con.close()

    # the audit record: who, when, why, what was removed
    ((name, units, periods, reason, by, removed, moved, at),) = query(
        settings.database_path,
        "select file_name, unit_codes, period_labels, reason, withdrawn_by, rows_removed, moved_to,"
        " withdrawn_at from raw.submission_withdrawals",
    )
    assert (name, units, periods, reason, by) == (BAD, ["L868"], ["2023"], REASON, os_user())
    removed = json.loads(removed)  # every raw table with a file_id column, rows removed from it
    assert removed["raw.budget"] == 1 and sum(removed.values()) == 1
    assert {"raw.dossiers", "raw.dossier_records", "raw.load_findings"} <= removed.keys()
    assert moved == str(settings.warehouse_dir / "withdrawn" / BAD)
    assert at is not None

    code, output = _parwh(settings, "submissions", "--status", "withdrawn")
    assert code == 0, output
    header, *rows, footer = output.splitlines()
    assert header.startswith("tệp / file\tmã băm / hash")
    assert len(rows) == 1 and footer == "# 1 tệp / files: 1 đã rút / withdrawn"
    cells = rows[0].split("\t")
    assert cells[0] == BAD and cells[3] == "Thành phố Hồng Ngự (L868)" and cells[4] == "2023"
    assert cells[6] == "đã rút / withdrawn"
    assert f"by {os_user()}: {REASON}" in cells[8]

    # put back in the inbox by mistake: not loaded again, still listed as withdrawn
    shutil.copy(settings.warehouse_dir / "withdrawn" / BAD, settings.inbox_dir / BAD)
    code, output = _parwh(settings, "run")
    assert code == 0 and "Nothing new" in output, output
    code, output = _parwh(settings, "submissions", "--status", "withdrawn")
    assert BAD in output
    code, output = _parwh(settings, "withdraw", BAD, "--reason", "again")
    assert code == 1
    assert "is not loaded, so there is nothing to withdraw" in output


def test_withdrawing_a_record_export_rebuilds_the_incremental_months(warehouse_settings: Settings) -> None:
    """The incremental model only adds what new records change: after a withdrawal the
    next build must forget the withdrawn records, corrections of older dossiers included."""
    settings = warehouse_settings
    unit = "25747"
    load_records_night(
        settings,
        "ho_so_thang_1.csv",
        HEADER,
        [_row(f"A{i}", unit, f"2026-01-{i + 1:02d} 08:00", "2026-01-20 17:00",
              "2026-01-15 10:00" if i % 2 else "") for i in range(6)],
    )  # fmt: skip
    _dbt_run(settings.warehouse_dir)
    night_1 = settings.warehouse_dir.parent / "night_1"
    night_1.mkdir()
    shutil.copy(settings.database_path, night_1 / "warehouse.duckdb")
    assert _aggregated(settings.database_path, unit)["2026-01"] == (0, 6, 3, 0, 3)

    # a later export: a correction of A0 (finished late in February) and a new dossier
    load_records_night(
        settings,
        "ho_so_thang_2.csv",
        HEADER,
        [
            _row("A0", unit, "2026-01-01 08:00", "2026-01-20 17:00", "2026-02-20 08:00"),
            _row("A100", unit, "2026-02-02 08:00", "2026-02-10 17:00", "2026-02-05 08:00"),
        ],
    )
    _dbt_run(settings.warehouse_dir)
    assert _aggregated(settings.database_path, unit)["2026-02"] == (3, 1, 2, 1, 2)

    done = withdraw(settings, "ho_so_thang_2.csv", "xuất nhầm tệp thử nghiệm", user="tester")
    assert done.rows_removed["raw.dossier_records"] == 2
    assert done.rebuilt_whole == ["intermediate.int_dossier_records_monthly"]
    _dbt_run(settings.warehouse_dir)  # a plain (incremental) build, as the next night runs it
    assert _differences(settings.database_path, night_1 / "warehouse.duckdb") == ([], [])
