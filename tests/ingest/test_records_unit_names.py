"""Record exports that name their units by name, not GSO code (INPUTS.md: "a unit is
identified by its GSO code, or by its name plus its province"): each name is resolved in the
era of the row's dates, with the row's province, else the province of the file name; a name
that names no unit or several refuses the file, naming row and column. Real loader, real
DuckDB file, the real administrative map."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv

RUN = "run-unit-names"
HEADER = ["Mã hồ sơ", "Đơn vị", "Kênh", "Ngày tiếp nhận"]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path):
    register_inbox(con, inbox, quarantine, RUN)
    outcomes = load_family(con, "dossier_records", quarantine, RUN).outcomes
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def _units(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select dossier_id, unit_code, authority_level from raw.dossier_records order by source_row"
    ).fetchall()


def test_names_with_their_province_across_the_reorganisation(con, inbox: Path, quarantine: Path) -> None:
    """The legacy district's name before July 2025, the new ward's after it: each is read
    in the map of its dossier's date."""
    write_csv(
        inbox / "ho_so_2025.csv",
        [
            ["Mã hồ sơ", "Tên đơn vị", "Tỉnh", "Kênh", "Ngày tiếp nhận"],
            ["A1", "Tx. Hòa Thành", "Tây Ninh", "1", "20/06/2025 08:00"],
            ["A2", "Thị xã Hòa Thành", "Tây Ninh", "2", "30/06/2025 08:00"],
            ["A3", "Phường Hòa Thành", "Tây Ninh", "2", "02/07/2025 08:00"],
            ["A4", "TP. Nha Trang", "", "1", "01/03/2025 08:00"],  # one Nha Trang: no province needed
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [
        ("A1", "L709", "huyen"),
        ("A2", "L709", "huyen"),
        ("A3", "25645", "xa"),
        ("A4", "L568", "huyen"),
    ]


def test_the_province_of_the_file_name(con, inbox: Path, quarantine: Path) -> None:
    """Two wards are called Phường Hòa Thành since 2025: the file name's province picks one."""
    write_csv(
        inbox / "ho_so_tinh_tay_ninh_2025.csv",
        [HEADER, ["B1", "Phường Hòa Thành", "2", "01/08/2025 08:00"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("B1", "25645", "xa")]


def test_a_code_in_the_unit_column_is_a_code(con, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "ho_so_2023.csv", [HEADER, ["C1", "568", "1", "01/03/2023 08:00"]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("C1", "L568", "huyen")]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Xã Hòa Thành", "Xã Hòa Thành"),  # four legacy communes of that name, no province
        ("Huyện Không Có", "Huyện Không Có"),  # no such unit
    ],
)
def test_a_name_that_names_no_unit_or_several_is_refused(
    con, inbox: Path, quarantine: Path, name: str, words: str
) -> None:
    write_csv(
        inbox / "ho_so_2023.csv",
        [HEADER, ["D1", "TP. Nha Trang", "1", "01/03/2023 08:00"], ["D2", name, "1", "02/03/2023 08:00"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, column, message_vi = con.execute(
        "select error_row, error_column, message_vi from raw.file_manifest"
    ).fetchall()[0]
    assert (row, column) == (3, "B (Đơn vị)")
    assert words in message_vi, message_vi
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


def test_an_empty_unit_name_is_refused(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_2023.csv",
        [HEADER, ["E1", "TP. Nha Trang", "1", "01/03/2023 08:00"], ["E2", "", "1", "02/03/2023 08:00"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, message_vi = con.execute("select error_row, message_vi from raw.file_manifest").fetchall()[0]
    assert row == 3
    assert "unit_name" in message_vi, message_vi


def test_a_district_code_that_lost_its_zero_is_refused(con, inbox: Path, quarantine: Path) -> None:
    """Lào Cai's communes and, on one row, its city 080 written 80 by Excel: 80 is Long An's
    province code before 2025. No level is stated, so only the province of the file's other
    rows tells: refused, naming the row and both units."""
    header = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"]
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            header,
            ["F1", "082", "1", "01/03/2023 08:00"],  # Huyện Bát Xát, Lào Cai
            ["F2", "082", "1", "02/03/2023 08:00"],
            ["F3", "80", "2", "03/03/2023 08:00"],  # Thành phố Lào Cai, lost its zero
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, column, message_vi = con.execute(
        "select error_row, error_column, message_vi from raw.file_manifest"
    ).fetchall()[0]
    assert (row, column) == (4, "B (Mã đơn vị)")
    assert "Tỉnh Long An" in message_vi and "Thành phố Lào Cai" in message_vi, message_vi


def test_a_province_and_its_own_districts_are_not_a_lost_zero(con, inbox: Path, quarantine: Path) -> None:
    """Lào Cai's own code 10 beside its districts: the province is the file's province."""
    header = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"]
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            header,
            ["G1", "082", "1", "01/03/2023 08:00"],
            ["G2", "080", "1", "02/03/2023 08:00"],
            ["G3", "10", "2", "03/03/2023 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert [r[1] for r in _units(con)] == ["L082", "L080", "L10"]


def test_a_department_named_in_a_province(con, inbox: Path, quarantine: Path) -> None:
    """A department's records ("Cơ quan giải quyết: Sở Tư pháp") in the province of the file
    name: its department unit, before and after the 2025 merges (Sở TN&MT became Sở Nông
    nghiệp và Môi trường); level tinh."""
    write_csv(
        inbox / "ho_so_so_nganh_tinh_dong_thap_2025.csv",
        [
            ["Mã hồ sơ", "Cơ quan giải quyết", "Kênh", "Ngày tiếp nhận"],
            ["H1", "Sở Tư pháp", "2", "02/06/2025 08:00"],
            ["H2", "Sở Tư pháp", "2", "02/08/2025 08:00"],
            ["H3", "Sở TN&MT", "1", "03/06/2025 08:00"],
            ["H4", "Sở Nông nghiệp và Môi trường", "1", "04/08/2025 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [
        ("H1", "L87.STP", "tinh"),
        ("H2", "82.STP", "tinh"),
        ("H3", "L87.STNMT", "tinh"),
        ("H4", "82.SNNMT", "tinh"),
    ]


def test_a_department_without_its_province_is_refused(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_2025.csv",
        [
            ["Mã hồ sơ", "Cơ quan giải quyết", "Kênh", "Ngày tiếp nhận"],
            ["J1", "Sở Tư pháp", "2", "02/08/2025 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    assert "Sở Tư pháp" in outcome.message_vi and "cần ghi rõ tỉnh" in outcome.message_vi, outcome.message_vi


@pytest.mark.parametrize(
    ("header", "written", "other"),
    [
        ("Tỉnh", "Lào Cai", "Tỉnh Lào Cai"),  # 82 is Tiền Giang's province code before 2025
        ("Tên đơn vị", "Huyện Bát Xát", "Huyện Bát Xát"),
    ],
)
def test_a_code_beside_a_name_of_another_unit_is_refused(
    con, inbox: Path, quarantine: Path, header: str, written: str, other: str
) -> None:
    """Bát Xát's 082 written 82 beside its province or its name: the code named Tiền Giang
    (QA 3: loaded at province level there)."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", header, "Kênh", "Ngày tiếp nhận"],
            ["K1", "82", written, "1", "01/03/2023 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, column, message_vi = con.execute(
        "select error_row, error_column, message_vi from raw.file_manifest"
    ).fetchall()[0]
    assert (row, column) == (2, "B (Mã đơn vị)")
    assert "Tỉnh Tiền Giang" in message_vi and other in message_vi, message_vi


def test_a_code_beside_its_own_name_and_province_loads(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Tên đơn vị", "Tỉnh", "Kênh", "Ngày tiếp nhận"],
            ["L1", "082", "Huyện Bát Xát", "Lào Cai", "1", "01/03/2023 08:00"],
            ["L2", "568", "TP. Nha Trang", "Khánh Hòa", "1", "01/03/2023 08:00"],
            ["L3", "568", "Xã Không Rõ", "", "1", "01/03/2023 08:00"],  # an unknown name is not compared
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert [r[1] for r in _units(con)] == ["L082", "L568", "L568"]


def test_a_province_code_beside_a_department_name_is_the_department(
    con, inbox: Path, quarantine: Path
) -> None:
    """QA 4: "82 | Sở Tư pháp" was stored as the province; a department merged away in 2025
    written after it ("Sở TN&MT" in August) is the one it became; the one-stop shop's own name
    ("Bộ phận Một cửa Sở Tư pháp") is its department's."""
    write_csv(
        inbox / "ho_so_2025.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Tên đơn vị", "Kênh", "Ngày tiếp nhận"],
            ["M1", "82", "Sở Tư pháp", "1", "01/08/2025 08:00"],
            ["M2", "82", "Sở TN&MT", "1", "02/08/2025 08:00"],
            ["M3", "82", "Bộ phận Một cửa Sở Tư pháp", "1", "03/08/2025 08:00"],
            ["M4", "82", "Trung tâm Phục vụ hành chính công tỉnh", "1", "04/08/2025 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [
        ("M1", "82.STP", "tinh"),
        ("M2", "82.SNNMT", "tinh"),
        ("M3", "82.STP", "tinh"),
        ("M4", "82", "tinh"),  # the province's service centre: the province's
    ]


def test_a_department_with_the_province_bare_in_the_file_name(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_dong_thap_2025.csv",
        [
            ["Mã hồ sơ", "Cơ quan giải quyết", "Kênh", "Ngày tiếp nhận"],
            ["N1", "Sở Y tế", "2", "02/08/2025 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _units(con) == [("N1", "82.SYT", "tinh")]


def test_a_named_unit_of_a_higher_level_than_stated_is_refused(con, inbox: Path, quarantine: Path) -> None:
    """QA 4: a department named beside "Cấp xã" loaded as a commune-level dossier of it; the
    same row with the code was refused (a unit above the stated level)."""
    write_csv(
        inbox / "ho_so_tinh_dong_thap_2025.csv",
        [
            ["Mã hồ sơ", "Cơ quan giải quyết", "Cấp", "Kênh", "Ngày tiếp nhận"],
            ["P1", "Sở Tư pháp", "Cấp tỉnh", "1", "01/08/2025 08:00"],
            ["P2", "Sở Tư pháp", "Cấp xã", "1", "02/08/2025 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, column, message_vi = con.execute(
        "select error_row, error_column, message_vi from raw.file_manifest"
    ).fetchall()[0]
    assert (row, column) == (3, "B (Cơ quan giải quyết)")
    assert "Sở Tư pháp tỉnh Đồng Tháp" in message_vi and "sửa lại đơn vị hoặc cấp" in message_vi, message_vi
