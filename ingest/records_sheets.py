"""Record-level dossier exports sent as spreadsheets (``.xlsx``, ``.xls``), as one-stop-shop
software writes them: often with a title block ("DANH SÁCH HỒ SƠ TIẾP NHẬN … Từ ngày
01/01/2023 đến ngày 31/03/2023") above a single header row.

The first sheet holding records is found by its header among its first
:data:`~ingest.headers.HEADER_SCAN_ROWS` rows; its rows from the header on are streamed (one
row at a time: openpyxl's read-only mode, calamine's row iterator) into a temporary CSV file,
which :func:`ingest.records.load_records` then reads like any record export, with the rows
above the header as its row offset: messages and ``source_row`` are the sheet's rows. Excel
dates and times are written as ISO text (``2023-03-01 08:00:00``), whole numbers without
``.0``.
"""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ingest.errors import IngestError, ReadError
from ingest.headers import FAMILIES, HeaderMatch, col_letter, find_header
from ingest.limits import limits
from ingest.readers import (
    Sheet,
    _calamine_value,
    _trim,
    _unreadable,
    _xlsx_scan,
    over_limit,
    sniff_format,
)

FAMILY = "dossier_records"
#: what the messages call a family's data (English, Vietnamese): the record exports, and the
#: status histories read the same way (ingest/status_history.py)
_NOUNS = {
    FAMILY: ("record-level dossier data", "dữ liệu hồ sơ chi tiết", "records", "dữ liệu hồ sơ"),
    "dossier_status_history": (
        "dossier status history",
        "lịch sử xử lý hồ sơ",
        "status history",
        "lịch sử xử lý hồ sơ",
    ),
}
SHEET_KINDS = ("xlsx", "xls")
_EXACT_INT = 2**53


@dataclass
class RecordsSheet:
    """The sheet of a workbook that holds the records, and where its header is."""

    index: int  # position among the workbook's worksheets (as the readers list them)
    name: str | None  # as the messages show it (private names already hidden)
    header_row: int  # 0-based: the number of rows above the header
    width: int  # columns of the header row (trailing empty cells left out)
    skipped: list[str] = field(default_factory=list)


def _holds_records(sheet: Sheet, family: str = FAMILY) -> bool:
    """As classification reads it: the sheet's best header is a header of ``family``."""
    match = find_header(sheet.rows, FAMILIES, getattr(sheet, "merges", ()))
    return match is not None and match.family == family


def _shown(name: str | None, n: int) -> str:
    return f"'{name}'" if name else f"#{n + 1}"


def records_sheet(sheets: list[Sheet], file_name: str, family: str = FAMILY) -> RecordsSheet:
    """The first sheet of ``sheets`` (their first rows) holding records (or another
    ``family`` read like them); another sheet that also holds them is refused, the others
    are listed as skipped."""
    noun_en, noun_vi, short_en, short_vi = _NOUNS[family]
    found = [i for i, s in enumerate(sheets) if _holds_records(s, family)]
    if not found:
        raise IngestError(
            f"no sheet has a header of {noun_en} among its first 30 rows",
            f"không trang tính nào có dòng tên cột của {noun_vi} trong 30 dòng đầu",
            file_name=file_name,
        )
    first = found[0]
    sheet = sheets[first]
    if len(found) > 1:
        others = ", ".join(_shown(sheets[i].name, i) for i in found[1:])
        raise IngestError(
            f"several sheets hold {noun_en} ({_shown(sheet.name, first)} and"
            f" {others}); send one sheet of {short_en} per file (or one file per sheet)",
            f"nhiều trang tính chứa {noun_vi} ({_shown(sheet.name, first)} và"
            f" {others}); mỗi tệp chỉ gửi một trang tính {short_vi} (hoặc tách thành nhiều tệp)",
            file_name=file_name,
            sheet=sheet.name,
        )
    match = find_header(sheet.rows, (family,), getattr(sheet, "merges", ()))
    assert match is not None  # the sheet holds the family: a reading of it exists
    if len(match.header_rows) > 1:
        first_row, last_row = match.header_rows[0] + 1, match.header_rows[-1] + 1
        raise IngestError(
            f"the header of the records spans rows {first_row}–{last_row} (merged or grouped"
            " headings); a record export needs a single header row: unmerge the headings"
            " into one row, or save the sheet as .csv with one header line",
            f"dòng tên cột của dữ liệu hồ sơ trải trên các dòng {first_row}–{last_row} (tên cột"
            " gộp ô hoặc nhiều tầng); dữ liệu hồ sơ chi tiết cần đúng một dòng tên cột: bỏ gộp ô"
            " để tên cột nằm trên một dòng, hoặc lưu trang tính dạng .csv với một dòng tên cột",
            file_name=file_name,
            sheet=sheet.name,
            row=first_row,
        )
    header = _trim(sheet.rows[match.header_rows[0]])
    skipped = [_shown(s.name, i).strip("'") for i, s in enumerate(sheets) if i != first]
    return RecordsSheet(first, sheet.name, match.header_rows[0], len(header), skipped)


def cell_text(value: object) -> str:
    """A cell as CSV text: dates and times in ISO form, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_INT:
            return str(int(value))
        return repr(value)
    if isinstance(value, timedelta | Decimal | int):
        return str(value)
    return str(value)


def _xlsx_rows(path: Path, kind: str, index: int, first_row: int) -> Iterator[tuple]:
    """Rows of worksheet ``index`` from ``first_row`` (1-based), streamed (read-only mode);
    formulas without a computed value are refused first, as the readers do."""
    from openpyxl import load_workbook

    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with block below
    except OSError as exc:
        raise _unreadable(kind, exc) from exc
    with fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on damaged files
            raise _unreadable(kind, exc) from exc
        try:
            ws = wb.worksheets[index]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            with ws._get_source() as source:
                _xlsx_scan(source, ws.title, None)
            yield from ws.iter_rows(min_row=first_row, values_only=True)
        except ReadError:
            raise
        except Exception as exc:
            raise _unreadable(kind, exc) from exc
        finally:
            wb.close()


def _calamine_rows(path: Path, kind: str, index: int, first_row: int) -> Iterator[tuple]:
    """Rows of worksheet ``index`` (worksheets only, as :func:`ingest.readers.read_calamine`
    lists them) from ``first_row`` (1-based), one at a time."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_path(str(path)) as wb:
            names = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            sheet = wb.get_sheet_by_name(names[index])
            end = sheet.end  # (row, col) of the last cell, or None for an empty sheet
            if end is None:
                return
            # where the iterator's rows and columns start differs between calamine versions
            # (rows from the sheet's first row, columns from the first one holding data):
            # told by how many rows and columns it gives up to the last cell
            count, width = 0, 0
            for values in sheet.iter_rows():
                count, width = count + 1, max(width, len(values))
            row0, col0 = end[0] + 1 - count, end[1] + 1 - width
            for n, values in enumerate(sheet.iter_rows()):
                if row0 + n + 1 < first_row:
                    continue
                yield tuple([None] * col0 + [_calamine_value(v) for v in values])
    except (ReadError, IngestError):
        raise
    except Exception as exc:
        raise _unreadable(kind, exc) from exc


def _rows(path: Path, kind: str, index: int, first_row: int) -> Iterator[tuple]:
    fmt = sniff_format(path)
    if fmt == "ole" or (fmt is None and kind == "xls"):
        return _calamine_rows(path, kind, index, first_row)
    return _xlsx_rows(path, kind, index, first_row)


def _write_rows(out: Iterable[tuple], dest: Path, found: RecordsSheet, file_name: str) -> None:
    """The header and data rows as CSV; empty rows between data rows are kept (as empty
    fields) so that CSV lines stay sheet rows, trailing ones are dropped."""
    lim = limits()
    width = found.width
    empty = 0
    with open(dest, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for n, row in enumerate(out):
            cells = _trim(row)
            if not cells:
                empty += 1
                continue
            sheet_row = found.header_row + n + 1
            if sheet_row > lim.max_record_rows:
                raise over_limit("max_record_rows", "the number of rows", "số dòng", None)
            if len(cells) > width:
                extra = next(i for i in range(width, len(cells)) if cells[i] not in (None, ""))
                raise IngestError(
                    f"a value in column {col_letter(extra)}, which has no heading in the header"
                    f" row {found.header_row + 1}: give the column a heading or clear it",
                    f"có giá trị ở cột {col_letter(extra)}, cột này không có tên trong dòng tên"
                    f" cột {found.header_row + 1}: đặt tên cột hoặc xóa giá trị",
                    file_name=file_name,
                    sheet=found.name,
                    row=sheet_row,
                    column=col_letter(extra),
                )
            blank = [""] * width
            for _ in range(empty):
                writer.writerow(blank)
            empty = 0
            texts = [cell_text(v) for v in cells]
            writer.writerow(texts + [""] * (width - len(texts)))


@contextlib.contextmanager
def records_csv(
    path: Path, kind: str, found: RecordsSheet, file_name: str, family: str = FAMILY
) -> Iterator[tuple[Path, HeaderMatch]]:
    """The records sheet (or a sheet of another ``family`` read like records) as a
    temporary CSV file (removed afterwards) and the header match of its first line."""
    folder = Path(tempfile.mkdtemp(prefix="parwh_records_sheet_"))
    try:
        dest = folder / "records.csv"
        _write_rows(_rows(path, kind, found.index, found.header_row + 1), dest, found, file_name)
        with open(dest, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        match = find_header([tuple(header)], (family,))
        if match is None:  # the sheet's header, written as text, reads the same
            raise IngestError(
                f"the header row {found.header_row + 1} cannot be read as record columns",
                f"không đọc được dòng tên cột {found.header_row + 1} như các cột dữ liệu hồ sơ",
                file_name=file_name,
                sheet=found.name,
                row=found.header_row + 1,
            )
        yield dest, match
    finally:
        shutil.rmtree(folder, ignore_errors=True)
