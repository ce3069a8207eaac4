"""The carried-in continuity warning on real submission files: real ingest into DuckDB, a real
`dbt build` of int_dossier_carried_in_compared (with its dbt tests), real GX validation.

Cao Lãnh (866, district level, no field split), 2024:
  Q2 (a.xlsx): carried 100 + received 500 − resolved 482 → pending 100 + 18 = 118
  Q3 (b_ban_dau.csv, night 1): carried 130 — replaced on night 2 by b.csv: carried 120
      → 120 ≠ 118: one warning, naming b.csv and a.xlsx, difference 2
      (resolved 420 → pending 90 + 10 = 100)
  Q4 (c.csv): carried 100 = Q3's 100 → no warning; it states 55 pending ("Số hồ sơ đang
      giải quyết") where its parts add to 50: the stated figure counts, so
  2025-Q1 (k.csv): carried 55 → no warning
Sa Đéc (867, district level, split by field), 2024:
  Q2 (d.csv): Hộ tịch pending 8 + 0 = 8, Đất đai 20 + 5 = 25 → unit 33
  Q3 (e.csv): "hộ tịch" carried 8 (same field, other case: no warning), Đất đai carried 27
      → one field warning (27 vs 25) and one unit warning (35 vs 33)
Hồng Ngự (868, district level): pending is a stock at a date, whatever the period's kind
  2023 (f.csv) pending 40 → 2024-Q1 (g.csv) and 2024-H1 (h.csv) both carry 40: no warning
  Q1 pending 40 → Q2 (i.csv) carries 40: no warning
  H1 and Q2 both end on 30 June with 30 pending → Q3 (j.csv) carries 33: ONE warning
      (one distinct previous value; named by the latest loaded, i.csv; previous_periods 2)
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from engines.dbt import DBT_PROJECT_DIR, dbt_executable
from expectations import run_quality_checks
from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema

RULE = "carried_in_matches_previous_pending"
MODEL = "int_dossier_carried_in_compared"
#: the rule's view (models/quality) over MODEL
VIEW = "carried_in_continuity"
HEADER = [
    "Mã đơn vị",
    "Đơn vị",
    "Kỳ báo cáo",
    "Cấp",
    "Kỳ trước chuyển qua",
    "Tiếp nhận mới",
    "Đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Trễ hạn",
    "Đang giải quyết chưa đến hạn",
    "Đang giải quyết quá hạn",
]
CAO_LANH = ["866", "Thành phố Cao Lãnh"]
SA_DEC = ["867", "Thành phố Sa Đéc"]
HONG_NGU = ["868", "Thành phố Hồng Ngự"]
Q2, Q3, Q4 = "Quý II năm 2024", "Quý III năm 2024", "Quý IV năm 2024"


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    lines = [";".join(header), *(";".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ II NĂM 2024"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


def _first_night(inbox: Path) -> None:
    #         carried, received, resolved, early, on time, late, not due, overdue
    _xlsx(inbox / "a.xlsx", HEADER, [[*CAO_LANH, Q2, "huyện", 100, 500, 482, 0, 480, 2, 100, 18]])
    _csv(inbox / "b_ban_dau.csv", HEADER, [[*CAO_LANH, Q3, "huyện", 130, 400, 420, 0, 415, 5, 100, 10]])
    fields = [*HEADER[:4], "Lĩnh vực", *HEADER[4:]]
    _csv(
        inbox / "d.csv",
        fields,
        [
            [*SA_DEC, Q2, "huyện", "Hộ tịch", 5, 50, 47, 0, 47, 0, 8, 0],
            [*SA_DEC, Q2, "huyện", "Đất đai", 10, 100, 85, 0, 80, 5, 20, 5],
        ],
    )
    _csv(
        inbox / "e.csv",
        fields,
        [
            [*SA_DEC, Q3, "huyện", " hộ tịch", 8, 40, 40, 0, 40, 0, 8, 0],
            [*SA_DEC, Q3, "huyện", "Đất đai", 27, 60, 70, 0, 70, 0, 17, 0],
        ],
    )
    for name, period, carried, received, resolved, pending in (
        ("f.csv", "Năm 2023", 0, 100, 60, 40),
        ("g.csv", "Quý I năm 2024", 40, 50, 50, 40),
        ("h.csv", "6 tháng đầu năm 2024", 40, 120, 130, 30),
        ("i.csv", Q2, 40, 70, 80, 30),
        ("j.csv", Q3, 33, 10, 10, 33),
    ):
        row = [*HONG_NGU, period, "huyện", carried, received, resolved, 0, resolved, 0, pending, 0]
        _csv(inbox / name, HEADER, [row])


def _second_night(inbox: Path) -> None:
    _csv(inbox / "b.csv", HEADER, [[*CAO_LANH, Q3, "huyện", 120, 400, 420, 0, 415, 5, 90, 10]])
    stated = [*HEADER, "Số hồ sơ đang giải quyết"]
    _csv(inbox / "c.csv", stated, [[*CAO_LANH, Q4, "huyện", 100, 300, 350, 0, 350, 0, 50, 0, 55]])
    _csv(inbox / "k.csv", HEADER, [[*CAO_LANH, "Quý I năm 2025", "huyện", 55, 10, 15, 0, 15, 0, 50, 0]])


def _load(database: Path, inbox: Path, quarantine: Path, run_id: str) -> None:
    con = duckdb.connect(str(database))
    try:
        ensure_schema(con)
        load_admin_units(con)
        register_inbox(con, inbox, quarantine, run_id)
        report = load_family(con, "dossiers", quarantine, run_id)
        assert report.files_rejected == 0, report.outcomes
    finally:
        con.close()


def _dbt_build(warehouse: Path, target: Path) -> None:
    env = {
        **os.environ,
        "PARWH_WAREHOUSE": str(warehouse),
        "PARWH_ENGINE": "duckdb",
        "PARWH_DBT_TARGET": "duckdb",
        "PARWH_DUCKDB_MEMORY_LIMIT": "2GB",
    }
    result = subprocess.run(
        [dbt_executable(), "build", "--select", f"+{VIEW}",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target), "--log-path", str(target / "logs")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("continuity")
    warehouse, inbox, quarantine = root / "warehouse", root / "inbox", root / "quarantine"
    warehouse.mkdir()
    inbox.mkdir()
    database = warehouse / "warehouse.duckdb"
    _first_night(inbox)
    _load(database, inbox, quarantine, "night-1")
    _second_night(inbox)  # b.csv replaces b_ban_dau.csv: same unit, level and period, later
    _load(database, inbox, quarantine, "night-2")
    _dbt_build(warehouse, root / "dbt_target")
    con = duckdb.connect(str(database))
    try:
        results = run_quality_checks(con, "r1", ["carried_in_continuity"])
        assert [r.suite for r in results] == ["carried_in_continuity"]
    finally:
        con.close()
    yield database


def _rows(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_model_pairs_each_period_with_the_one_before(warehouse: Path) -> None:
    rows = _rows(
        warehouse,
        "select unit_code, comparison_level, lower(trim(field_name)), period_label,"
        " previous_period_label, carried_in, previous_pending, difference, source_file,"
        f" previous_source_file from intermediate.{MODEL}"
        " order by unit_code, period_start, period_end, comparison_level desc, 3",
    )
    assert rows == [
        ("L866", "unit", "", "2024-Q3", "2024-Q2", 120, 118, 2, "b.csv", "a.xlsx"),
        ("L866", "unit", "", "2024-Q4", "2024-Q3", 100, 100, 0, "c.csv", "b.csv"),
        ("L866", "unit", "", "2025-Q1", "2024-Q4", 55, 55, 0, "k.csv", "c.csv"),
        ("L867", "unit", "", "2024-Q3", "2024-Q2", 35, 33, 2, "e.csv", "d.csv"),
        ("L867", "field", "hộ tịch", "2024-Q3", "2024-Q2", 8, 8, 0, "e.csv", "d.csv"),
        ("L867", "field", "đất đai", "2024-Q3", "2024-Q2", 27, 25, 2, "e.csv", "d.csv"),
        ("L868", "unit", "", "2024-Q1", "2023", 40, 40, 0, "g.csv", "f.csv"),
        ("L868", "unit", "", "2024-H1", "2023", 40, 40, 0, "h.csv", "f.csv"),
        ("L868", "unit", "", "2024-Q2", "2024-Q1", 40, 40, 0, "i.csv", "g.csv"),
        ("L868", "unit", "", "2024-Q3", "2024-Q2", 33, 30, 3, "j.csv", "i.csv"),
    ]
    (counted,) = _rows(
        warehouse,
        f"select previous_periods from intermediate.{MODEL}"
        " where unit_code = 'L868' and period_label = '2024-Q3'",
    )
    assert counted == (2,)  # 2024-H1 and 2024-Q2 both end on 30 June with 30 pending


def test_the_mismatch_is_one_warning_naming_both_files(warehouse: Path) -> None:
    (check,) = _rows(
        warehouse,
        "select check_name, asset_key, severity, success, unexpected_count, element_count"
        f" from audit.check_results where rule = '{RULE}'",
    )
    assert check == ("carried_in_continuity", f"intermediate/{MODEL}", "warn", False, 4, 10)
    findings = _rows(
        warehouse,
        "select rule, severity, unit_code, period_label, source_file, source_row, finding_key,"
        " message, message_vi from marts.data_quality_findings order by unit_code, finding_key",
    )
    assert [f[:7] for f in findings] == [
        (RULE, "warn", "L866", "2024-Q3", "b.csv", 2, "unit 2024-Q2"),
        (RULE, "warn", "L867", "2024-Q3", "e.csv", 3, "field 2024-Q2"),
        (RULE, "warn", "L867", "2024-Q3", "e.csv", 2, "unit 2024-Q2"),
        (RULE, "warn", "L868", "2024-Q3", "j.csv", 2, "unit 2024-Q2"),
    ]
    cao_lanh = findings[0]
    assert cao_lanh[7] == (
        "Carried in 120 at the start of 2024-Q3 (file b.csv) but 118 pending at the end of"
        " 2024-Q2 (file a.xlsx): difference 2 (district level, all fields)"
    )
    assert cao_lanh[8] == (
        "Kỳ trước chuyển qua 120 đầu kỳ 2024-Q3 (tệp b.csv) nhưng cuối kỳ 2024-Q2 (tệp a.xlsx)"
        " còn 118 hồ sơ đang giải quyết: chênh lệch 2 (cấp huyện, tổng các lĩnh vực)"
    )
    field = findings[1]
    assert field[7] == (
        "Carried in 27 at the start of 2024-Q3 (file e.csv) but 25 pending at the end of"
        " 2024-Q2 (file d.csv): difference 2 (district level, the field on row 3 (row 3 of the"
        " previous file))"
    )
    # field names are submitted text: never in messages
    assert all("Đất đai" not in f[7] + f[8] and "đất đai" not in f[7] + f[8] for f in findings)


def test_matching_pairs_and_replaced_files_make_no_finding(warehouse: Path) -> None:
    findings = _rows(
        warehouse,
        "select period_label, source_file, message from marts.data_quality_findings",
    )
    assert not [f for f in findings if f[0] in ("2024-Q1", "2024-H1", "2024-Q4", "2025-Q1")]
    assert not [f for f in findings if f[1] in ("c.csv", "g.csv", "h.csv", "i.csv", "k.csv")]
    assert not [f for f in findings if "b_ban_dau.csv" in f[2]]
    assert not [f for f in findings if "hộ tịch" in f[2].lower()]
