"""Record exports as vendors' one-stop systems write them (QA pass 3, the OVER-STRICT list):
dates as dd-mm-yyyy or dd.mm.yyyy, 12-hour times with the Vietnamese SA/CH, yyyyMMddHHmmss
from a float export (``.0``), Excel date numbers; the vendors' words for channels, statuses
and levels; their headings (Kênh nộp, Ngày có KQ, Ngày hẹn trả KQ, Ngày trả kết quả cho công
dân); a numbering row of letters under the header. Each test loads the smallest file that
showed the refusal through the real loader (``register_inbox`` + ``load_family``) into a real
DuckDB file, and checks the stored values or the refusal's row and column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.headers import is_numbering_row
from ingest.inbox import load_family, register_inbox
from ingest.personal import mask_message
from tests.ingest.conftest import write_csv, write_xlsx

RUN = "run-vendor-shapes"
HEADER = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path):
    register_inbox(con, inbox, quarantine, RUN)
    outcomes = load_family(con, "dossier_records", quarantine, RUN).outcomes
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def _loaded(con, inbox: Path, quarantine: Path, columns: str) -> list[tuple]:
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    query = f"select dossier_id, {columns} from raw.dossier_records order by source_row"
    return con.execute(query).fetchall()


def _refused(con, inbox: Path, quarantine: Path) -> tuple:
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", outcome.message_vi
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]
    return con.execute(
        "select error_row, error_column, message, message_vi from raw.file_manifest"
    ).fetchall()[0]


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


# --- 1. date and time formats ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("01-03-2023 08:00:00", "2023-03-01 08:00"),  # E08
        ("01-03-2023 08:00", "2023-03-01 08:00"),
        ("01-03-2023", "2023-03-01 00:00"),
        ("01.03.2023 08:00", "2023-03-01 08:00"),  # E10
        ("01.03.2023 08:00:00", "2023-03-01 08:00"),
        ("01.03.2023", "2023-03-01 00:00"),
        ("01/03/2023 08:00:00 SA", "2023-03-01 08:00"),  # E05
        ("01/03/2023 02:00:00 CH", "2023-03-01 14:00"),
        ("01/03/2023 02:30 CH", "2023-03-01 14:30"),
        ("01/03/2023 12:15 SA", "2023-03-01 00:15"),
        ("01/03/2023 12:15 CH", "2023-03-01 12:15"),
        ("20230301080000.0", "2023-03-01 08:00"),  # P06
        ("44986.3333333333", "2023-03-01 08:00"),  # X07
        ("44986", "2023-03-01 00:00"),
    ],
)
def test_vendor_timestamp_formats_load(
    con, inbox: Path, quarantine: Path, received: str, expected: str
) -> None:
    """Each was refused as "không đọc được … thành thời điểm"."""
    write_csv(
        inbox / "ho_so_568_2023.csv", [HEADER, ["E1", "568", "1", received], ["E2", "568", "1", received]]
    )
    assert _loaded(con, inbox, quarantine, "received_at") == [("E1", _at(expected)), ("E2", _at(expected))]


def test_dash_dates_with_a_day_only_due_date(con, inbox: Path, quarantine: Path) -> None:
    """E08: the reception with seconds, the due date without a time, each column its own."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [[*HEADER, "Ngày hẹn trả"], ["E1", "568", "1", "01-03-2023 08:00:00", "05-03-2023"]],
    )
    assert _loaded(con, inbox, quarantine, "received_at, due_at") == [
        ("E1", _at("2023-03-01 08:00"), _at("2023-03-05 00:00"))
    ]


def test_portal_sync_export_with_float_codes_and_times(con, inbox: Path, quarantine: Path) -> None:
    """P06: a pandas export wrote the portal's integers as floats (2.0, 10.0, …080000.0)."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "KenhThucHien", "NgayTiepNhan", "TrangThaiHoSo", "NgayKetThucXuLy"],
            ["S1", "568", "2.0", "20230301080000", "10.0", "20230302080000"],
            ["S2", "568", "1", "20230301080000.0", "4", ""],
        ],
    )
    assert _loaded(con, inbox, quarantine, "channel, status, received_at, finished_at") == [
        ("S1", "truc_tuyen", "resolved", _at("2023-03-01 08:00"), _at("2023-03-02 08:00")),
        ("S2", "truc_tiep", "in_process", _at("2023-03-01 08:00"), None),
    ]


SERIAL_HEADER = ["STT", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Hạn xử lý", "Ngày hoàn thành"]
SERIAL_ROWS = [
    [1, "H56-0001", "568", "Trực tuyến", 44986.3333333333, 44990.7083333333, 44989.4166666667],
    [2, "H56-0002", "568", "Trực tiếp", 44987.375, 44991.7083333333, None],
    [3, "H56-0003", "568", "Bưu chính", 44988.4166666667, 44992.7083333333, 44993.4166666667],
]
SERIAL_STORED = [
    ("H56-0001", _at("2023-03-01 08:00"), _at("2023-03-05 17:00"), _at("2023-03-04 10:00")),
    ("H56-0002", _at("2023-03-02 09:00"), _at("2023-03-06 17:00"), None),
    ("H56-0003", _at("2023-03-03 10:00"), _at("2023-03-07 17:00"), _at("2023-03-08 10:00")),
]


def test_excel_serial_numbers_in_a_csv(con, inbox: Path, quarantine: Path) -> None:
    """X07: the cells' numbers written as text (Excel's 15 digits)."""
    rows = [["" if v is None else str(v) for v in r] for r in SERIAL_ROWS]
    write_csv(inbox / "ho_so_2023.csv", [SERIAL_HEADER, *rows])
    assert _loaded(con, inbox, quarantine, "received_at, due_at, finished_at") == SERIAL_STORED


def test_excel_serial_numbers_in_an_xlsx(con, inbox: Path, quarantine: Path) -> None:
    """X05: number cells without a date format."""
    write_xlsx(inbox / "ho_so_2023.xlsx", {"Sheet1": [SERIAL_HEADER, *SERIAL_ROWS]})
    assert _loaded(con, inbox, quarantine, "received_at, due_at, finished_at") == SERIAL_STORED


def test_excel_whole_day_serials_in_an_xlsx(con, inbox: Path, quarantine: Path) -> None:
    """X06: whole days (44986 is 1 March 2023)."""
    rows = [[*r[:4], *(None if v is None else int(v) for v in r[4:])] for r in SERIAL_ROWS]
    write_xlsx(inbox / "ho_so_2023.xlsx", {"Sheet1": [SERIAL_HEADER, *rows]})
    stored = [
        (d, *(None if t is None else t.replace(hour=0, minute=0) for t in ts)) for d, *ts in SERIAL_STORED
    ]
    assert _loaded(con, inbox, quarantine, "received_at, due_at, finished_at") == stored


@pytest.mark.parametrize(
    ("values", "row"),
    [
        # US month-first with AM/PM stays refused: only the Vietnamese SA/CH is read
        (["3/1/2023 8:00:00 AM", "3/13/2023 2:00:00 PM"], 2),
        (["01/03/2023 08:00 SA", "01/03/2023 14:30 CH"], 3),  # no 14 o'clock in 12 hours
        # a serial outside 2000-2099 is no date of a dossier
        (["44986.5", "44987", "99999"], 4),
        (["12345", "12346"], 2),
        # a number among written dates is not read as a date: one format per column
        (["01/03/2023 08:00", "44986"], 3),
        (["01.03.2023", "01,03,2023"], 3),
    ],
)
def test_values_outside_the_formats_are_refused(
    con, inbox: Path, quarantine: Path, values: list[str], row: int
) -> None:
    rows = [[f"E{i}", "568", "1", v] for i, v in enumerate(values, start=1)]
    write_csv(inbox / "ho_so_2023.csv", [HEADER, *rows])
    error_row, column, message, message_vi = _refused(con, inbox, quarantine)
    assert (error_row, column) == (row, "D (Ngày tiếp nhận)")
    assert "cannot read" in message and "thành thời điểm" in message_vi
    assert repr(values[row - 2]) in message_vi


def test_an_unread_serial_is_shown_as_written(con, inbox: Path, quarantine: Path) -> None:
    """X05/X07: '44986.3333333333' was shown '44986.33******33', masked as an ID number."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [HEADER, ["E1", "568", "1", "01/03/2023 08:00"], ["E2", "568", "1", "44986.3333333333"]],
    )
    error_row, column, message, message_vi = _refused(con, inbox, quarantine)
    assert (error_row, column) == (3, "D (Ngày tiếp nhận)")
    assert "'44986.3333333333'" in message and "'44986.3333333333'" in message_vi


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("0912345678", "09******78"),
        ("079203001234", "07********34"),
        ("84.912345678", "84.91*****78"),
        ("0.912345678", "0.91*****78"),
        ("5.079203001234", "5.07********34"),
    ],
)
def test_phone_and_id_numbers_stay_masked(value: str, masked: str) -> None:
    """The plain numbers shown as written are 5 or 6 digits, a point and a fraction: a phone
    or an ID number, with or without a point before it, is masked as before."""
    shown = mask_message(f"cannot read {value!r} as a timestamp")
    assert value not in shown and masked in shown


def test_a_plain_number_beside_a_phone_number() -> None:
    assert mask_message("cannot read '44986.3333333333' or '0912345678'") == (
        "cannot read '44986.3333333333' or '09******78'"
    )
    # unquoted, or with a number of another size before the point, it is masked as before
    assert mask_message("44986.3333333333") == "44986.33******33"
    assert mask_message("'1234567.912345678'") == "'1234567.91*****78'"
    # quotes inside a quoted cell are the cell's, not the message's
    assert "0912345678" not in mask_message("""cannot read "x'12345.0912345678'" as a timestamp""")
    assert "0912345678" not in mask_message("""cannot read "'12345.0912345678'" as a timestamp""")


# --- 2. vendors' words and headings --------------------------------------------------------


def test_vendor_channel_words(con, inbox: Path, quarantine: Path) -> None:
    """E13: refused as "giá trị channel không hợp lệ: 'Trực tuyến một phần'"."""
    words = [
        "Trực tuyến một phần",
        "Trực tiếp tại BPMC",
        "Trực tiếp tại Bộ phận một cửa",
        "Trực tuyến toàn trình",
    ]
    rows = [[f"E{i}", "568", w, "01/03/2023 08:00"] for i, w in enumerate(words, start=1)]
    write_csv(
        inbox / "ho_so_2023.csv", [["Mã hồ sơ", "Mã đơn vị", "Kênh tiếp nhận", "Ngày tiếp nhận"], *rows]
    )
    assert _loaded(con, inbox, quarantine, "channel") == [
        ("E1", "truc_tuyen"),
        ("E2", "truc_tiep"),
        ("E3", "truc_tiep"),
        ("E4", "truc_tuyen"),
    ]


def test_vendor_status_words(con, inbox: Path, quarantine: Path) -> None:
    """E14: "Hoàn thành đúng hạn" was refused as an unknown status."""
    words = [
        "Hoàn thành đúng hạn",
        "Hoàn thành trước hạn",
        "Hoàn thành quá hạn",
        "Đã hoàn thành",
        "Đã trả kết quả (trễ hạn)",
    ]
    rows = [
        [f"E{i}", "568", "1", "01/03/2023 08:00", "03/03/2023 10:00", w] for i, w in enumerate(words, start=1)
    ]
    write_csv(inbox / "ho_so_2023.csv", [[*HEADER, "Ngày có kết quả", "Trạng thái"], *rows])
    assert _loaded(con, inbox, quarantine, "status") == [(f"E{i}", "resolved") for i in range(1, 6)]


def test_vendor_level_words(con, inbox: Path, quarantine: Path) -> None:
    """P04: "Cấp Huyện/Thị xã/Thành phố" was refused as an unknown level."""
    rows = [
        ["P1", "568", "UBND cấp huyện"],
        ["P2", "568", "Huyện"],
        ["P3", "568", "Cấp Huyện/Thị xã/Thành phố"],
        ["P4", "22327", "Cấp Xã/Phường/Thị trấn"],
        ["P5", "56", "Cấp Tỉnh/Thành phố"],
    ]
    write_csv(
        inbox / "ho_so_2023.csv",
        [["Mã hồ sơ", "Mã đơn vị", "Cấp giải quyết", "Kênh", "Ngày tiếp nhận"]]
        + [[*r, "1", "01/03/2023 08:00"] for r in rows],
    )
    assert _loaded(con, inbox, quarantine, "unit_code, authority_level") == [
        ("P1", "L568", "huyen"),
        ("P2", "L568", "huyen"),
        ("P3", "L568", "huyen"),
        ("P4", "L22327", "xa"),
        ("P5", "L56", "tinh"),
    ]


def test_kenh_nop_heading(con, inbox: Path, quarantine: Path) -> None:
    """E17: refused as "thiếu cột bắt buộc: channel"; its due date (Hạn trả) and the day the
    result was returned (Ngày trả) are read too."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            [
                "STT",
                "Mã hồ sơ",
                "Tên TTHC",
                "Đơn vị tiếp nhận",
                "Tỉnh",
                "Kênh nộp",
                "Ngày nộp",
                "Ngày tiếp nhận",
            ]
            + ["Hạn trả", "Ngày trả", "Trạng thái xử lý"],
            [
                "1",
                "V1",
                "Khai sinh",
                "UBND Thành phố Nha Trang",
                "Khánh Hòa",
                "Trực tuyến",
                "01/03/2023 07:00",
            ]
            + ["01/03/2023 08:00", "03/03/2023 17:00", "02/03/2023 10:00", "Đã trả kết quả"],
        ],
    )
    # the day returned stands in for the end of processing (raw.dossier_records.finished_at)
    assert _loaded(con, inbox, quarantine, "unit_code, channel, received_at, due_at, finished_at") == [
        (
            "V1",
            "L568",
            "truc_tuyen",
            _at("2023-03-01 08:00"),
            _at("2023-03-03 17:00"),
            _at("2023-03-02 10:00"),
        )
    ]


def test_kq_abbreviated_headings(con, inbox: Path, quarantine: Path) -> None:
    """E18b: "Ngày hẹn trả KQ" and "Ngày có KQ" were dropped silently: a resolved dossier
    was stored as pending, without its due date."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            [
                "STT",
                "Số hồ sơ",
                "Mã đơn vị",
                "Hình thức tiếp nhận",
                "Ngày tiếp nhận",
                "Ngày hẹn trả KQ",
                "Ngày có KQ",
            ],
            [
                "1",
                "V1",
                "568",
                "Trực tuyến",
                "01/03/2023 08:00:00",
                "03/03/2023 17:00:00",
                "02/03/2023 10:00:00",
            ],
        ],
    )
    assert _loaded(con, inbox, quarantine, "due_at, finished_at") == [
        ("V1", _at("2023-03-03 17:00"), _at("2023-03-02 10:00"))
    ]


def test_kq_headings_with_a_status(con, inbox: Path, quarantine: Path) -> None:
    """E18: the same with "Tình trạng: Đã trả kết quả" was refused for a missing end."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["STT", "Số hồ sơ", "Mã đơn vị", "Hình thức tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả KQ"]
            + ["Ngày có KQ", "Tình trạng"],
            ["1", "V1", "568", "Trực tuyến", "01/03/2023 08:00:00", "03/03/2023 17:00:00"]
            + ["02/03/2023 10:00:00", "Đã trả kết quả"],
        ],
    )
    assert _loaded(con, inbox, quarantine, "status, due_at, finished_at") == [
        ("V1", "resolved", _at("2023-03-03 17:00"), _at("2023-03-02 10:00"))
    ]


def test_result_returned_to_the_citizen_heading(con, inbox: Path, quarantine: Path) -> None:
    """E19: "Ngày trả kết quả cho công dân" was dropped silently: the dossier was pending."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["STT", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Ngày hẹn trả kết quả"]
            + ["Ngày trả kết quả cho công dân"],
            [
                "1",
                "V1",
                "568",
                "Trực tuyến",
                "01/03/2023 08:00:00",
                "03/03/2023 17:00:00",
                "02/03/2023 10:00:00",
            ],
        ],
    )
    assert _loaded(con, inbox, quarantine, "due_at, finished_at") == [
        ("V1", _at("2023-03-03 17:00"), _at("2023-03-02 10:00"))
    ]


# --- 3. a numbering row of letters ---------------------------------------------------------


def test_letter_numbering_row_under_the_header(con, inbox: Path, quarantine: Path) -> None:
    """A18: "A | B | C …" under the header was read as a record ("channel không hợp lệ: 'D'")."""
    write_csv(
        inbox / "ho_so_2023.csv",
        [
            ["STT", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Hạn xử lý", "Ngày hoàn thành"],
            ["A", "B", "C", "D", "E", "F", "G"],
            ["1", "H1", "568", "Trực tuyến", "01/03/2023 08:00", "05/03/2023 17:00", "04/03/2023 10:00"],
            ["2", "H2", "568", "Trực tiếp", "02/03/2023 09:00", "06/03/2023 17:00", ""],
        ],
    )
    assert _loaded(con, inbox, quarantine, "source_row, channel") == [
        ("H1", 3, "truc_tuyen"),
        ("H2", 4, "truc_tiep"),
    ]


@pytest.mark.parametrize(
    ("cells", "numbering"),
    [
        (["A", "B", "C", "D", "E"], True),
        (["a", "b", "c"], True),
        (["(A)", "(B)", "(C)", "(D)"], True),
        (["A", "B", "(1)", "(2)"], True),  # the forms' "A | B | (1) | (2)", as before
        (["A", "B"], False),  # too short to tell
        (["A", "C", "D"], False),  # not a run
        (["A", "B", "b"], False),
        (["A", "B", "C", "x"], False),
        (["x", "x", "x"], False),  # yes/no marks
        (["H1", "568", "D", "01/03/2023 08:00"], False),
    ],
)
def test_numbering_row_of_letters(cells: list[str], numbering: bool) -> None:
    assert is_numbering_row(cells) is numbering
