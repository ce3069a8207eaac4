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
import gzip
import itertools
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ingest.errors import IngestError, ReadError
from ingest.headers import FAMILIES, HeaderMatch, col_letter, find_header, is_numbering_row
from ingest.limits import limits
from ingest.readers import (
    _SNIFF_LINE_CHARS,
    Sheet,
    _calamine_value,
    _not_utf8,
    _open_text,
    _trim,
    _unreadable,
    _xlsx_scan,
    over_limit,
    sniff_delimiter,
    sniff_format,
)
from ingest.text import fold, is_blank, nfc

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
#: "Tổng cộng", "TỔNG SỐ", "Cộng", "Total": the first word of a totals row, with its accents
#: ("Công chứng" is a procedure's field, not "Cộng"); a label without any accent (an ASCII
#: export) is read folded
_TOTALS_FIRST = re.compile(r"^(?:tổng|cộng|total)(?=[\s:.(]|$)")
_TOTALS_FIRST_ASCII = re.compile(r"^(?:tong|cong|total)\b")
#: letters and digits joined as in a code (TONG-2023-0003, H56.2023)
_CODE_LIKE = re.compile(r"[^\W\d][-_./]\d")
#: the first words (folded) of a signature line or a note under the records
_FOOTER_FIRST = re.compile(
    r"^(?:nguoi (?:lap|xuat|ky|bao cao|duyet|kiem tra|tong hop|trich xuat|in)|thu truong|ke toan"
    r"|noi nhan|ghi chu|xac nhan cua|lanh dao|giam doc|pho giam doc|chu tich|pho chu tich"
    r"|truong phong|truong bo phan|lap bieu|tm ubnd|tm uy ban|kt chu tich|kt giam doc|ky ten"
    r"|ky ghi ro|ky va ghi|ky dong dau|ngay xuat|ngay gio (?:xuat|in)|ngay lap|ngay in"
    r"|ngay trich xuat|thoi diem (?:xuat|trich xuat|in)|thoi gian (?:xuat|trich xuat|in)"
    r"|xuat boi|nguon|trang \d+|.*\bngay (?:\d{1,2} )?thang (?:\d{1,2} )?nam \d{4})\b"
)
#: a label closing the records, written with its colon ("Người xuất: admin", "Thời gian in:")
_LABEL_COLON = re.compile(r"^[^\d:]{2,40}:(?:\s|$)")
#: a footer line holds no more filled cells than this ("Người lập biểu | Kế toán | Thủ trưởng")
_FOOTER_MAX_CELLS = 4
#: a count of dossiers as written: 1234, 1.234, 1,234, 1 234
_COUNT = re.compile(r"\d{1,3}(?:[.,\s]\d{3})*|\d+")
#: a number of dossiers written with its noun, closing a cell: "5 hồ sơ", "(1.234 hồ sơ)"
_COUNT_OF_DOSSIERS = re.compile(r"(?:^|[\s(:])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*hồ sơ\)?$")
_COUNT_IN_LABEL = re.compile(r":\s*(\d[\d.,\s]*?)\s*(?:hồ sơ|HỒ SƠ|hs)?\s*$")
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


def _csv_rows(path: Path, kind: str, first_row: int) -> Iterator[tuple]:
    """Rows of a (possibly gzipped) CSV export from ``first_row`` (1-based), streamed."""
    lim = limits()
    field_limit = csv.field_size_limit()  # process-wide: restored below
    try:
        with _open_text(path, kind, lim.max_record_text_bytes) as fh:
            head = list(itertools.islice(fh, 50))
            delim = sniff_delimiter([ln[:_SNIFF_LINE_CHARS] for ln in head[:40]])
            csv.field_size_limit(lim.max_csv_cell_chars)
            reader = csv.reader(itertools.chain(head, fh), delimiter=delim)
            for n, row in enumerate(reader):
                if n + 1 >= first_row:
                    yield tuple(row)
    except UnicodeDecodeError as exc:
        raise _not_utf8() from exc
    except csv.Error as exc:
        raise _unreadable("csv", exc) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable("csv", exc) from exc
    finally:
        csv.field_size_limit(field_limit)


def csv_tail(path: Path, kind: str, rows: int = 40) -> list[tuple]:
    """The last ``rows`` rows of a (possibly gzipped) CSV file, read from its end: a plain
    file is read from its last 256 KB, a gzipped one is decompressed (nothing but the tail
    is kept). A row cut at the start of the tail is dropped: this is a look at the bottom,
    not a reading of it."""
    tail_bytes = 256 * 1024
    if kind == "csv.gz":
        tail, seen, cap = b"", 0, limits().max_record_text_bytes
        try:
            with gzip.open(path, "rb") as fh:
                while (chunk := fh.read(1 << 20)) and seen <= cap:
                    seen += len(chunk)
                    tail = (tail + chunk)[-tail_bytes:]
        except (OSError, EOFError, zlib.error):
            return []  # the reading proper names what is wrong with the file
        whole = seen < tail_bytes
    else:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(max(0, size - tail_bytes))
            tail = fh.read()
        whole = size <= tail_bytes
    lines = tail.decode("utf-8", errors="replace").splitlines()
    if not whole:
        lines = lines[1:]
    # the last rows that hold anything: blank lines (or lines of separators) below a footer
    lines = [ln for ln in lines if ln.strip(" \t,;\r")][-rows:]
    delim = sniff_delimiter([ln[:_SNIFF_LINE_CHARS] for ln in lines])
    try:
        return [tuple(r) for r in csv.reader(lines, delimiter=delim)]
    except csv.Error:
        return []


def csv_layout(sheet: Sheet, file_name: str, family: str = FAMILY) -> RecordsSheet:
    """Where the header of a CSV export (``sheet``: its first rows) is: the first line, or
    below a title block. A header over several lines is refused, as in a workbook."""
    noun_en, noun_vi, _, _ = _NOUNS[family]
    match = find_header(sheet.rows, (family,))
    if match is None:
        raise IngestError(
            f"none of the first 30 lines is a header of {noun_en}",
            f"không dòng nào trong 30 dòng đầu là dòng tên cột của {noun_vi}",
            file_name=file_name,
            row=1,
        )
    if len(match.header_rows) > 1:
        first_row, last_row = match.header_rows[0] + 1, match.header_rows[-1] + 1
        raise IngestError(
            f"the header of the file spans lines {first_row}–{last_row}; {noun_en} needs a"
            " single header line",
            f"dòng tên cột của tệp trải trên các dòng {first_row}–{last_row}; {noun_vi} cần"
            " đúng một dòng tên cột",
            file_name=file_name,
            row=first_row,
        )
    header_row = match.header_rows[0]
    return RecordsSheet(0, None, header_row, len(_trim(sheet.rows[header_row])))


def csv_needs_rewrite(path: Path, kind: str, sheet: Sheet, found: RecordsSheet, family: str = FAMILY) -> bool:
    """Whether a CSV export is read through :func:`records_csv` (its header and records
    copied out) rather than by DuckDB directly: a title block above the header, the form's
    numbering row under it, or a totals row at the bottom. A plain export costs one look at
    its last rows."""
    if found.header_row > 0:
        return True
    below = next((r for r in sheet.rows[1:] if _trim(r)), None)
    if below is not None and is_numbering_row(below):
        return True
    keys = RecordKeys.of(find_header([sheet.rows[0]], (family,)))
    tail = [_trim(r) for r in csv_tail(path, kind)]
    return any(_is_totals_row(r, keys) or _is_footer_row(r, keys) for r in tail)


def _rows(path: Path, kind: str, index: int, first_row: int) -> Iterator[tuple]:
    if kind in ("csv", "csv.gz"):
        return _csv_rows(path, kind, first_row)
    fmt = sniff_format(path)
    if fmt == "ole" or (fmt is None and kind == "xls"):
        return _calamine_rows(path, kind, index, first_row)
    return _xlsx_rows(path, kind, index, first_row)


def _first_filled(cells: tuple) -> int | None:
    return next((i for i, v in enumerate(cells) if not is_blank(v)), None)


@dataclass(frozen=True)
class RecordKeys:
    """Where a record's dossier id and its date (reception; a status history's change) are:
    a row holding both is a record, whatever else it holds."""

    id_index: int | None
    date_index: int | None

    @classmethod
    def of(cls, match: HeaderMatch | None) -> RecordKeys:
        if match is None:
            return cls(None, None)
        cols = match.columns
        return cls(cols.get("dossier_id"), cols.get("received_at", cols.get("changed_at")))

    def cell(self, cells: tuple, index: int | None) -> object:
        return cells[index] if index is not None and index < len(cells) else None

    def is_record(self, cells: tuple) -> bool:
        """A dossier id (not a label: "Người xuất:", "Tổng cộng") beside a date."""
        dossier, when = self.cell(cells, self.id_index), self.cell(cells, self.date_index)
        if is_blank(dossier) or (self.date_index is not None and is_blank(when)):
            return False
        return not (_is_label(dossier) or _is_totals_label(dossier))


def _is_label(value: object) -> bool:
    text = str(value).strip()
    return bool(_LABEL_COLON.match(text) or _FOOTER_FIRST.match(fold(text)))


def _is_totals_label(value: object) -> bool:
    text = nfc(str(value)).strip().lower()
    if _CODE_LIKE.search(text):  # "TONG-2023-0003": a dossier id, not a label
        return False
    if text.isascii():
        return bool(_TOTALS_FIRST_ASCII.match(fold(text)))
    return bool(_TOTALS_FIRST.match(text))


def _is_totals_row(cells: tuple, keys: RecordKeys) -> bool:
    """A totals row: its first text starts with "Tổng", "Cộng" or "Total" (with their
    accents) and it is no record (a dossier id beside a date): "Tổng cộng | 1.234" closes the
    records, "Công chứng | 2 | … | 03/03/2023" is one of them."""
    first = _first_filled(cells)
    return first is not None and _is_totals_label(cells[first]) and not keys.is_record(cells)


def _is_footer_row(cells: tuple, keys: RecordKeys) -> bool:
    """A line of the signature block or a note under the records ("Người lập biểu", "Người
    xuất: … 05/04/2023", "Hòa Thành, ngày 05 tháng 4 năm 2023", "Ghi chú: …", "Nơi nhận:",
    "Thời gian in:"): its first text says so, it holds a few cells and no record."""
    first = _first_filled(cells)
    if first is None or not _is_label(cells[first]):
        return False
    filled = sum(not is_blank(v) for v in cells)
    return filled <= _FOOTER_MAX_CELLS and not keys.is_record(cells)


def _stated_count(cells: tuple, keys: RecordKeys) -> int | None:
    """The number of dossiers a totals row states: a count in the dossier id column, in its
    label ("Tổng số hồ sơ: 1.234"), or a number of dossiers in any cell ("5 hồ sơ", "Tổng
    cộng (5 hồ sơ)"); None when it states none."""
    first = _first_filled(cells)
    id_index = keys.id_index
    texts = []
    if id_index is not None and id_index < len(cells) and id_index != first and not is_blank(cells[id_index]):
        texts.append(str(cells[id_index]).strip())
    if first is not None:
        label = str(cells[first]).strip()
        found = _COUNT_IN_LABEL.search(label)
        if found:
            texts.append(found.group(1))
    for value in cells:  # "5 hồ sơ" in any cell, "Tổng cộng (5 hồ sơ)"
        found = None if is_blank(value) else _COUNT_OF_DOSSIERS.search(nfc(str(value)).strip().lower())
        if found:
            texts.append(found.group(1))
    for text in texts:
        if _COUNT.fullmatch(text):
            return int(re.sub(r"[.,\s]", "", text))
    return None


def body_rows(
    rows: Iterable[tuple],
    keys: RecordKeys,
    first_row: int,
    file_name: str,
    sheet: str | None,
    csv_width: int | None = None,
) -> Iterator[tuple]:
    """The rows under the header (``first_row``: the 1-based row of the first of them),
    trimmed, as records are read from them: the form's numbering row ("(1) (2) (3)") right
    under the header is blanked; a totals row at the bottom, the signature block and notes
    (with or without a totals row above them) are left out. A totals row or signature line
    with records under it is refused: which rows are meant is not known. A totals row that
    states a number of dossiers other than the records above it refuses the file (rows lost
    or added). Blank rows are kept (rows keep their numbers)."""
    held: list[tuple] = []  # a totals or footer row and the rows under it, until the end shows them a footer
    held_row = 0
    started = False
    records = 0
    stated: int | None = None
    stated_row = 0
    for n, row in enumerate(rows):
        cells = _trim(row)
        if held:
            if keys.is_record(cells):
                label = str(next(v for v in held[0] if not is_blank(v))).strip()
                raise IngestError(
                    f"row {held_row} ('{label}') closes the records (a totals row or a signature"
                    f" line) but records follow it (row {first_row + n}): it may only stand at"
                    " the bottom; remove it, or send the rows under it in a file of their own",
                    f"dòng {held_row} ('{label}') là dòng tổng hoặc dòng ký tên, nhưng bên dưới"
                    f" vẫn còn hồ sơ (dòng {first_row + n}): dòng này chỉ được nằm cuối danh"
                    " sách; xóa dòng này, hoặc gửi các dòng bên dưới trong một tệp riêng",
                    file_name=file_name,
                    sheet=sheet,
                    row=first_row + n,
                )
            if stated is None and _is_totals_row(cells, keys):
                stated, stated_row = _stated_count(cells, keys), first_row + n
            held.append(cells)
            continue
        if not cells:
            yield cells
            continue
        if not started and is_numbering_row(cells):
            started = True
            yield ()
            continue
        started = True
        if _is_totals_row(cells, keys) or _is_footer_row(cells, keys):
            held, held_row = [cells], first_row + n
            if _is_totals_row(cells, keys):
                stated, stated_row = _stated_count(cells, keys), held_row
            continue
        if csv_width is not None and len(row) != csv_width:  # a CSV line of another width
            raise IngestError(
                f"row {first_row + n} has {len(row)} columns where the header has {csv_width} (a"
                " separator too many or too few, or a cell cut short): correct the row and export"
                " again",
                f"dòng {first_row + n} có {len(row)} cột trong khi dòng tên cột có {csv_width} cột"
                " (thừa hoặc thiếu dấu phân cách, hoặc ô bị cắt): sửa dòng này rồi xuất lại tệp",
                file_name=file_name,
                row=first_row + n,
            )
        records += 1
        yield cells
    if stated is not None and stated != records:
        raise IngestError(
            f"the totals row (row {stated_row}) states {stated} dossiers but {records} records"
            " stand above it: rows were lost or added; correct the file or its totals row",
            f"dòng tổng (dòng {stated_row}) ghi {stated} hồ sơ nhưng phía trên có {records} dòng"
            " hồ sơ: có dòng bị mất hoặc thừa; sửa lại tệp hoặc dòng tổng",
            file_name=file_name,
            sheet=sheet,
            row=stated_row,
        )


def _write_rows(
    out: Iterable[tuple],
    dest: Path,
    found: RecordsSheet,
    file_name: str,
    family: str = FAMILY,
    strict_width: bool = False,
) -> HeaderMatch:
    """The header and data rows as CSV; empty rows between data rows are kept (as empty
    fields) so that CSV lines stay sheet rows, trailing ones are dropped (so are the
    numbering row, the totals row and the signature block, see :func:`body_rows`). The
    header's reading is returned. ``strict_width``: the rows come from a CSV file, whose
    record lines must be as wide as its header line (DuckDB's strict reading of a plain
    export refuses the same lines)."""
    lim = limits()
    width = found.width
    empty = 0
    rows = iter(out)
    header_row = next(rows, ())
    header = tuple(cell_text(v) for v in _trim(header_row))
    match = find_header([header], (family,))
    if match is None:  # the sheet's header, written as text, reads the same
        raise IngestError(
            f"the header row {found.header_row + 1} cannot be read as record columns",
            f"không đọc được dòng tên cột {found.header_row + 1} như các cột dữ liệu hồ sơ",
            file_name=file_name,
            sheet=found.name,
            row=found.header_row + 1,
        )
    first_row = found.header_row + 2
    with open(dest, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(list(header) + [""] * (width - len(header)))
        csv_width = len(header_row) if strict_width else None  # a CSV's lines are all as wide
        body = body_rows(rows, RecordKeys.of(match), first_row, file_name, found.name, csv_width)
        for n, cells in enumerate(body):
            if not cells:
                empty += 1
                continue
            sheet_row = first_row + n
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
    return match


@contextlib.contextmanager
def records_csv(
    path: Path, kind: str, found: RecordsSheet, file_name: str, family: str = FAMILY
) -> Iterator[tuple[Path, HeaderMatch]]:
    """The records sheet (or a sheet of another ``family`` read like records), or a CSV
    export with a title block or a totals row, as a temporary CSV file (removed afterwards)
    holding its header and records only, and the header match of its first line."""
    folder = Path(tempfile.mkdtemp(prefix="parwh_records_sheet_"))
    try:
        dest = folder / "records.csv"
        rows = _rows(path, kind, found.index, found.header_row + 1)
        match = _write_rows(rows, dest, found, file_name, family, strict_width=kind in ("csv", "csv.gz"))
        yield dest, match
    finally:
        shutil.rmtree(folder, ignore_errors=True)
