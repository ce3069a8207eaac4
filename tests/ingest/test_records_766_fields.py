"""Issue 19: the record fields the 766 rules need, read from record exports with the
Vietnamese headings of one-stop-shop exports and with the national portal's sync names:
supplement requests (count, requested and completed dates), the sync flag, the fee in VND,
a complaint, reused data, and whether the channel cell was blank. Real DuckDB warehouse,
the inbox's own loading; every refusal names the file, the row and the column."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from ingest.headers import col_letter, find_header
from ingest.inbox import load_family, register_inbox
from ingest.records import ALIASES
from tests.ingest.conftest import write_csv
from tests.ingest.test_rejections import _assert_rejected

RUN = "run-766"
NEW_COLUMNS = (
    "supplement_count",
    "supplement_requested_at",
    "supplement_completed_at",
    "synced",
    "fee_amount",
    "complaint",
    "data_reused",
)
STORED = (
    "dossier_id, channel, is_channel_blank, supplement_count, supplement_requested_at,"
    " supplement_completed_at, is_synced, is_fee_required, fee_amount, has_complaint, is_data_reused"
)

VI_HEADER = [
    "Mã hồ sơ", "Mã đơn vị", "Kênh tiếp nhận", "Ngày tiếp nhận", "Số lần yêu cầu bổ sung",
    "Ngày yêu cầu bổ sung", "Ngày tiếp nhận bổ sung", "Đã đồng bộ lên Cổng DVCQG", "Có phí",
    "Phí, lệ phí", "Có PAKN", "Tái sử dụng dữ liệu số hóa",
]  # fmt: skip
VI_ROWS = [
    ["A", "568", "Trực tuyến", "01/03/2023 08:00", "2", "05/03/2023 09:00", "08/03/2023 10:30",
     "Có", "Có", "1.250.000 đ", "Không", "Có"],
    ["B", "568", "", "02/03/2023 08:00", "0", "", "", "Không", "Không", "Miễn phí", "Có", ""],
    ["C", "568", "Trực tiếp", "03/03/2023 08:00", "", "06/03/2023 14:00", "", "", "Có", "50.000",
     "", "Không"],
    ["D", "568", "Bưu chính công ích", "04/03/2023 08:00", "1", "04/03/2023 15:00",
     "04/03/2023 16:00", "Đã", "Có", "50,000", "Chưa", "Chưa"],
    ["E", "568", "", "05/03/2023 08:00", "", "", "", "", "Có", "1 250 000", "", ""],
    ["F", "568", "trực tuyến", "06/03/2023 08:00", "", "", "", "", "Có", "50000 VNĐ", "", ""],
    ["G", "568", "Trực tiếp", "07/03/2023 08:00", "", "", "", "", "Không", "0", "", ""],
    ["H", "568", "Trực tiếp", "08/03/2023 08:00", "", "", "", "", "", "", "", ""],
    ["I", "568", "Trực tiếp", "09/03/2023 08:00", "", "", "", "", "Không", "Không thu", "", ""],
    ["J", "568", "Trực tiếp", "10/03/2023 08:00", "", "", "", "", "", "-", "", ""],
]  # fmt: skip


def _t(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2023, 3, day, hour, minute)


# (dossier, channel, blank, count, requested, completed, synced, fee required, fee, complaint,
# reused)
EXPECTED = [
    ("A", "truc_tuyen", False, 2, _t(5, 9), _t(8, 10, 30), True, True, Decimal("1250000.00"), False, True),
    ("B", "truc_tiep", True, 0, None, None, False, False, Decimal("0.00"), True, None),
    ("C", "truc_tiep", False, None, _t(6, 14), None, None, True, Decimal("50000.00"), None, False),
    ("D", "buu_chinh", False, 1, _t(4, 15), _t(4, 16), True, True, Decimal("50000.00"), False, False),
    ("E", "truc_tiep", True, None, None, None, None, True, Decimal("1250000.00"), None, None),
    ("F", "truc_tuyen", False, None, None, None, None, True, Decimal("50000.00"), None, None),
    ("G", "truc_tiep", False, None, None, None, None, False, Decimal("0.00"), None, None),
    ("H", "truc_tiep", False, None, None, None, None, None, None, None, None),
    ("I", "truc_tiep", False, None, None, None, None, False, Decimal("0.00"), None, None),
    ("J", "truc_tiep", False, None, None, None, None, None, None, None, None),
]  # fmt: skip

PORTAL_HEADER = [
    "MaHoSo", "MaDonVi", "KenhThucHien", "NgayTiepNhan", "SoLanBoSung", "NgayYeuCauBoSung",
    "NgayTiepNhanBoSung", "DaDongBo", "TongPhiLePhi", "PhanAnhKienNghi", "TaiSuDungDuLieu",
]  # fmt: skip
PORTAL_ROWS = [
    ["A", "568", "2", "20230301080000", "2", "20230305090000", "20230308103000", "1", "1250000", "0", "1"],
    ["B", "568", "", "20230302080000", "0", "", "", "0", "0", "1", ""],
    ["C", "568", "1", "20230303080000", "", "20230306140000", "", "", "50000", "", "0"],
]  # fmt: skip
PORTAL_EXPECTED = [
    ("A", "truc_tuyen", False, 2, _t(5, 9), _t(8, 10, 30), True, None, Decimal("1250000.00"), False, True),
    ("B", "truc_tiep", True, 0, None, None, False, None, Decimal("0.00"), True, None),
    ("C", "truc_tiep", False, None, _t(6, 14), None, None, None, Decimal("50000.00"), None, False),
]  # fmt: skip


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [("dossier_records", "pending")], outcomes
    report = load_family(con, "dossier_records", quarantine, RUN)
    assert report.files_loaded == 1, report.outcomes


def _stored(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"select {STORED} from raw.dossier_records order by dossier_id").fetchall()


def _column(header: list[str], name: str) -> str:
    return f"{col_letter(header.index(name))} ({name})"


# --- the headings ------------------------------------------------------------------------


def _declared() -> dict[str, list[str]]:
    spec = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
    return {k: [str(x) for x in spec["columns"][k]] for k in NEW_COLUMNS}


@pytest.mark.parametrize(("column", "heading"), [(k, h) for k, labels in _declared().items() for h in labels])
def test_every_declared_heading_reads_as_its_column(column: str, heading: str) -> None:
    match = find_header([("Mã hồ sơ", "Kênh", "Ngày tiếp nhận", heading)], ("dossier_records",))
    assert match is not None
    assert match.columns.get(column) == 3, match.column_map()


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Phí", "fee_amount"),
        ("Phí (đồng)", "fee_amount"),
        ("Lệ phí (VNĐ)", "fee_amount"),
        ("PHÍ, LỆ PHÍ", "fee_amount"),
        ("Có phí", "fee_required"),
        ("Có phí lệ phí", "fee_required"),
        ("Thu phí lệ phí", "fee_required"),
        ("Ngày bổ sung", "supplement_completed_at"),
        ("Ngày tiếp nhận", "received_at"),
        ("Ngày hoàn thành", "finished_at"),
        ("Ngày hoàn thành bổ sung", "supplement_completed_at"),
        ("Số hóa", "digitised"),
        ("Tái sử dụng dữ liệu số hóa", "data_reused"),
    ],
)
def test_headings_do_not_collide(heading: str, column: str) -> None:
    match = find_header([("Mã hồ sơ", "Kênh thực hiện", heading)], ("dossier_records",))
    assert match is not None and match.columns.get(column) == 2, match.column_map()


def test_fee_required_and_fee_amount_read_side_by_side(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(
        inbox / "ho_so.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Có phí", "Phí (đồng)"],
            ["A", "568", "Trực tiếp", "01/03/2023", "Có", "25.000"],
            ["B", "568", "Trực tiếp", "01/03/2023", "Không", "Miễn phí"],
        ],
    )
    _load(con, inbox, quarantine)
    rows = con.execute(
        "select dossier_id, is_fee_required, fee_amount from raw.dossier_records order by 1"
    ).fetchall()
    assert rows == [("A", True, Decimal("25000.00")), ("B", False, Decimal("0.00"))]


# --- the values stored ------------------------------------------------------------------


def test_vietnamese_headings_csv(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "ho_so_nha_trang.csv", [VI_HEADER, *VI_ROWS], bom=True)
    _load(con, inbox, quarantine)
    assert _stored(con) == EXPECTED


def test_portal_names_csv(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "dvc_dong_bo.csv", [PORTAL_HEADER, *PORTAL_ROWS], delimiter=";")
    _load(con, inbox, quarantine)
    assert _stored(con) == PORTAL_EXPECTED


def test_portal_names_parquet_with_doubles(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Counts and fees as doubles with gaps (2.0, 1250000.0, as pandas writes integer columns
    with missing values), timestamps as yyyyMMddHHmmss integers, flags as integers."""

    def ints(values: list[str]) -> pa.Array:
        return pa.array([int(v) if v else None for v in values], pa.int64())

    def floats(values: list[str]) -> pa.Array:
        return pa.array([float(v) if v else None for v in values], pa.float64())

    cols = list(zip(*PORTAL_ROWS, strict=True))
    table = pa.table(
        {
            "MaHoSo": list(cols[0]),
            "MaDonVi": list(cols[1]),
            "KenhThucHien": floats(list(cols[2])),
            "NgayTiepNhan": ints(list(cols[3])),
            "SoLanBoSung": floats(list(cols[4])),
            "NgayYeuCauBoSung": ints(list(cols[5])),
            "NgayTiepNhanBoSung": ints(list(cols[6])),
            "DaDongBo": ints(list(cols[7])),
            "TongPhiLePhi": floats(list(cols[8])),
            "PhanAnhKienNghi": ints(list(cols[9])),
            "TaiSuDungDuLieu": ints(list(cols[10])),
        }
    )
    pq.write_table(table, inbox / "dvc_dong_bo.parquet")
    _load(con, inbox, quarantine)
    assert _stored(con) == PORTAL_EXPECTED


def test_without_the_new_columns_only_the_blank_channel_is_known(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(
        inbox / "dvc.csv",
        [
            ["MaHoSo", "MaDonVi", "KenhThucHien", "NgayTiepNhan"],
            ["A", "568", "", "20230301080000"],
            ["B", "568", "2", "20230301080000"],
        ],
    )
    _load(con, inbox, quarantine)
    assert _stored(con) == [
        ("A", "truc_tiep", True, *(None,) * 8),
        ("B", "truc_tuyen", False, *(None,) * 8),
    ]


# --- refusals: file, row and column named ---------------------------------------------------


def _vi_file(inbox: Path, column: str, value: str, name: str = "ho_so_766.csv") -> None:
    """VI_HEADER's file with one cell of row 4 (C) replaced."""
    rows = [list(r) for r in VI_ROWS]
    rows[2][VI_HEADER.index(column)] = value
    write_csv(inbox / name, [VI_HEADER, *rows])


@pytest.mark.parametrize("value", ["32/13/2023", "hôm qua", "2023-02-30"])
def test_unreadable_supplement_date_is_refused(con, inbox, quarantine, value: str) -> None:
    _vi_file(inbox, "Ngày yêu cầu bổ sung", value)
    message = _assert_rejected(
        con,
        inbox,
        quarantine,
        f"cannot read '{value}' as a timestamp",
        row=4,
        column=_column(VI_HEADER, "Ngày yêu cầu bổ sung"),
    )
    assert "ho_so_766.csv" in message


def test_unreadable_supplement_completion_is_refused(con, inbox, quarantine) -> None:
    _vi_file(inbox, "Ngày tiếp nhận bổ sung", "08/03/2023 25:00")
    message = _assert_rejected(
        con,
        inbox,
        quarantine,
        "cannot read '08/03/2023 25:00' as a timestamp",
        row=4,
        column=_column(VI_HEADER, "Ngày tiếp nhận bổ sung"),
    )
    assert "ho_so_766.csv" in message


def test_supplement_completed_before_requested_is_refused(con, inbox, quarantine) -> None:
    _vi_file(inbox, "Ngày tiếp nhận bổ sung", "05/03/2023 10:00")  # requested 06/03/2023 14:00
    message = _assert_rejected(
        con,
        inbox,
        quarantine,
        "supplements completed on '05/03/2023 10:00'",
        row=4,
        column=_column(VI_HEADER, "Ngày tiếp nhận bổ sung"),
    )
    assert "ho_so_766.csv" in message
    assert _column(VI_HEADER, "Ngày yêu cầu bổ sung") in message
    assert _column(VI_HEADER, "Ngày tiếp nhận bổ sung") in message
    assert "'06/03/2023 14:00'" in message
    vi = con.execute("select message_vi from raw.file_manifest").fetchall()[0][0]
    assert "trước ngày yêu cầu bổ sung" in vi and _column(VI_HEADER, "Ngày yêu cầu bổ sung") in vi


def test_supplement_completed_the_same_day_loads(con, inbox, quarantine) -> None:
    """Days are compared, as the models count them: a completion written without its time
    on the day of the request is not before it."""
    _vi_file(inbox, "Ngày tiếp nhận bổ sung", "06/03/2023")  # requested 06/03/2023 14:00
    _load(con, inbox, quarantine)
    row = con.execute(
        "select supplement_requested_at, supplement_completed_at from raw.dossier_records"
        " where dossier_id = 'C'"
    ).fetchall()
    assert row == [(_t(6, 14), _t(6))]


def test_supplement_date_outside_the_window_is_refused(con, inbox, quarantine) -> None:
    _vi_file(inbox, "Ngày yêu cầu bổ sung", "06/03/9999")
    _assert_rejected(
        con,
        inbox,
        quarantine,
        "outside the plausible window",
        row=4,
        column=_column(VI_HEADER, "Ngày yêu cầu bổ sung"),
    )


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("-1", "the number of supplement requests cannot be negative: '-1'"),
        ("1.5", "cannot read '1.5' as a number of supplement requests"),
        ("hai", "cannot read 'hai' as a number of supplement requests"),
        ("1,000", "cannot read '1,000' as a number of supplement requests"),
    ],
)
def test_unreadable_supplement_count_is_refused(con, inbox, quarantine, value: str, pattern: str) -> None:
    _vi_file(inbox, "Số lần yêu cầu bổ sung", value)
    message = _assert_rejected(
        con, inbox, quarantine, pattern, row=4, column=_column(VI_HEADER, "Số lần yêu cầu bổ sung")
    )
    assert "ho_so_766.csv" in message


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("1,5", "cannot read '1,5' as a fee in VND"),
        ("12.34", "cannot read '12.34' as a fee in VND"),
        ("1.250.000,50", "cannot read '1.250.000,50' as a fee in VND"),
        ("12 34", "cannot read '12 34' as a fee in VND"),
        ("hai trăm nghìn", "cannot read 'hai trăm nghìn' as a fee in VND"),
        ("-50.000", "a fee cannot be negative: '-50.000'"),
    ],
)
def test_unreadable_fee_is_refused(con, inbox, quarantine, value: str, pattern: str) -> None:
    _vi_file(inbox, "Phí, lệ phí", value)
    message = _assert_rejected(
        con, inbox, quarantine, pattern, row=4, column=_column(VI_HEADER, "Phí, lệ phí")
    )
    assert "ho_so_766.csv" in message


def test_unknown_flag_is_refused(con, inbox, quarantine) -> None:
    _vi_file(inbox, "Đã đồng bộ lên Cổng DVCQG", "có lẽ")
    _assert_rejected(
        con,
        inbox,
        quarantine,
        "unknown synced value 'có lẽ'",
        row=4,
        column=_column(VI_HEADER, "Đã đồng bộ lên Cổng DVCQG"),
    )


def test_a_refused_file_leaves_the_next_one_readable(con, inbox, quarantine) -> None:
    """The macros and the words of a zero fee are made again for every file: a file refused
    (its transaction rolled back) does not take them away from the next one."""
    _vi_file(inbox, "Phí, lệ phí", "1,5", name="a_refused.csv")
    write_csv(inbox / "b_loaded.csv", [VI_HEADER, *VI_ROWS])
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "dossier_records", quarantine, RUN)
    statuses = dict(
        con.execute("select file_name, status from raw.file_manifest where status <> 'duplicate'").fetchall()
    )
    assert statuses == {"a_refused.csv": "rejected", "b_loaded.csv": "loaded"}, report.outcomes
    assert _stored(con) == EXPECTED
