"""Submissions shaped like the ones units really send, written by tests.

Each builder returns the sheet rows and the merged ranges (openpyxl notation) of one
layout; ``tests/ingest/format_writers.py`` and :func:`write_xlsx` write them in any format.
The figures are small and chosen so that each layout's identities hold unless a test
breaks one on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Layout:
    rows: list[list]
    merges: list[str]


# Biểu số II.06a/VPCP/KSTT, Nha Trang 2018: three fields at the city's own one-stop shop and
# two wards under "Xã, phường, thị trấn".
II06A_TITLE = [
    ["Biểu số II.06a/VPCP/KSTT", None, None, None, None, None, None, None, None, None, "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"],
    ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"],
    ["Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)"],
    ["Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa", None, None, None, None, None, None, None, "Đơn vị nhận báo cáo: UBND tỉnh Khánh Hòa"],
    [None, None, None, None, None, None, None, None, None, None, "Đơn vị tính: Số hồ sơ TTHC"],
]
II06A_HEADER = [
    ["TT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", None, None, None, "Số lượng hồ sơ đã giải quyết", None, None, None, "Số lượng hồ sơ đang giải quyết", None, None],
    [None, None, "Tổng số", "Trong đó", None, "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"],
    [None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", None, None, None, None, None, None, None, None],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
]
# header rows 6-8 (1-based), numbering row 9
II06A_MERGES = ["A6:A8", "B6:B8", "C6:F6", "C7:C8", "D7:E7", "F7:F8", "G6:J6", "G7:G8", "H7:H8", "I7:I8", "J7:J8", "K6:M6", "K7:K8", "L7:L8", "M7:M8"]


def ii06a_row(tt, label, online, direct, carried, early, on_time, late, not_due, overdue) -> list:
    received_total = online + direct + carried
    resolved = early + on_time + late
    pending = not_due + overdue
    return [tt, label, received_total, online, direct, carried, resolved, early, on_time, late, pending, not_due, overdue]


def section(label: str, rows: list[list], tt: str | None = None) -> list[list]:
    sums = [sum(r[i] for r in rows) for i in range(2, 13)]
    return [[tt, label, *sums], *rows]


CITY_FIELDS = [
    ii06a_row(1, "Đất đai", 3_000, 20_000, 500, 10_000, 12_000, 600, 800, 100),
    ii06a_row(2, "Tư pháp - Hộ tịch", 996, 30_000, 10, 20_000, 10_990, 11, 5, 0),
    ii06a_row(3, "Xây dựng", 57, 4_000, 0, 1_000, 3_000, 0, 57, 0),
]
WARDS = [
    ii06a_row(1, "Phường Lộc Thọ", 200, 5_000, 10, 3_000, 2_190, 20, 0, 0),
    ii06a_row(2, "Phường Vĩnh Hải", 100, 4_000, 0, 2_000, 2_090, 10, 0, 0),
]


def ii06a_nha_trang() -> Layout:
    body = [
        *section("Huyện, thị xã, thành phố", CITY_FIELDS, "I"),
        *section("Xã, phường, thị trấn", WARDS, "II"),
    ]
    totals = ["", "Tổng số", *[sum(r[i] for r in CITY_FIELDS + WARDS) for i in range(2, 13)]]
    return Layout(
        [*II06A_TITLE, *II06A_HEADER, *body, totals, [], [None, "Người lập biểu", None, None, None, None, None, None, "Thủ trưởng đơn vị"]],
        II06A_MERGES,
    )
