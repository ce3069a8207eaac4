"""The layouts units really send, read into the raw tables: the official form II.06a, the
older 07a as Excel 97-2003, a vendor's export, free-text staff categories, a budget with its
as-of date and rate in columns. Exact rows, the column map, the ignored columns and the
findings of every broken identity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv
from tests.ingest.format_writers import write_docx_grid, write_xls_grid, write_xlsx_grid
from tests.ingest.layouts import (
    NARRATIVE_MERGES,
    budget_as_of_column,
    bulleted_and_merged,
    ii06a_nha_trang,
    m07a_sa_dec,
    merge_tuples,
    narrative_annex,
    staff_free_text,
    vendor_cao_lanh,
    weekly_report,
)

RUN = "run-layouts"
MEASURES = (
    "carried_in, received, received_total, received_online, received_in_person_or_postal,"
    " resolved, resolved_early, resolved_on_time, resolved_late, pending, pending_not_due,"
    " pending_overdue"
)


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, family: str):
    register_inbox(con, inbox, quarantine, RUN)
    return load_family(con, family, quarantine, RUN)


def _findings(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select rule, source_row, column_ref, stated_value, computed_value from raw.load_findings"
        " order by source_row, rule"
    ).fetchall()


def test_ii06a_sections_numbering_title_block(con, inbox: Path, quarantine: Path) -> None:
    layout = ii06a_nha_trang()
    write_xlsx_grid(inbox / "bieu_II06a_2018.xlsx", layout.rows, merge_tuples(layout.merges), sheet="II.06a")
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        f"select source_row, unit_code, authority_level, period_start, period_end, field, {MEASURES},"
        " is_total_row from raw.dossiers order by source_row"
    ).fetchall()
    y0, y1 = date(2018, 1, 1), date(2018, 12, 31)
    # city's own desk (section "Huyện, thị xã, thành phố"): field rows of Nha Trang (L568)
    assert rows[0] == (11, "L568", "huyen", y0, y1, "Đất đai", 500, 23_000, 23_500, 3_000, 20_000,
                       22_600, 10_000, 12_000, 600, 900, 800, 100, False)  # fmt: skip
    assert [r[:3] + (r[5],) for r in rows[1:3]] == [
        (12, "L568", "huyen", "Tư pháp - Hộ tịch"),
        (13, "L568", "huyen", "Xây dựng"),
    ]
    # wards under "Xã, phường, thị trấn": unit rows at commune level, no field
    wards = {r[1]: r for r in rows if r[2] == "xa" and not r[-1]}
    assert len(wards) == 2 and all(r[5] is None for r in wards.values())
    names = dict(con.execute("select unit_code, unit_name from raw.admin_units").fetchall())
    assert sorted(names[c] for c in wards) == ["Phường Lộc Thọ", "Phường Vĩnh Hải"]
    assert [r[6] for r in sorted(wards.values())] in ([10, 0], [0, 10])
    # the closing "Tổng số" row is kept as a total; section rows and the numbering row are not loaded
    assert [r[0] for r in rows] == [11, 12, 13, 15, 16, 17]
    assert rows[-1][-1] is True and rows[-1][1] is None
    manifest = con.execute("select column_map, ignored_columns from raw.file_manifest").fetchone()
    assert "C (Số hồ sơ nhận giải quyết / Tổng số) → received_total" in manifest[0]
    assert "F (Số hồ sơ nhận giải quyết / Từ kỳ trước) → carried_in" in manifest[0]
    assert "J (Số lượng hồ sơ đã giải quyết / Quá hạn) → resolved_late" in manifest[0]
    assert "M (Số lượng hồ sơ đang giải quyết / Quá hạn) → pending_overdue" in manifest[0]
    assert manifest[1] == ["II.06a!A (TT): recognised, holds no data"]
    assert _findings(con) == []


def test_ii06a_broken_identities_are_findings_naming_row_column_numbers(
    con, inbox: Path, quarantine: Path
) -> None:
    layout = ii06a_nha_trang()
    layout.rows[10][6] = 22_590  # Đất đai: resolved total 22 590, parts add to 22 600
    layout.rows[11][11] = 7  # Tư pháp: pending within deadline 7, total says 5
    write_xlsx_grid(inbox / "bieu_II06a_2018.xlsx", layout.rows, merge_tuples(layout.merges))
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    assert "5 warning(s)" in report.outcomes[0].message
    section_g = 22_600 + 31_001 + 3_262  # the section row states the sums before the edit
    assert _findings(con) == [
        ("form_section_total", 10, "G (Số lượng hồ sơ đã giải quyết / Tổng số)", section_g, section_g - 10),
        ("form_section_total", 10, "L (Số lượng hồ sơ đang giải quyết / Trong hạn)", 1_600, 1_602),
        ("form_balance", 11, "C (Số hồ sơ nhận giải quyết / Tổng số)", 23_500, 23_490),
        ("form_resolved_parts", 11, "G (Số lượng hồ sơ đã giải quyết / Tổng số)", 22_590, 22_600),
        ("form_pending_parts", 12, "K (Số lượng hồ sơ đang giải quyết / Tổng số)", 5, 7),
    ]
    message = con.execute(
        "select message, message_vi from raw.load_findings where rule = 'form_resolved_parts'"
    ).fetchone()
    assert message[0] == (
        "row 11, column G (Số lượng hồ sơ đã giải quyết / Tổng số): resolved is 22590 but resolved"
        " early + resolved on time + resolved late (columns H + I + J) add up to 22600 (difference -10)"
    )
    assert message[1].startswith("dòng 11, cột G (Số lượng hồ sơ đã giải quyết / Tổng số): Số hồ sơ đã giải")
    # the row is loaded as stated
    assert con.execute("select resolved from raw.dossiers where source_row = 11").fetchone() == (22_590,)


def test_columns_misread_on_most_rows_reject_the_file_with_the_column_map(
    con, inbox: Path, quarantine: Path
) -> None:
    layout = ii06a_nha_trang()
    # a vendor put "Quá hạn" (resolved late) where the form has "Đúng hạn": every resolved
    # total then disagrees with its parts
    for row in layout.rows[9:17]:
        if isinstance(row[8], int):
            row[8], row[9] = row[9], row[8] + row[9]
    write_xlsx_grid(inbox / "bieu_sai.xlsx", layout.rows, merge_tuples(layout.merges))
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["rejected"]
    message = report.outcomes[0].message
    assert "the columns were probably misread" in message
    assert "H (Số lượng hồ sơ đã giải quyết / Trước hạn) → resolved_early" in message
    assert con.execute("select count(*) from raw.dossiers").fetchone() == (0,)


def test_07a_layout_as_xls(con, inbox: Path, quarantine: Path) -> None:
    layout = m07a_sa_dec()
    write_xls_grid(inbox / "tthc_6thang_2023.xls", layout.rows, merge_tuples(layout.merges))
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select source_row, unit_code, authority_level, period_start, period_end, field, carried_in,"
        " received, received_total, resolved, resolved_on_time, resolved_late, pending,"
        " pending_not_due, pending_overdue, waiting_supplement, returned from raw.dossiers"
        " where not is_total_row order by source_row"
    ).fetchall()
    h1 = (date(2023, 1, 1), date(2023, 6, 30))
    assert rows[0] == (
        10,
        "L867",
        "huyen",
        *h1,
        "Đất đai",
        120,
        2_400,
        2_520,
        2_320,
        2_300,
        20,
        200,
        180,
        20,
        0,
        0,
    )
    assert [(r[1], r[2], r[5]) for r in rows] == [
        ("L867", "huyen", "Đất đai"),
        ("L867", "huyen", "Hộ tịch"),
        (rows[2][1], "xa", None),
        (rows[3][1], "xa", None),
    ]
    assert rows[3][15] == 2  # Bổ sung of Phường 2
    assert _findings(con) == []
    total = con.execute("select source_row, received from raw.dossiers where is_total_row").fetchall()
    assert total == [(15, 4_400)]


def test_vendor_variant_csv_without_merged_cells(con, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "thong_ke_ho_so.csv", vendor_cao_lanh(), delimiter=";")
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, authority_level, period_start, period_end, carried_in, received,"
        " received_online, received_fully_online, received_partly_online, received_out_of_area,"
        " resolved, resolved_early, resolved_on_time, resolved_late, pending_not_due,"
        " pending_overdue from raw.dossiers order by source_row"
    ).fetchall()
    q3 = (date(2023, 7, 1), date(2023, 9, 30))
    assert rows[0] == ("L866", "huyen", *q3, 40, 1_000, 500, 300, 200, 15, 980, None, 975, 5, 55, 5)
    assert rows[1][:2] == (rows[1][0], "xa") and rows[1][4:] == (
        2,
        150,
        30,
        10,
        20,
        0,
        149,
        None,
        149,
        0,
        3,
        0,
    )
    ignored = con.execute("select ignored_columns from raw.file_manifest").fetchone()[0]
    assert ignored == ["M (Ghi chú): recognised, holds no data"]


def test_docx_annex_table(con, inbox: Path, quarantine: Path) -> None:
    layout = ii06a_nha_trang()
    titles = [str(r[0]) for r in layout.rows[:5] if r and r[0]]  # the title block as paragraphs
    grid = layout.rows[5:]
    merges = [(r0 - 5, c0, r1 - 5, c1) for r0, c0, r1, c1 in merge_tuples(layout.merges)]
    write_docx_grid(inbox / "bao_cao_cchc_2018.docx", grid, merges, titles=["Phụ lục 2", *titles])
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    got = con.execute(
        "select unit_code, authority_level, field, received, resolved_late from raw.dossiers"
        " where not is_total_row order by source_row"
    ).fetchall()
    assert got[:3] == [
        ("L568", "huyen", "Đất đai", 23_000, 600),
        ("L568", "huyen", "Tư pháp - Hộ tịch", 30_996, 11),
        ("L568", "huyen", "Xây dựng", 4_057, 0),
    ]
    assert len(got) == 5


def test_staff_free_text_categories(con, inbox: Path, quarantine: Path) -> None:
    write_xlsx_grid(inbox / "bien_che_an_lao.xlsx", staff_free_text())
    report = _load(con, inbox, quarantine, "staff")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, as_of_date, category, quota, actual from raw.staff order by source_row"
    ).fetchall()
    assert rows == [
        ("L542", date(2023, 6, 30), "cong_chuc", 80, 78),
        ("L542", date(2023, 6, 30), "vien_chuc_giao_duc", 600, 590),
        ("L542", date(2023, 6, 30), "vien_chuc_khac", 120, 118),
        ("L542", date(2023, 6, 30), "vien_chuc_y_te", 90, 85),
        ("L542", date(2023, 6, 30), "hop_dong", 12, 12),
    ]


@pytest.mark.parametrize("as_of_header", ["Số liệu đến ngày", "Tính đến ngày"])
def test_budget_as_of_column_and_stated_rate(con, inbox: Path, quarantine: Path, as_of_header: str) -> None:
    sheet = budget_as_of_column(as_of_header)
    sheet[5][5] = "55"  # Lai Vung states 55 % where 150 000 of 300 000 is 50 %
    write_xlsx_grid(inbox / "giai_ngan_2023.xlsx", sheet)
    report = _load(con, inbox, quarantine, "budget")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, fiscal_year, as_of_date, plan_mvnd, disbursed_mvnd from raw.budget"
        " where not is_total_row order by source_row"
    ).fetchall()
    assert rows == [
        ("L867", 2023, date(2023, 8, 15), Decimal("590161.540"), Decimal("212901.285")),
        ("L876", 2023, date(2023, 8, 15), Decimal("300000.000"), Decimal("150000.000")),
    ]
    assert _findings(con) == [
        ("form_stated_rate", 6, "F (Tỷ lệ giải ngân (%))", Decimal(55), Decimal("50.00"))
    ]


def test_weekly_report_is_a_custom_period(con, inbox: Path, quarantine: Path) -> None:
    write_xlsx_grid(inbox / "bao_cao_tuan_27.xlsx", weekly_report())
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, authority_level, period_start, period_end, field, carried_in, received,"
        " received_online, resolved, resolved_on_time, resolved_late, pending_not_due, pending_overdue"
        " from raw.dossiers order by source_row"
    ).fetchall()
    week = (date(2023, 7, 3), date(2023, 7, 9))
    code = rows[0][0]
    assert rows == [
        (code, "xa", *week, "Hộ tịch", 3, 20, 5, 21, 21, 0, 2, 0),
        (code, "xa", *week, "Chứng thực", 0, 15, 0, 15, 14, 1, 0, 0),
    ]
    name = con.execute(
        "select unit_name, parent_code from raw.admin_units where unit_code = ?", [code]
    ).fetchone()
    assert name == ("Xã Mỹ Tân", "L866")


def test_narrative_annex_rows_per_level_of_the_reporting_unit(con, inbox: Path, quarantine: Path) -> None:
    write_xlsx_grid(inbox / "phu_luc_1.xlsx", narrative_annex(), merge_tuples(NARRATIVE_MERGES))
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, authority_level, period_start, period_end, field, received, resolved,"
        " resolved_early, resolved_on_time, resolved_late from raw.dossiers order by source_row"
    ).fetchall()
    year = (date(2018, 1, 1), date(2018, 12, 31))
    assert rows == [
        ("L568", "huyen", *year, None, 58_053, 56_863, None, 56_252, 611),
        ("L568", "xa", *year, None, 75_416, 75_384, None, 75_226, 158),
    ]
    assert _findings(con) == []  # 98,93 % and 99,79 % are what the figures give


def test_bulleted_parts_are_not_loaded_twice_and_merged_unit_cells_name_each_row(
    con, inbox: Path, quarantine: Path
) -> None:
    layout = bulleted_and_merged()
    write_xlsx_grid(inbox / "quy1_2023.xlsx", layout.rows, merge_tuples(layout.merges))
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select source_row, submitted_unit, field, received, resolved_on_time from raw.dossiers"
        " order by source_row"
    ).fetchall()
    assert rows == [
        (5, "Phường 1", None, 30, 25),
        (8, "Phường 2", "Hộ tịch", 12, 10),
        (9, "Phường 2", "Chứng thực", 8, 8),
    ]
    units = con.execute("select distinct unit_code from raw.dossiers").fetchall()
    assert len(units) == 2


def test_two_tables_in_one_sheet_and_a_row_after_a_total(con, inbox: Path, quarantine: Path) -> None:
    header = ["Đơn vị", "Tiếp nhận", "Đã giải quyết", "Trễ hạn"]
    rows = [
        ["Đơn vị báo cáo: UBND tỉnh Đồng Tháp"],
        ["Biểu 1: cấp huyện, 6 tháng đầu năm 2023"],
        header,
        ["Thành phố Sa Đéc", 100, 90, 2],
        ["Huyện Lai Vung", 50, 45, 1],
        ["Tổng cộng", 150, 135, 3],
        [],
        ["Biểu 2: cấp xã"],
        header,
        ["Phường 1, thành phố Sa Đéc", 30, 30, 0],
        ["Tổng cộng", 30, 30, 0],
        [],
        ["Ghi chú: số liệu bổ sung", None],
        ["Xã Tân Thành, huyện Lai Vung", 7, 7, 0],
    ]
    write_xlsx_grid(inbox / "hai_bang.xlsx", rows)
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    got = con.execute(
        "select source_row, authority_level, received, is_total_row from raw.dossiers order by source_row"
    ).fetchall()
    assert got == [
        (4, "huyen", 100, False),
        (5, "huyen", 50, False),
        (6, "huyen", 150, True),
        (10, "xa", 30, False),
        (14, "xa", 7, False),
    ]
    assert con.execute(
        "select period_start, period_end from raw.dossiers where source_row = 10"
    ).fetchone() == (
        date(2023, 1, 1),
        date(2023, 6, 30),
    )
    # "Tổng cộng" of row 11 has a row after it: a subtotal, checked (30 = 30), not loaded
    assert _findings(con) == []


def test_a_table_written_across_is_read_turned(con, inbox: Path, quarantine: Path) -> None:
    titles = ["Phụ lục 2", "Kết quả giải quyết TTHC năm 2018", "Đơn vị báo cáo: UBND thành phố Nha Trang"]
    grid = [
        ["Chỉ tiêu", "Cấp huyện", "Cấp xã"],
        ["Tổng số hồ sơ tiếp nhận", "58.053", "75.416"],
        ["Đã giải quyết", "56.863", "75.384"],
        ["Trong đó: sớm hạn và đúng hạn", "56.252", "75.226"],
        ["Trễ hạn", "611", "158"],
        ["Tỷ lệ đúng hạn (%)", "98,93", "99,79"],
    ]
    write_docx_grid(inbox / "bao_cao_2018_phu_luc.docx", grid, titles=titles)
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    rows = con.execute(
        "select unit_code, authority_level, period_start, received, resolved, resolved_on_time, resolved_late"
        " from raw.dossiers order by source_row"
    ).fetchall()
    assert rows == [
        ("L568", "huyen", date(2018, 1, 1), 58_053, 56_863, 56_252, 611),
        ("L568", "xa", date(2018, 1, 1), 75_416, 75_384, 75_226, 158),
    ]
    assert _findings(con) == []
    assert (
        "Bảng 1 (bảng xoay: dòng ↔ cột)"
        in con.execute("select column_map from raw.file_manifest").fetchone()[0]
    )


def _load_rows(con, inbox: Path, quarantine: Path, rows: list[list], name: str = "bieu.xlsx") -> list[tuple]:
    write_xlsx_grid(inbox / name, rows)
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    return con.execute(
        "select source_row, submitted_unit, authority_level, field, received, resolved_on_time,"
        " resolved_late, pending_not_due, pending_overdue, is_total_row from raw.dossiers order by source_row"
    ).fetchall()


def test_section_subtotals_cong_i_are_checked_never_loaded(con, inbox: Path, quarantine: Path) -> None:
    rows = _load_rows(
        con,
        inbox,
        quarantine,
        [
            ["Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa", None, "Năm 2018"],
            ["TT", "Lĩnh vực", "Tiếp nhận", "Đúng hạn", "Trễ hạn"],
            ["I", "Cấp huyện"],
            [1, "Đất đai", 100, 90, 10],
            [2, "Hộ tịch", 50, 50, 0],
            [None, "Cộng (I)", 150, 140, 10],
            ["II", "Cấp xã"],
            [1, "Phường Lộc Thọ", 30, 29, 1],
            [None, "Cộng", 31, 29, 1],
            [None, "Tổng cộng (I+II)", 180, 169, 11],
            [None, "Người lập biểu", None, "Thủ trưởng đơn vị"],
        ],
    )
    assert [(r[0], r[2], r[3], r[4], r[-1]) for r in rows] == [
        (4, "huyen", "Đất đai", 100, False),
        (5, "huyen", "Hộ tịch", 50, False),
        (8, "xa", None, 30, False),
        (10, "xa", None, 180, True),
    ]
    # the second subtotal states 31 received where its one row has 30
    assert _findings(con) == [("form_section_total", 9, "C (Tiếp nhận)", 31, 30)]


def test_a_unit_row_without_figures_owns_the_bulleted_fields_under_it(
    con, inbox: Path, quarantine: Path
) -> None:
    rows = _load_rows(
        con,
        inbox,
        quarantine,
        [
            ["Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa", None, "Năm 2018"],
            ["STT", "Đơn vị / Lĩnh vực", "Tiếp nhận", "Đúng hạn", "Trễ hạn"],
            [1, "Phường Lộc Thọ"],
            [None, "- Hộ tịch", 20, 19, 1],
            [None, "- Chứng thực", 10, 10, None],
            [2, "Phường Vĩnh Hải"],
            [None, "- Hộ tịch", 5, 5, 0],
        ],
    )
    assert [(r[1], r[3], r[4], r[6]) for r in rows] == [
        ("Phường Lộc Thọ", "Hộ tịch", 20, 1),
        ("Phường Lộc Thọ", "Chứng thực", 10, 0),  # a blank leaf on a row with figures: none
        ("Phường Vĩnh Hải", "Hộ tịch", 5, 0),
    ]
    assert len({c for (c,) in con.execute("select unit_code from raw.dossiers").fetchall()}) == 2


def test_flat_header_parts_take_the_stage_on_their_left(con, inbox: Path, quarantine: Path) -> None:
    rows = _load_rows(
        con,
        inbox,
        quarantine,
        [
            ["Kỳ báo cáo: 6 tháng đầu năm 2023"],
            ["STT", "Tên đơn vị", "Tỉnh", "Tiếp nhận mới", "Đã giải quyết", "Đúng hạn/sớm hạn", "Trễ hạn",
             "Đang giải quyết", "Chưa đến hạn", "Quá hạn"],
            [1, "Huyện Lai Vung", "Đồng Tháp", 500, 480, 470, 10, 60, 32, 28],
        ],
    )  # fmt: skip
    assert [r[4:9] for r in rows] == [(500, 470, 10, 32, 28)]


def test_online_and_in_person_are_the_whole_intake_without_a_postal_column(
    con, inbox: Path, quarantine: Path
) -> None:
    rows = _load_rows(
        con,
        inbox,
        quarantine,
        [
            ["Đơn vị báo cáo: UBND huyện An Lão, tỉnh Bình Định", None, "Năm 2022"],
            ["Lĩnh vực", "Hồ sơ tồn kỳ trước", "Hồ sơ mới", None, "Đã xử lý", None, None],
            [None, None, "Trực tuyến", "Trực tiếp", "Tổng", "Đúng hạn/sớm hạn", "Trễ hạn"],
            ["Đất đai", 40, 300, 2_660, 2_930, 2_900, 30],
        ],
    )
    assert [r[4] for r in rows] == [2_960]
    assert _findings(con) == []


@pytest.mark.parametrize(
    ("unit_line", "header", "plan", "disbursed"),
    [
        ("Đơn vị tính: đồng", "Kế hoạch vốn giao", 590_161_540_000, 301_000_000_000),
        (None, "Kế hoạch vốn (đồng)", 590_161_540_000, 301_000_000_000),
        ("(ĐVT: tỷ đồng)", "Kế hoạch vốn giao", "590,16154", 301),
        ("Đơn vị tính: triệu đồng", "Kế hoạch vốn giao", "590.161,540", "301.000"),
    ],
)
def test_money_units_are_scaled_to_million_vnd(
    con, inbox, quarantine, unit_line, header, plan, disbursed
) -> None:
    in_dong = "(đồng)" in header
    rows = [
        ["UBND TỈNH ĐỒNG THÁP"],
        ["TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG đến ngày 30/9/2023"],
        [unit_line],
        ["STT", "Đơn vị", header, "Giải ngân (đồng)" if in_dong else "Giải ngân", "Tỷ lệ giải ngân (%)"],
        [1, "Thành phố Sa Đéc", plan, disbursed, "51"],
    ]
    write_xlsx_grid(inbox / "giai_ngan_t9.xlsx", rows)
    report = _load(con, inbox, quarantine, "budget")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    assert con.execute("select plan_mvnd, disbursed_mvnd from raw.budget").fetchall() == [
        (Decimal("590161.540"), Decimal("301000.000"))
    ]
    assert _findings(con) == []  # 301 000 / 590 161.54 is 51 %


def test_letterhead_names_the_reporting_unit_and_a_total_beside_carried_in_includes_it(
    con, inbox: Path, quarantine: Path
) -> None:
    group = ["Tiếp nhận"] * 4 + ["Đã giải quyết"] * 3 + ["Đang giải quyết"]
    rows = [
        ["UBND THÀNH PHỐ SA ĐÉC"],
        ["THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ CẤP XÃ"],
        ["Kỳ báo cáo: Quý III năm 2023"],
        ["STT", "Đơn vị", *group],
        ["STT", "Đơn vị", "Tổng", "Kỳ trước chuyển sang", "Trực tuyến", "Trực tiếp", "Tổng", "Đúng hạn",
         "Trễ hạn", "Tổng"],
        [1, "Phường 1", 300, 30, 70, 200, 290, 288, 2, 10],
        [2, "Phường 2", 200, 25, 75, 100, 195, 195, 0, 5],
    ]  # fmt: skip
    write_xlsx_grid(inbox / "SaDec_xa_Q3_2023.xlsx", rows)
    report = _load(con, inbox, quarantine, "dossiers")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    got = con.execute(
        "select d.unit_code, u.parent_code, d.received_total, d.carried_in, d.received from raw.dossiers d"
        " join raw.admin_units u on u.unit_code = d.unit_code order by d.source_row"
    ).fetchall()
    assert got == [(got[0][0], "L867", 300, 30, 270), (got[1][0], "L867", 200, 25, 175)]
    assert _findings(con) == []


def test_staff_totals_row_and_headers_with_dates(con, inbox: Path, quarantine: Path) -> None:
    rows = [
        ["UBND THÀNH PHỐ SA ĐÉC"],
        ["Số liệu đến ngày 30/6/2023"],
        ["STT", "Nội dung", "Biên chế được giao năm 2023", "Số có mặt đến 30/6/2023", "Ghi chú"],
        [1, "Công chức", 75, 70, None],
        [2, "Viên chức sự nghiệp GD&ĐT", 598, 583, None],
        [None, "Tổng cộng", 673, 653, None],
    ]
    write_xlsx_grid(inbox / "bien_che.xlsx", rows)
    report = _load(con, inbox, quarantine, "staff")
    assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    got = con.execute(
        "select category, quota, actual, is_total_row from raw.staff order by source_row"
    ).fetchall()
    assert got == [
        ("cong_chuc", 75, 70, False),
        ("vien_chuc_giao_duc", 598, 583, False),
        (None, 673, 653, True),
    ]


def test_the_as_of_date_in_a_header_and_two_columns_for_one_measure(
    con, inbox: Path, quarantine: Path
) -> None:
    one = [
        ["TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG NĂM 2023"],
        ["STT", "Đơn vị", "Kế hoạch vốn giao năm 2023 (triệu đồng)", "Giải ngân đến 15/8/2023", None],
        [None, None, None, "Số tiền (triệu đồng)", "Tỷ lệ (%)"],
        [1, "Thành phố Sa Đéc, tỉnh Đồng Tháp", 590161.54, 212901.285, 36.08],
    ]
    write_xlsx_grid(inbox / "giai_ngan.xlsx", one, [(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 4)])
    two = [row[:] for row in one]
    two[1] += ["Giải ngân đến 30/9/2023", None]
    two[2] += ["Số tiền (triệu đồng)", "Tỷ lệ (%)"]
    two[3] += [300000, 50.83]
    write_xlsx_grid(inbox / "giai_ngan_2_moc.xlsx", two)
    report = _load(con, inbox, quarantine, "budget")
    assert [o.status for o in report.outcomes] == ["loaded", "rejected"], report.outcomes
    assert con.execute("select as_of_date, disbursed_mvnd from raw.budget").fetchall() == [
        (date(2023, 8, 15), Decimal("212901.285"))
    ]
    assert "reads as the same measure as another column" in report.outcomes[1].message
