"""Submissions shaped like the ones units really send, written by tests.

Each builder returns the sheet rows and the merged ranges (openpyxl notation) of one
layout; ``tests/ingest/format_writers.py`` and :func:`write_xlsx` write them in any format.
The figures are small and chosen so that each layout's identities hold unless a test
breaks one on purpose.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass


@dataclass
class Layout:
    rows: list[list]
    merges: list[str]


# Biểu số II.06a/VPCP/KSTT, Nha Trang 2018: three fields at the city's own one-stop shop and
# two wards under "Xã, phường, thị trấn". The city's fields add up to seed 002's figures:
# received 58,053, resolved 56,863, early and on time 56,252, late 611.
II06A_TITLE = [
    [
        "Biểu số II.06a/VPCP/KSTT",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
    ],
    ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"],
    ["Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)"],
    [
        "Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "Đơn vị nhận báo cáo: UBND tỉnh Khánh Hòa",
    ],
    [None, None, None, None, None, None, None, None, None, None, "Đơn vị tính: Số hồ sơ TTHC"],
]
II06A_HEADER = [
    [
        "TT",
        "Lĩnh vực, công việc giải quyết theo cấp",
        "Số hồ sơ nhận giải quyết",
        None,
        None,
        None,
        "Số lượng hồ sơ đã giải quyết",
        None,
        None,
        None,
        "Số lượng hồ sơ đang giải quyết",
        None,
        None,
    ],
    [
        None,
        None,
        "Tổng số",
        "Trong đó",
        None,
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ],
    [
        None,
        None,
        None,
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
]
# header rows 6-8 (1-based), numbering row 9
II06A_MERGES = [
    "A6:A8",
    "B6:B8",
    "C6:F6",
    "C7:C8",
    "D7:E7",
    "F7:F8",
    "G6:J6",
    "G7:G8",
    "H7:H8",
    "I7:I8",
    "J7:J8",
    "K6:M6",
    "K7:K8",
    "L7:L8",
    "M7:M8",
]


def ii06a_row(tt, label, online, direct, carried, early, on_time, late, not_due, overdue) -> list:
    received_total = online + direct + carried
    resolved = early + on_time + late
    pending = not_due + overdue
    return [
        tt,
        label,
        received_total,
        online,
        direct,
        carried,
        resolved,
        early,
        on_time,
        late,
        pending,
        not_due,
        overdue,
    ]


def section(label: str, rows: list[list], tt: str | None = None) -> list[list]:
    sums = [sum(r[i] for r in rows) for i in range(2, 13)]
    return [[tt, label, *sums], *rows]


CITY_FIELDS = [
    ii06a_row(1, "Đất đai", 3_000, 20_000, 500, 10_000, 12_000, 600, 800, 100),
    ii06a_row(2, "Tư pháp - Hộ tịch", 996, 30_000, 10, 20_000, 10_990, 11, 5, 0),
    ii06a_row(3, "Xây dựng", 57, 4_000, 0, 1_000, 2_262, 0, 795, 0),
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
        copy.deepcopy(
            [
                *II06A_TITLE,
                *II06A_HEADER,
                *body,
                totals,
                [],
                [None, "Người lập biểu", None, None, None, None, None, None, "Thủ trưởng đơn vị"],
            ]
        ),
        list(II06A_MERGES),
    )


def merge_tuples(merges: list[str]) -> list[tuple[int, int, int, int]]:
    """ "A6:A8" → (5, 0, 7, 0): 0-based inclusive (first row, first column, last row, last column)."""
    from openpyxl.utils import range_boundaries

    out = []
    for rng in merges:
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        out.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return out


# The older 02/2017 layout ("07a"), as many one-stop systems still export it, for Sa Đéc
# 2023: two fields at the city's desk and two wards, Roman-numeral sections, "TỔNG CỘNG".
M07A_TITLE = [
    ["UBND TỈNH ĐỒNG THÁP"],
    ["Mẫu số 07a/VPCP/KSTT"],
    ["KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH 6 THÁNG ĐẦU NĂM 2023"],
    ["Đơn vị báo cáo: UBND thành phố Sa Đéc"],
]
M07A_HEADER = [
    [
        "STT",
        "Lĩnh vực",
        "Số hồ sơ nhận giải quyết",
        None,
        None,
        "Kết quả giải quyết",
        None,
        None,
        None,
        None,
        None,
        "Bổ sung",
        "Trả lại",
    ],
    [
        None,
        None,
        "Tổng số",
        "Trong đó",
        None,
        "Số hồ sơ đã giải quyết",
        None,
        None,
        "Số hồ sơ đang giải quyết",
        None,
        None,
        None,
        None,
    ],
    [
        None,
        None,
        None,
        "Số kỳ trước chuyển qua",
        "Số mới tiếp nhận",
        "Tổng số",
        "Trả đúng thời hạn",
        "Trả quá hạn",
        "Tổng số",
        "Chưa đến hạn",
        "Quá hạn",
        None,
        None,
    ],
    [
        "A",
        "B",
        "(1)=(2)+(3)",
        "(2)",
        "(3)",
        "(4)=(5)+(6)",
        "(5)",
        "(6)",
        "(7)=(8)+(9)",
        "(8)",
        "(9)",
        "(10)",
        "(11)",
    ],
]
M07A_MERGES = ["A5:A7", "B5:B7", "C5:E5", "C6:C7", "D6:E6", "F5:K5", "F6:H6", "I6:K6", "L5:L7", "M5:M7"]


def m07a_row(tt, label, carried, new, on_time, late, not_due, overdue, supplement=0, returned=0) -> list:
    return [
        tt,
        label,
        carried + new,
        carried,
        new,
        on_time + late,
        on_time,
        late,
        not_due + overdue,
        not_due,
        overdue,
        supplement,
        returned,
    ]


SA_DEC_FIELDS = [
    m07a_row(1, "Đất đai", 120, 2_400, 2_300, 20, 180, 20),
    m07a_row(2, "Hộ tịch", 0, 1_500, 1_490, 0, 10, 0),
]
SA_DEC_WARDS = [
    m07a_row(1, "Phường 1", 5, 300, 290, 5, 10, 0, 0, 0),
    m07a_row(2, "Phường 2", 0, 200, 195, 0, 3, 0, 2, 0),
]


def m07a_sa_dec() -> Layout:
    def sec(tt: str, label: str, rows: list[list]) -> list[list]:
        return [[tt, label, *[sum(r[i] for r in rows) for i in range(2, 13)]], *rows]

    rows = [
        *M07A_TITLE,
        *M07A_HEADER,
        *sec("I", "Cấp huyện", SA_DEC_FIELDS),
        *sec("II", "Cấp xã", SA_DEC_WARDS),
        [None, "TỔNG CỘNG", *[sum(r[i] for r in SA_DEC_FIELDS + SA_DEC_WARDS) for i in range(2, 13)]],
    ]
    return Layout(copy.deepcopy(rows), list(M07A_MERGES))


# A vendor's export (one-stop software of another province), Cao Lãnh city Q3/2023: a
# two-row header without merged cells (each group label written once, over its first
# column), online split into fully and partly online, "Tiếp nhận phi địa giới", the late
# column written "Quá hạn (đã có thư xin lỗi)", and "Đúng hạn và trước hạn" in one column.
VENDOR_HEADER = [
    [
        "Đơn vị",
        "Cấp",
        "Tồn kỳ trước",
        "Tiếp nhận trong kỳ",
        "Trực tuyến toàn trình",
        "Trực tuyến một phần",
        "Tiếp nhận phi địa giới",
        "Đã giải quyết",
        None,
        None,
        "Đang giải quyết",
        None,
        "Ghi chú",
    ],
    [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "Tổng",
        "Đúng hạn và trước hạn",
        "Quá hạn (đã có thư xin lỗi)",
        "Trong hạn",
        "Quá hạn",
        None,
    ],
]


def vendor_cao_lanh() -> list[list]:
    return [
        ["PHẦN MỀM MỘT CỬA ĐIỆN TỬ - THỐNG KÊ HỒ SƠ"],
        ["Số liệu từ ngày 01/07/2023 đến ngày 30/09/2023"],
        *VENDOR_HEADER,
        ["Thành phố Cao Lãnh, tỉnh Đồng Tháp", "Cấp huyện", 40, 1_000, 300, 200, 15, 980, 975, 5, 55, 5, ""],
        [
            "Xã Mỹ Tân, thành phố Cao Lãnh, tỉnh Đồng Tháp",
            "Cấp xã",
            2,
            150,
            10,
            20,
            0,
            149,
            149,
            0,
            3,
            0,
            "đủ",
        ],
    ]


# Staff as a district writes it: free-text categories, as-of date in the title.
def staff_free_text() -> list[list]:
    return [
        ["UBND HUYỆN AN LÃO"],
        ["BÁO CÁO SỐ LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"],
        ["(Số liệu đến ngày 30/6/2023)"],
        ["Đơn vị báo cáo: UBND huyện An Lão, tỉnh Bình Định"],
        ["STT", "Nội dung", "Biên chế được giao", "Có mặt"],
        [1, "Công chức cấp huyện", 80, 78],
        [2, "Viên chức sự nghiệp GD&ĐT", 600, 590],
        [3, "Viên chức sự nghiệp khác", 120, 118],
        [4, "Viên chức - Y tế", 90, 85],
        [5, "Hợp đồng theo NĐ 111", 12, 12],
    ]


# Budget with the as-of date in a column and a stated rate (seed 003, Sa Đéc 15/8/2023).
def budget_as_of_column(as_of_header: str = "Số liệu đến ngày") -> list[list]:
    return [
        ["UBND TỈNH ĐỒNG THÁP"],
        ["TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG NĂM 2023"],
        [],
        [
            "STT",
            "Đơn vị",
            as_of_header,
            "Kế hoạch vốn giao (triệu đồng)",
            "Đã giải ngân (triệu đồng)",
            "Tỷ lệ giải ngân (%)",
        ],
        [1, "Thành phố Sa Đéc", "15/08/2023", "590.161,540", "212.901,285", "36,08"],
        [2, "Huyện Lai Vung", "15/08/2023", "300.000,000", "150.000,000", "50"],
        [None, "Tổng cộng", None, "890.161,540", "362.901,285", None],
    ]


# A weekly report of a commune's one-stop shop with the same three groups.
def weekly_report() -> list[list]:
    return [
        ["UBND XÃ MỸ TÂN"],
        ["BÁO CÁO TUẦN: TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ (từ ngày 03/07/2023 đến ngày 09/07/2023)"],
        ["Đơn vị báo cáo: UBND xã Mỹ Tân, thành phố Cao Lãnh, tỉnh Đồng Tháp"],
        ["Lĩnh vực", "Tiếp nhận", None, None, "Đã giải quyết", None, None, "Đang giải quyết", None],
        [
            None,
            "Kỳ trước chuyển qua",
            "Trong tuần",
            "Trực tuyến",
            "Tổng số",
            "Đúng hạn",
            "Trễ hạn",
            "Trong hạn",
            "Quá hạn",
        ],
        ["Hộ tịch", 3, 20, 5, 21, 21, 0, 2, 0],
        ["Chứng thực", 0, 15, 0, 15, 14, 1, 0, 0],
    ]


# The annex table of a narrative report (seed 002's figures): one row per level of the
# reporting city, Roman-numbered, no row under them.
def narrative_annex() -> list[list]:
    return [
        ["Phụ lục 1"],
        ["KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM 2018"],
        ["(Kèm theo Báo cáo số 123/BC-UBND của UBND thành phố Nha Trang)"],
        ["Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa"],
        [
            "TT",
            "Cấp giải quyết",
            "Tổng số hồ sơ tiếp nhận",
            "Đã giải quyết",
            None,
            None,
            "Tỷ lệ đúng hạn (%)",
        ],
        [None, None, None, "Tổng số", "Trong đó: Sớm hạn và đúng hạn", "Trễ hạn", None],
        ["I", "Cấp huyện", "58.053", "56.863", "56.252", "611", "98,93"],
        ["II", "Cấp xã", "75.416", "75.384", "75.226", "158", "99,79"],
    ]


NARRATIVE_MERGES = ["A5:A6", "B5:B6", "C5:C6", "D5:F5", "G5:G6"]


# Communes with their fields as bulleted items under each (parts, never loaded twice), and a
# unit cell merged down over field rows.
def bulleted_and_merged() -> Layout:
    rows = [
        ["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC QUÝ I/2023"],
        ["Đơn vị báo cáo: UBND thành phố Sa Đéc, tỉnh Đồng Tháp"],
        ["STT", "Đơn vị", "Lĩnh vực", "Tiếp nhận mới", "Đã giải quyết", None, "Đang giải quyết"],
        [None, None, None, None, "Đúng hạn", "Trễ hạn", None],
        [1, "Phường 1", None, 30, 25, 1, 4],
        ["-", None, "- Hộ tịch", 20, 18, 0, 2],
        ["-", None, "- Chứng thực", 10, 7, 1, 2],
        [2, "Phường 2", "Hộ tịch", 12, 10, 0, 2],
        [3, None, "Chứng thực", 8, 8, 0, 0],
    ]
    return Layout(rows, ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "B8:B9"])
