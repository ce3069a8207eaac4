"""Issue 19: the 766 progress rule (2.1) with a dossier status history (family
dossier_status_history) supplying what the record export leaves blank, through `parwh run`
on a real warehouse.

Sa Đéc (L867) sends its record export of March 2023 (six dossiers of one procedure, received
1 March, due 10/03 17:00 unless said) with the supplement columns empty and no end date for
four of them, and the one-stop system's processing history (portal names, times as
yyyyMMddHHmmss, a handler column) for four dossiers. By hand:

    HE1 export: resolved 15/3, no supplement fields. History: waiting 3/3 09:00 → in process
        9/3 09:00 → resolved 15/3: one request, 6 days added (due 16/3): on time
    HE2 export: "Đang xử lý", no end. History: resolved 8/3: ended on time (end only from
        the history)
    HE3 export: "Đang xử lý", no end. History: waiting 2/3, in process 3/3, waiting 4/3, in
        process 5/3, resolved 7/3: two requests: late (though ended before the deadline)
    HE4 export: resolved 12/3, no history: late
    HE5 export: "Đang xử lý", due 5/4, no history: open within the deadline
    HE6 export: "Đang xử lý", no end. History: waiting since 6/3 09:00, not completed: 25 days
        to the month's end added (due 4/4): open within

    2.1 = (HE1, HE2, HE5, HE6) 4 / 6 = 66.6667 % → 20 × 4/6 = 13.33 (the month and the quarter)
    multiple supplement requests: 1 (HE3)

Without the history the same export gives 1/6 (HE5 only): HE1 late by its end, HE2, HE3, HE6
open past their deadline.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings

runner = CliRunner()

P1 = "1.001022.000.00.00.H17"
HANDLER = "Lê Thị Xử Lý"  # the handler column's name: never stored
HEADER = [
    "Mã hồ sơ", "Mã TTHC", "Kênh tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý",
    "Trạng thái", "Số lần yêu cầu bổ sung", "Ngày yêu cầu bổ sung", "Ngày tiếp nhận bổ sung",
]  # fmt: skip
RECEIVED, DUE = "01/03/2023 08:00", "10/03/2023 17:00"
ROWS = [
    ["HE1", P1, "Trực tiếp", RECEIVED, DUE, "15/03/2023 10:00", "Đã giải quyết", "", "", ""],
    ["HE2", P1, "Trực tiếp", RECEIVED, DUE, "", "Đang xử lý", "", "", ""],
    ["HE3", P1, "Trực tiếp", RECEIVED, DUE, "", "Đang xử lý", "", "", ""],
    ["HE4", P1, "Trực tiếp", RECEIVED, DUE, "12/03/2023 10:00", "Đã giải quyết", "", "", ""],
    ["HE5", P1, "Trực tiếp", RECEIVED, "05/04/2023 17:00", "", "Đang xử lý", "", "", ""],
    ["HE6", P1, "Trực tiếp", RECEIVED, DUE, "", "Đang xử lý", "", "", ""],
]
HISTORY_HEADER = ["MaHoSo", "TrangThaiMoi", "ThoiDiem", "NguoiXuLy"]
HISTORY = [
    ["HE1", "2", "20230301080000"],
    ["HE1", "5", "20230303090000"],
    ["HE1", "4", "20230309090000"],
    ["HE1", "10", "20230315100000"],
    ["HE2", "2", "20230301080000"],
    ["HE2", "9", "20230308100000"],
    ["HE3", "2", "20230301080000"],
    ["HE3", "5", "20230302090000"],
    ["HE3", "4", "20230303090000"],
    ["HE3", "5", "20230304090000"],
    ["HE3", "4", "20230305090000"],
    ["HE3", "10", "20230307100000"],
    ["HE6", "2", "20230301080000"],
    ["HE6", "5", "20230306090000"],
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_status_history_fills_what_the_record_export_leaves_blank(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    inbox = settings.inbox_dir
    inbox.mkdir(parents=True, exist_ok=True)
    _write(inbox / "hoso_867_2023.csv", HEADER, ROWS)
    _write(inbox / "lich_su_xu_ly_867_2023.csv", HISTORY_HEADER, [[*r, HANDLER] for r in HISTORY])
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        for kind, label in (("month", "2023-03"), ("quarter", "2023-Q1")):
            found = con.execute(
                "select numerator, denominator, value_percent, points from marts.fct_766_indicators"
                " where unit_code = 'L867' and indicator_code = '2.1' and period_kind = ?"
                " and period_label = ?",
                [kind, label],
            ).fetchall()
            assert [(n, d, str(v), p.quantize(Decimal("0.01"))) for n, d, v, p in found] == [
                (4, 6, "66.6667", Decimal("13.33"))
            ], (kind, found)
    with duckdb.connect(str(settings.database_path), read_only=True) as con:
        families = dict(
            con.execute(
                "select file_name, source_family from raw.file_manifest where status = 'loaded'"
            ).fetchall()
        )
        assert families == {
            "hoso_867_2023.csv": "dossier_records",
            "lich_su_xu_ly_867_2023.csv": "dossier_status_history",
        }
        per_dossier = con.execute(
            "select dossier_id, supplement_requests, ended_at is not null, end_status"
            " from intermediate.int_qd766_status_history_per_dossier order by dossier_id"
        ).fetchall()
        assert per_dossier == [
            ("HE1", 1, True, "resolved"),
            ("HE2", 0, True, "resolved"),
            ("HE3", 2, True, "resolved"),
            ("HE6", 1, False, None),
        ]
        (multiple,) = con.execute(
            "select processed_multiple_supplements from intermediate.int_qd766_unit_periods"
            " where unit_code = 'L867' and period_kind = 'month' and period_start = date '2023-03-01'"
        ).fetchone()  # type: ignore[misc]
        assert multiple == 1  # HE3: two requests in its history, counted late
        # the handler's name is in no table of the warehouse
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall():
            for row in con.execute(f'select * from "{schema}"."{table}"').fetchall():
                assert not any(HANDLER in str(v) for v in row if v is not None), (schema, table)
