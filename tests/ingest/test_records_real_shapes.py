"""Record exports and status histories as units really write them (QA pass 2): tick marks in
yes/no columns, the portal's status 6, ids Excel turned into scientific notation, the words
units write for statuses, channels and flags, unit codes that lost their leading zero, and
two columns naming one field. Each test loads the smallest file that showed the defect
through the real loader (``register_inbox`` + ``load_family``) into a real DuckDB file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv

RUN = "run-real-shapes"
HEADER = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, family: str = "dossier_records"):
    register_inbox(con, inbox, quarantine, RUN)
    outcomes = load_family(con, family, quarantine, RUN).outcomes
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def _manifest(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute(
        "select status, error_row, error_column, message, message_vi from raw.file_manifest"
    ).fetchall()[0]


def _records(con: duckdb.DuckDBPyConnection, columns: str) -> list[tuple]:
    query = f"select dossier_id, {columns} from raw.dossier_records order by source_row"
    return con.execute(query).fetchall()


# --- 1. tick marks in yes/no columns -------------------------------------------------------


@pytest.mark.parametrize("tick", ["√", "✔", "✓", "☑", " ✓ "])
def test_tick_marks_are_yes(con, inbox: Path, quarantine: Path, tick: str) -> None:
    """A tick was folded to "" and read as unknown (null, later counted as not synced)."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, "Đồng bộ", "Số hóa", "Kết quả điện tử", "Thanh toán trực tuyến"],
            ["A1", "568", "2", "01/03/2023 08:00", tick, tick, "", "Không"],
            ["A2", "568", "2", "01/03/2023 09:00", "", "Có", tick, tick],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _records(con, "is_synced, is_digitised, has_electronic_result, is_paid_online") == [
        ("A1", True, True, None, False),
        ("A2", None, True, True, True),
    ]


@pytest.mark.parametrize("mark", ["*", "+", "?"])
def test_other_symbols_in_yes_no_columns_are_refused(con, inbox: Path, quarantine: Path, mark: str) -> None:
    """A symbol that is no declared tick folds to "" too: it was loaded as unknown."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, "Đồng bộ"],
            ["A1", "568", "2", "01/03/2023 08:00", "Có"],
            ["A2", "568", "2", "01/03/2023 09:00", mark],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    status, row, column, _, message_vi = _manifest(con)
    assert (row, column) == (3, "E (Đồng bộ)")
    assert repr(mark) in message_vi
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


# --- 2. the portal's status 6 and a pause are no end ----------------------------------------


def test_status_six_and_a_pause_are_in_process(con, inbox: Path, quarantine: Path) -> None:
    """TrangThaiHoSo 6 is "Yêu cầu thực hiện nghĩa vụ tài chính" (the applicant is to pay):
    it was read as stopped, closing a dossier that goes on; a pause ("Tạm dừng") too."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, "Trạng thái", "Ngày kết thúc xử lý"],
            ["A1", "568", "2", "01/03/2023 08:00", "6", ""],
            ["A2", "568", "2", "01/03/2023 09:00", "Tạm dừng", ""],
            ["A3", "568", "2", "01/03/2023 10:00", "Yêu cầu thực hiện nghĩa vụ tài chính", ""],
            ["A4", "568", "2", "01/03/2023 11:00", "8", "05/03/2023 11:00"],
            ["A5", "568", "2", "01/03/2023 12:00", "Dừng xử lý", "05/03/2023 11:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _records(con, "status") == [
        ("A1", "in_process"),
        ("A2", "in_process"),
        ("A3", "in_process"),
        ("A4", "stopped"),
        ("A5", "stopped"),
    ]


def test_status_six_in_a_history_is_in_process(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "lich_su_568.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Trạng thái", "Thời điểm"],
            ["A", "568", "2", "01/03/2023 08:00"],
            ["A", "568", "6", "02/03/2023 08:00"],
            ["A", "568", "9", "04/03/2023 08:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine, "dossier_status_history")
    assert outcome.status == "loaded", outcome.message_vi
    rows = con.execute("select status from raw.dossier_status_history order by source_row").fetchall()
    assert rows == [("in_process",), ("in_process",), ("resolved",)]


# --- 3. dossier ids Excel turned into scientific notation ------------------------------------


@pytest.mark.parametrize("dossier", ["2.30301E+11", "1,23457E+14", "1E+14"])
def test_scientific_notation_ids_are_refused_in_records(
    con, inbox: Path, quarantine: Path, dossier: str
) -> None:
    """Excel wrote 230301000123 as 2.30301E+11: two dossiers of one day became one id (the
    second then refused as a duplicate at best, loaded as one dossier at worst)."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            HEADER,
            ["230301000001", "568", "2", "01/03/2023 08:00"],
            [dossier, "568", "2", "01/03/2023 09:00"],
            ["2.30301E+11x", "568", "2", "01/03/2023 10:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    _, row, column, message, message_vi = _manifest(con)
    assert (row, column) == (3, "A (Mã hồ sơ)")
    assert repr(dossier) in message_vi
    assert "Excel" in message_vi and "khoa học" in message_vi and "văn bản" in message_vi
    assert "scientific notation" in message
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


def test_scientific_notation_ids_are_refused_in_histories(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "lich_su_568.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Trạng thái", "Thời điểm"],
            ["G22-001", "568", "2", "01/03/2023 08:00"],
            ["2.30301E+11", "568", "2", "01/03/2023 09:00"],
            ["2.30301E+11", "568", "9", "03/03/2023 09:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine, "dossier_status_history")
    assert outcome.status == "rejected"
    _, row, column, _, message_vi = _manifest(con)
    assert (row, column) == (3, "A (Mã hồ sơ)")
    assert "'2.30301E+11'" in message_vi and "khoa học" in message_vi
    assert con.execute("select count(*) from raw.dossier_status_history").fetchall() == [(0,)]


# --- 4. the words units write ----------------------------------------------------------------


def test_words_units_write_are_read(con, inbox: Path, quarantine: Path) -> None:
    """Statuses, channels, flags and ratings as one-stop systems write them were refused."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            ["Số biên nhận", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Trạng thái", "Ngày có kết quả",
             "Đồng bộ", "Thanh toán trực tuyến", "Đánh giá"],
            ["B1", "568", "Trực tuyến toàn trình", "01/03/2023 08:00", "Đã rút hồ sơ", "02/03/2023",
             "Đã đồng bộ", "Đã thanh toán", "Chấp nhận được"],
            ["B2", "568", "Cổng dịch vụ công quốc gia", "01/03/2023 08:00", "Đã có kết quả",
             "03/03/2023", "Chưa đồng bộ", "Chưa thanh toán", "Không hài lòng"],
            ["B3", "568", "Trực tiếp", "01/03/2023 08:00", "Mới tiếp nhận", "", "", "", ""],
            ["B4", "568", "Trực tiếp", "01/03/2023 08:00", "Chuyển xử lý", "", "", "", ""],
            ["B5", "568", "Trực tiếp", "01/03/2023 08:00", "Trình ký", "", "", "", ""],
        ],
    )  # fmt: skip
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _records(con, "channel, status, is_synced, is_paid_online, citizen_rating") == [
        ("B1", "truc_tuyen", "withdrawn", True, True, "satisfied"),
        ("B2", "truc_tuyen", "resolved", False, False, "dissatisfied"),
        ("B3", "truc_tiep", "in_process", None, None, None),
        ("B4", "truc_tiep", "in_process", None, None, None),
        ("B5", "truc_tiep", "in_process", None, None, None),
    ]


def test_waiting_to_return_the_result_stays_refused(con, inbox: Path, quarantine: Path) -> None:
    """ "Chờ trả kết quả" is resolved or not depending on the system: never guessed."""
    write_csv(
        inbox / "ho_so_568.csv",
        [[*HEADER, "Trạng thái"], ["B1", "568", "2", "01/03/2023 08:00", "Chờ trả kết quả"]],
    )
    assert _load(con, inbox, quarantine).status == "rejected"
    assert _manifest(con)[1:3] == (2, "E (Trạng thái)")


@pytest.mark.parametrize("heading", ["Ngày xử lý", "Thời gian xử lý"])
def test_history_with_receipt_number_and_processing_time(
    con, inbox: Path, quarantine: Path, heading: str
) -> None:
    write_csv(
        inbox / "lich_su_568.csv",
        [
            ["Số biên nhận", "Mã đơn vị", "Trạng thái", heading],
            ["B1", "568", "Mới tiếp nhận", "01/03/2023 08:00"],
            ["B1", "568", "Trình ký", "02/03/2023 08:00"],
            ["B1", "568", "Đã có kết quả", "03/03/2023 10:00"],
        ],
    )
    outcome = _load(con, inbox, quarantine, "dossier_status_history")
    assert outcome.status == "loaded", outcome.message_vi
    rows = con.execute(
        "select dossier_id, status, day(changed_at) from raw.dossier_status_history order by source_row"
    ).fetchall()
    assert rows == [("B1", "in_process", 1), ("B1", "in_process", 2), ("B1", "resolved", 3)]


# --- 5. a unit code that lost its leading zero ------------------------------------------------


@pytest.mark.parametrize(
    ("first", "code", "province", "level"),
    [
        ("080", "80", "Tỉnh Long An", "Cấp huyện"),
        ("017", "17", "Tỉnh Hòa Bình", "Cấp huyện"),
        ("25645", "867", "Thành phố Sa Đéc", "Cấp xã"),
    ],
)
def test_district_code_without_its_leading_zero_is_refused(
    con, inbox: Path, quarantine: Path, first: str, code: str, province: str, level: str
) -> None:
    """Excel read the district 080 (Lào Cai city) as 80: the row's dossiers were counted for
    the province of Long An (2023, before the reorganisation)."""
    write_csv(
        inbox / "ho_so_huyen.csv",
        [
            [*HEADER, "Cấp"],
            ["C1", first, "2", "01/03/2023 08:00", level],
            ["C2", code, "2", "01/03/2023 09:00", level],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    _, row, column, message, message_vi = _manifest(con)
    assert (row, column) == (3, "B (Mã đơn vị)")
    assert f"'{code}'" in message_vi and province in message_vi
    assert "khác cấp" in message_vi and "số 0" in message_vi
    assert "leading zero" in message
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


def test_codes_consistent_with_the_stated_level_load(con, inbox: Path, quarantine: Path) -> None:
    """A province's code with "Cấp tỉnh", and any code on a row without a stated level."""
    write_csv(
        inbox / "ho_so_tinh.csv",
        [
            [*HEADER, "Cấp"],
            ["C1", "80", "2", "01/03/2023 08:00", "Cấp tỉnh"],
            ["C2", "080", "2", "01/03/2023 09:00", "Cấp huyện"],
            ["C3", "80", "2", "01/03/2023 10:00", ""],
            # a commune's dossier resolved by the district: a lower unit, no lost zero
            ["C4", "25645", "2", "01/03/2023 11:00", "Cấp huyện"],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _records(con, "unit_code, authority_level") == [
        ("C1", "L80", "tinh"),
        ("C2", "L080", "huyen"),
        ("C3", "L80", "tinh"),
        ("C4", "L25645", "huyen"),
    ]


# --- 6. two columns naming one field ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "letters"),
    [
        ("Hạn xử lý", "Hạn giải quyết", ("E (Hạn xử lý)", "F (Hạn giải quyết)")),
        ("Ngày có kết quả", "Ngày hoàn thành", ("E (Ngày có kết quả)", "F (Ngày hoàn thành)")),
        ("Phí, lệ phí", "Phí", ("E (Phí, lệ phí)", "F (Phí)")),
    ],
)
def test_two_columns_naming_one_field_are_refused(
    con, inbox: Path, quarantine: Path, first: str, second: str, letters: tuple[str, str]
) -> None:
    """The first column by position was read, the other silently ignored: a due date of
    05/03 where the unit's own column said 09/03 made a dossier late."""
    write_csv(
        inbox / "ho_so_568.csv",
        [[*HEADER, first, second], ["D1", "568", "2", "01/03/2023 08:00", "05/03/2023", "09/03/2023"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    _, row, column, message, message_vi = _manifest(con)
    assert (row, column) == (1, letters[1])
    assert letters[0] in message_vi and letters[1] in message_vi
    assert "không đoán" in message_vi and "not guessed" in message
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("first", "second", "field", "read", "unread"),
    [
        ("Hạn xử lý", "Ngày hẹn trả", "due_at", "F (Ngày hẹn trả)", "E (Hạn xử lý)"),
        ("Ngày hẹn trả", "Hạn xử lý", "due_at", "E (Ngày hẹn trả)", "F (Hạn xử lý)"),
        (
            "Ngày có kết quả",
            "Ngày kết thúc xử lý",
            "finished_at",
            "F (Ngày kết thúc xử lý)",
            "E (Ngày có kết quả)",
        ),
    ],
)
def test_of_two_columns_the_one_the_portal_defines_is_read(
    con, inbox: Path, quarantine: Path, first: str, second: str, field: str, read: str, unread: str
) -> None:
    """Vendor exports carry "Hạn xử lý" (a step's deadline) beside "Ngày hẹn trả" (the date
    promised to the citizen, the portal's NgayHenTra): the portal's is read, whichever comes
    first, and the load says which column was not read."""
    values = {"E": "05/03/2023 17:00", "F": "09/03/2023 17:00"}
    write_csv(
        inbox / "ho_so_568.csv",
        [[*HEADER, first, second], ["D1", "568", "2", "01/03/2023 08:00", values["E"], values["F"]]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    stored = con.execute(f"select strftime({field}, '%d/%m/%Y %H:%M') from raw.dossier_records").fetchall()
    assert stored == [(values[read[0]],)]
    assert unread in outcome.message_vi and "chỉ được đọc khi" in outcome.message_vi, outcome.message_vi


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [("Hạn xử lý", "Ngày hẹn trả", "due_at"), ("Ngày có kết quả", "Ngày kết thúc xử lý", "finished_at")],
)
def test_the_other_column_stands_in_where_the_portals_is_empty(
    con, inbox: Path, quarantine: Path, first: str, second: str, field: str
) -> None:
    """An empty "Ngày kết thúc xử lý" beside a filled "Ngày có kết quả" left a resolved
    dossier pending (QA 3): the other column is read where the portal's is empty; an
    unreadable value in either is refused, naming its column."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, first, second],
            ["D1", "568", "2", "01/03/2023 08:00", "05/03/2023 17:00", "09/03/2023 17:00"],
            ["D2", "568", "2", "01/03/2023 08:00", "06/03/2023 17:00", ""],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    stored = con.execute(
        f"select dossier_id, strftime({field}, '%d/%m %H:%M') from raw.dossier_records order by 1"
    ).fetchall()
    assert stored == [("D1", "09/03 17:00"), ("D2", "06/03 17:00")]


def test_an_unreadable_value_in_the_other_column_is_refused(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_568.csv",
        [[*HEADER, "Hạn xử lý", "Ngày hẹn trả"], ["D1", "568", "2", "01/03/2023 08:00", "mai", "09/03/2023"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    _, row, column, _, _ = _manifest(con)
    assert (row, column) == (2, "E (Hạn xử lý)")


def test_fee_and_charge_columns_are_summed(con, inbox: Path, quarantine: Path) -> None:
    """ "Phí" and "Lệ phí" side by side: the fee was "Phí" alone, the charge dropped."""
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, "Lệ phí", "Phí"],
            ["F1", "568", "2", "01/03/2023 08:00", "20.000", "10.000"],
            ["F2", "568", "2", "01/03/2023 09:00", "", "15000"],
            ["F3", "568", "2", "01/03/2023 10:00", "Miễn phí", ""],
            ["F4", "568", "2", "01/03/2023 11:00", "", ""],
        ],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _records(con, "fee_amount") == [
        ("F1", Decimal("30000")),
        ("F2", Decimal("15000")),
        ("F3", Decimal("0")),
        ("F4", None),
    ]


def test_an_unreadable_charge_beside_the_fee_is_refused(con, inbox: Path, quarantine: Path) -> None:
    write_csv(
        inbox / "ho_so_568.csv",
        [
            [*HEADER, "Phí", "Lệ phí"],
            ["F1", "568", "2", "01/03/2023 08:00", "10.000", "20.000"],
            ["F2", "568", "2", "01/03/2023 09:00", "10.000", "1,5"],
        ],
    )
    assert _load(con, inbox, quarantine).status == "rejected"
    _, row, column, _, message_vi = _manifest(con)
    assert (row, column) == (3, "F (Lệ phí)")
    assert "'1,5'" in message_vi


def test_columns_not_loaded_are_named_in_the_message(con, inbox: Path, quarantine: Path) -> None:
    """A heading not understood ("Ngày có KQ" before its alias existed) was dropped without a
    word (QA 3): the load's message names every column it did not load."""
    write_csv(
        inbox / "ho_so_568.csv",
        [[*HEADER, "STT", "Cột lạ"], ["D1", "568", "2", "01/03/2023 08:00", "1", "x"]],
    )
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert "F (Cột lạ)" in outcome.message_vi, outcome.message_vi
    assert "E (STT)" not in outcome.message_vi  # recognised, holds no data
