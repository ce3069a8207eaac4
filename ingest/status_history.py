"""Load dossier status histories (family ``dossier_status_history``): the processing history
one-stop-shop software exports beside its record export, one row per status change (the
dossier's id, the status it took, when). The 766 progress rule (2.1) reads from it what the
record export leaves blank: the supplement requests, their dates and the end
(``int_qd766_status_history_per_dossier``).

Read as record exports are (:mod:`ingest.records`), with DuckDB's own readers and no Python
loop over rows: ``.csv``, ``.csv.gz`` and ``.parquet`` through :func:`ingest.export_scan.literal_path`,
``.xlsx`` and ``.xls`` streamed into a temporary CSV by :mod:`ingest.records_sheets`. The
columns are declared once in ``ingest/aliases/dossier_status_history.yaml``; status cells are
read with the vocabulary's ``dossier_statuses`` (the portal's codes 1-10 and words), times as
the record exports' (``yyyyMMddHHmmss``, ``dd/mm/yyyy [HH:MM[:SS]]``, ISO). Without a unit
column the unit is the one the file name names, as for record exports. A unit's GSO code is
read in the era of the dossier's first change in the file (a dossier received before the
2025 reorganisation keeps its legacy unit through its whole history). A history exported
after the reorganisation that holds only later changes names the current unit: dbt matches it
to the record of the legacy unit the current one succeeded (int_qd766_records_monthly).

Only the four mapped columns are selected from the file: the handler's name (Người xử lý,
Cán bộ xử lý, NguoiXuLy) and notes (Ý kiến xử lý) are never read, stored or quoted.

A file is refused, nothing of it loaded, when a row has no dossier id, no unit (where the
file has the column), no status or no time, an unknown status or a time that cannot be read,
a time outside the plausible window, or a unit code no unit has: the message names the file,
the row and the column as submitted.
"""

from __future__ import annotations

import contextlib
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

import sqlfiles
import yamlfiles
from ingest import personal, vocabulary
from ingest.dates import DateWindow, date_window
from ingest.export_scan import (
    FILE_UNIT_COLUMN,
    SCIENTIFIC_ID_SQL,
    TIMESTAMP_FORMATS_SHOWN_EN,
    TIMESTAMP_FORMATS_SHOWN_VI,
    ExportResult,
    detect_timestamp_format,
    era_unit_sql,
    export_source_sql,
    export_width,
    literal_path,
    refusal,
    scientific_id_refusal,
    timestamp_sql,
    unit_from_file_name,
    unreadable_export,
)
from ingest.headers import HeaderMatch
from ingest.periods import period_label
from ingest.readers import file_kind

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/status_history_*.sql
FAMILY = "dossier_status_history"
ALIASES = Path(__file__).parent / "aliases" / f"{FAMILY}.yaml"


@cache
def _alias_spec() -> dict:
    with open(ALIASES, encoding="utf-8") as fh:
        return yamlfiles.load(fh) or {}


def _headers_of(canonical: str) -> str:
    """The first heading and the portal's name of a column, for messages: "Mã hồ sơ / MaHoSo"."""
    labels = [str(x) for x in (_alias_spec().get("columns") or {}).get(canonical) or ()]
    portal = [x for x in labels if " " not in x and any(ch.isupper() for ch in x[1:])]
    return " / ".join(dict.fromkeys(labels[:1] + portal[:1])) or canonical


def _shown(value: object) -> str:
    """A cell quoted in a message, unless it looks personal."""
    text = "" if value is None else str(value)[:40]
    return repr(text) if personal.quotable(text) else "'…'"


def load_status_history(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    window: DateWindow | None = None,
    row_offset: int = 0,
) -> ExportResult:
    """Insert one status history into ``raw.dossier_status_history`` (the caller holds the
    transaction). ``row_offset``: the rows above the file's first line in the original (a
    spreadsheet's title block): row numbers in messages and ``source_row`` are the
    original's."""
    with literal_path(path, file_kind(path) or "csv") as literal:
        return _load_literal(
            con, literal, match, file_id, file_name, loaded_at, window or date_window(), row_offset
        )


def _load_literal(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    window: DateWindow,
    row_offset: int,
) -> ExportResult:
    cols = match.columns
    header_row = match.header_rows[-1] + 1 + row_offset
    missing = [c for c in _alias_spec().get("required") or () if c not in cols]
    if missing:
        shown = ", ".join(f"{c} ({_headers_of(c)})" for c in missing)
        raise refusal(
            file_name,
            f"missing required column(s) of a status history: {shown}",
            f"thiếu cột bắt buộc của lịch sử xử lý hồ sơ: {shown}",
            header_row,
            None,
        )
    file_unit = (
        None
        if "unit_code" in cols
        else unit_from_file_name(con, file_name, header_row, _headers_of("unit_code"))
    )
    width = max(max(match.labels) + 1 if match.labels else 0, export_width(path))
    selected = sorted({cols[k] for k in ("dossier_id", "unit_code", "status", "changed_at") if k in cols})
    file_sql, params = export_source_sql(path, width, selected, file_unit, row_offset)
    unit = FILE_UNIT_COLUMN if file_unit is not None else f"c{cols['unit_code']}"
    # the file is read once, into a temporary table of its four columns (positions only)
    stage = (
        f"create or replace temp table _history_stage as select source_row,"
        f" c{cols['dossier_id']} as dossier_id, {unit} as unit_cell,"
        f" c{cols['status']} as status_cell, c{cols['changed_at']} as changed_cell"
        f" from ({file_sql})"
    )
    try:
        con.execute(stage, params)
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc, row_offset) from exc
    try:
        return _load_staged(con, match, file_id, file_name, loaded_at, window, file_unit is not None)
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction drops them itself
            con.execute("drop view if exists temp._history_typed")
            con.execute("drop table if exists temp._history_stage")
            con.unregister("_history_status_map")


def _status_map(con: duckdb.DuckDBPyConnection, match: HeaderMatch, file_name: str) -> pd.DataFrame:
    """Status cell → vocabulary code, for every different cell; an unknown one is refused."""
    rows = []
    for (cell,) in sqlfiles.execute(con, PACKAGE, "status_history_distinct_statuses").fetchall():
        code = vocabulary.code_of("dossier_statuses", cell)
        if code is None:
            row = sqlfiles.one(con, PACKAGE, "status_history_first_status_row", {"status_cell": cell})
            raise refusal(
                file_name,
                f"unknown dossier status {_shown(cell)} (the portal's TrangThaiHoSo is 1-10, or"
                " words such as 'Đang xử lý', 'Chờ bổ sung', 'Đã giải quyết')",
                f"trạng thái hồ sơ không hợp lệ: {_shown(cell)} (TrangThaiHoSo của Cổng DVC là"
                " 1-10, hoặc các từ như 'Đang xử lý', 'Chờ bổ sung', 'Đã giải quyết')",
                row[0] if row else None,
                match.column_name("status"),
            )
        rows.append((cell, code))
    return pd.DataFrame(rows, columns=["raw", "val"], dtype=object)


def _load_staged(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    window: DateWindow,
    unit_from_file_name: bool,
) -> ExportResult:
    samples = [r[0] for r in sqlfiles.execute(con, PACKAGE, "status_history_sample_times").fetchall()]
    changed_at = timestamp_sql("s.changed_cell", detect_timestamp_format(samples))  # the records' parsing
    # a GSO code without its era is read in the era of the dossier's first change here
    first_change = f"min({changed_at}) over (partition by s.unit_cell, s.dossier_id)"
    con.register("_history_status_map", _status_map(con, match, file_name))
    try:
        con.execute(
            "create or replace temp view _history_typed as select s.source_row, s.dossier_id,"
            f" s.unit_cell, s.status_cell, s.changed_cell, m.val as status,"
            f" {changed_at} as changed_at, {era_unit_sql('s.unit_cell', first_change)} as unit_code"
            " from temp._history_stage s left join _history_status_map m on m.raw = s.status_cell"
        )
        checks = sqlfiles.rows(
            con, PACKAGE, "status_history_row_checks", {"scientific_id": SCIENTIFIC_ID_SQL}
        )[0]
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc) from exc
    _refuse_failed_row(con, match, file_name, checks, unit_from_file_name)
    _check_window(con, match, file_name, window)
    _check_units(con, match, file_name, unit_from_file_name)
    sqlfiles.execute(con, PACKAGE, "status_history_insert", {"file_id": file_id, "loaded_at": loaded_at})
    stats = sqlfiles.one(con, PACKAGE, "status_history_file_stats", {"file_id": file_id})
    staged = sqlfiles.one(con, PACKAGE, "status_history_staged_count")
    assert stats is not None and staged is not None
    if stats[0] != staged[0]:  # never expected; guards against losing rows silently
        raise refusal(
            file_name,
            f"internal error: {staged[0]} rows read but {stats[0]} inserted; nothing was loaded",
            f"lỗi nội bộ: đọc {staged[0]} dòng nhưng ghi {stats[0]} dòng; tệp chưa được nạp",
            None,
            None,
        )
    years = sqlfiles.execute(con, PACKAGE, "status_history_file_years", {"file_id": file_id}).fetchall()
    labels = [period_label(date(year, 1, 1), last) for year, last in years]
    return ExportResult(rows=int(stats[0]), unit_codes=list(stats[1] or []), period_labels=labels)


def _refuse_failed_row(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    checks: dict,
    unit_from_file_name: bool,
) -> None:
    """The first failing row check, as a refusal naming the row and the column."""
    empty = {  # check -> column, English, Vietnamese
        "no_dossier_id": ("dossier_id", "no dossier id", "thiếu mã hồ sơ"),
        "no_unit_code": ("unit_code", "no unit code", "thiếu mã đơn vị"),
        "no_status": ("status", "no status", "thiếu trạng thái hồ sơ"),
        "no_changed_at": ("changed_at", "no time of the change", "thiếu thời điểm chuyển trạng thái"),
    }
    failed = [(row, name) for name, row in checks.items() if row is not None]
    if unit_from_file_name:
        failed = [(row, name) for row, name in failed if name != "no_unit_code"]
    if not failed:
        return
    row, name = min(failed)
    if name == "scientific_dossier_id":
        cells = sqlfiles.one(con, PACKAGE, "status_history_cells", {"source_row": row})
        header = match.column_name("dossier_id") or _headers_of("dossier_id")
        raise scientific_id_refusal(file_name, cells[0] if cells else "", row, header)
    if name in empty:
        column, en, vi = empty[name]
        header = match.column_name(column) or _headers_of(column)
        raise refusal(
            file_name,
            f"{en} (column {header}): every row of a status history names the dossier, its"
            " status and when it took it",
            f"{vi} (cột {header}): mỗi dòng của lịch sử xử lý hồ sơ phải có mã hồ sơ, trạng"
            " thái và thời điểm chuyển trạng thái",
            row,
            header,
        )
    cells = sqlfiles.one(con, PACKAGE, "status_history_cells", {"source_row": row})
    value = _shown(cells[3] if cells else None)
    header = match.column_name("changed_at") or _headers_of("changed_at")
    raise refusal(
        file_name,
        f"cannot read {value} as a time (expected {TIMESTAMP_FORMATS_SHOWN_EN})",
        f"không đọc được {value} thành thời điểm (cần {TIMESTAMP_FORMATS_SHOWN_VI})",
        row,
        header,
    )


def _check_window(
    con: duckdb.DuckDBPyConnection, match: HeaderMatch, file_name: str, window: DateWindow
) -> None:
    """Every time of the file within the plausible window (ingest/dates.py), or the file is
    refused with the first row outside it and how many are."""
    affected, row = sqlfiles.one(
        con,
        PACKAGE,
        "status_history_outside_window",
        {"earliest": window.earliest, "latest": window.latest},
    ) or (0, None)
    if not affected:
        return
    cells = sqlfiles.one(con, PACKAGE, "status_history_cells", {"source_row": row})
    value = _shown(cells[3] if cells else None)
    header = match.column_name("changed_at") or _headers_of("changed_at")
    raise refusal(
        file_name,
        f"the time {value} in column {header!r} (row {row}) is outside the plausible window"
        f" {window.shown}; {affected} row(s) of the file have a time outside it. Nothing of the"
        " file was loaded",
        f"thời điểm {value} ở cột {header!r} (dòng {row}) nằm ngoài khoảng ngày hợp lý"
        f" {window.shown}; {affected} dòng của tệp có thời điểm nằm ngoài khoảng này. Tệp chưa"
        " được nạp",
        row,
        header,
    )


def _check_units(
    con: duckdb.DuckDBPyConnection, match: HeaderMatch, file_name: str, unit_from_file_name: bool
) -> None:
    """A unit code that names no unit of the official lists is refused."""
    found = sqlfiles.one(con, PACKAGE, "status_history_unknown_units")
    if found is None:
        return
    code, cell, row = found
    era = "legacy (before 2025-07-01)" if str(code).startswith("L") else "current"
    where_en, where_vi = ("", "")
    if unit_from_file_name:
        where_en, where_vi = ", read from the file name", ", lấy từ tên tệp"
    raise refusal(
        file_name,
        f"unknown unit code {_shown(cell)}{where_en}: no {era} unit has this GSO code (resolved as {code})",
        f"mã đơn vị {_shown(cell)}{where_vi} không tồn tại trong danh mục đơn vị hành chính"
        f" (tra theo {code})",
        row,
        match.column_name("unit_code"),
    )
