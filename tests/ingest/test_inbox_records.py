"""Record-level dossier exports loaded with DuckDB's own readers."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv

RUN = "run-r"
HEADER = [
    "dossier_id",
    "unit_code",
    "authority_level",
    "procedure_code",
    "field",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "online_level",
    "citizen_rating",
]
ROWS = [
    [
        "HS-1",
        "867",
        "huyen",
        "1.001",
        "Đất đai",
        "trực tuyến",
        "25/08/2023 08:05",
        "30/08/2023 17:00",
        "29/08/2023 10:00",
        "toàn trình",
        "hài lòng",
    ],
    [
        "HS-2",
        "867",
        "Cấp huyện",
        "1.002",
        "Hộ tịch",
        "Trực tiếp",
        "2023-08-26 09:00:00",
        "2023-08-31 17:00:00",
        "",
        "",
        "",
    ],
    [
        "HS-3",
        "25645",
        "xã",
        "1.003",
        "Hộ tịch",
        "bưu chính công ích",
        "1/9/2023 7:30",
        "5/9/2023 17:00",
        "6/9/2023 08:00",
        "một phần",
        "không hài lòng",
    ],
    [
        "HS-4",
        "82",
        "tỉnh",
        "2.001",
        "Đầu tư",
        "online",
        "2025-07-15 10:00:00",
        "2025-07-20 10:00:00",
        "",
        "none",
        "none",
    ],
]


def _records(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select source_row, dossier_id, unit_code, authority_level, channel, received_at,"
        " finished_at, online_level, citizen_rating, is_digitised from raw.dossier_records"
        " order by source_row"
    ).fetchall()


def test_csv_gz_records(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    plain = write_csv(inbox.parent / "r.csv", [HEADER, *ROWS], delimiter=";", bom=True)
    (inbox / "ho_so_2023.csv.gz").write_bytes(gzip.compress(plain.read_bytes()))
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [("dossier_records", "pending")]
    report = load_family(con, "dossier_records", quarantine, RUN)
    assert report.files_loaded == 1, report.outcomes
    rows = _records(con)
    assert rows[0] == (
        2,
        "HS-1",
        "L867",
        "huyen",
        "truc_tuyen",
        datetime(2023, 8, 25, 8, 5),
        datetime(2023, 8, 29, 10, 0),
        "toan_trinh",
        "satisfied",
        None,
    )
    assert rows[1][2:5] == ("L867", "huyen", "truc_tiep") and rows[1][6] is None
    assert rows[2][2:5] == ("L25645", "xa", "buu_chinh")
    assert rows[2][5] == datetime(2023, 9, 1, 7, 30) and rows[2][8] == "dissatisfied"
    assert rows[3][2:5] == ("82", "tinh", "truc_tuyen") and rows[3][7] is None
    m = con.execute("select unit_codes, period_labels, row_count from raw.file_manifest").fetchall()[0]
    assert m == (["82", "L25645", "L867"], ["2023-YTD-09-01", "2025-YTD-07-15"], 4)


def test_parquet_records_with_vietnamese_headers(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, tmp_path: Path
) -> None:
    src = write_csv(
        tmp_path / "src.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Cấp", "Kênh", "Ngày tiếp nhận", "Số hóa"],
            ["A", "L867", "huyện", "trực tiếp", "2023-01-02 08:00:00", "có"],
            ["B", "867", "huyện", "trực tuyến", "2023-01-03 08:00:00", "không"],
        ],
    )
    scratch = duckdb.connect()
    scratch.execute(
        'copy (select * replace (cast("Ngày tiếp nhận" as timestamp) as "Ngày tiếp nhận")'
        " from read_csv(?, all_varchar = true)) to '" + str(inbox / "records.parquet") + "'"
        " (format parquet)",
        [str(src)],
    )
    scratch.close()
    register_inbox(con, inbox, quarantine, RUN)
    assert load_family(con, "dossier_records", quarantine, RUN).files_loaded == 1
    rows = _records(con)
    assert [(r[1], r[2], r[4], r[9]) for r in rows] == [
        ("A", "L867", "truc_tiep", True),
        ("B", "L867", "truc_tuyen", False),
    ]


def test_many_records_load_in_one_statement(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    n = 300_000
    duckdb.connect().execute(
        f"copy (select 'HS-' || i as dossier_id, case when i % 2 = 0 then '867' else '25645'"
        f" end as unit_code, 'huyen' as authority_level, 'P' || (i % 300) as procedure_code,"
        f" 'Hộ tịch' as field, case i % 3 when 0 then 'trực tiếp' when 1 then 'trực tuyến'"
        f" else 'bưu chính' end as channel, strftime(timestamp '2023-01-01' + to_minutes(i),"
        f" '%d/%m/%Y %H:%M') as received_at, '' as due_at, '' as finished_at"
        f" from range({n}) t(i)) to '{inbox / 'big.csv'}' (header, delimiter ',')"
    )
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "dossier_records", quarantine, RUN)
    # speed is measured by the benchmark (bench/), never asserted here
    assert report.rows_loaded == n, report.outcomes
    (units,) = con.execute(
        "select list(distinct unit_code order by unit_code) from raw.dossier_records"
    ).fetchall()[0]
    assert units == ["L25645", "L867"]


def test_values_are_read_with_the_vocabulary(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Cell values are read with ingest/vocabulary.yaml (words and the portal's codes), not
    with lists of the alias file; an empty channel is in person."""
    write_csv(
        inbox / "r.csv",
        [
            ["dossier_id", "unit_code", "authority_level", "channel", "received_at", "status",
             "finished_at", "paid_online"],
            ["A", "867", "huyen", "Nộp trực tuyến", "2023-01-02 08:00", "Đã trả kết quả",
             "2023-01-05 08:00", "Đã"],
            ["B", "867", "huyen", "Dịch vụ bưu chính", "2023-01-02 08:00", "Chờ bổ sung", "", "0"],
            ["C", "867", "huyen", "", "2023-01-02 08:00", "8", "2023-01-04 08:00", ""],
            ["D", "867", "huyen", "2", "2023-01-02 08:00", "", "", "có"],
        ],
    )  # fmt: skip
    register_inbox(con, inbox, quarantine, RUN)
    assert load_family(con, "dossier_records", quarantine, RUN).files_loaded == 1
    rows = con.execute(
        "select dossier_id, channel, status, is_paid_online from raw.dossier_records order by 1"
    ).fetchall()
    assert rows == [
        ("A", "truc_tuyen", "resolved", True),
        ("B", "buu_chinh", "waiting_supplement", False),
        ("C", "truc_tiep", "stopped", None),
        ("D", "truc_tuyen", None, True),
    ]
