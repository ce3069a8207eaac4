"""Which unit a row of the portal's 766 scores names, through the inbox's own registration
and loading (real DuckDB warehouse): a code and a name that name different units are
refused (a 2025 code on 2024 figures names another province); a province's own table heads
its communes with the province, and its communes are looked for in it (a commune name
shared by several provinces is found; one from another province is refused, not moved)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from openpyxl import Workbook

from ingest.inbox import load_family, register_inbox

RUN = "run-portal-units"
FAMILY = "portal_766_scores"
HEADINGS = [
    "Công khai, minh bạch (18 điểm)",
    "Tiến độ giải quyết (20 điểm)",
    "Dịch vụ trực tuyến (12 điểm)",
    "Thanh toán trực tuyến (10 điểm)",
    "Mức độ hài lòng (18 điểm)",
    "Số hóa hồ sơ (22 điểm)",
]
SCORES = ["15,8", "18,9", "9,6", "6,1", "17,2", "16,4"]  # 84


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path):
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [(FAMILY, "pending")], outcomes
    return load_family(con, FAMILY, quarantine, RUN).outcomes[0]


def _units(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    sql = "select unit_code, unit_name from raw.portal_766_scores order by source_row"
    return con.execute(sql).fetchall()


def test_a_code_from_the_other_era_does_not_move_a_province(con, inbox: Path, quarantine: Path) -> None:
    """82 is Đồng Tháp's code from July 2025; on 2024 figures it is Tiền Giang's: refused,
    both units named, nothing loaded."""
    _xlsx(
        inbox / "xep_hang_766_nam_2024.xlsx",
        [
            ["BẢNG XẾP HẠNG CHỈ SỐ 766 NĂM 2024"],
            ["STT", "Mã", "Tỉnh, thành phố", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "82", "Đồng Tháp", *SCORES, "84", "9"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", outcome
    assert "mã đơn vị '82'" in outcome.message_vi and "Tiền Giang" in outcome.message_vi
    assert "Đồng Tháp" in outcome.message_vi and "dòng 3" in outcome.message_vi
    assert con.execute("select count(*) from raw.portal_766_scores").fetchall() == [(0,)]


def test_a_code_and_name_that_agree_load(con, inbox: Path, quarantine: Path) -> None:
    _xlsx(
        inbox / "xep_hang_766_nam_2024.xlsx",
        [
            ["BẢNG XẾP HẠNG CHỈ SỐ 766 NĂM 2024"],
            ["STT", "Mã", "Tỉnh, thành phố", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "87", "Đồng Tháp", *SCORES, "84", "9"],
            [2, "72", "Tây Ninh", *SCORES, "84", "9"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("L87", "Đồng Tháp"), ("L72", "Tây Ninh")]


def test_communes_are_looked_for_in_the_province_the_table_names(con, inbox: Path, quarantine: Path) -> None:
    """Xã Tân Phú and Xã Bình Thành name several current communes of the country, one each in
    Đồng Tháp (28468, 30163): under the province's own row they are found there; a
    department's row is the province's department (ingest/config/departments.yaml)."""
    _xlsx(
        inbox / "chi_so_766_dong_thap_thang_11_2025.xlsx",
        [
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "UBND tỉnh Đồng Tháp", *SCORES, "84", "9"],
            [2, "Sở Tư pháp", *SCORES, "84", "1"],
            [3, "Xã Tân Phú", *SCORES, "84", "1"],
            [4, "Xã Bình Thành", *SCORES, "84", "2"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [
        ("82", "UBND tỉnh Đồng Tháp"),
        ("82.STP", "Sở Tư pháp"),
        ("28468", "Xã Tân Phú"),
        ("30163", "Xã Bình Thành"),
    ]


def test_a_department_without_a_province_or_unknown_is_left_out_and_named(
    con, inbox: Path, quarantine: Path
) -> None:
    """The national table of provinces carries ministries' rows; a province's table a
    department it has no unit for: neither is loaded, the message names them."""
    _xlsx(
        inbox / "chi_so_766_dong_thap_thang_11_2025.xlsx",
        [
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "UBND tỉnh Đồng Tháp", *SCORES, "84", "9"],
            [2, "Sở Du lịch", *SCORES, "84", "1"],  # not a department of the declared list
            [3, "Sở Tư pháp", *SCORES, "84", "2"],
            [4, "Sở Tài nguyên và Môi trường", *SCORES, "84", "3"],  # merged in 2025: its successor
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [
        ("82", "UBND tỉnh Đồng Tháp"),
        ("82.STP", "Sở Tư pháp"),
        ("82.SNNMT", "Sở Tài nguyên và Môi trường"),
    ]
    assert "Sở Du lịch" in outcome.message_vi
    assert "không thuộc danh sách sở, ban, ngành của tỉnh" in outcome.message_vi, outcome.message_vi


def test_a_commune_of_another_province_is_refused_not_moved(con, inbox: Path, quarantine: Path) -> None:
    """The only current Xã Mỹ An is in Tây Ninh: in Đồng Tháp's table it is refused."""
    _xlsx(
        inbox / "chi_so_766_dong_thap_thang_11_2025.xlsx",
        [
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "Tỉnh Đồng Tháp", *SCORES, "84", "9"],
            [2, "Xã Mỹ An", *SCORES, "84", "1"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", outcome
    assert "Xã Mỹ An" in outcome.message_vi and "dòng 4" in outcome.message_vi
    assert con.execute("select count(*) from raw.portal_766_scores").fetchall() == [(0,)]


def test_communes_are_looked_for_in_the_province_of_the_title(con, inbox: Path, quarantine: Path) -> None:
    """A table of communes alone: the province is named only in its title (or its file
    name), and the communes of that name elsewhere are not taken."""
    _xlsx(
        inbox / "chi_so_766_cap_xa_thang_11_2025.xlsx",
        [
            ["UBND TỈNH ĐỒNG THÁP"],
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP CỦA CÁC XÃ, PHƯỜNG - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "Xã Tân Phú", *SCORES, "84", "1"],
            [2, "Xã Bình Thành", *SCORES, "84", "2"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("28468", "Xã Tân Phú"), ("30163", "Xã Bình Thành")]


def test_communes_are_looked_for_in_the_province_of_the_file_name(con, inbox: Path, quarantine: Path) -> None:
    _xlsx(
        inbox / "chi_so_766_xa_tinh_dong_thap_thang_11_2025.xlsx",
        [
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "Xã Tân Phú", *SCORES, "84", "1"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("28468", "Xã Tân Phú")]


def test_without_a_province_an_ambiguous_commune_is_refused(con, inbox: Path, quarantine: Path) -> None:
    _xlsx(
        inbox / "chi_so_766_cap_xa_thang_11_2025.xlsx",
        [
            ["CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 11/2025"],
            ["STT", "Tên đơn vị", *HEADINGS, "Tổng điểm", "Xếp hạng"],
            [1, "Xã Tân Phú", *SCORES, "84", "1"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", outcome
    assert "Xã Tân Phú" in outcome.message_vi and "dòng 3" in outcome.message_vi


def _group_scores() -> list[dict]:
    groups = [
        ("CKMB", "Công khai, minh bạch", 18, 13.2),
        ("TDGQ", "Tiến độ giải quyết", 20, 18.4),
        ("CLGQ", "Dịch vụ công trực tuyến", 12, 7.7),
        ("TTTT", "Thanh toán trực tuyến", 10, 7.6),
        ("MDHL", "Mức độ hài lòng", 18, 17.6),
        ("MDSH", "Số hóa hồ sơ", 22, 15.6),
    ]
    return [{"code": c, "name": n, "score": v, "maxScore": m} for c, n, m, v in groups]


def test_a_json_answer_finds_its_province_in_its_overview(con, inbox: Path, quarantine: Path) -> None:
    """QA 4: the portal's answer for a province's units names the province in its overview
    only: its departments were left out and its communes refused as ambiguous."""
    answer = {
        "code": "OK",
        "request": {"timeType": "month", "year": 2025, "month": 11},
        "data": {
            "overview": {"departmentName": "Đồng Tháp", "totalScore": 71.2},
            "evaluation": [
                {"departmentName": name, "totalScore": 80.1, "groupScores": _group_scores()}
                for name in ("Sở Tư pháp", "Xã Tân Phú")
            ],
        },
    }
    (inbox / "service-results.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("82.STP", "Sở Tư pháp"), ("28468", "Xã Tân Phú")]
