"""A night fed personal data in every supported format leaves none of it in the warehouse
(issue 15, item 6 and its "Done when").

Distinctive values (a name, a CCCD, a phone number, an e-mail, a street address) are planted
in record exports (.csv, .csv.gz, .parquet), survey responses, aggregated forms (.xlsx, .xls,
.ods, .docx, .csv) with a personal column, a rejected file, a record whose unit code column
holds a CCCD (the loader quotes the cell) and a shifted CSV row. The inbox is outside the
warehouse directory; one ``parwh run`` in its own process, then everything under the
warehouse is scanned: every table of every DuckDB file (every column as text), every other
file's bytes (Dagster's storage and logs, dbt's, quarantine, reports; zip members and gzip
streams opened) and the process's console output.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from tests.ingest.format_writers import write_docx_grid, write_ods_grid, write_xls_grid
from tests.ingest.test_privacy import (
    ADDRESS,
    CCCD,
    EMAIL,
    NAME,
    PHONE,
    leaks_in_bytes,
    planted_forms,
)

PERSON = [NAME, PHONE, CCCD, EMAIL, ADDRESS]
PERSON_HEADER = ["Họ và tên", "Số điện thoại", "Số CCCD/CMND", "Email", "Địa chỉ thường trú"]
RECORD_HEADER = ["Mã hồ sơ", *PERSON_HEADER, "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Ngày hẹn trả"]
RECORD_HEADER += ["Ngày kết thúc xử lý", "Ghi chú"]


def _record(dossier: str, unit: str, note: str = "") -> list[str]:
    return [dossier, *PERSON, unit, "1", "03/07/2023 08:00", "10/07/2023 17:00", "07/07/2023 10:00", note]


def _csv_text(rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _xlsx(path: Path, rows: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value).data_type = "s" if isinstance(value, str) else "n"
    wb.save(path)


DOSSIER_HEADER = ["Mã đơn vị", "Đơn vị", "Kỳ báo cáo", "Cấp", "Kỳ trước chuyển qua", "Tiếp nhận mới"]
DOSSIER_HEADER += ["Đã giải quyết", "Trước hạn", "Đúng hạn", "Trễ hạn", "Đang giải quyết chưa đến hạn"]
DOSSIER_HEADER += [
    "Đang giải quyết quá hạn",
    "Họ tên người lập biểu",
    "Số điện thoại liên hệ của người lập biểu",
]


def _dossier_row(code: str, name: str) -> list:
    return [code, name, "Năm 2023", "huyện", 0, 100, 90, 10, 70, 10, 8, 2, NAME, PHONE]


def write_personal_inbox(inbox: Path) -> None:
    """Every supported format, each holding the planted values."""
    inbox.mkdir(parents=True, exist_ok=True)
    # record exports: loaded (personal columns never selected)
    records = [RECORD_HEADER, _record("P-1", "867", f"CCCD {CCCD}, gọi {PHONE}"), _record("P-2", "867")]
    (inbox / "ho_so_867_2023.csv").write_text(_csv_text(records), encoding="utf-8")
    gz = [RECORD_HEADER, _record("G-1", "868", EMAIL), _record("G-2", "868")]
    (inbox / "ho_so_868_2023.csv.gz").write_bytes(gzip.compress(_csv_text(gz).encode("utf-8")))
    portal = {
        "MaHoSo": ["Q-1", "Q-2"],
        "ChuHoSo": [NAME, NAME],
        "SoDienThoai": [PHONE, PHONE],
        "Email": [EMAIL, EMAIL],
        "DiaChi": [ADDRESS, ADDRESS],
        "SoCMND": [CCCD, CCCD],
        "MaTTHC": ["1.001", "1.001"],
        "KenhThucHien": [1, 2],
        "NgayTiepNhan": ["20230703080000", "20230704080000"],
        "NgayHenTra": ["20230710170000", "20230711170000"],
        "NgayKetThucXuLy": ["20230707100000", None],
        "TrangThaiHoSo": [10, 4],
        "TrichYeu": [f"Xin cấp giấy cho {NAME}", "Xin cấp"],
        "MaDonVi": ["866", "866"],
    }
    pq.write_table(pa.table(portal), inbox / "ho_so_866_2023.parquet")
    # a record whose unit code is a CCCD and one whose channel is an address (the loader
    # quotes the cell: masked), and a shifted row (an unquoted comma in the name moves the
    # CCCD into the channel column)
    bad_unit = [RECORD_HEADER, _record("B-1", "867"), _record("B-2", CCCD)]
    (inbox / "ho_so_867_2023_b.csv").write_text(_csv_text(bad_unit), encoding="utf-8")
    bad_channel = _record("C-2", "867")
    bad_channel[RECORD_HEADER.index("Kênh")] = ADDRESS
    bad_channel_rows = [RECORD_HEADER, _record("C-1", "867"), bad_channel]
    (inbox / "ho_so_867_2023_c.csv").write_text(_csv_text(bad_channel_rows), encoding="utf-8")
    shifted_header = ["Mã hồ sơ", "Họ và tên", "Số CCCD/CMND", "Kênh", "Mã đơn vị", "Ngày tiếp nhận"]
    shifted_header += ["Ngày hẹn trả", "Ngày kết thúc xử lý", "Địa chỉ"]
    dates = "03/07/2023 08:00,10/07/2023 17:00,07/07/2023 10:00"
    shifted = _csv_text([shifted_header]) + f"S-1,Trần Văn Khác,079111111111,1,868,{dates},Thôn 3\n"
    shifted += f"S-2,{NAME}, con,{CCCD},1,868,{dates},{ADDRESS}\n"
    (inbox / "ho_so_868_2023_lech.csv").write_text(shifted, encoding="utf-8")
    # survey responses with personal columns
    survey = [
        ["PHIẾU KHẢO SÁT 2023"],
        ["Mã phiếu", *PERSON_HEADER, "Mã đơn vị", "Ngày khảo sát", "Câu 1 - Tiếp cận dịch vụ"],
        ["KS-1", *PERSON, "867", "12/05/2023", 5],
        ["KS-2", *PERSON, "867", "13/05/2023", 4],
    ]
    _xlsx(inbox / "phieu_khao_sat_867_2023.xlsx", survey)
    # aggregated forms with personal columns, one unit each
    _xlsx(inbox / "tthc_866_nam_2023.xlsx", [DOSSIER_HEADER, _dossier_row("866", "Thành phố Cao Lãnh")])
    write_xls_grid(inbox / "tthc_867_nam_2023.xls", [DOSSIER_HEADER, _dossier_row("867", "Thành phố Sa Đéc")])
    write_ods_grid(
        inbox / "tthc_868_nam_2023.ods", [DOSSIER_HEADER, _dossier_row("868", "Thành phố Hồng Ngự")]
    )
    docx_rows = [[str(v) for v in _dossier_row("869", "Huyện Tân Hồng")]]
    write_docx_grid(inbox / "tthc_869_nam_2023.docx", [DOSSIER_HEADER, *docx_rows])
    csv_rows = [DOSSIER_HEADER, _dossier_row("870", "Huyện Hồng Ngự")]
    (inbox / "tthc_870_nam_2023.csv").write_text(_csv_text(csv_rows, ";"), encoding="utf-8")
    # a rejected aggregated form (an unknown unit), personal column and all
    rejected = [DOSSIER_HEADER, [*_dossier_row("999", "Xã Không Có Thật")[:12], NAME, PHONE]]
    _xlsx(inbox / "tthc_sai_ma_2023.xlsx", rejected)


def _clean_env(warehouse: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARWH_", "DAGSTER_"))}
    env["PARWH_DUCKDB_MEMORY_LIMIT"] = "2GB"
    env["PARWH_WAREHOUSE"] = str(warehouse)
    return env


def _duckdb_leaks(path: Path, forms: list[str]) -> list[str]:
    """Planted forms in any column (as text) of any table of a DuckDB file."""
    found: list[str] = []
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select database_name, schema_name, table_name from duckdb_tables() where not temporary"
        ).fetchall()
        for db, schema, table in tables:
            name = f'"{db}"."{schema}"."{table}"'
            columns = [r[0] for r in con.execute(f"describe {name}").fetchall()]
            if not columns:
                continue
            text = " || chr(31) || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in columns)
            (content,) = con.execute(
                f"select coalesce(string_agg({text}, chr(30)), '') from {name}"
            ).fetchone()
            found += [f"{path}:{schema}.{table}: {form}" for form in forms if form in content]
    finally:
        con.close()
    return found


def _is_duckdb(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(12)
    return head[8:12] == b"DUCK"


def test_no_planted_personal_value_anywhere_in_the_warehouse(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    write_personal_inbox(inbox)
    parwh = Path(sys.executable).with_name("parwh")
    result = subprocess.run(
        [str(parwh), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=_clean_env(warehouse),
        capture_output=True,
        timeout=1500,
        check=False,
    )
    console = result.stdout + result.stderr
    assert result.returncode in (0, 1, 2), console.decode(errors="replace")[-3000:]
    forms = planted_forms()
    leaks = leaks_in_bytes("console", console, forms)
    files = [p for p in warehouse.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        if _is_duckdb(path):
            leaks += _duckdb_leaks(path, forms)
        leaks += leaks_in_bytes(str(path.relative_to(warehouse)), path.read_bytes(), forms)
    assert not leaks, "\n".join(leaks[:60])

    # the night did read the files: the scan is not empty-handed
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("select file_name, status, message from raw.file_manifest").fetchall()
    finally:
        con.close()
    manifest = {name: status for name, status, _ in rows if status != "duplicate"}
    messages = " ".join(message for _, status, message in rows if status == "rejected")
    assert manifest["ho_so_867_2023.csv"] == "loaded"
    assert manifest["ho_so_868_2023.csv.gz"] == "loaded"
    assert manifest["ho_so_866_2023.parquet"] == "loaded"
    assert manifest["phieu_khao_sat_867_2023.xlsx"] == "loaded"
    assert manifest["tthc_sai_ma_2023.xlsx"] == "rejected"
    assert manifest["ho_so_867_2023_b.csv"] == "rejected"
    assert manifest["ho_so_867_2023_c.csv"] == "rejected"
    assert manifest["ho_so_868_2023_lech.csv"] == "rejected"
    assert "'07********34'" in messages and "'***'" in messages  # the quoted cells, masked
    quarantine = warehouse / "quarantine"
    assert any(p.name.endswith("tthc_sai_ma_2023.xlsx") for p in quarantine.iterdir())
