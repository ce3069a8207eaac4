"""Record-level exports in the national public-service portal's sync schema (MaHoSo, MaTTHC,
KenhThucHien, NgayTiepNhan, TrangThaiHoSo 1-10, timestamps yyyyMMddHHmmss) and with the
Vietnamese headings of the same exports: the exact raw rows, the rejections, and the figures
published end to end in marts.fct_dossier_stats."""

from __future__ import annotations

import gzip
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv
from tests.ingest.test_rejections import _assert_rejected

RUN = "run-portal"


def _t(day: int, hour: int = 8, month: int = 3) -> datetime:
    return datetime(2023, month, day, hour, 0)


# One unit's dossiers of March 2023, one per TrangThaiHoSo 1-10 and two without a status.
# (id, channel code, status code, received, due, end of processing, returned, field name)
DOSSIERS: list[tuple] = [
    ("HS01", "2", "1", None, None, None, None, "Hộ tịch"),  # registered online only
    ("HS02", "1", "2", _t(2), _t(20, 17), None, None, "Hộ tịch"),  # in process, overdue
    ("HS03", "1", "3", _t(3), None, None, None, "Hộ tịch"),  # refused at reception
    ("HS04", "2", "4", _t(4), _t(15, 17, 4), None, None, "Đất đai"),  # in process, not due
    ("HS05", "3", "5", _t(5), _t(10, 17, 4), None, None, "Đất đai"),  # waiting for supplements
    ("HS06", "", "6", _t(6), _t(25, 17), None, None, "Đất đai"),  # in process: waiting for the fees
    ("HS07", "2", "7", _t(7), _t(25, 17), None, _t(15), "Đất đai"),  # withdrawn (return date only)
    ("HS08", "1", "8", _t(8), _t(30, 17), _t(25), _t(25), "Xây dựng"),  # stopped
    ("HS09", "2", "9", _t(9), _t(20, 17), _t(18), _t(22), "Xây dựng"),  # resolved early
    ("HS10", "1", "10", _t(10), _t(20, 17), _t(25), _t(27), None),  # resolved late (no name)
    ("HS11", "", "", _t(11), _t(12, 17), _t(12, 9), None, "Hộ tịch"),  # no status, finished
    ("HS12", "3", "", _t(12), _t(28, 17), None, None, "Hộ tịch"),  # no status, open
]
# The figures of March 2023 (and of the year to date, the same): not_received never counts.
MARCH = {
    "received": 10,  # HS02, HS04-HS12
    "received_online": 3,  # HS04, HS07, HS09
    "received_postal": 2,  # HS05, HS12
    "received_in_person": 5,  # HS02, HS06 (blank), HS08, HS10, HS11 (blank)
    "resolved": 3,  # HS09, HS10, HS11
    "resolved_on_time": 2,  # HS09 early (end of processing 18/3, returned 22/3), HS11
    "resolved_late": 1,  # HS10
    "pending": 4,  # HS02, HS04, HS06, HS12
    "pending_overdue": 3,  # HS02, HS06, HS12 (due 20/3, 25/3, 28/3; HS04 is due in April)
    "waiting_supplement": 1,  # HS05
    "withdrawn": 1,  # HS07
    "stopped": 1,  # HS08 (6 is waiting for the applicant to pay the fees: in process)
}
FIELD_CODES = {"Hộ tịch": "G09-HT", "Đất đai": "G09-DD", "Xây dựng": "G09-XD", None: "G09-KH"}
# personal columns of the portal schema: none of these values may reach any table
PERSONAL = {
    "ChuHoSo": "Nguyễn Văn Riêngtư",
    "SoDienThoai": "0909123456",
    "Email": "rieng.tu@example.vn",
    "DiaChi": "12 Đường Bímật",
    "SoCMND": "079123456789",
    "TrichYeu": "Xin cấp giấy tờ bímật",
}
PORTAL_HEADER = [
    "MaHoSo", "ChuHoSo", "SoDienThoai", "Email", "DiaChi", "SoCMND", "MaTTHC", "MaLinhVuc",
    "TenLinhVuc", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra",
    "TrangThaiHoSo", "TrichYeu", "MaDonVi",
]  # fmt: skip
VI_HEADER = [
    "Mã hồ sơ", "Chủ hồ sơ", "Số điện thoại", "Địa chỉ", "Số CCCD", "Mã thủ tục", "Lĩnh vực",
    "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Ngày trả kết quả",
    "Trạng thái hồ sơ", "Mã đơn vị",
]  # fmt: skip
VI_CHANNELS = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Bưu chính công ích", "": ""}
VI_STATUSES = {
    "1": "Mới đăng ký", "2": "Đang xử lý", "3": "Từ chối tiếp nhận", "4": "Đã tiếp nhận",
    "5": "Chờ bổ sung", "6": "Yêu cầu thực hiện nghĩa vụ tài chính", "7": "Công dân rút hồ sơ",
    "8": "Dừng xử lý",
    "9": "Đã giải quyết", "10": "Đã trả kết quả", "": "",
}  # fmt: skip
STATUS_CODES = {
    "1": "not_received", "2": "in_process", "3": "not_received", "4": "in_process",
    "5": "waiting_supplement", "6": "in_process", "7": "withdrawn", "8": "stopped", "9": "resolved",
    "10": "resolved", "": None,
}  # fmt: skip
CHANNELS = {"1": "truc_tiep", "2": "truc_tuyen", "3": "buu_chinh", "": "truc_tiep"}


def _portal_ts(value: datetime | None) -> str:
    return value.strftime("%Y%m%d%H%M%S") if value else ""


def _vi_ts(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def portal_rows(unit: str | None = "568") -> list[list]:
    """The portal's columns in its order (personal ones included), MaDonVi last."""
    header = PORTAL_HEADER if unit else PORTAL_HEADER[:-1]
    rows: list[list] = [header]
    for i, (dossier, channel, status, received, due, end, returned, field) in enumerate(DOSSIERS):
        cells = {
            **PERSONAL,
            "MaHoSo": dossier,
            "MaTTHC": f"1.00{i}",
            "MaLinhVuc": FIELD_CODES[field],
            "TenLinhVuc": field or "",
            "KenhThucHien": channel,
            "NgayTiepNhan": _portal_ts(received),
            "NgayHenTra": _portal_ts(due),
            "NgayKetThucXuLy": _portal_ts(end),
            "NgayTra": _portal_ts(returned),
            "TrangThaiHoSo": status,
            "MaDonVi": unit,
        }
        rows.append([cells[h] for h in header])
    return rows


def vietnamese_rows(unit: str = "568", ids: str = "HS") -> list[list]:
    rows: list[list] = [VI_HEADER]
    for i, (dossier, channel, status, received, due, end, returned, field) in enumerate(DOSSIERS):
        rows.append(
            [
                dossier.replace("HS", ids), PERSONAL["ChuHoSo"], PERSONAL["SoDienThoai"],
                PERSONAL["DiaChi"], PERSONAL["SoCMND"], f"1.00{i}", field or "",
                VI_CHANNELS[channel], _vi_ts(received), _vi_ts(due), _vi_ts(end), _vi_ts(returned),
                VI_STATUSES[status], unit,
            ]
        )  # fmt: skip
    return rows


def write_portal_csv(path: Path, unit: str | None = "568") -> Path:
    return write_csv(path, portal_rows(unit), delimiter=";")


def write_portal_csv_gz(path: Path, scratch: Path) -> Path:
    plain = write_portal_csv(scratch / "plain.csv")
    path.write_bytes(gzip.compress(plain.read_bytes()))
    return path


def write_portal_parquet(path: Path) -> Path:
    """Integer timestamps (yyyyMMddHHmmss), integer statuses, and the channel as a double
    column with gaps (as pandas writes an integer column with missing values)."""

    def ints(values: list[datetime | None]) -> pa.Array:
        return pa.array([int(_portal_ts(v)) if v else None for v in values], pa.int64())

    cols = list(zip(*DOSSIERS, strict=True))
    table = pa.table(
        {
            "MaHoSo": list(cols[0]),
            **{k: [v] * len(DOSSIERS) for k, v in PERSONAL.items()},
            "MaTTHC": [f"1.00{i}" for i in range(len(DOSSIERS))],
            "TenLinhVuc": list(cols[7]),
            "MaLinhVuc": [FIELD_CODES[f] for f in cols[7]],
            "KenhThucHien": pa.array([float(c) if c else None for c in cols[1]], pa.float64()),
            "NgayTiepNhan": ints(list(cols[3])),
            "NgayHenTra": ints(list(cols[4])),
            "NgayKetThucXuLy": ints(list(cols[5])),
            "NgayTra": ints(list(cols[6])),
            "TrangThaiHoSo": pa.array([int(s) if s else None for s in cols[2]], pa.int32()),
            "MaDonVi": ["568"] * len(DOSSIERS),
        }
    )
    pq.write_table(table, path)
    return path


def expected_raw_rows(unit_code: str = "L568", ids: str = "HS") -> list[tuple]:
    out = []
    for i, (dossier, channel, status, received, due, end, returned, field) in enumerate(DOSSIERS):
        out.append(
            (
                dossier.replace("HS", ids),
                unit_code,
                "huyen",  # no level column: Nha Trang is a district
                f"1.00{i}",
                field or FIELD_CODES[field],
                CHANNELS[channel],
                STATUS_CODES[status],
                received,
                due,
                end or returned,  # the end of processing, else the return date
            )
        )
    return out


def raw_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select dossier_id, unit_code, authority_level, procedure_code, field, channel, status,"
        " received_at, due_at, finished_at from raw.dossier_records order by dossier_id"
    ).fetchall()


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [("dossier_records", "pending")], outcomes
    report = load_family(con, "dossier_records", quarantine, RUN)
    assert report.files_loaded == 1, report.outcomes


def assert_no_personal_value(con: duckdb.DuckDBPyConnection) -> None:
    """No value of a personal column in any table of any schema (text columns and lists)."""
    columns = con.execute(
        "select table_catalog, table_schema, table_name, column_name from information_schema.columns"
        " where data_type like 'VARCHAR%' and table_catalog = current_database()"
    ).fetchall()
    assert columns
    needles = [v.lower() for v in PERSONAL.values()] + ["riêngtư", "bímật", "0909123456"]
    for catalog, schema, table, column in columns:
        found = con.execute(
            f'select count(*) from "{catalog}"."{schema}"."{table}"'
            f' where lower(cast("{column}" as varchar)) similar to ?',
            [".*(" + "|".join(re.escape(n) for n in needles) + ").*"],
        ).fetchall()[0][0]
        assert found == 0, (schema, table, column)


def test_portal_csv_semicolon(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_portal_csv(inbox / "dvc_dong_bo_2023_03.csv")
    _load(con, inbox, quarantine)
    assert raw_rows(con) == expected_raw_rows()
    manifest = con.execute("select unit_codes, period_labels, row_count from raw.file_manifest").fetchall()
    assert manifest == [(["L568"], ["2023-YTD-03-12"], 12)]
    assert_no_personal_value(con)


def test_portal_csv_gz(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, tmp_path: Path) -> None:
    write_portal_csv_gz(inbox / "dvc_dong_bo.csv.gz", tmp_path)
    _load(con, inbox, quarantine)
    assert raw_rows(con) == expected_raw_rows()
    assert_no_personal_value(con)


def test_portal_parquet_with_integer_timestamps(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_portal_parquet(inbox / "dvc_dong_bo.parquet")
    _load(con, inbox, quarantine)
    assert raw_rows(con) == expected_raw_rows()
    assert_no_personal_value(con)


def test_vietnamese_headings(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "ho_so_nha_trang.csv", vietnamese_rows(), bom=True)
    _load(con, inbox, quarantine)
    # the Vietnamese export has no field code: HS10's field stays empty
    expected = [r if r[0] != "HS10" else (*r[:4], None, *r[5:]) for r in expected_raw_rows()]
    assert raw_rows(con) == expected
    assert_no_personal_value(con)


def test_unit_from_the_file_name(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "hoso_568_2023_03.csv", portal_rows(unit=None))
    _load(con, inbox, quarantine)
    assert raw_rows(con) == expected_raw_rows()


def test_legacy_code_in_the_file_name(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "L568.csv", portal_rows(unit=None))
    _load(con, inbox, quarantine)
    assert {r[1] for r in raw_rows(con)} == {"L568"}


def test_stated_level_wins_and_blank_level_is_the_units_kind(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(
        inbox / "r.csv",
        [
            ["MaHoSo", "MaDonVi", "Cấp", "KenhThucHien", "NgayTiepNhan"],
            ["A", "568", "tỉnh", "1", "20230301080000"],
            ["B", "568", "", "", "20230301080000"],
            ["C", "56", "", "2", "20230301080000"],
            ["D", "24481", "", "3", "20230301080000"],
        ],
    )
    _load(con, inbox, quarantine)
    rows = con.execute(
        "select dossier_id, unit_code, authority_level, channel from raw.dossier_records order by 1"
    ).fetchall()
    assert rows == [
        ("A", "L568", "tinh", "truc_tiep"),
        ("B", "L568", "huyen", "truc_tiep"),
        ("C", "L56", "tinh", "truc_tuyen"),
        ("D", "L24481", "xa", "buu_chinh"),
    ]


# --- rejections: the file, the row and the column are named, in English and Vietnamese ------


def _portal_file(inbox: Path, *rows: list[str], name: str = "dvc.csv") -> None:
    header = [
        "MaHoSo",
        "MaDonVi",
        "KenhThucHien",
        "NgayTiepNhan",
        "NgayKetThucXuLy",
        "NgayTra",
        "TrangThaiHoSo",
    ]
    write_csv(inbox / name, [header, *rows])


def test_unknown_status(con, inbox, quarantine) -> None:
    _portal_file(
        inbox,
        ["A", "568", "1", "20230301080000", "", "", "2"],
        ["B", "568", "1", "20230301080000", "", "", "11"],
    )
    message = _assert_rejected(
        con, inbox, quarantine, "unknown status value '11'", row=3, column="G (TrangThaiHoSo)"
    )
    assert "dvc.csv" in message


def test_resolved_without_a_finish_date(con, inbox, quarantine) -> None:
    _portal_file(
        inbox,
        ["A", "568", "1", "20230301080000", "20230302080000", "", "9"],
        ["B", "568", "1", "20230301080000", "", "", "10"],
    )
    message = _assert_rejected(
        con,
        inbox,
        quarantine,
        "status '10' \\(resolved\\) but no finish date",
        row=3,
        column="E (NgayKetThucXuLy)",
    )
    assert "NgayTra" in message


def test_timestamp_that_is_not_a_date(con, inbox, quarantine) -> None:
    _portal_file(
        inbox,
        ["A", "568", "1", "20230301080000", "", "", "2"],
        ["B", "568", "1", "20231341080000", "", "", "2"],
    )
    _assert_rejected(
        con,
        inbox,
        quarantine,
        "cannot read '20231341080000' as a timestamp",
        row=3,
        column="D (NgayTiepNhan)",
    )


def test_no_unit_column_and_no_code_in_the_file_name(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "ho_so_thang_3.csv",
        [["MaHoSo", "KenhThucHien", "NgayTiepNhan"], ["A", "1", "20230301080000"]],
    )
    message = _assert_rejected(con, inbox, quarantine, "missing required column unit_code", row=1)
    assert "ho_so_thang_3.csv" in message and "MaDonVi" in message


def test_two_unit_codes_in_the_file_name(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "ho_so_568_867.csv",
        [["MaHoSo", "KenhThucHien", "NgayTiepNhan"], ["A", "1", "20230301080000"]],
    )
    _assert_rejected(con, inbox, quarantine, r"several units \(568, 867\)", row=1)


def test_missing_received_at_allowed_only_for_dossiers_never_received(con, inbox, quarantine) -> None:
    _portal_file(
        inbox,
        ["A", "568", "2", "", "", "", "1"],
        ["B", "568", "1", "", "", "", "2"],
    )
    _assert_rejected(con, inbox, quarantine, "empty received_at", row=3, column="D (NgayTiepNhan)")


@pytest.mark.parametrize("code", ["1", "3"])
def test_dossier_never_received_may_have_no_date(con, inbox, quarantine, code: str) -> None:
    _portal_file(inbox, ["A", "568", "2", "", "", "", code], ["B", "568", "1", "20230301080000", "", "", "2"])
    _load(con, inbox, quarantine)
    rows = con.execute(
        "select dossier_id, unit_code, status, received_at from raw.dossier_records order by 1"
    )
    assert rows.fetchall() == [
        ("A", "L568", "not_received", None),
        ("B", "L568", "in_process", datetime(2023, 3, 1, 8)),
    ]


# --- end to end: `parwh run` (ingest, dbt build, checks, publication) on a temp warehouse ------

MEASURES = (
    "carried_in", "received", "received_online", "received_postal", "received_in_person",
    "resolved", "resolved_on_time", "resolved_late", "pending", "pending_overdue",
    "waiting_supplement", "withdrawn", "stopped", "balance_difference",
)  # fmt: skip


def _published_figures(latest: Path, unit: str) -> dict[str, dict[str, object]]:
    con = duckdb.connect(str(latest), read_only=True)
    try:
        rows = con.execute(
            f"select period_label, authority_level, source_kind, {', '.join(MEASURES)}"
            " from marts.fct_dossier_stats where unit_code = ? order by period_start, period_end",
            [unit],
        ).fetchall()
    finally:
        con.close()
    return {r[0]: dict(zip(("authority_level", "source_kind", *MEASURES), r[1:], strict=True)) for r in rows}


def test_published_figures_of_a_portal_export(warehouse_settings, dbt_manifest) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    inbox = warehouse_settings.inbox_dir
    inbox.mkdir(parents=True, exist_ok=True)
    write_portal_csv(inbox / "dvc_nha_trang_2023_03.csv")  # Nha Trang (568), portal schema
    # the same export with Vietnamese headings, for Sa Đéc (867)
    write_csv(inbox / "ho_so_sa_dec_thang_3.csv", vietnamese_rows(unit="867", ids="SD"), bom=True)
    result = CliRunner().invoke(app, ["run", "--warehouse", str(warehouse_settings.warehouse_dir)])
    assert result.exit_code == 0, result.output

    expected = {
        "authority_level": "huyen",
        "source_kind": "records",
        "carried_in": 0,
        "received_online": MARCH["received_online"],
        "received_postal": MARCH["received_postal"],
        "received_in_person": MARCH["received_in_person"],
        "received": MARCH["received"],  # 12 records, two never received (status 1 and 3)
        "resolved": MARCH["resolved"],
        "resolved_on_time": MARCH["resolved_on_time"],
        "resolved_late": MARCH["resolved_late"],
        "pending": MARCH["pending"],
        "pending_overdue": MARCH["pending_overdue"],
        "waiting_supplement": MARCH["waiting_supplement"],
        "withdrawn": MARCH["withdrawn"],
        "stopped": MARCH["stopped"],
        "balance_difference": 0,  # 10 = 3 resolved + 4 pending + 1 waiting + 1 withdrawn + 1 stopped
    }
    nha_trang = _published_figures(warehouse_settings.latest_path, "L568")
    assert nha_trang == {"2023-03": expected, "2023-Q1": expected}
    assert _published_figures(warehouse_settings.latest_path, "L867") == nha_trang

    for path in (warehouse_settings.latest_path, warehouse_settings.database_path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            assert_no_personal_value(con)
            if path == warehouse_settings.database_path:
                statuses = con.execute(
                    "select unit_code, count(*) filter (where status = 'not_received'), count(*)"
                    " from raw.dossier_records group by 1 order by 1"
                ).fetchall()
                assert statuses == [("L568", 2, 12), ("L867", 2, 12)]
        finally:
            con.close()
