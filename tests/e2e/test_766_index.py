"""Issue 19: the 766 index by the portal's rules, from records, a catalogue and the portal's
published scores, through `parwh run` on a real warehouse.

Sa Đéc's records of March 2023 (ten dossiers, every rule exercised), Sa Đéc's procedure
catalogue (one procedure returns a paper result) and the portal's export of the first
quarter of 2023 for Đồng Tháp and of 2024 for Quảng Nam. Every indicator and point below is
computed by hand from the ten dossiers:

    HS01 online, due 10/3, resolved 8/3: on time; e-result; fee 50.000 paid online
    HS02 due 10/3, resolved 15/3, supplement wait 3/3 → 9/3 (6 days added): on time
    HS03 the same with two supplement requests: late
    HS04 blank channel (in person), due 10/3, resolved 12/3: late; not synced
    HS05 online, paper-result procedure, no e-result, resolved 18/3 (due 20/3): on time,
         not counted online; fee procedure but every fee waived (0)
    HS06 online, paper-result procedure with an e-result, 19/3: on time; fee 100.000 not
         paid online
    HS07 open, due 25/3: late at the month's end
    HS08 open, due 5/4: within; a complaint
    HS09 waiting for supplements since 20/3, due 22/3 (11 days to the month's end added):
         within
    HS10 online, withdrawn 5/3: ended on time; rated dissatisfied

    2.1 = 7/10 = 70 % → 20 × 0.7 = 14.00
    1.4 = 9/10 synced → 6 × 0.9 = 5.40
    3.3 = 3/10 online counted (HS01, HS06, HS10) × 9/10 synced = 27 % → 12 × 27/50 = 6.48
    3.6 = 1/2 fee-bearing paid online = 50 % → 10 × 0.5 = 5.00
    4.1 = 2/6 resolved with an e-result = 33.3333 % → 8/3 = 2.67
    4.2 = 8/10 digitised = 80 % → full 7.00 (full at 80 %)
    4.3 = 3/10 reused = 30 % → 7 × 30/80 = 2.625 → 2.63 (half up)
    5.4 = (7 − 2 complained) / 10 = 50 % → 6 × 50/90 = 3.33

Sa Đéc's catalogue gives Sa Đéc (not the province, which has none of its own) the
publicity indicators 1.1–1.3 (CATALOGUE_INDICATORS).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.ingest.test_portal_766 import PROVINCES_2024, write_export
from tests.ingest.test_procedure_catalogue import write_sa_dec_catalogue

runner = CliRunner()

PAPER_RESULT = "2.000720.000.00.00.H17"
NO_PAPER_RESULT = "1.001022.000.00.00.H17"
HEADER = [
    "Mã hồ sơ", "Mã TTHC", "Kênh tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý",
    "Trạng thái", "Số lần yêu cầu bổ sung", "Ngày yêu cầu bổ sung", "Ngày tiếp nhận bổ sung",
    "Đã đồng bộ lên Cổng DVCQG", "Kết quả điện tử", "Có phí", "Phí, lệ phí", "Thanh toán trực tuyến",
    "Số hóa", "Tái sử dụng dữ liệu", "Phản ánh kiến nghị", "Đánh giá",
]  # fmt: skip
P1, P2 = NO_PAPER_RESULT, PAPER_RESULT
ROWS = [
    ["HS01", P1, "Trực tuyến", "01/03/2023 08:00", "10/03/2023 17:00", "08/03/2023 10:00", "Đã giải quyết",
     "", "", "", "Có", "Có", "Có", "50.000", "Có", "Có", "Có", "", ""],
    ["HS02", P1, "Trực tiếp", "01/03/2023 08:00", "10/03/2023 17:00", "15/03/2023 10:00", "Đã giải quyết",
     "1", "03/03/2023 09:00", "09/03/2023 09:00", "Có", "Không", "Không", "", "", "Có", "Có", "", ""],
    ["HS03", P1, "Trực tiếp", "01/03/2023 08:00", "10/03/2023 17:00", "15/03/2023 10:00", "Đã giải quyết",
     "2", "03/03/2023 09:00", "09/03/2023 09:00", "Có", "Không", "Không", "", "", "Có", "Có", "", ""],
    ["HS04", P1, "", "01/03/2023 08:00", "10/03/2023 17:00", "12/03/2023 10:00", "Đã giải quyết",
     "", "", "", "Không", "Không", "Không", "", "", "Có", "Không", "", ""],
    ["HS05", P2, "Trực tuyến", "02/03/2023 08:00", "20/03/2023 17:00", "18/03/2023 10:00", "Đã giải quyết",
     "", "", "", "Có", "Không", "Có", "0", "Không", "Có", "Không", "", ""],
    ["HS06", P2, "Trực tuyến", "02/03/2023 08:00", "20/03/2023 17:00", "19/03/2023 10:00", "Đã giải quyết",
     "", "", "", "Có", "Có", "Có", "100.000", "Không", "Có", "Không", "", ""],
    ["HS07", P1, "Trực tiếp", "10/03/2023 08:00", "25/03/2023 17:00", "", "Đang xử lý",
     "", "", "", "Có", "", "Không", "", "", "Có", "Không", "", ""],
    ["HS08", P1, "Trực tiếp", "20/03/2023 08:00", "05/04/2023 17:00", "", "Đang xử lý",
     "", "", "", "Có", "", "Không", "", "", "Có", "Không", "Có", ""],
    ["HS09", P1, "Bưu chính", "15/03/2023 08:00", "22/03/2023 17:00", "", "Chờ bổ sung",
     "1", "20/03/2023 09:00", "", "Có", "", "Không", "", "", "Không", "Không", "", ""],
    ["HS10", P1, "Trực tuyến", "01/03/2023 08:00", "10/03/2023 17:00", "05/03/2023 10:00",
     "Công dân rút hồ sơ", "", "", "", "Có", "", "Không", "", "", "Không", "Không", "", "Không hài lòng"],
]  # fmt: skip
EXPECTED_INDICATORS = {  # indicator: (numerator, denominator, value %, points)
    "1.4": (9, 10, "90.0000", "5.40"),
    "2.1": (7, 10, "70.0000", "14.00"),
    "3.3": (3, 10, "27.0000", "6.48"),
    "3.6": (1, 2, "50.0000", "5.00"),
    "4.1": (2, 6, "33.3333", "2.67"),
    "4.2": (8, 10, "80.0000", "7.00"),
    "4.3": (3, 10, "30.0000", "2.63"),
    "5.4": (5, 10, "50.0000", "3.33"),
}
EXPECTED_GROUPS = {
    "cong_khai": "5.40",
    "tien_do": "14.00",
    "truc_tuyen": "6.48",
    "thanh_toan": "5.00",
    "so_hoa": "12.30",
    "hai_long": "3.33",
}
#: Sa Đéc's own catalogue: P1 decided 10 January, its legal basis in force 1 February (7
#: working days ahead: on time); P2 decided 20 January (the working days after it: 27, 30, 31
#: January and 1 February, Tết being 20–26 January: 4, late, though 12 calendar days ahead);
#: no update dates, no "published complete" column
CATALOGUE_INDICATORS = {
    "1.1": (1, 2, "50.0000", "2.00"),
    "1.2": (0, 2, "0.0000", "0.00"),
    "1.3": (0, 2, "0.0000", "0.00"),
}
#: the portal's figures for Đồng Tháp, first quarter of 2023 (made up for the test)
DONG_THAP_Q1 = ("Đồng Tháp", "87", ["16,2", "19,1", "10,3", "6,5", "17", "15,4"], "84,5", "8", "Tốt")


def _write_records(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def _write_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    _write_records(inbox / "hoso_867_2023.csv")
    write_sa_dec_catalogue(
        inbox / "danh_muc_tthc_sa_dec.xlsx",
        [
            (P1, "Đăng ký khai sinh", "Cấp huyện", "Toàn trình", "8.000", "Không", "12/QĐ-UBND",
             "10/01/2023", "01/02/2023"),
            (P2, "Đăng ký thành lập hộ kinh doanh", "Cấp huyện", "Toàn trình", "100.000", "Có",
             "567/QĐ-UBND", "20/01/2023", "01/02/2023"),
        ],
        title="(cập nhật đến ngày 31/3/2023)",
    )  # fmt: skip
    write_export(
        inbox / "chi_so_766_quy_1_2023.xlsx",
        title="BẢNG XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP Quý I/2023",
        provinces=[DONG_THAP_Q1],
    )
    write_export(inbox / "chi_so_766_nam_2024.xlsx", provinces=PROVINCES_2024)


def test_the_766_index_from_records_catalogue_and_the_portal(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    _write_inbox(settings.inbox_dir)
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        for unit in ("L867", "L87"):  # the district and its province (the sum of its districts)
            for kind, label in (("month", "2023-03"), ("quarter", "2023-Q1")):
                rows = con.execute(
                    "select indicator_code, numerator, denominator, value_percent, points"
                    " from marts.fct_766_indicators"
                    " where unit_code = ? and period_kind = ? and period_label = ? and denominator > 0",
                    [unit, kind, label],
                ).fetchall()
                found = {code: (n, d, str(v), str(p.quantize(Decimal("0.01")))) for code, n, d, v, p in rows}
                own_catalogue = CATALOGUE_INDICATORS if unit == "L867" else {}
                assert found == {**EXPECTED_INDICATORS, **own_catalogue}, (unit, kind)
        groups = dict(
            con.execute(
                "select group_code, points from marts.fct_766_group_scores"
                " where unit_code = 'L87' and period_label = '2023-Q1'"
            ).fetchall()
        )
        assert {g: str(p.quantize(Decimal("0.01"))) for g, p in groups.items()} == EXPECTED_GROUPS
        reconciliation = {
            row[0]: row[1:]
            for row in con.execute(
                "select group_code, own_points, portal_points, difference, likely_cause_vi,"
                " portal_total, portal_groups_sum, portal_band_vi"
                " from marts.mart_766_reconciliation"
                " where unit_code = 'L87' and period_label = '2023-Q1'"
            ).fetchall()
        }
        assert set(reconciliation) == set(EXPECTED_GROUPS)
        own, portal, difference, cause, total, parts, band = reconciliation["tien_do"]
        assert (own, portal, difference) == (Decimal("14"), Decimal("19.1"), Decimal("-5.1"))
        assert "1 hồ sơ chưa đồng bộ lên Cổng DVCQG" in cause
        assert "1 hồ sơ yêu cầu bổ sung quá 1 lần (tính trễ hạn)" in cause
        assert "3 hồ sơ trễ hạn theo quy tắc 766" in cause
        assert (total, parts, band) == (Decimal("84.5"), Decimal("84.5"), "Tốt")
        online_cause = reconciliation["truc_tuyen"][3]
        assert "1 hồ sơ để trống kênh nộp (tính là trực tiếp)" in online_cause
        assert "1 hồ sơ trực tuyến của TTHC trả kết quả bản giấy chưa có kết quả điện tử" in online_cause
        assert "kho dữ liệu chỉ tính được 6,0/18,0 điểm của nhóm" in reconciliation["cong_khai"][3]
        # Quảng Nam 2024 as published: its groups add up to its total, 80.1, band Tốt; no records
        (own, parts, total, band, cause) = con.execute(
            "select sum(own_points), sum(portal_points), max(portal_total), max(portal_band_vi),"
            " max(likely_cause_vi) from marts.mart_766_reconciliation"
            " where unit_name = 'Tỉnh Quảng Nam' and period_label = '2024'"
        ).fetchone()  # type: ignore[misc]
        assert (own, parts, total, band) == (None, Decimal("80.1"), Decimal("80.1"), "Tốt")
        assert cause == "kho dữ liệu không có hồ sơ của đơn vị trong kỳ"
