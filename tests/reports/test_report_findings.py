"""Which open findings a report shows, in which order, and what a unit's "data complete"
statement is computed from: a small publication (a real DuckDB file) with findings of
every kind, read by the reports' own queries."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from expectations.history import record_finding_history
from expectations.store import Finding, append_findings, ensure_result_tables
from reports import queries as q

UNITS = [  # unit_code, unit_name, unit_kind, parent_code, province_code
    ("L52", "Tỉnh Bình Định", "province", None, None),
    ("L542", "Huyện An Lão", "district", "L52", "L52"),
    ("L540", "Thành phố Quy Nhơn", "district", "L52", "L52"),
    ("L21613", "Xã An Trung", "commune", "L542", "L52"),
    ("L56", "Tỉnh Khánh Hòa", "province", None, None),
    ("L575", "Huyện Khánh Sơn", "district", "L56", "L56"),
    ("L22408", "Xã Cam Tân", "commune", "L570", "L56"),
    ("L22411", "Xã Cam Hòa", "commune", "L570", "L56"),
]


def _publication(path: Path) -> Path:
    con = duckdb.connect(str(path))
    ensure_result_tables(con)
    con.execute("create schema meta")
    con.execute("create table meta.publication as select 'r1' as run_id, now() as published_at")
    con.execute(
        "create table marts.dim_admin_units(unit_code varchar, unit_name varchar, unit_kind varchar,"
        " parent_code varchar, province_code varchar)"
    )
    con.executemany("insert into marts.dim_admin_units values (?, ?, ?, ?, ?)", UNITS)
    con.execute(
        "create table marts.rankings(unit_code varchar, period_label varchar, period_kind varchar,"
        " rank bigint)"
    )
    con.execute(
        "insert into marts.rankings values ('L542', '2023', 'year', 11), ('L540', '2023', 'year', 1),"
        " ('L575', '2023', 'year', 9), ('L56', '2018', 'year', 1)"
    )
    con.execute("create table marts.fct_staffing(unit_code varchar, as_of_date date, source_file varchar)")
    con.execute("insert into marts.fct_staffing values ('L542', '2023-06-30', 'bien_che_an_lao.xlsx')")
    missing = [{"unit_code": c, "unit_name": n} for c, n, *_ in UNITS if c in ("L22408", "L22411")]
    append_findings(
        con,
        "r1",
        [
            Finding(
                "unit_submitted_every_family", "warn", "L56", "2018", None, None,
                "Tỉnh Khánh Hòa: 2 of 3 units submitted no dossiers data for 2018",
                "Tỉnh Khánh Hòa: thiếu số liệu hồ sơ TTHC năm 2018 của 2/3 đơn vị",
                "dossiers", json.dumps({"missing_units": missing}, ensure_ascii=False),
            ),
            Finding(
                "resolved_parts_add_up", "warn", "L21613", "2023-H1", "tthc_an_lao.xlsx", 10,
                "Resolved 585 ≠ on time 575 + late 0", "Đã giải quyết 585 ≠ đúng hạn 575 + trễ hạn 0",
            ),
            Finding(
                "stated_total_matches_parts", "warn", None, None, "bien_che_an_lao.xlsx", 10,
                "Stated total 733 but the parts add up to 732", "Tổng cộng ghi 733 nhưng được 732", "quota",
            ),
            Finding(
                "actual_staff_within_quota", "warn", "L542", "2021-12-31", "bien_che_2021.xlsx", 8,
                "Actual staff 101 above quota 100 by 1", "Số người thực tế 101 vượt biên chế 100 là 1",
            ),
            Finding(
                "file_rejected", "error", None, None, "tthc_sa_dec.xlsx", 7,
                "unknown unit 'Thành phố Sa Đét'", "không tìm thấy đơn vị 'Thành phố Sa Đét'",
            ),
        ],
    )  # fmt: skip
    record_finding_history(con, "r1")
    con.close()
    return path


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return _publication(tmp_path / "latest.duckdb")


def _rules(found: list[q.Row]) -> list[str]:
    return [f["rule"] for f in found]


def test_findings_are_ordered_by_what_blocks_or_changes_the_ranking_shown(published: Path) -> None:
    with q.connect(published) as con:
        found_2023 = q.open_findings(con, None, "2023")
        found_2018 = q.open_findings(con, None, "2018")
    assert [(f["rule"], f["tier"]) for f in found_2023] == [
        ("file_rejected", 0),  # an error: read first
        ("resolved_parts_add_up", 1),  # a commune of An Lão, ranked in 2023
        ("stated_total_matches_parts", 1),  # An Lão's staff table (no unit: through its file)
        ("actual_staff_within_quota", 2),  # An Lão, but 2021
        ("unit_submitted_every_family", 2),  # 2018
    ]
    # in the 2018 report, Khánh Hòa's missing communes touch its 2018 ranking
    assert [(f["rule"], f["tier"]) for f in found_2018][:2] == [
        ("file_rejected", 0),
        ("unit_submitted_every_family", 1),
    ]
    staff = found_2023[2]
    assert staff["units_touched"] == "Huyện An Lão" and staff["unit_code"] is None
    assert staff["rule_vi"] == "Dòng tổng cộng phải bằng tổng các dòng chi tiết"
    assert found_2023[1]["unit_name"] == "Xã An Trung"


def test_province_filter_keeps_the_provinces_findings_and_those_without_a_unit(published: Path) -> None:
    with q.connect(published) as con:
        binh_dinh = q.open_findings(con, "L52", "2023")
        khanh_hoa = q.open_findings(con, "L56", "2023")
        everything = q.open_findings(con, None, "2023")
    assert _rules(binh_dinh) == [
        "file_rejected",
        "resolved_parts_add_up",
        "stated_total_matches_parts",
        "actual_staff_within_quota",
    ]
    # the grouped finding of Khánh Hòa (its unit the province, its communes in details)
    assert _rules(khanh_hoa) == ["file_rejected", "unit_submitted_every_family"]
    assert [f["attributable"] for f in khanh_hoa] == [False, True]
    assert len(everything) == 5


def test_a_units_statement_counts_every_finding_on_it_or_its_children_in_the_period(published: Path) -> None:
    with q.connect(published) as con:
        found = q.open_findings(con, None, "2023")
    an_lao = [f["rule"] for f in found if q.concerns(f, "L542", "2023")]
    # its commune's dossiers and its own staff table (2023-H1); not 2021, not the rejected file
    assert an_lao == ["resolved_parts_add_up", "stated_total_matches_parts"]
    # in 2021 only the 2021 finding (the staff table's rows are of 30/06/2023)
    assert [f["rule"] for f in found if q.concerns(f, "L542", "2021")] == ["actual_staff_within_quota"]
    assert [f["rule"] for f in found if q.concerns(f, "L540", "2023")] == []  # Quy Nhơn: complete
    # a grouped completeness finding concerns each unit it lists, and their ancestors
    assert [f["rule"] for f in found if q.concerns(f, "L22411", "2018")] == ["unit_submitted_every_family"]
    assert [f["rule"] for f in found if q.concerns(f, "L570", "2018")] == ["unit_submitted_every_family"]
    assert [f["rule"] for f in found if q.concerns(f, "L575", "2018")] == []
