"""Issue 19: since July 2025 the portal scores a province's departments (sở, ban, ngành) beside
its communes. A department's records ("Cơ quan giải quyết: Sở Tư pháp", the province in the
file name) and the province's portal table listing its departments go through `parwh run` on
a real warehouse: the departments are units under the province, scored by the 766 rules,
ranked among the province's departments and reconciled with the portal's rows.

Đồng Tháp, November 2025, by hand:
    Sở Tư pháp   T1 T3 T4 on time, T2 resolved 14/11 past its 12/11 due date: 2.1 = 3/4 = 75 %
                 → 20 × 0.75 = 15.00
    Sở Y tế      Y1 Y2 on time: 2.1 = 2/2 → 20.00
    the province (its departments' dossiers and nobody else's): 5/6 = 83.3333 % → 16.67
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
from openpyxl import Workbook
from typer.testing import CliRunner

from cli.main import app
from settings import Settings

runner = CliRunner()

HEADER = [
    "Mã hồ sơ",
    "Cơ quan giải quyết",
    "Kênh",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Trạng thái",
]
DONE = "Đã giải quyết"
ROWS = [
    ["T1", "Sở Tư pháp", "Trực tuyến", "03/11/2025 08:00", "10/11/2025 17:00", "07/11/2025 10:00", DONE],
    ["T2", "Sở Tư pháp", "Trực tiếp", "04/11/2025 08:00", "12/11/2025 17:00", "14/11/2025 10:00", DONE],
    ["T3", "Sở Tư pháp", "Trực tuyến", "05/11/2025 08:00", "20/11/2025 17:00", "18/11/2025 10:00", DONE],
    ["T4", "Sở Tư pháp", "Trực tuyến", "06/11/2025 08:00", "21/11/2025 17:00", "19/11/2025 10:00", DONE],
    ["Y1", "Sở Y tế", "Trực tuyến", "03/11/2025 08:00", "10/11/2025 17:00", "05/11/2025 10:00", DONE],
    ["Y2", "Sở Y tế", "Trực tiếp", "04/11/2025 08:00", "12/11/2025 17:00", "10/11/2025 10:00", DONE],
]  # fmt: skip
HEADINGS = [
    "Công khai, minh bạch (18 điểm)",
    "Tiến độ giải quyết (20 điểm)",
    "Dịch vụ trực tuyến (12 điểm)",
    "Thanh toán trực tuyến (10 điểm)",
    "Mức độ hài lòng (18 điểm)",
    "Số hóa hồ sơ (22 điểm)",
]
PORTAL = [
    ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
    ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
    [1, "UBND tỉnh Đồng Tháp", "15,8", "18,9", "9,6", "6,1", "17,2", "16,4", "84", "9"],
    [2, "Sở Y tế", "16", "19,5", "10", "7", "17", "18", "87,5", "1"],
    [3, "Sở Tư pháp", "15", "17", "9", "6", "16", "15", "78", "2"],
]


def _write_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    with (inbox / "ho_so_so_nganh_tinh_dong_thap_thang_11_2025.csv").open(
        "w", encoding="utf-8", newline=""
    ) as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    for row in PORTAL:
        ws.append(row)
    wb.save(inbox / "chi_so_766_dong_thap_thang_11_2025.xlsx")


def test_departments_are_scored_ranked_and_reconciled(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    _write_inbox(settings.inbox_dir)
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        dim = con.execute(
            "select unit_code, unit_name, unit_kind, parent_code, province_code from marts.dim_admin_units"
            " where unit_code in ('82.STP', '82.SYT') order by unit_code"
        ).fetchall()
        assert dim == [
            ("82.STP", "Sở Tư pháp tỉnh Đồng Tháp", "department", "82", "82"),
            ("82.SYT", "Sở Y tế tỉnh Đồng Tháp", "department", "82", "82"),
        ]
        progress = {
            unit: (n, d, str(v), str(p.quantize(Decimal("0.01"))))
            for unit, n, d, v, p in con.execute(
                "select unit_code, numerator, denominator, value_percent, points"
                " from marts.fct_766_indicators"
                " where indicator_code = '2.1' and period_kind = 'month' and period_label = '2025-11'"
            ).fetchall()
        }
        assert progress["82.STP"] == (3, 4, "75.0000", "15.00")
        assert progress["82.SYT"] == (2, 2, "100.0000", "20.00")
        assert progress["82"] == (5, 6, "83.3333", "16.67")
        ranks = con.execute(
            "select unit_code, unit_kind, ranked_within, total_rank, units_ranked"
            " from marts.mart_766_rankings"
            " where period_kind = 'month' and period_label = '2025-11' and unit_kind = 'department'"
            " order by total_rank, unit_code"
        ).fetchall()
        assert [r[0] for r in ranks] == ["82.SYT", "82.STP"]  # all 20 points of progress against 15
        assert {(r[1], r[2], r[4]) for r in ranks} == {("department", "82", 2)}
        assert [r[3] for r in ranks] == [1, 2]
        reconciliation = dict(
            con.execute(
                "select unit_code, portal_points from marts.mart_766_reconciliation"
                " where group_code = 'tien_do' and period_label = '2025-11'"
            ).fetchall()
        )
        assert reconciliation["82.STP"] == Decimal("17")
        assert reconciliation["82.SYT"] == Decimal("19.5")
        assert reconciliation["82"] == Decimal("18.9")
