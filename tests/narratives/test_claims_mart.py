"""The claims mart end to end: a district's narrative report (.docx, written here) for a unit
and period whose dossier statistics are also submitted, loaded by the inbox, built by dbt
(int_narrative_claims_checked → mart_report_claims) on a real DuckDB warehouse: one figure
matches the one-stop data, one differs (by how much, naming the submission), one has no data
in the warehouse, one cannot be tied to a period (unresolved, with the reason)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import duckdb
import pytest

from engines.dbt import DBT_PROJECT_DIR, dbt_executable
from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema
from tests.e2e.inbox_files import DOSSIERS_CSV, write_small_inbox

MART = "mart_report_claims"
REPORT = "bao_cao_cchc_cao_lanh_2023.docx"
DOSSIERS_FILE = "tthc_dong_thap_nam_2023.csv"  # tests/e2e/inbox_files.py: Cao Lãnh (866) 2023
# Cao Lãnh 2023, district level (huyện): carried in 100 + received 10,000 = 10,100;
# resolved 9,800 (97.0297 % of 10,100), early + on time 9,700, late 100
UNDATED = (
    "Thực hiện chỉ đạo của UBND tỉnh Đồng Tháp, UBND thành phố Cao Lãnh đã giải quyết 77 hồ sơ"
    " trễ hạn do thiếu nhân sự tại Bộ phận một cửa."
)
DOSSIERS = (
    "Kết quả giải quyết thủ tục hành chính tại UBND thành phố Cao Lãnh năm 2023: Tổng số hồ sơ"
    " đã tiếp nhận: 10.100 hồ sơ. Tổng số hồ sơ đã giải quyết là 9.810 hồ sơ, chiếm tỷ lệ 97,03%."
)
COMMUNES = (
    "Kết quả giải quyết thủ tục hành chính tại UBND cấp xã năm 2023: Tổng số hồ sơ đã tiếp nhận:"
    " 500 hồ sơ. Tổng số hồ sơ đã giải quyết là 495 hồ sơ."
)
# two wards of Cao Lãnh at commune level (xã), no figure of the city's own for that level
COMMUNES_FILE = "tthc_cap_xa_cao_lanh_2023.csv"
COMMUNES_CSV = (
    DOSSIERS_CSV.splitlines()[0]
    + """
29869;Phường 1;Năm 2023;xã;0;300;290;0;280;10;10;0
29872;Phường 4;Năm 2023;xã;0;200;200;0;200;0;0;0
"""
)
PLAN = "Kế hoạch cải cách hành chính năm 2023 có 46 nhiệm vụ, đã hoàn thành 42/46 nhiệm vụ."
# the warehouse holds Cao Lãnh's whole plan (100,000 million VND at 31/12/2023, 50,000 disbursed),
# not its parts by funding source
DISBURSEMENT = (
    "Năm 2023, kế hoạch vốn đầu tư công của thành phố là 100.000 triệu đồng (vốn ngân sách tỉnh"
    " 60.000 triệu đồng, vốn ngân sách thành phố 40.000 triệu đồng), đã giải ngân 50.000 triệu"
    " đồng, đạt 50%."
)
PARAGRAPHS = [
    "UBND THÀNH PHỐ CAO LÃNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: /BC-UBND",
    "Cao Lãnh, ngày … tháng … năm …",  # a draft: not dated yet
    "BÁO CÁO",
    "Kết quả thực hiện công tác cải cách hành chính",
    UNDATED,
    "I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    DOSSIERS,
    COMMUNES,
    "II. KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH",
    PLAN,
    DISBURSEMENT,
    "III. PHƯƠNG HƯỚNG",
    "Tiếp tục đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp"
    " trong thời gian tới và các năm tiếp theo trên địa bàn thành phố.",
    "Nơi nhận:",
    "CHỦ TỊCH",
]


def _write_report(path: Path, paragraphs: list[str] = PARAGRAPHS) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def _sa_dec_report(received: str) -> list[str]:
    """Sa Đéc's report for 2023 (the small inbox: 8,000 received, none carried in)."""
    return [
        "UBND THÀNH PHỐ SA ĐÉC",
        "Sa Đéc, ngày 15 tháng 12 năm 2023",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính năm 2023",
        f"Kết quả giải quyết thủ tục hành chính tại UBND thành phố Sa Đéc năm 2023: Tổng số hồ sơ"
        f" đã tiếp nhận: {received} hồ sơ.",
        "Công tác tuyên truyền cải cách hành chính được thực hiện thường xuyên, đa dạng hình thức,"
        " gắn với việc thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị trên địa bàn.",
        *PARAGRAPHS[-4:],
    ]


def _dbt_build(warehouse: Path, target: Path) -> None:
    env = {
        **os.environ,
        "PARWH_WAREHOUSE": str(warehouse),
        "PARWH_ENGINE": "duckdb",
        "PARWH_DBT_TARGET": "duckdb",
        "PARWH_DUCKDB_MEMORY_LIMIT": "2GB",
    }
    result = subprocess.run(
        [dbt_executable(), "build", "--select", f"+{MART}", "--exclude-resource-type", "unit_test",
         "--indirect-selection", "cautious",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target), "--log-path", str(target / "logs")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("claims_mart")
    warehouse, inbox, quarantine = root / "warehouse", root / "inbox", root / "quarantine"
    warehouse.mkdir()
    write_small_inbox(inbox)
    _write_report(inbox / REPORT)
    (inbox / COMMUNES_FILE).write_text(COMMUNES_CSV, encoding="utf-8")
    # two versions of Sa Đéc's report for 2023: the later one replaces the earlier one
    _write_report(inbox / "bao_cao_sa_dec_2023_ban_dau.docx", _sa_dec_report("8.100"))
    _write_report(inbox / "bao_cao_sa_dec_2023.docx", _sa_dec_report("8.000"))
    os.utime(inbox / "bao_cao_sa_dec_2023_ban_dau.docx", (1_702_000_000, 1_702_000_000))
    os.utime(inbox / "bao_cao_sa_dec_2023.docx", (1_702_100_000, 1_702_100_000))
    database = warehouse / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    try:
        ensure_schema(con)
        load_admin_units(con)
        register_inbox(con, inbox, quarantine, "night-1")
        for family in ("dossiers", "budget", "surveys", "narrative_reports"):
            report = load_family(con, family, quarantine, "night-1")
            assert report.files_rejected == 0, report.outcomes
    finally:
        con.close()
    _dbt_build(warehouse, root / "dbt_target")
    yield database


def _rows(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_claim_is_checked_against_the_one_stop_data(database: Path) -> None:
    rows = _rows(
        database,
        "select measure, value_text, status, warehouse_value_rounded, difference, warehouse_file"
        f" from marts.{MART} where unit_level = 'district' and status <> 'unresolved' order by claim_no",
    )
    by_measure = {row[0]: row[1:] for row in rows}
    # matches: the report's total (carried in + new) is the form's
    assert by_measure["dossiers_received"] == (
        "10.100", "matches", Decimal("10100.0000"), Decimal("0.0000"), DOSSIERS_FILE
    )  # fmt: skip
    # differs: 9.810 stated, 9.800 submitted, named with its file
    assert by_measure["dossiers_resolved"] == (
        "9.810", "differs", Decimal("9800.0000"), Decimal("10.0000"), DOSSIERS_FILE
    )  # fmt: skip
    # a rate matches to the decimals the report writes: 9,800 / 10,100 = 97.0297 → 97,03
    assert by_measure["rate_resolved"] == (
        "97,03%",
        "matches",
        Decimal("97.0300"),
        Decimal("0.0000"),
        DOSSIERS_FILE,
    )
    # no data: the warehouse holds no PAR plan tasks
    assert by_measure["plan_tasks_done"][1:] == ("no_data", None, None, None)


def test_a_level_the_unit_did_not_submit_is_the_sum_of_the_units_below(database: Path) -> None:
    rows = _rows(
        database,
        "select measure, value_text, authority_level, status, warehouse_value_rounded, difference,"
        f" warehouse_figure_source, warehouse_file from marts.{MART} where unit_level = 'commune'"
        " order by claim_no",
    )
    assert rows == [
        ("dossiers_received", "500", "xa", "matches", Decimal("500.0000"), Decimal("0.0000"),
         "sum_of_units_below", None),
        ("dossiers_resolved", "495", "xa", "differs", Decimal("490.0000"), Decimal("5.0000"),
         "sum_of_units_below", None),
    ]  # fmt: skip


def test_the_mart_row_carries_unit_period_measure_and_provenance(database: Path) -> None:
    (row,) = _rows(
        database,
        "select file_name, report_unit_code, report_unit_name, unit_code, unit_name, unit_level,"
        " authority_level, period_label, period_start, period_end, measure, measure_label_vi,"
        " value_text, value, warehouse_value, status, difference, reason, compared_with,"
        " warehouse_file, warehouse_figure_source, paragraph, char_start, char_end, quote"
        f" from marts.{MART} where measure = 'dossiers_resolved' and value = 9810",
    )
    start = DOSSIERS.index("9.810")
    assert row == (
        REPORT, "L866", "Thành phố Cao Lãnh", "L866", "Thành phố Cao Lãnh", "district", "huyen", "2023",
        date(2023, 1, 1), date(2023, 12, 31), "dossiers_resolved", "Hồ sơ đã giải quyết", "9.810",
        Decimal("9810.0000"), Decimal("9800.00000000"), "differs", Decimal("10.0000"), None, "dossier_stats",
        DOSSIERS_FILE, "submitted", PARAGRAPHS.index(DOSSIERS), start, start + len("9.810"),
        "Tổng số hồ sơ đã giải quyết là 9.810 hồ sơ, chiếm tỷ lệ 97,03%.",
    )  # fmt: skip


def test_a_claim_without_a_period_is_unresolved_with_the_reason(database: Path) -> None:
    rows = _rows(
        database,
        f"select value_text, status, reason, warehouse_value, paragraph from marts.{MART}"
        " where status = 'unresolved'",
    )
    assert rows == [
        ("77", "unresolved", "không xác định được kỳ báo cáo của số liệu", None, PARAGRAPHS.index(UNDATED))
    ]


def test_plan_parts_by_funding_source_are_not_compared_with_the_whole_plan(database: Path) -> None:
    """The plan, the disbursed amount and the rate are the unit's whole figures: compared; the
    parts by funding source carry their source and are not compared (the warehouse holds no
    split), never 'differs' against the whole plan."""
    rows = _rows(
        database,
        f"select measure, category, value, status, warehouse_value, reason from marts.{MART}"
        f" where paragraph = {PARAGRAPHS.index(DISBURSEMENT)} order by value desc",
    )
    assert [(m, c, float(v), s) for m, c, v, s, _, _ in rows] == [
        ("disbursement_plan", None, 100000.0, "matches"),
        ("disbursement_plan", "vốn ngân sách tỉnh", 60000.0, "no_data"),
        ("disbursed", None, 50000.0, "matches"),
        ("disbursement_plan", "vốn ngân sách thành phố", 40000.0, "no_data"),
        ("disbursement_rate", None, 50.0, "matches"),
    ]
    assert {reason for *_, s, _, reason in rows if s == "no_data"} == {
        "kho dữ liệu không có chỉ tiêu này để đối chiếu"
    }


def test_every_claim_has_one_status(database: Path) -> None:
    statuses = dict(_rows(database, f"select status, count(*) from marts.{MART} group by status"))
    assert set(statuses) == {"matches", "differs", "no_data", "unresolved"}
    # every claim of the latest reports (the earlier Sa Đéc report's one claim left out)
    (total,) = _rows(
        database,
        "select count(*) from raw.narrative_claims as c join raw.file_manifest as m using (file_id)"
        " where m.file_name <> 'bao_cao_sa_dec_2023_ban_dau.docx'",
    )
    assert sum(statuses.values()) == total[0]


def test_the_example_queries_of_the_docs_section_run(database: Path) -> None:
    """docs/marts.md, "Narrative report claims": every example runs and finds the report."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "marts.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Narrative report claims") : doc.index("## Example queries")]
    queries = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert len(queries) == 3
    for query in queries:
        assert _rows(database, query), query


def test_a_later_report_of_a_unit_and_period_replaces_the_earlier_one(database: Path) -> None:
    rows = _rows(
        database,
        f"select file_name, value_text, status from marts.{MART}"
        " where report_unit_code = 'L867' and measure = 'dossiers_received'",
    )
    assert rows == [("bao_cao_sa_dec_2023.docx", "8.000", "matches")]
    (kept,) = _rows(database, "select count(distinct file_id) from raw.narrative_claims")
    assert kept == (3,)  # the raw table keeps every version
