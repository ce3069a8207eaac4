"""The portal's published 766 scores (Decision 766/QĐ-TTg) read from its exports and from
the JSON responses of its old and new API versions: Quảng Nam 2024 reads 13,2 + 18,4 +
7,7 + 7,6 + 17,6 + 15,6 = 80,1 in every shape, the groups placed by the maximum the file
states (the versions name the online service and online payment groups the other way
round), the two 18-point groups told apart by their words. A score outside its group's
range rejects the file naming the row and column; a total that is not the sum of the six
groups is a finding."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.portal_766 import (
    FINDING_RULE,
    LAYOUT_EXPORT,
    LAYOUT_JSON_FLAT,
    LAYOUT_JSON_NESTED,
    MAX_JSON_DEPTH,
    is_portal_766_document,
    is_portal_766_file,
    read_portal_766,
)

TITLE_2024 = "BẢNG XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP CỦA CÁC TỈNH, THÀNH PHỐ NĂM 2024"
HEADINGS = [
    "Công khai, minh bạch",
    "Tiến độ giải quyết",
    "Dịch vụ trực tuyến",
    "Thanh toán trực tuyến",
    "Mức độ hài lòng",
    "Số hóa hồ sơ",
]
MAXIMA = [18, 20, 12, 10, 18, 22]
QUANG_NAM = ["13,2", "18,4", "7,7", "7,6", "17,6", "15,6"]
#: (name, code, six groups, total, rank, band) as a national table lists them (an extract)
PROVINCES_2024 = [
    ("Quảng Ninh", "22", ["16,5", "19,6", "10,8", "9,1", "17,9", "19,4"], "93,3", "1", "Xuất sắc"),
    ("Quảng Nam", "49", QUANG_NAM, "80,1", "12", "Tốt"),
    ("Cao Bằng", "04", ["10,1", "15,2", "5,4", "3,3", "14,6", "9,2"], "57,8", "34", "Trung bình"),
]
EXPECTED_QUANG_NAM = {
    "publicity": Decimal("13.2"),
    "progress": Decimal("18.4"),
    "online_service": Decimal("7.7"),
    "online_payment": Decimal("7.6"),
    "satisfaction": Decimal("17.6"),
    "digitisation": Decimal("15.6"),
}
GROUPS = tuple(EXPECTED_QUANG_NAM)


def assert_quang_nam(row, *, source_row: int, code: str | None = "49", band: str | None = "Tốt") -> None:
    assert row.unit_name == "Quảng Nam"
    assert row.unit_code == code
    assert row.source_row == source_row
    assert (row.period_kind, row.period_start, row.period_end, row.period_label) == (
        "year",
        date(2024, 1, 1),
        date(2024, 12, 31),
        "2024",
    )
    assert row.rank == 12
    for group, value in EXPECTED_QUANG_NAM.items():
        assert row.group(group) == value, group
        assert isinstance(row.group(group), Decimal)
    assert row.total == Decimal("80.1")
    assert sum(EXPECTED_QUANG_NAM.values()) == row.total
    assert row.band_label == band


def write_export(
    path: Path,
    *,
    title: str = TITLE_2024,
    headings: list[str] | None = None,
    maxima_row: bool = False,
    provinces: list[tuple] | None = None,
    extra_rows: list[list] | None = None,
    lines_above: list[str] | None = None,
    sheet_name: str = "Xếp hạng",
) -> Path:
    """The portal's ranking table as exported: title rows, a header "STT | Tên đơn vị | Mã
    đơn vị | <six groups> | Tổng điểm | Xếp hạng | Xếp loại" whose groups state their maxima
    "(18 điểm)" (or, with ``maxima_row``, in a second header row), a unit per row."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append(["CỔNG DỊCH VỤ CÔNG QUỐC GIA"])
    for line in lines_above or []:
        ws.append([line])
    ws.append([title])
    ws.append(["(Theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ)"])
    ws.append([])
    groups = headings or [f"{h} ({m} điểm)" for h, m in zip(HEADINGS, MAXIMA, strict=True)]
    ws.append(["STT", "Tên đơn vị", "Mã đơn vị", *groups, "Tổng điểm", "Xếp hạng", "Xếp loại"])
    if maxima_row:
        ws.append([None, "Điểm tối đa", None, *MAXIMA, 100, None, None])
    for n, (name, code, scores, total, rank, band) in enumerate(provinces or PROVINCES_2024, 1):
        ws.append([n, name, code, *scores, total, int(rank), band])
    for row in extra_rows or []:
        ws.append(row)
    wb.save(path)
    return path


def old_api(groups: dict[str, object], *, with_catalogue: bool = True, **unit: object) -> object:
    """The old API's answer (rest.jsp, report_tinh_766_service): a list of flat objects,
    here wrapped with the request and a list of the groups with their maxima, where TTTT
    is the online service group (12 points) and CLGQ online payment (10)."""
    row = {"ID": "49", "TEN": "Quảng Nam", "ROW_STT": "12", **groups, "TONG_SCORE": Decimal("80.1"), **unit}
    document: dict[str, object] = {
        "params": json.dumps(
            {"service": "report_tinh_766_service", "p_nam": "2024", "p_quy": 0, "p_thang": 0}
        ),
        "data": [row],
    }
    if with_catalogue:
        document["groups"] = [
            {"code": "CKMB", "name": "Công khai, minh bạch", "maxScore": 18},
            {"code": "TDGQ", "name": "Tiến độ giải quyết", "maxScore": 20},
            {"code": "TTTT", "name": "Thanh toán trực tuyến", "maxScore": 12},
            {"code": "CLGQ", "name": "Dịch vụ công trực tuyến", "maxScore": 10},
            {"code": "MDHL", "name": "Mức độ hài lòng", "maxScore": 18},
            {"code": "MDSH", "name": "Số hóa hồ sơ", "maxScore": 22},
        ]
    return document


OLD_GROUPS = {
    "CKMB": Decimal("13.2"),
    "TDGQ": Decimal("18.4"),
    "TTTT": Decimal("7.7"),
    "CLGQ": Decimal("7.6"),
    "MDHL": Decimal("17.6"),
    "MDSH": Decimal("15.6"),
}


def new_api(
    *, time_type: str = "year", year: int = 2024, period: dict | None = None, scores: dict | None = None
) -> dict:
    """The new API's answer (reporting/evaluation/service-results): data.evaluation[] with
    groupScores as a list of {code, name, score, maxScore}; CLGQ is the online service group
    (12) and TTTT online payment (10), the other way round from the old version."""
    values = {"CKMB": "13.2", "TDGQ": "18.4", "CLGQ": "7.7", "TTTT": "7.6", "MDHL": "17.6", "MDSH": "15.6"}
    values.update(scores or {})
    names = {
        "CKMB": ("Công khai, minh bạch", 18),
        "TDGQ": ("Tiến độ giải quyết", 20),
        "CLGQ": ("Dịch vụ công trực tuyến", 12),
        "TTTT": ("Thanh toán trực tuyến", 10),
        "MDHL": ("Mức độ hài lòng", 18),
        "MDSH": ("Số hóa hồ sơ", 22),
    }
    return {
        "code": "OK",
        "request": {"timeType": time_type, "year": year, **(period or {})},
        "data": {
            "overview": {"departmentName": "Cả nước", "totalScore": Decimal("71.2")},
            "evaluation": [
                {
                    "departmentId": "019d2be3-6a88-732b-8b17-b68020c8553a",
                    "departmentCode": "49",
                    "departmentName": "Quảng Nam",
                    "rank": 12,
                    "rating": "Tốt",
                    "totalScore": Decimal("80.1"),
                    "groupScores": [
                        {"code": c, "name": names[c][0], "score": Decimal(v), "maxScore": names[c][1]}
                        for c, v in values.items()
                    ],
                }
            ],
        },
    }


def write_json(path: Path, document: object) -> Path:
    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value)  # json writes 13.2 for it; the reader reads Decimal("13.2")
        raise TypeError(value)

    path.write_text(json.dumps(document, ensure_ascii=False, default=default), encoding="utf-8")
    return path


# --- exports ---------------------------------------------------------------------------------


def test_export_with_maxima_in_the_headings(tmp_path: Path) -> None:
    scores = read_portal_766(write_export(tmp_path / "xep_hang_766.xlsx"))
    assert (scores.file_name, scores.source_layout, scores.api_version) == (
        "xep_hang_766.xlsx",
        LAYOUT_EXPORT,
        None,
    )
    assert [r.unit_name for r in scores.rows] == ["Quảng Ninh", "Quảng Nam", "Cao Bằng"]
    assert_quang_nam(scores.row("Quảng Nam"), source_row=7)
    ninh = scores.row("Quảng Ninh")
    assert (ninh.unit_code, ninh.rank, ninh.band_label, ninh.total) == ("22", 1, "Xuất sắc", Decimal("93.3"))
    assert (ninh.online_service, ninh.online_payment) == (Decimal("10.8"), Decimal("9.1"))
    assert scores.row("Cao Bằng").band_label == "Trung bình"
    assert scores.findings == ()
    assert scores.group_sources["online_service"].startswith("F (Dịch vụ trực tuyến (12 điểm))")


def test_export_with_the_maxima_in_a_second_header_row(tmp_path: Path) -> None:
    path = write_export(tmp_path / "bxh.xlsx", headings=HEADINGS, maxima_row=True)
    scores = read_portal_766(path)
    assert_quang_nam(scores.row("Quảng Nam"), source_row=8)
    assert len(scores.rows) == 3


def test_export_groups_are_placed_by_their_maximum_not_their_name(tmp_path: Path) -> None:
    """An export naming the 12-point column "Thanh toán trực tuyến" (as one API version names
    its code) still reads it as online service: the maximum decides."""
    swapped = [
        "Công khai, minh bạch (18 điểm)",
        "Tiến độ giải quyết (20 điểm)",
        "Thanh toán trực tuyến (12 điểm)",
        "Dịch vụ trực tuyến (10 điểm)",
        "Mức độ hài lòng (18 điểm)",
        "Số hóa hồ sơ (22 điểm)",
    ]
    scores = read_portal_766(write_export(tmp_path / "bxh.xlsx", headings=swapped))
    assert_quang_nam(scores.row("Quảng Nam"), source_row=7)
    assert scores.group_sources["online_service"].startswith("F (Thanh toán trực tuyến (12 điểm))")


def test_export_the_two_18_point_groups_in_any_order(tmp_path: Path) -> None:
    order = [4, 1, 2, 3, 0, 5]  # satisfaction first, publicity fifth
    headings = [f"{HEADINGS[i]} ({MAXIMA[i]} điểm)" for i in order]
    provinces = [(n, c, [s[i] for i in order], t, r, b) for n, c, s, t, r, b in PROVINCES_2024]
    scores = read_portal_766(write_export(tmp_path / "bxh.xlsx", headings=headings, provinces=provinces))
    assert_quang_nam(scores.row("Quảng Nam"), source_row=7)


def test_export_headings_the_aliases_do_not_list_and_a_group_row_above_them(tmp_path: Path) -> None:
    """A group row "Điểm các nhóm chỉ số" over the six headings, one of them worded in a
    way the aliases do not list: read by its words and its maximum."""
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE_2024])
    groups = [f"{h} ({m} điểm)" for h, m in zip(HEADINGS, MAXIMA, strict=True)]
    groups[4] = "Mức độ hài lòng của người dân (18 điểm)"
    ws.append(["STT", "Tên đơn vị", "Điểm các nhóm chỉ số", None, None, None, None, None, "Tổng điểm"])
    ws.append([None, None, *groups, None])
    ws.merge_cells("C2:H2")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("I2:I3")
    ws.append([1, "Quảng Nam", *QUANG_NAM, "80,1"])
    wb.save(tmp_path / "two_rows.xlsx")
    scores = read_portal_766(tmp_path / "two_rows.xlsx")
    (row,) = scores.rows
    assert (row.source_row, row.satisfaction, row.publicity, row.total) == (
        4,
        Decimal("17.6"),
        Decimal("13.2"),
        Decimal("80.1"),
    )
    assert scores.group_sources["satisfaction"].startswith("G (Điểm các nhóm chỉ số / Mức độ hài lòng")


def test_csv_export_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "bxh_766.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow([TITLE_2024])
        groups = [f"{h} ({m} điểm)" for h, m in zip(HEADINGS, MAXIMA, strict=True)]
        writer.writerow(["STT", "Tên đơn vị", *groups, "Tổng điểm", "Xếp hạng"])
        writer.writerow(["1", "Quảng Nam", *QUANG_NAM, "80,1", "12"])
    scores = read_portal_766(path)
    assert_quang_nam(scores.rows[0], source_row=3, code=None, band=None)
    assert is_portal_766_file(path)


def test_export_quarter_and_month_titles_departments_and_communes(tmp_path: Path) -> None:
    """Since July 2025 a province's departments and communes are ranked: section headings
    and the average row are not units."""
    units = [
        ("Sở Tư pháp", None, ["17", "20", "11,5", "9", "18", "21"], "96,5", "1", "Xuất sắc"),
        ("Xã Tam Kỳ", None, ["12", "15", "6", "5", "12", "10"], "60", "2", "Trung bình"),
    ]
    quarter = write_export(
        tmp_path / "q3.xlsx",
        title="BẢNG XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP Quý III/2025",
        provinces=units,
        extra_rows=[[None, "Trung bình", None, "14,5", "17,5", "8,75", "7", "15", "15,5", "78,25"]],
    )
    rows = read_portal_766(quarter).rows
    assert [(r.unit_name, r.period_kind, r.period_label) for r in rows] == [
        ("Sở Tư pháp", "quarter", "2025-Q3"),
        ("Xã Tam Kỳ", "quarter", "2025-Q3"),
    ]
    assert (rows[0].period_start, rows[0].period_end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert rows[0].online_service == Decimal("11.5")
    month = write_export(tmp_path / "t10.xlsx", title="Chỉ số 766 Tháng 10/2025", provinces=units)
    row = read_portal_766(month).rows[0]
    assert (row.period_kind, row.period_start, row.period_end, row.period_label) == (
        "month",
        date(2025, 10, 1),
        date(2025, 10, 31),
        "2025-10",
    )


def test_a_total_that_is_not_the_sum_of_the_groups_is_a_finding(tmp_path: Path) -> None:
    provinces = [
        ("Quảng Nam", "49", QUANG_NAM, "81,1", "12", "Tốt"),
        ("Cao Bằng", "04", ["10,1", "15,2", "5,4", "3,3", "14,6", "9,2"], "57,84", "34", "Trung bình"),
    ]
    scores = read_portal_766(write_export(tmp_path / "bxh.xlsx", provinces=provinces))
    assert len(scores.rows) == 2  # read all the same
    (finding,) = scores.findings  # Cao Bằng differs by 0,04: within 0,05
    assert finding.rule == FINDING_RULE
    assert (finding.file_name, finding.sheet, finding.source_row, finding.unit_name) == (
        "bxh.xlsx",
        "Xếp hạng",
        6,
        "Quảng Nam",
    )
    assert (finding.stated, finding.parts) == (Decimal("81.1"), Decimal("80.1"))
    assert finding.column == "J (Tổng điểm)"
    assert finding.message_vi == (
        "Tệp bxh.xlsx, dòng 6, Quảng Nam: tổng điểm ghi 81,10 nhưng sáu nhóm cộng lại là 80,10"
        " (13,20 + 18,40 + 7,70 + 7,60 + 17,60 + 15,60); chênh lệch 1,00"
    )
    assert finding.message_en == (
        "File bxh.xlsx, row 6, Quảng Nam: states a total of 81,10 but its six groups add up to 80,10"
        " (13,20 + 18,40 + 7,70 + 7,60 + 17,60 + 15,60); difference 1,00"
    )


@pytest.mark.parametrize(
    ("position", "value", "column", "words"),
    [
        (2, "12,5", "F (Dịch vụ trực tuyến (12 điểm))", "maximum 12"),
        (3, "10,4", "G (Thanh toán trực tuyến (10 điểm))", "maximum 10"),
        (0, "-1", "D (Công khai, minh bạch (18 điểm))", "between 0"),
        (5, "184", "I (Số hóa hồ sơ (22 điểm))", "maximum 22"),
    ],
)
def test_a_group_score_outside_its_range_rejects_the_file(
    tmp_path: Path, position: int, value: str, column: str, words: str
) -> None:
    scores = list(QUANG_NAM)
    scores[position] = value
    path = write_export(tmp_path / "bxh.xlsx", provinces=[("Quảng Nam", "49", scores, "80,1", "12", "Tốt")])
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert (error.file_name, error.sheet, error.row, error.column) == ("bxh.xlsx", "Xếp hạng", 6, column)
    assert words in error.message_en
    assert "điểm tối đa" in error.message_vi


def test_a_total_over_100_rejects_the_file(tmp_path: Path) -> None:
    path = write_export(tmp_path / "bxh.xlsx", provinces=[("Quảng Nam", "49", QUANG_NAM, "801", "12", "Tốt")])
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.file_name, caught.value.row, caught.value.column) == ("bxh.xlsx", 6, "J (Tổng điểm)")
    assert "maximum 100" in caught.value.message_en


def test_an_export_without_a_period_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write_export(tmp_path / "bang_xep_hang.xlsx", title="BẢNG XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN")
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert caught.value.file_name == "bang_xep_hang.xlsx"
    assert "no period" in caught.value.message_en
    assert "không xác định được kỳ" in caught.value.message_vi


def test_an_18_point_group_whose_name_does_not_say_which_is_refused(tmp_path: Path) -> None:
    headings = [f"{h} ({m} điểm)" for h, m in zip(HEADINGS, MAXIMA, strict=True)]
    headings[1] = "Tiến độ giải quyết (18 điểm)"
    path = write_export(tmp_path / "bxh.xlsx", headings=headings)
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.file_name, caught.value.row) == ("bxh.xlsx", None)
    assert caught.value.column == "E (Tiến độ giải quyết (18 điểm))"
    assert "does not say which" in caught.value.message_en
    assert "không cho biết là nhóm nào" in caught.value.message_vi


def test_a_maximum_no_group_has_is_refused(tmp_path: Path) -> None:
    headings = [f"{h} ({m} điểm)" for h, m in zip(HEADINGS, MAXIMA, strict=True)]
    headings[1] = "Tiến độ giải quyết (15 điểm)"
    with pytest.raises(IngestError) as caught:
        read_portal_766(write_export(tmp_path / "bxh.xlsx", headings=headings))
    assert caught.value.column == "E (Tiến độ giải quyết (15 điểm))"
    assert "none of the 766 groups' maxima" in caught.value.message_en


def test_a_unit_listed_twice_is_refused(tmp_path: Path) -> None:
    twice = [PROVINCES_2024[1], PROVINCES_2024[1]]
    with pytest.raises(IngestError) as caught:
        read_portal_766(write_export(tmp_path / "bxh.xlsx", provinces=twice))
    assert (caught.value.row, caught.value.column) == (7, "B (Tên đơn vị)")
    assert "listed twice" in caught.value.message_en


# --- JSON ------------------------------------------------------------------------------------


def test_old_api_json_flat_list(tmp_path: Path) -> None:
    """The old version: TTTT is the 12-point group here (the catalogue says so)."""
    path = write_json(tmp_path / "report_tinh_766_2024.json", old_api(OLD_GROUPS))
    scores = read_portal_766(path)
    assert (scores.source_layout, scores.api_version) == (LAYOUT_JSON_FLAT, "old")
    assert_quang_nam(scores.rows[0], source_row=1, band=None)
    assert scores.group_sources["online_service"].startswith("TTTT")
    assert scores.group_sources["online_payment"].startswith("CLGQ")
    assert scores.findings == ()


def test_old_api_bare_list_with_maxima_beside_the_codes(tmp_path: Path) -> None:
    """A bare list (the old API's answer) with each code's maximum beside it: the 20, 12, 10
    and 22-point groups are placed; the two 18-point ones need their names (Vietnamese keys
    here, as scripts that save the answer write them), a code alone does not say which."""
    unit = {"ID": "49", "TEN": "Quảng Nam", "ROW_STT": 12, "NAM": 2024, "TONG_SCORE": Decimal("80.1")}
    maxima = {"TDGQ_MAX": 20, "TTTT_MAX": 12, "CLGQ_MAX": 10, "MDSH_MAX": 22}
    named = {k: v for k, v in OLD_GROUPS.items() if k not in ("CKMB", "MDHL")}
    named |= {"Công khai, minh bạch": Decimal("13.2"), "Mức độ hài lòng": Decimal("17.6")}
    (row,) = read_portal_766(write_json(tmp_path / "ds.json", [{**unit, **named, **maxima}])).rows
    assert_quang_nam(row, source_row=1, band=None)
    by_codes = [{**unit, **OLD_GROUPS, **maxima, "CKMB_MAX": 18, "MDHL_MAX": 18}]
    with pytest.raises(IngestError) as caught:
        read_portal_766(write_json(tmp_path / "codes.json", by_codes))
    assert (caught.value.file_name, caught.value.row, caught.value.column) == ("codes.json", 1, "CKMB")
    assert "does not say which" in caught.value.message_en


def test_new_api_json_nested_names_the_two_groups_the_other_way_round(tmp_path: Path) -> None:
    """The new version: CLGQ is the 12-point group; the same figures come out."""
    scores = read_portal_766(write_json(tmp_path / "service-results.json", new_api()))
    assert (scores.source_layout, scores.api_version) == (LAYOUT_JSON_NESTED, "new")
    assert_quang_nam(scores.rows[0], source_row=1)
    assert scores.group_sources["online_service"].startswith("groupScores[2] CLGQ")
    assert scores.group_sources["online_payment"].startswith("groupScores[3] TTTT")


def test_new_api_group_scores_as_an_object_with_a_catalogue(tmp_path: Path) -> None:
    document = {
        "data": {
            "evaluation": [
                {
                    "departmentCode": "49",
                    "departmentName": "Quảng Nam",
                    "totalScore": Decimal("80.1"),
                    "groupScores": OLD_GROUPS | {"TTTT": Decimal("7.6"), "CLGQ": Decimal("7.7")},
                }
            ],
            "radar": [
                {"code": "CKMB", "name": "Công khai, minh bạch", "totalMaxScore": 18},
                {"code": "TDGQ", "totalMaxScore": 20},
                {"code": "CLGQ", "totalMaxScore": 12},
                {"code": "TTTT", "totalMaxScore": 10},
                {"code": "MDHL", "name": "Mức độ hài lòng", "totalMaxScore": 18},
                {"code": "MDSH", "totalMaxScore": 22},
            ],
        },
        "params": {"timeType": "quarter", "year": 2025, "quarter": 3},
    }
    (row,) = read_portal_766(write_json(tmp_path / "sr.json", document)).rows
    assert (row.unit_code, row.online_service, row.online_payment) == ("49", Decimal("7.7"), Decimal("7.6"))
    assert (row.period_kind, row.period_label, row.rank, row.band_label) == ("quarter", "2025-Q3", None, None)


@pytest.mark.parametrize(
    ("fields", "kind", "label"),
    [
        ({"timeType": "month", "year": 2025, "month": 10}, "month", "2025-10"),
        ({"timeType": "quarter", "year": 2025, "quarter": 3}, "quarter", "2025-Q3"),
        ({"timeType": "year", "year": 2024}, "year", "2024"),
    ],
)
def test_new_api_period_from_the_request_fields(tmp_path: Path, fields: dict, kind: str, label: str) -> None:
    document = new_api()
    document["request"] = fields
    (row,) = read_portal_766(write_json(tmp_path / "sr.json", document)).rows
    assert (row.period_kind, row.period_label) == (kind, label)


def test_json_wrapped_in_result(tmp_path: Path) -> None:
    document = old_api(OLD_GROUPS)
    document["result"] = document.pop("data")
    assert read_portal_766(write_json(tmp_path / "r.json", document)).rows[0].online_service == Decimal("7.7")


def test_json_group_score_over_its_maximum_names_row_and_field(tmp_path: Path) -> None:
    path = write_json(tmp_path / "sr.json", new_api(scores={"TTTT": "10.5"}))
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.file_name, caught.value.row, caught.value.column) == (
        "sr.json",
        1,
        "groupScores[3] TTTT",
    )
    assert "maximum 10" in caught.value.message_en


def test_json_total_over_100_names_row_and_field(tmp_path: Path) -> None:
    path = write_json(tmp_path / "old.json", old_api(OLD_GROUPS, TONG_SCORE=Decimal("180.1")))
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.row, caught.value.column) == (1, "TONG_SCORE")


def test_json_total_mismatch_is_a_finding(tmp_path: Path) -> None:
    path = write_json(tmp_path / "old.json", old_api(OLD_GROUPS, TONG_SCORE=Decimal("79.9")))
    (finding,) = read_portal_766(path).findings
    assert (finding.file_name, finding.sheet, finding.source_row, finding.column) == (
        "old.json",
        None,
        1,
        "TONG_SCORE",
    )
    assert (finding.stated, finding.parts) == (Decimal("79.9"), Decimal("80.1"))
    assert "chênh lệch -0,20" in finding.message_vi
    assert "difference -0,20" in finding.message_en


def test_json_groups_known_only_by_their_codes_are_refused(tmp_path: Path) -> None:
    """No maximum, no name: TTTT and CLGQ mean opposite groups in the two versions."""
    path = write_json(tmp_path / "old.json", old_api(OLD_GROUPS, with_catalogue=False))
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.file_name, caught.value.row, caught.value.column) == ("old.json", 1, "CKMB")
    assert "TTTT and CLGQ the other way round" in caught.value.message_en
    assert "không theo mã" in caught.value.message_vi


def test_json_without_a_period_is_refused_naming_the_file(tmp_path: Path) -> None:
    document = old_api(OLD_GROUPS)
    del document["params"]
    with pytest.raises(IngestError) as caught:
        read_portal_766(write_json(tmp_path / "ket_qua.json", document))
    assert caught.value.file_name == "ket_qua.json"
    assert "no period" in caught.value.message_en


def test_json_limits_and_syntax(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_portal_766(deep)
    assert caught.value.file_name == "deep.json"
    assert f"more than {MAX_JSON_DEPTH} levels" in caught.value.message_en
    broken = tmp_path / "broken.json"
    broken.write_text('[{"TEN": "Quảng Nam", "CKMB": 13.2', encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_portal_766(broken)
    assert "not valid JSON (line 1" in caught.value.message_en
    nan = tmp_path / "nan.json"
    nan.write_text('[{"TEN": "Quảng Nam", "CKMB": NaN}]', encoding="utf-8")
    with pytest.raises(IngestError):
        read_portal_766(nan)


def test_json_numbers_are_exact_decimals_never_floats(tmp_path: Path) -> None:
    path = tmp_path / "exact.json"
    document = old_api(OLD_GROUPS)
    write_json(path, document)
    text = path.read_text(encoding="utf-8").replace("13.2", "13.20000000000000001")
    path.write_text(text, encoding="utf-8")
    (row,) = read_portal_766(path).rows
    assert row.publicity == Decimal("13.20000000000000001")
    assert read_portal_766(path).findings == ()  # within 0.05 of the total


# --- telling a 766 table apart -------------------------------------------------------------------


def test_the_766_tables_are_told_apart(tmp_path: Path) -> None:
    assert is_portal_766_file(write_export(tmp_path / "a.xlsx"))
    assert is_portal_766_file(write_export(tmp_path / "b.xlsx", headings=HEADINGS, maxima_row=True))
    assert is_portal_766_file(write_json(tmp_path / "old.json", old_api(OLD_GROUPS)))
    assert is_portal_766_file(write_json(tmp_path / "new.json", new_api()))
    assert is_portal_766_document(old_api(OLD_GROUPS, with_catalogue=False))  # recognised, then refused


def test_other_tables_are_not_766_tables(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"])
    ws.append(["STT", "Tỉnh, thành phố", "Chỉ số CCHC (%)", "Tổng điểm", "Xếp hạng"])
    ws.append([1, "Quảng Nam", "85,2", "85,2", "10/63"])
    wb.save(tmp_path / "par.xlsx")
    assert not is_portal_766_file(tmp_path / "par.xlsx")
    three = [f"{h} ({m} điểm)" for h, m in zip(HEADINGS[:3], MAXIMA[:3], strict=True)]
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tên đơn vị", *three, "Tổng điểm"])
    ws.append([1, "Quảng Nam", "13,2", "18,4", "7,7", "39,3"])
    wb.save(tmp_path / "three.xlsx")
    assert not is_portal_766_file(tmp_path / "three.xlsx")  # fewer than four groups
    assert not is_portal_766_file(write_json(tmp_path / "x.json", [{"TEN": "Quảng Nam", "SO_HO_SO": 5}]))
    assert not is_portal_766_file(write_json(tmp_path / "y.json", {"code": "OK"}))
    (tmp_path / "z.json").write_text("{", encoding="utf-8")
    assert not is_portal_766_file(tmp_path / "z.json")


# --- the period a title states -----------------------------------------------------------------


TITLE_2025 = "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP NĂM 2025"


def period_of(path: Path) -> tuple[str, str]:
    row = read_portal_766(path).rows[0]
    return row.period_kind, row.period_label


@pytest.mark.parametrize(
    ("title", "lines_above", "kind", "label"),
    [
        # a cut-off note in brackets does not override the year the title states
        (f"{TITLE_2025} (số liệu cập nhật đến tháng 10/2025)", [], "year", "2025"),
        ("CHỈ SỐ 766 QUÝ III NĂM 2025 (tính đến ngày 30/9/2025)", [], "quarter", "2025-Q3"),
        # a line above the title that only states the data's cut-off
        (TITLE_2025, ["Dữ liệu tính đến ngày 31/10/2025"], "year", "2025"),
        ("CHỈ SỐ 766 QUÝ III NĂM 2025", ["Ngày trích xuất: 05/11/2025"], "quarter", "2025-Q3"),
        # a range of months is the range, never its first month
        ("Kết quả từ tháng 07/2025 đến tháng 09/2025", [], "quarter", "2025-Q3"),
        ("Kết quả từ tháng 1 đến tháng 12 năm 2025", [], "year", "2025"),
        # a cut-off line alone is still read (to the date it gives)
        ("Dữ liệu tính đến ngày 31/10/2025", [], "ytd", "2025-10M"),
    ],
)
def test_a_cut_off_note_never_overrides_the_title_period(
    tmp_path: Path, title: str, lines_above: list[str], kind: str, label: str
) -> None:
    path = write_export(tmp_path / "bxh.xlsx", title=title, lines_above=lines_above)
    assert period_of(path) == (kind, label)


def test_a_range_of_months_that_is_no_portal_period_is_refused(tmp_path: Path) -> None:
    path = write_export(tmp_path / "bxh.xlsx", title="Kết quả từ tháng 01/2025 đến tháng 09/2025")
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    assert (caught.value.file_name, caught.value.sheet) == ("bxh.xlsx", "Xếp hạng")
    assert "months 1 to 9 of 2025 is not a period the portal publishes" in caught.value.message_en
    assert "không phải kỳ mà Cổng công bố" in caught.value.message_vi


def test_two_title_lines_stating_different_periods_are_refused(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "bxh.xlsx",
        title="CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP QUÝ III NĂM 2025",
        lines_above=["BẢNG XẾP HẠNG THÁNG 10/2025"],
    )
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert error.file_name == "bxh.xlsx"
    assert "ambiguous period" in error.message_en
    assert "BẢNG XẾP HẠNG THÁNG 10/2025" in error.message_en and "2025-Q3" in error.message_en
    assert "không rõ kỳ" in error.message_vi and "2025-10" in error.message_vi


def test_json_period_text_with_a_cut_off_note(tmp_path: Path) -> None:
    document = new_api(period={"periodLabel": "Năm 2025 (số liệu cập nhật đến tháng 10/2025)"}, year=2025)
    row = read_portal_766(write_json(tmp_path / "ket_qua.json", document)).rows[0]
    assert (row.period_kind, row.period_label) == ("year", "2025")


def test_a_period_stated_only_in_the_sheet_name(tmp_path: Path) -> None:
    """The sheet name counts as a title statement, before the file name's year."""
    path = write_export(
        tmp_path / "chi_so_766_2025.xlsx", title="CHỈ SỐ PHỤC VỤ NGƯỜI DÂN", sheet_name="Quý III-2025"
    )
    rows = read_portal_766(path).rows
    assert (rows[0].period_kind, rows[0].period_label, rows[0].sheet) == (
        "quarter",
        "2025-Q3",
        "Quý III-2025",
    )
    same = write_export(tmp_path / "b.xlsx", title="CHỈ SỐ 766 QUÝ III NĂM 2025", sheet_name="Năm 2025")
    assert period_of(same) == ("quarter", "2025-Q3")  # the sheet's year holds the title's quarter
    other = write_export(tmp_path / "c.xlsx", title="CHỈ SỐ 766 QUÝ III NĂM 2025", sheet_name="Quý II-2025")
    with pytest.raises(IngestError) as caught:
        read_portal_766(other)
    assert (caught.value.file_name, caught.value.sheet) == ("c.xlsx", "Quý II-2025")
    assert "sheet name 'Quý II-2025' states 2025-Q2" in caught.value.message_en
    assert "tên trang tính" in caught.value.message_vi


# --- headings and rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headings",
    [
        [f"{n}. {h} ({m}đ)" for n, (h, m) in enumerate(zip(HEADINGS, MAXIMA, strict=True), 1)],
        [f"{n}) {h} ({m} điểm)" for n, (h, m) in enumerate(zip(HEADINGS, MAXIMA, strict=True), 1)],
        [f"Nhóm {n}: {h} ({m} điểm)" for n, (h, m) in enumerate(zip(HEADINGS, MAXIMA, strict=True), 1)],
        [
            f"Nhóm {r} - {h} ({m} điểm)"
            for r, h, m in zip(("I", "II", "III", "IV", "V", "VI"), HEADINGS, MAXIMA, strict=True)
        ],
        [
            f"{r}. {h} (tối đa {m} điểm)"
            for r, h, m in zip(("I", "II", "III", "IV", "V", "VI"), HEADINGS, MAXIMA, strict=True)
        ],
        [f"Điểm {h.lower()} ({m})" for h, m in zip(HEADINGS, MAXIMA, strict=True)],
    ],
)
def test_numbered_and_prefixed_group_headings(tmp_path: Path, headings: list[str]) -> None:
    path = write_export(tmp_path / "bxh.xlsx", headings=headings)
    assert is_portal_766_file(path)
    scores = read_portal_766(path)
    assert_quang_nam(scores.row("Quảng Nam"), source_row=7)
    assert "tối đa 12 điểm" in scores.group_sources["online_service"]


@pytest.mark.parametrize("label", ["Điểm trung bình", "Điểm bình quân", "Trung bình cộng", "Trung bình"])
def test_an_average_row_is_not_a_unit(tmp_path: Path, label: str) -> None:
    average = [None, label, None, "14", "17", "8", "6", "15", "14", "74"]
    path = write_export(tmp_path / "bxh.xlsx", extra_rows=[average])
    rows = read_portal_766(path).rows
    assert [r.unit_name for r in rows] == ["Quảng Ninh", "Quảng Nam", "Cao Bằng"]


# --- values that are not points ------------------------------------------------------------------


def test_an_accounting_negative_in_brackets_is_refused_in_an_export(tmp_path: Path) -> None:
    scores = ["(1,5)", *QUANG_NAM[1:]]
    path = write_export(tmp_path / "bxh.xlsx", provinces=[("Quảng Nam", "49", scores, "80,1", "12", "Tốt")])
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert (error.file_name, error.row, error.column) == ("bxh.xlsx", 6, "D (Công khai, minh bạch (18 điểm))")
    assert "'(1,5)' is a negative number" in error.message_en
    assert "số âm ghi trong ngoặc đơn" in error.message_vi


def test_an_accounting_negative_in_brackets_is_refused_in_json(tmp_path: Path) -> None:
    document = new_api()
    document["data"]["evaluation"][0]["groupScores"][3]["score"] = "(1,5)"  # TTTT
    path = write_json(tmp_path / "ket_qua.json", document)
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert (error.file_name, error.row, error.column) == ("ket_qua.json", 1, "groupScores[3] TTTT")
    assert "negative" in error.message_en and "số âm" in error.message_vi


@pytest.mark.parametrize("suffix", ["(%)", "(tỷ lệ %)", "(tỉ lệ điểm đạt)", "(phần trăm)"])
def test_a_group_heading_in_percent_is_refused(tmp_path: Path, suffix: str) -> None:
    headings = [f"{h} {suffix}" for h in HEADINGS]
    path = write_export(tmp_path / "bxh.xlsx", headings=headings)
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert (error.file_name, error.column) == ("bxh.xlsx", f"D (Công khai, minh bạch {suffix})")
    assert "percentages, not points" in error.message_en
    assert "tỷ lệ phần trăm, không phải số điểm" in error.message_vi


def test_a_group_value_in_percent_is_refused(tmp_path: Path) -> None:
    scores = [*QUANG_NAM[:2], "64%", *QUANG_NAM[3:]]
    path = write_export(tmp_path / "bxh.xlsx", provinces=[("Quảng Nam", "49", scores, "80,1", "12", "Tốt")])
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert (error.row, error.column) == (6, "F (Dịch vụ trực tuyến (12 điểm))")
    assert "'64%' is a percentage" in error.message_en
    assert "tỷ lệ phần trăm" in error.message_vi


def test_json_catalogues_giving_different_maxima_for_a_code_are_refused(tmp_path: Path) -> None:
    """The radar says TTTT is 12 points (the old meaning), a group list says 10: which is
    right cannot be told, so neither is picked."""
    document = old_api(OLD_GROUPS)
    document["radar"] = [{"code": "TTTT", "totalMaxScore": 10}, {"code": "CLGQ", "totalMaxScore": 12}]
    path = write_json(tmp_path / "ket_qua.json", document)
    assert is_portal_766_file(path)
    with pytest.raises(IngestError) as caught:
        read_portal_766(path)
    error = caught.value
    assert error.file_name == "ket_qua.json"
    assert "'TTTT' is given two different maxima: 12" in error.message_en
    assert "maxScore: 12" in error.message_en and "totalMaxScore: 10" in error.message_en
    assert "hai điểm tối đa khác nhau" in error.message_vi
    # the same maxima stated twice are one catalogue
    document["radar"] = [{"code": "TTTT", "totalMaxScore": 12}, {"code": "CLGQ", "totalMaxScore": 10}]
    same = read_portal_766(write_json(tmp_path / "cung.json", document))
    assert same.row("Quảng Nam").online_service == Decimal("7.7")
