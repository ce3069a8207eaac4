"""`parwh submissions` and `parwh withdraw` on a warehouse loaded by the real ingest code
(no dbt: a withdrawal and the listing touch the raw tables only): the look-up of a file by
name or hash, its errors, the listing's filters, replaced files, withdraw and re-admit."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema
from settings import Settings
from submissions.listing import SubmissionError, WarehouseBusy, list_submissions
from submissions.withdrawal import readmit, withdraw
from tests.e2e.inbox_files import BUDGET_CSV, write_bad_budget, write_small_inbox

runner = CliRunner()
BAD = "giai_ngan_hong_ngu_2023_sua.csv"
FIRST = {"tthc_dong_thap_nam_2023.csv", "giai_ngan_dong_thap_2023.csv", "khao_sat_dong_thap_2023.csv"}


def _load(settings: Settings, run_id: str) -> None:
    """What a night's ingest does: register the inbox, load every family's pending files."""
    con = duckdb.connect(str(settings.database_path))
    try:
        ensure_schema(con)
        if con.execute("select count(*) from raw.admin_units").fetchone()[0] == 0:
            load_admin_units(con)
        register_inbox(con, settings.inbox_dir, settings.quarantine_dir, run_id)
        for family in ("dossiers", "budget", "surveys", "staff"):
            load_family(con, family, settings.quarantine_dir, run_id)
    finally:
        con.close()


def _rows(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def loaded(warehouse_settings: Settings) -> Settings:
    """The small Đồng Tháp inbox, then a corrected budget for Hồng Ngự (a later night)."""
    warehouse_settings.warehouse_dir.mkdir(parents=True)
    write_small_inbox(warehouse_settings.inbox_dir)
    _load(warehouse_settings, "night-1")
    write_bad_budget(warehouse_settings.inbox_dir)
    _load(warehouse_settings, "night-2")
    return warehouse_settings


def _parwh(settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--warehouse", str(settings.warehouse_dir)])
    return result.exit_code, result.output


def _listed(output: str) -> dict[str, list[str]]:
    """The plain listing (not a terminal): file name → its cells."""
    header, *lines, footer = output.splitlines()
    assert header.split("\t")[0] == "tệp / file" and footer.startswith("# ")
    return {line.split("\t")[0]: line.split("\t") for line in lines}


def test_an_unknown_file_is_refused_and_nothing_changes(loaded: Settings) -> None:
    before = _rows(loaded, "select file_id, status from raw.file_manifest order by all")
    code, output = _parwh(loaded, "withdraw", "khong_co.xlsx", "--reason", "thử")
    assert code == 1
    assert "Không rút được / Cannot withdraw" in output
    assert "không có tệp đã nộp nào tên 'khong_co.xlsx'" in output
    assert "no submitted file is named 'khong_co.xlsx'" in output
    code, output = _parwh(loaded, "withdraw", "40f7", "--reason", "thử")
    assert code == 1 and "a hash needs at least 8 characters" in output
    code, output = _parwh(loaded, "withdraw", BAD)  # no reason
    assert code == 1 and "a reason is required" in output and "cần ghi lý do" in output
    assert _rows(loaded, "select file_id, status from raw.file_manifest order by all") == before
    assert not (loaded.warehouse_dir / "withdrawn").exists()


def test_a_name_of_two_files_lists_both_and_the_hash_decides(loaded: Settings) -> None:
    for district, disbursed in (("huyen_a", "40.000,000"), ("huyen_b", "45.000,000")):
        folder = loaded.inbox_dir / district
        folder.mkdir()
        (folder / "giai_ngan.csv").write_text(BUDGET_CSV.replace("50.000,000", disbursed), encoding="utf-8")
    _load(loaded, "night-3")
    ids = dict(
        _rows(loaded, "select file_name, file_id from raw.file_manifest where file_name like 'huyen_%'")
    )
    code, output = _parwh(loaded, "withdraw", "giai_ngan.csv", "--reason", "thử")
    assert code == 1
    assert "'giai_ngan.csv' names 2 submitted files" in output and "khớp với 2 tệp đã nộp" in output
    assert f"{ids['huyen_a/giai_ngan.csv'][:12]}  huyen_a/giai_ngan.csv  (đã nạp / loaded" in output
    assert f"{ids['huyen_b/giai_ngan.csv'][:12]}  huyen_b/giai_ngan.csv  (đã nạp / loaded" in output
    assert _rows(loaded, "select count(*) from raw.file_manifest where status = 'withdrawn'") == [(0,)]

    # the name relative to the inbox, or the hash, names one
    done = withdraw(loaded, ids["huyen_a/giai_ngan.csv"][:8], "thử", user="tester")
    assert done.submission.file_name == "huyen_a/giai_ngan.csv"
    assert done.moved_to == loaded.warehouse_dir / "withdrawn" / "huyen_a" / "giai_ngan.csv"
    done = withdraw(loaded, str(loaded.inbox_dir / "huyen_b" / "giai_ngan.csv"), "thử", user="tester")
    assert done.submission.file_name == "huyen_b/giai_ngan.csv"


def test_the_listing_says_what_became_of_each_file(loaded: Settings) -> None:
    (loaded.inbox_dir / "ghi_chu.csv").write_text("xin chào;thế giới\n1;2\n", encoding="utf-8")
    (loaded.inbox_dir / "ban_sao.csv").write_bytes((loaded.inbox_dir / BAD).read_bytes())
    _load(loaded, "night-3")
    code, output = _parwh(loaded, "submissions")
    assert code == 0, output
    listed = _listed(output)
    assert listed["giai_ngan_dong_thap_2023.csv"][6] == "đã nạp / loaded"
    # Hồng Ngự's budget was submitted again: the first file is replaced for that unit only
    assert listed["giai_ngan_dong_thap_2023.csv"][8].endswith(
        f"partly replaced by {BAD}: Thành phố Hồng Ngự (L868) 2023 (đến / as of 2023-12-31)"
    )
    assert listed[BAD][3] == "Thành phố Hồng Ngự (L868)" and listed[BAD][5] == "1"
    assert listed["ghi_chu.csv"][6] == "bị từ chối / rejected"
    assert "no recognisable header" in listed["ghi_chu.csv"][8]
    assert listed["ban_sao.csv"][6] == "trùng nội dung / duplicate"
    assert output.splitlines()[-1] == (
        "# 6 tệp / files: 4 đã nạp / loaded, 1 bị từ chối / rejected, 1 trùng nội dung / duplicate"
    )

    # a file whose every unit and period was submitted again is "replaced", by which file
    (loaded.inbox_dir / "giai_ngan_dong_thap_2023_lan_2.csv").write_text(
        BUDGET_CSV.replace("50.000,000", "60.000,000"), encoding="utf-8"
    )
    _load(loaded, "night-4")
    code, output = _parwh(loaded, "submissions", "--status", "replaced")
    listed = _listed(output)
    assert sorted(listed) == ["giai_ngan_dong_thap_2023.csv", BAD]
    assert listed[BAD][8] == (
        "đã được thay bằng giai_ngan_dong_thap_2023_lan_2.csv"
        " / replaced by giai_ngan_dong_thap_2023_lan_2.csv"
    )


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("L868", FIRST | {BAD}),
        ("868", FIRST | {BAD}),
        ("hong ngu", FIRST | {BAD}),
        ("Thành phố Sa Đéc", FIRST),
        ("Đồng Tháp", FIRST | {BAD}),
        ("Bình Định", set()),
    ],
)
def test_the_listing_by_unit_code_or_name_with_the_units_under_it(
    loaded: Settings, unit: str, expected: set[str]
) -> None:
    assert {sub.file_name for sub in list_submissions(loaded, unit=unit)} == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2023", 4),  # a year: every period of that year
        ("2023-YTD-08-15", 1),  # Sa Đéc's budget as of 15 August
        ("Năm 2023", 4),
        ("2022", 0),
    ],
)
def test_the_listing_by_period(loaded: Settings, period: str, expected: int) -> None:
    assert len(list_submissions(loaded, period=period)) == expected


def test_the_listing_refuses_an_unknown_status_or_unit(loaded: Settings) -> None:
    code, output = _parwh(loaded, "submissions", "--status", "deleted")
    assert code == 1 and "unknown status 'deleted': choose one of loaded, replaced, withdrawn" in output
    code, output = _parwh(loaded, "submissions", "--unit", "Atlantis")
    assert code == 1 and "no administrative unit is named or coded 'Atlantis'" in output


def test_withdraw_then_readmit(loaded: Settings) -> None:
    done = withdraw(loaded, BAD, "  nhập   sai ", user="tester")
    assert done.reason == "nhập sai"
    assert done.rows_removed["raw.budget"] == 1
    assert done.current_again == [
        "giai_ngan_dong_thap_2023.csv: Thành phố Hồng Ngự (L868) 2023 (đến / as of 2023-12-31)"
    ]
    assert not (loaded.inbox_dir / BAD).exists() and done.moved_to == loaded.warehouse_dir / "withdrawn" / BAD
    assert _rows(loaded, "select status from raw.file_manifest where file_name = ?", [BAD]) == [
        ("withdrawn",)
    ]
    (sub,) = list_submissions(loaded, status="withdrawn")
    assert sub.detail.endswith("by tester: nhập sai")
    assert list_submissions(loaded, status="replaced") == []  # the older file counts again

    with pytest.raises(SubmissionError, match="is not loaded, so there is nothing to withdraw"):
        withdraw(loaded, BAD, "again", user="tester")

    # put back by hand, it is not loaded again by a night
    (loaded.inbox_dir / BAD).write_bytes(done.moved_to.read_bytes())
    _load(loaded, "night-3")
    assert _rows(loaded, "select status from raw.file_manifest where file_name = ?", [BAD]) == [
        ("withdrawn",)
    ]
    (loaded.inbox_dir / BAD).unlink()

    back = readmit(loaded, BAD, user="tester")
    assert back.path == loaded.inbox_dir / BAD and back.path.is_file()
    assert not done.moved_to.exists()
    assert _rows(loaded, "select status from raw.file_manifest where file_name = ?", [BAD]) == [("pending",)]
    assert _rows(loaded, "select readmitted_by from raw.submission_withdrawals") == [("tester",)]
    _load(loaded, "night-4")
    assert _rows(loaded, "select status from raw.file_manifest where file_name = ?", [BAD]) == [("loaded",)]
    assert _rows(loaded, "select count(*) from raw.budget where unit_code = 'L868'") == [(2,)]

    # withdrawn twice: the second copy in withdrawn/ does not overwrite the first
    (loaded.warehouse_dir / "withdrawn" / BAD).write_text("kept", encoding="utf-8")
    again = withdraw(loaded, BAD, "vẫn sai", user="tester")
    assert again.moved_to == loaded.warehouse_dir / "withdrawn" / "giai_ngan_hong_ngu_2023_sua (2).csv"
    assert (loaded.warehouse_dir / "withdrawn" / BAD).read_text(encoding="utf-8") == "kept"


def test_a_night_holding_the_database_is_named(loaded: Settings) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
            " print('open', flush=True); time.sleep(60)",
            str(loaded.database_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy, match=f"process {holder.pid}"):
            list_submissions(loaded)
        code, output = _parwh(loaded, "withdraw", BAD, "--reason", "thử")
    finally:
        holder.kill()
        holder.wait()
    assert code == 1 and f"process {holder.pid}" in output and "Nothing was" in output
    assert (loaded.inbox_dir / BAD).exists()


def test_no_warehouse_yet(warehouse_settings: Settings) -> None:
    code, output = _parwh(warehouse_settings, "submissions")
    assert code == 1 and "nothing has been loaded" in output and "chưa nạp tệp nào" in output
