"""End-to-end: inbox files → raw tables, for the aggregated families."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import DOSSIER_MERGES, dossier_sheet, write_csv, write_xlsx

RUN = "run-1"


def manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select file_name, source_family, status, row_count from raw.file_manifest"
        " order by file_name, source_family"
    ).fetchall()


def test_xlsx_title_rows_merged_header_totals_two_sheets(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    district = dossier_sheet(
        [
            [
                1,
                "Thành phố Nha Trang",
                "Cấp huyện",
                0,
                "58.053",
                "56.863",
                "30.000",
                "26.252",
                611,
                "1.190",
                0,
            ],
            [],
            ["Tổng cộng", None, None, 0, "58.053", "56.863", "30.000", "26.252", 611, "1.190", 0],
            ["Người lập biểu"],
        ]
    )
    communes = [
        ["UBND TỈNH KHÁNH HÒA"],
        ["Số liệu cấp xã, năm 2018"],
        *dossier_sheet([])[3:],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"],
        [1, "Thành phố Nha Trang", "Cấp xã", 0, 75416, 75384, 40000, 35226, 158, 32, 0],
    ]
    write_xlsx(
        inbox / "bao_cao_tthc_nam_2018.xlsx",
        {"Cấp huyện": district, "Cấp xã": communes, "Ghi chú": [["Ghi chú: số liệu tạm tính"]]},
        merges={"Cấp huyện": DOSSIER_MERGES},
    )
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [("dossiers", "pending")]
    report = load_family(con, "dossiers", quarantine, RUN)
    assert (report.files_loaded, report.files_rejected) == (1, 0), report.outcomes
    assert report.rows_loaded == 3
    rows = con.execute(
        "select source_row, unit_code, submitted_unit, authority_level, period_start,"
        " period_end, received, resolved, resolved_early, resolved_on_time, resolved_late,"
        " pending_not_due, is_total_row from raw.dossiers order by period_end, source_row,"
        " authority_level"
    ).fetchall()
    assert (
        6,
        "L568",
        "Thành phố Nha Trang",
        "huyen",
        date(2018, 1, 1),
        date(2018, 12, 31),
        58053,
        56863,
        30000,
        26252,
        611,
        1190,
        False,
    ) in rows
    assert (
        8,
        None,
        "Tổng cộng",
        None,
        date(2018, 1, 1),
        date(2018, 12, 31),
        58053,
        56863,
        30000,
        26252,
        611,
        1190,
        True,
    ) in rows
    commune = [r for r in rows if r[3] == "xa"]
    assert commune == [
        (
            6,
            "L568",
            "Thành phố Nha Trang",
            "xa",
            date(2018, 1, 1),
            date(2018, 12, 31),
            75416,
            75384,
            40000,
            35226,
            158,
            32,
            False,
        )
    ]
    m = con.execute(
        "select status, row_count, unit_codes, period_labels, message from raw.file_manifest"
    ).fetchall()[0]
    assert m[:4] == ("loaded", 3, ["L568"], ["2018"])
    assert "Ghi chú" in m[4]
    assert not quarantine.exists() or not any(quarantine.iterdir())


def test_csv_bom_semicolon_surveys(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "khao_sat_2021.csv",
        [
            ["STT", "Mã đơn vị", "Tên đơn vị", "Kỳ báo cáo", "Cấp", "Số phiếu", "Số phiếu hài lòng"],
            ["1", "866", "TP. Cao Lãnh", "Năm 2021", "huyện", "600", "548"],
            ["2", "", "Sa Đéc", "Năm 2021", "Cấp huyện", "1.200", "1.100"],
        ],
        delimiter=";",
        bom=True,
    )
    write_csv(
        inbox / "Tinh_DongThap.csv",
        [
            ["Tỉnh", "Tên đơn vị", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng"],
            ["Đồng Tháp", "Huyện Lai Vung", "2021", "10", "9"],
        ],
    )
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "surveys", quarantine, RUN)
    assert report.files_loaded == 2, report.outcomes
    rows = con.execute(
        "select unit_code, authority_level, forms, satisfied_forms from raw.surveys order by unit_code"
    ).fetchall()
    assert rows == [("L866", "huyen", 600, 548), ("L867", "huyen", 1200, 1100), ("L876", "huyen", 10, 9)]


def test_budget_context_from_title_rows(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(
        inbox / "giai_ngan.xlsx",
        {
            "Giải ngân": [
                ["UBND TỈNH ĐỒNG THÁP"],
                ["Đơn vị:", "Thành phố Sa Đéc"],
                ["TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG tính đến ngày 15/8/2023"],
                [],
                ["STT", "Chương trình", "Kế hoạch vốn giao (triệu đồng)", "Đã giải ngân (triệu đồng)"],
                [1, "Vốn ngân sách tỉnh", "590.161,540", "212.901,285 triệu đồng"],
                [None, "Tổng cộng", "590.161,540", "212.901,285"],
            ]
        },
    )
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "budget", quarantine, RUN)
    assert report.files_loaded == 1, report.outcomes
    rows = con.execute(
        "select unit_code, fiscal_year, as_of_date, programme, plan_mvnd, disbursed_mvnd,"
        " is_total_row from raw.budget order by source_row"
    ).fetchall()
    assert rows[0] == (
        "L867",
        2023,
        date(2023, 8, 15),
        "Vốn ngân sách tỉnh",
        Decimal("590161.540"),
        Decimal("212901.285"),
        False,
    )
    assert rows[1][0] is None and rows[1][-1] is True
    ratio = rows[0][5] / rows[0][4]
    assert round(ratio * 100) == 36


def test_staff_categories_and_column_overrides_file(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(
        inbox / "bien_che.xlsx",
        {
            "Biên chế": [
                ["Tỉnh: Đồng Tháp"],
                ["Tính đến ngày 31/12/2023"],
                ["Đơn vị", "Ngày số liệu", "Loại", "Biên chế được giao", "Có mặt"],
                ["Sa Đéc", None, "Cán bộ", 20, 19],
                ["Sa Đéc", None, "Công chức", 80, 75],
                ["Sa Đéc", "30/06/2023", "Viên chức giáo dục", "1.200", "1.150"],
                ["Sa Đéc", None, "Hợp đồng", 10, 10],
            ]
        },
    )
    register_inbox(con, inbox, quarantine, RUN)
    assert load_family(con, "staff", quarantine, RUN).files_loaded == 1
    rows = con.execute(
        "select unit_code, as_of_date, category, quota, actual from raw.staff order by source_row"
    ).fetchall()
    assert rows == [
        ("L867", date(2023, 12, 31), "can_bo", 20, 19),
        ("L867", date(2023, 12, 31), "cong_chuc", 80, 75),
        ("L867", date(2023, 6, 30), "vien_chuc_giao_duc", 1200, 1150),
        ("L867", date(2023, 12, 31), "hop_dong", 10, 10),
    ]


def test_survey_forms_drop_personal_columns(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    header = [
        "Mã phiếu",
        "Họ và tên",
        "Số điện thoại",
        "Mã đơn vị",
        "Ngày khảo sát",
        "Câu 1 - Tiếp cận dịch vụ",
        "Câu 2 - Thủ tục hành chính",
        "Câu 3 - Công chức giải quyết",
        "Câu 4 - Kết quả giải quyết",
        "Câu 5 - Hài lòng chung",
        "Số CCCD/CMND",
    ]
    write_xlsx(
        inbox / "phieu_khao_sat.xlsx",
        {
            "Phiếu": [
                ["PHIẾU KHẢO SÁT 2023"],
                header,
                ["P001", "Nguyễn Văn A", "0912345678", "867", "12/05/2023", 5, 4, 5, 4, 5, "079123456789"],
                ["P002", "Trần Thị B", "0987654321", "867", "13/05/2023", 3, None, 2, 3, 2, "079987654321"],
            ]
        },
    )
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "surveys", quarantine, RUN)
    assert report.files_loaded == 1 and report.rows_loaded == 9
    rows = con.execute(
        "select response_id, unit_code, survey_date, question_code, answer, is_overall"
        " from raw.survey_responses where response_id = 'P001' order by question_code"
    ).fetchall()
    assert rows[0] == ("P001", "L867", date(2023, 5, 12), "q1", 5, False)
    assert rows[-1] == ("P001", "L867", date(2023, 5, 12), "q5", 5, True)
    everything = str(con.execute("select * from raw.survey_responses").fetchall())
    everything += str(con.execute("select * from raw.file_manifest").fetchall())
    for secret in ("Nguyễn", "0912345678", "079123456789"):
        assert secret not in everything


def test_duplicate_content_loaded_once_and_rerun_is_idempotent(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [["Mã đơn vị", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng"], ["867", "2023", "100", "90"]]
    write_csv(inbox / "a.csv", rows)
    (inbox / "sub").mkdir()
    write_csv(inbox / "sub" / "copy_of_a.csv", rows)
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.file_name, o.status) for o in outcomes] == [
        ("a.csv", "pending"),
        ("sub/copy_of_a.csv", "duplicate"),
    ]
    load_family(con, "surveys", quarantine, RUN)
    assert register_inbox(con, inbox, quarantine, "run-2") == []
    assert load_family(con, "surveys", quarantine, "run-2").files_loaded == 0
    assert con.execute("select count(*) from raw.surveys").fetchall()[0][0] == 1
    # a corrected submission is a new file and loads too
    write_csv(inbox / "a_corrected.csv", [rows[0], ["867", "2023", "100", "95"]])
    register_inbox(con, inbox, quarantine, "run-3")
    assert load_family(con, "surveys", quarantine, "run-3").files_loaded == 1
    assert con.execute("select count(*) from raw.surveys").fetchall()[0][0] == 2
    assert (inbox / "a.csv").exists() and (inbox / "sub" / "copy_of_a.csv").exists()
