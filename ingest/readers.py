"""Read tabular files into rows of cell values and merged-cell ranges.

* ``.xlsx`` / ``.xlsm``: openpyxl, read-only, cached values (formulas give their last
  computed value, error cells their text such as ``#DIV/0!``); merged ranges are read from
  the worksheet XML, which openpyxl's read-only mode does not expose.
* ``.xls`` (Excel 97–2003) and ``.ods``: python-calamine. Its ``.ods`` reader gives no
  merged ranges: they are read from ``content.xml``.
* ``.docx``: every table of the document is one sheet (``Bảng 1``, ``Bảng 2``…) whose first
  rows are the paragraphs above the table (report titles, unit, period), one per row.
* ``.csv`` (UTF-8 with or without BOM, ``,`` or ``;``), ``.csv.gz`` and ``.parquet``.

Spreadsheet files are read by what they contain, not by their name, when the two disagree
(an ``.xls`` that is really an ``.xlsx``, as some export tools write them); errors name the
type the file claims to be.

xlsx stays on openpyxl rather than calamine although calamine reads a large sheet about ten
times faster: calamine turns error cells (``#N/A``, ``#DIV/0!``) into empty cells, so a
broken formula in a submission would silently become a blank instead of being reported,
and openpyxl's read-only mode reads only the first rows for a header scan where calamine
parses the whole sheet. ``.xls`` and ``.ods`` have that calamine limitation (error cells
read as empty).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ingest.errors import ReadError
from ingest.limits import FileLimits, human_bytes, limits

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
SUPPORTED_EN = ".xlsx, .xls, .ods, .csv, .csv.gz, .parquet or .docx"
SUPPORTED_VI = ".xlsx, .xls, .ods, .csv, .csv.gz, .parquet hoặc .docx"
DOCX_TITLE_PARAGRAPHS = 12  # paragraphs kept above each Word table as its title rows

Merge = tuple[int, int, int, int]


@dataclass
class Sheet:
    """One sheet (a CSV or Parquet file, a worksheet, a Word table).

    ``rows[i]`` is sheet row ``i + 1``; trailing empty cells and rows are trimmed, empty
    cells are ``None`` (``""`` in CSV files). ``merges`` are the merged cell ranges as 0-based inclusive
    ``(first_row, first_col, last_row, last_col)`` in the coordinates of ``rows``, sorted;
    only the top-left cell of a range holds a value in ``rows`` (the others are ``None`` or
    trimmed away). A range is listed when its first row lies within ``rows``; it is not
    clipped, so its last row may lie beyond the rows read (``max_rows``, trimmed blank rows)
    and its columns beyond a row's trimmed length. CSV and Parquet files have no merges.
    """

    name: str | None  # None for CSV and Parquet files
    rows: list[tuple]
    merges: list[Merge] = field(default_factory=list)


def file_kind(path: Path | str) -> str | None:
    """``xlsx``, ``xls``, ``ods``, ``docx``, ``csv``, ``csv.gz``, ``parquet`` or ``None``
    (unsupported)."""
    name = str(path).lower()
    if name.endswith(XLSX_SUFFIXES):
        return "xlsx"
    if name.endswith(".xls"):
        return "xls"
    if name.endswith(".ods"):
        return "ods"
    if name.endswith(".docx"):
        return "docx"
    if name.endswith((".csv.gz", ".txt.gz")):
        return "csv.gz"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return None


def _unreadable(kind: str, exc: BaseException | None = None) -> ReadError:
    why = f" ({type(exc).__name__})" if exc else ""
    return ReadError(
        f"the {kind} file cannot be read: it is damaged, truncated or not really {kind}{why}",
        f"không đọc được tệp {kind}: tệp bị hỏng, bị cắt cụt hoặc không đúng định dạng{why}",
    )


# --- limits (ingest/limits.py): checked before the expensive step ------------------------


def _count(n: int, lang: str) -> str:
    """``1,000,000`` in English, ``1.000.000`` in Vietnamese."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "vi" else text


def over_limit(
    name: str,
    what_en: str,
    what_vi: str,
    found: int | None = None,
    *,
    size: bool = False,
) -> ReadError:
    """A file over one of :class:`~ingest.limits.FileLimits` (``name``): the limit, the value
    found (``None``: more than the limit, reading stopped there) and the environment variable
    that raises it. ``size``: the values are bytes."""
    limit = getattr(limits(), name)
    env = f"PARWH_LIMIT_{name.upper()}"

    def show(n: int, lang: str) -> str:
        return human_bytes(n) if size else _count(n, lang)

    found_en = f"more than {show(limit, 'en')}" if found is None else show(found, "en")
    found_vi = f"hơn {show(limit, 'vi')}" if found is None else show(found, "vi")
    return ReadError(
        f"the file is too large to be read safely: {what_en} is {found_en}, over the limit of"
        f" {show(limit, 'en')} ({name}; the warehouse administrator can raise it with the"
        f" environment variable {env}); the whole file was rejected",
        f"tệp quá lớn để đọc an toàn: {what_vi} là {found_vi}, vượt giới hạn {show(limit, 'vi')}"
        f" ({name}; quản trị viên kho dữ liệu có thể nâng giới hạn bằng biến môi trường {env});"
        " toàn bộ tệp bị từ chối",
    )


def _check_file_size(path: Path, lim: FileLimits) -> None:
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # the reader reports the file as unreadable
    if size > lim.max_file_bytes:
        raise over_limit("max_file_bytes", "the file's size", "dung lượng tệp", size, size=True)


class RowLimits:
    """Rows, columns and cells of one sheet counted while its rows stream in: the first row
    over a limit raises, so no more than the limits is ever held. Empty rows are counted
    but not kept until a later row holds data (trailing empty rows cost nothing)."""

    def __init__(self, lim: FileLimits, where_en: str = "", where_vi: str = "") -> None:
        self.lim = lim
        self.where_en = where_en
        self.where_vi = where_vi
        self.rows: list[tuple] = []
        self.cells = 0
        self._seen = 0
        self._empty = 0

    @property
    def seen(self) -> int:
        """Rows added so far, empty ones included."""
        return self._seen

    def add(self, row: Iterable) -> None:
        row = _trim(row)
        self._seen += 1
        if not row:
            self._empty += 1
            return
        lim = self.lim
        if self._seen > lim.max_sheet_rows:
            raise over_limit(
                "max_sheet_rows",
                f"the number of rows{self.where_en}",
                f"số dòng{self.where_vi}",
                None,
            )
        if len(row) > lim.max_columns:
            raise over_limit(
                "max_columns",
                f"the number of columns of row {self._seen}{self.where_en}",
                f"số cột của dòng {self._seen}{self.where_vi}",
                len(row),
            )
        self.cells += len(row)
        if self.cells > lim.max_sheet_cells:
            raise over_limit(
                "max_sheet_cells",
                f"the number of cells (rows × columns){self.where_en}",
                f"số ô (dòng × cột){self.where_vi}",
                None,
            )
        if self._empty:
            self.rows.extend([()] * self._empty)
            self._empty = 0
        self.rows.append(row)


def _where(sheet: str | None) -> tuple[str, str]:
    return (f" of sheet '{sheet}'", f" của trang tính '{sheet}'") if sheet else ("", "")


# --- zip containers (.xlsx, .ods, .docx): sizes checked before any XML is parsed ---------

_LOCAL_HEADER = b"PK\x03\x04"


class _TagCounter:
    """Start tags (``<name``) in a stream of XML bytes fed in chunks: every ``<`` that does
    not open an end tag, a processing instruction, a comment or a declaration. Counted on
    the bytes, before any parser holds them (a ``<`` inside a comment or a CDATA section is
    counted too: the count errs on the high side)."""

    def __init__(self) -> None:
        self.count = 0
        self._lt_at_end = False
        self.xml: bool | None = None  # not known until the first byte that is not a space

    def feed(self, data: bytes) -> None:
        if self.xml is None:
            # XML a parser would take starts with "<" after spaces and a byte order mark, or
            # is UTF-16/32 (counted too, end tags included: the count errs on the high side);
            # an image or other binary part starts otherwise and is not counted
            head = data.lstrip(b" \t\r\n\xef\xbb\xbf")
            if not head:
                return
            self.xml = head[:1] in (b"<", b"\x00", b"\xff", b"\xfe")
        if not self.xml:
            return
        n = data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
        if self._lt_at_end and data[:1] in (b"/", b"?", b"!"):
            n -= 1
        self._lt_at_end = data.endswith(b"<")
        self.count += n


def _inflated_size(
    fh: io.BufferedReader, info: zipfile.ZipInfo, cap: int, counter: _TagCounter | None = None
) -> int:
    """Bytes that really come out of one zip member, counted by inflating its compressed data
    in chunks (never held), stopping as soon as more than ``cap`` came out: a zip directory
    can declare a small size for a part that inflates to gigabytes. ``counter`` is fed the
    bytes as they come out."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != _LOCAL_HEADER:
        raise zipfile.BadZipFile(f"no local header for {info.filename!r}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    feed = counter.feed if counter is not None else (lambda data: None)
    if info.compress_type == zipfile.ZIP_STORED:
        left = min(info.compress_size, cap + 1)
        while left > 0 and (chunk := fh.read(min(left, 1 << 16))):
            left -= len(chunk)
            feed(chunk)
        return info.compress_size
    inflater = zlib.decompressobj(-15)
    left, out = info.compress_size, 0
    while left > 0 and not inflater.eof and out <= cap:
        chunk = fh.read(min(left, 1 << 16))
        if not chunk:
            break
        left -= len(chunk)
        data = inflater.decompress(chunk, min(cap + 1 - out, 1 << 20))  # at most 1 MB held
        out += len(data)
        feed(data)
        while out <= cap and not inflater.eof:  # what a full output buffer held back
            data = inflater.decompress(inflater.unconsumed_tail, min(cap + 1 - out, 1 << 20))
            if not data:
                break
            out += len(data)
            feed(data)
    return out


def check_zip(path: Path, kind: str, lim: FileLimits | None = None) -> dict[str, int]:
    """Reject an ``.xlsx``/``.ods``/``.docx`` whose parts are too large before any of it is
    parsed: first from the zip directory (each part against ``max_xml_part_bytes``, all of
    them against ``max_unzipped_bytes``), then by inflating every deflated part in a
    counting stream that stops at the declared size or the limit (a forged directory).

    Returns the XML elements (start tags, counted on the inflated bytes) of every part, by
    name (0 for a part that is not XML), for the format's own element limits: a few
    hundred kilobytes of zip can hold millions of empty elements, which a parser building
    the whole tree turns into gigabytes."""
    lim = lim or limits()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return {}  # not a zip, or damaged: the reader reports it
    declared = 0
    for info in infos:
        if info.file_size > lim.max_xml_part_bytes:
            raise _part_too_large(info.filename, info.file_size)
        declared += info.file_size
    if declared > lim.max_unzipped_bytes:
        raise _unzipped_too_large(declared)
    total = 0
    elements: dict[str, int] = {}
    try:
        with open(path, "rb") as fh:
            for info in infos:
                counter = _TagCounter()
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    # read by Python's zipfile, which stops at the declared size
                    with zipfile.ZipFile(path) as zf, zf.open(info) as part:
                        while chunk := part.read(1 << 16):
                            counter.feed(chunk)
                    elements[info.filename] = counter.count
                    continue
                cap = min(info.file_size, lim.max_xml_part_bytes)
                real = _inflated_size(fh, info, cap, counter)
                elements[info.filename] = counter.count
                if real > lim.max_xml_part_bytes:
                    raise _part_too_large(info.filename, None)
                if real > info.file_size:
                    raise ReadError(
                        f"the {kind} file is forged or damaged: its part {info.filename!r} holds"
                        f" more data than its zip directory declares ({human_bytes(info.file_size)})",
                        f"tệp {kind} bị làm giả hoặc bị hỏng: phần {info.filename!r} chứa nhiều dữ liệu"
                        f" hơn kích thước khai báo trong danh mục nén ({human_bytes(info.file_size)})",
                    )
                total += real
                if total > lim.max_unzipped_bytes:
                    raise _unzipped_too_large(None)
    except (zipfile.BadZipFile, zlib.error, OSError, struct.error, EOFError, NotImplementedError) as exc:
        raise _unreadable(kind, exc) from exc
    return elements


def _too_many_elements(name: str, found: int, limit_name: str = "max_xml_elements") -> ReadError:
    if limit_name == "max_style_elements":
        return over_limit(
            limit_name,
            f"the number of cell formats and other style elements of its part {name!r}",
            f"số định dạng ô và các phần tử định dạng khác của phần {name!r}",
            found,
        )
    return over_limit(
        limit_name,
        f"the number of XML elements of its part {name!r}",
        f"số phần tử XML của phần {name!r}",
        found,
    )


def _check_elements(elements: dict[str, int], names: Iterable[str], lim: FileLimits) -> None:
    """Parts parsed whole (``names``) against ``max_xml_elements``."""
    for name in names:
        if elements.get(name, 0) > lim.max_xml_elements:
            raise _too_many_elements(name, elements[name])


def _part_too_large(name: str, found: int | None) -> ReadError:
    return over_limit(
        "max_xml_part_bytes",
        f"the unpacked size of its part {name!r}",
        f"dung lượng giải nén của phần {name!r}",
        found,
        size=True,
    )


def _unzipped_too_large(found: int | None) -> ReadError:
    return over_limit(
        "max_unzipped_bytes",
        "the unpacked size of all its parts",
        "tổng dung lượng giải nén của các phần trong tệp",
        found,
        size=True,
    )


def _trim(row: Iterable) -> tuple:
    values = list(row)
    while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1])):
        values.pop()
    return tuple(values)


def _sheet(name: str | None, rows: Iterable[Iterable], merges: Iterable[Merge] = ()) -> Sheet:
    """A :class:`Sheet`: covered cells of merged ranges emptied, trailing empty cells and
    rows trimmed, merges deduplicated, sorted and kept when their top-left cell was read."""
    spans = sorted(
        {m for m in merges if 0 <= m[0] <= m[2] and 0 <= m[1] <= m[3] and (m[2] > m[0] or m[3] > m[1])}
    )
    grid = [list(r) for r in rows]
    for r0, c0, r1, c1 in spans:
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = None
    out = [_trim(r) for r in grid]
    while out and not out[-1]:
        out.pop()
    return Sheet(name, out, [m for m in spans if m[0] < len(out)])


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic inside python-calamine (``pyo3_runtime.PanicException``, a
    ``BaseException``): it means the file is damaged."""
    return type(exc).__name__ == "PanicException"


def _head_of(zf: zipfile.ZipFile, name: str) -> str:
    """The first bytes of a zip member (a ``mimetype`` that claims gigabytes is not read
    whole)."""
    with zf.open(name) as fh:
        return fh.read(256).decode("ascii", "replace")


def sniff_format(path: Path) -> str | None:
    """What a spreadsheet or Word file really is, from its first bytes: ``xlsx``, ``ods``,
    ``docx``, ``ole`` (an OLE2 compound file: Excel 97–2003 ``.xls``, Word ``.doc``, or a
    password-protected xlsx), ``html`` (a web page or an Excel 2003 XML file, which some
    export tools name ``.xls``) or ``None`` (unknown or damaged)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                mime = _head_of(zf, "mimetype") if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
            return None
        if "opendocument.spreadsheet" in mime and "content.xml" in names:
            return "ods"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<meta")):
        return "html"
    if text.startswith(b"<?xml") and (b"<html" in text or b"office:spreadsheet" in text):
        return "html"
    return None


# --- xlsx (openpyxl) ---------------------------------------------------------------------

_MERGE_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z0-9:$]+)[\"']")
# a <row> start tag, or a whole cell (self-closing or with its body), any namespace prefix
_ROW_OR_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:row\b(?P<row>[^>]*)>"
    rb"|c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?:[A-Za-z_][\w.-]*:)?c>))",
    re.S,
)
_ATTR_R = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]*)\$?(\d+)["']""")
_ATTR_T = re.compile(rb"""\bt\s*=\s*["']([A-Za-z]+)["']""")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v\b[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?v>)", re.S)
_COLUMN_SUM_TERM = re.compile(r"^(?:SUM\(\$?([A-Z]+)\$?\d+:\$?([A-Z]+)\$?\d+\)|\$?([A-Z]+)\$?\d+)$")
_CARRY = 64 << 10  # bytes kept between chunks: a cell cut at a chunk boundary is matched whole


def _is_column_total(formula: str, column: str) -> bool:
    """``SUM(C5:C9)``, ``C12+C30+C45``: a formula that only adds up cells of its own column
    (the totals rows of the warehouse's own templates). The ingest recomputes and checks
    totals itself, so such a formula without a cached value loses no figure."""
    terms = formula.replace(" ", "").upper().split("+")
    for term in terms:
        m = _COLUMN_SUM_TERM.match(term)
        if m is None or {c for c in m.groups() if c} != {column.upper()}:
            return False
    return bool(terms)


def _uncomputed_formula(attrs: bytes, body: bytes) -> str | None:
    """The formula of a cell that has one but no cached value (written by software that does
    not compute formulas: the figure would read as an empty cell), else ``None``."""
    f = _FORMULA.search(body)
    if f is None:
        return None
    v = _VALUE.search(body)
    if v is not None and v.group(1):
        return None
    t = _ATTR_T.search(attrs)
    if v is not None and t is not None and t.group(1) in (b"str", b"inlineStr"):
        return None  # a formula whose computed result is the empty text
    if b"<is" in body and b"<t" in body:
        return None  # an inline string value
    return (f.group(1) or b"").decode("utf-8", "replace")


def _formula_error(sheet: str | None, column: str, row: int, formula: str) -> ReadError:
    """The refusal of a formula without a computed value; carries ``sheet``, ``cell``,
    ``row`` (1-based) and ``column`` (letters) for the caller's location."""
    ref = f"{column}{row}" if column else f"row {row}"
    where_en = f"sheet '{sheet}', " if sheet else ""
    where_vi = f"trang tính '{sheet}', " if sheet else ""
    shown = formula if len(formula) <= 60 else formula[:57] + "..."
    error = ReadError(
        f"{where_en}cell {ref} holds a formula (={shown}) with no computed value (the file was"
        " saved by software that does not compute formulas): open the file in Excel or"
        " LibreOffice, save it again and send it again",
        f"{where_vi}ô {ref} chứa công thức (={shown}) chưa có giá trị đã tính (tệp được lưu bởi"
        " phần mềm không tính công thức): hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi"
        " gửi lại",
    )
    error.sheet = sheet  # type: ignore[attr-defined]
    error.cell = ref  # type: ignore[attr-defined]
    error.row = row  # type: ignore[attr-defined]
    error.column = column or None  # type: ignore[attr-defined]
    return error


def _xlsx_scan(
    source: io.BufferedIOBase, sheet: str | None = None, max_rows: int | None = None
) -> list[Merge]:
    """Merged ranges of a worksheet XML part, found by scanning its bytes (the
    ``<mergeCells>`` element sits after all the cells, and a full XML parse of a large sheet
    would cost as much as reading it). Raises :class:`ReadError` naming the first cell within
    the first ``max_rows`` rows that has a formula but no cached value, unless it only adds
    up its own column (see :func:`_is_column_total`)."""
    from openpyxl.utils.cell import range_boundaries

    merges: set[Merge] = set()
    carry = b""
    row = 0
    check = True  # cells are checked until the rows read are passed
    while chunk := source.read(1 << 20):
        buf = carry + chunk
        last_end = 0
        if check and (b"<f" in buf or b":f" in buf):
            for m in _ROW_OR_CELL.finditer(buf):
                last_end = m.end()
                if m.group("row") is not None:
                    r = _ATTR_R.search(m.group("row"))
                    row = int(r.group(2)) if r else row + 1
                    if max_rows is not None and row > max_rows:
                        check = False
                        break
                    continue
                body = m.group("body")
                if not body:
                    continue
                formula = _uncomputed_formula(m.group("attrs"), body)
                if formula is None:
                    continue
                ref = _ATTR_R.search(m.group("attrs"))
                column = ref.group(1).decode("ascii").upper() if ref else ""
                if column and _is_column_total(formula, column):
                    continue
                cell_row = int(ref.group(2)) if ref else row
                if max_rows is not None and cell_row > max_rows:
                    continue
                raise _formula_error(sheet, column, cell_row, formula)
        elif check and max_rows is not None:
            rows = re.findall(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"']", buf)
            if rows and int(rows[-1]) > max_rows:
                check = False
        for ref in _MERGE_REF.findall(buf) if b"mergeCell" in buf else ():
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
            except (ValueError, TypeError):
                continue
            if None not in (min_col, min_row, max_col, max_row):
                merges.add((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
        # keep the unmatched end (a cell cut at the boundary) and at least a tag's length
        carry = buf[min(max(last_end, len(buf) - _CARRY), len(buf) - 512) :]
    return sorted(merges)


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si(?=[\s/>])")
_CT_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# parts openpyxl's read-only mode never parses (pivot caches and the calculation chain can
# be large in real workbooks; the theme is kept as bytes); a chartsheet pointed at one of
# them is parsed, and counted
_XLSX_UNREAD = re.compile(r"^xl/(?:pivotCache/|theme/|calcChain\.xml$)", re.I)


def _xml_items(zf: zipfile.ZipFile, name: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (any namespace) of a small XML part (its
    elements already counted against ``max_xml_elements``); nothing if it is missing or
    not XML (openpyxl then reports the file)."""
    out: list[dict[str, str]] = []
    try:
        with zf.open(name) as fh:
            for _, el in ElementTree.iterparse(fh):
                if el.tag.rsplit("}", 1)[-1] == tag:
                    out.append(dict(el.attrib))
                el.clear()
    except (KeyError, ElementTree.ParseError, OSError, EOFError, zlib.error, ValueError, zipfile.BadZipFile):
        pass
    return out


def _part_target(source: str, target: str) -> str:
    """A relationship's target as a part name, as openpyxl resolves it."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _workbook_types() -> tuple[str, ...]:
    """The content types openpyxl takes for the workbook part, in its order."""
    from openpyxl.xml.constants import XLSM, XLSX, XLTM, XLTX

    return (XLSX, XLSM, XLTX, XLTM)


def _check_xlsx_parts(path: Path, elements: dict[str, int], lim: FileLimits) -> set[str]:
    """The parts openpyxl parses whole against ``max_xml_elements`` (the stylesheet against
    ``max_style_elements``), before it opens the file; returns the shared string parts
    (streamed by openpyxl, bounded by the number of their entries instead).

    Worksheets (streamed in read-only mode) and the parts openpyxl never parses are left
    out; they are found as openpyxl finds them: the workbook and the shared strings by their
    content type in ``[Content_Types].xml``, the sheets by the workbook's relationships."""
    content_types = "[Content_Types].xml"
    _check_elements(elements, [content_types], lim)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return set()
    with zf:
        overrides = {
            o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
            for o in _xml_items(zf, content_types, "Override")
        }
        workbook = next(
            (n for t in _workbook_types() for n, c in overrides.items() if c == t), "xl/workbook.xml"
        )
        rels = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
        _check_elements(elements, [workbook, rels], lim)
        worksheets: set[str] = set()
        chartsheets: set[str] = set()
        shared = {n for n, t in overrides.items() if t == _CT_SHARED_STRINGS}
        shared |= {n for n in elements if n.lower().endswith("sharedstrings.xml")}
        for rel in _xml_items(zf, rels, "Relationship"):
            kind, target = rel.get("Type", ""), _part_target(workbook, rel.get("Target", ""))
            if kind == _REL_TYPE + "worksheet":
                worksheets.add(target)
            elif "chartsheet" in kind:
                chartsheets.add(target)
            elif kind == _REL_TYPE + "sharedStrings":
                shared.add(target)
        if not worksheets:
            worksheets = {n for n in elements if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n, re.I)}
    styles = {"xl/styles.xml"} | {n for n, t in overrides.items() if t.endswith("spreadsheetml.styles+xml")}
    for name in sorted(styles):
        if elements.get(name, 0) > lim.max_style_elements:
            raise _too_many_elements(name, elements[name], "max_style_elements")
    unread = {n for n in elements if _XLSX_UNREAD.match(n)}
    streamed = (worksheets | shared | unread | styles) - chartsheets
    _check_elements(elements, sorted(set(elements) - streamed), lim)
    return shared


def _check_shared_strings(path: Path, lim: FileLimits, names: Iterable[str] | None = None) -> None:
    """openpyxl holds the whole shared string table in memory: count its entries first (one
    per distinct text; a sheet within the limits has at most ``max_sheet_cells``). ``names``:
    the shared string parts (by default those named ``sharedStrings.xml``); openpyxl finds
    its part by content type, whatever its name."""
    try:
        with zipfile.ZipFile(path) as zf:
            if names is None:
                names = [n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")]
            present = set(zf.namelist())
            for name in sorted(n for n in names if n in present):
                count, tail = 0, b""
                with zf.open(name) as fh:
                    while chunk := fh.read(1 << 20):
                        buf = tail + chunk
                        # up to the last "<" before the final bytes: a match holds no other
                        # "<", so none is cut there; the rest waits for the next chunk
                        cut = buf.rfind(b"<", 0, max(0, len(buf) - 64))
                        if cut > 0:
                            count += len(_SHARED_STRING.findall(buf, 0, cut))
                            tail = buf[cut:]
                        else:  # no "<" before the final bytes but maybe the first one
                            count += 1 if cut == 0 and _SHARED_STRING.match(buf) else 0
                            tail = buf[-64:]
                        if count > lim.max_sheet_cells:
                            raise over_limit(
                                "max_sheet_cells",
                                "the number of distinct texts (shared strings) of the workbook",
                                "số chuỗi văn bản khác nhau (shared strings) của bảng tính",
                                None,
                            )
                if count + len(_SHARED_STRING.findall(tail)) > lim.max_sheet_cells:
                    raise over_limit(
                        "max_sheet_cells",
                        "the number of distinct texts (shared strings) of the workbook",
                        "số chuỗi văn bản khác nhau (shared strings) của bảng tính",
                        None,
                    )
    except ReadError:  # a ValueError: not to be taken for a damaged zip below
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error):
        return  # damaged: openpyxl reports it


def read_xlsx(path: Path, max_rows: int | None = None, kind: str = "xlsx") -> list[Sheet]:
    from openpyxl import load_workbook

    lim = limits()
    elements = check_zip(path, kind, lim)
    _check_shared_strings(path, lim, _check_xlsx_parts(path, elements, lim))
    sheets: list[Sheet] = []
    try:  # a file object, not the path: openpyxl refuses paths not named .xlsx/.xlsm
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with block below
    except OSError as exc:
        raise _unreadable(kind, exc) from exc
    with fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on damaged files
            raise _unreadable(kind, exc) from exc
        try:
            for ws in wb.worksheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # do not trust the stored dimension
                # the worksheet's XML part, opened as openpyxl opens it for its rows: merges,
                # and formulas without a computed value, before any row is read
                with ws._get_source() as source:
                    merges = _xlsx_scan(source, ws.title, max_rows)
                rows = RowLimits(lim, *_where(ws.title))
                for row in ws.iter_rows(values_only=True, max_row=max_rows):
                    rows.add(row)
                sheets.append(_sheet(ws.title, rows.rows, merges))
        except ReadError:
            raise
        except Exception as exc:
            raise _unreadable(kind, exc) from exc
        finally:
            wb.close()
    return sheets


# --- xls and ods (python-calamine) -------------------------------------------------------

_EXACT_INT = 2**53


def _calamine_value(value: object) -> object:
    """Calamine's cell value as the readers give it: ``""`` → ``None``, a whole float (xls
    and ods store every number as a float) → ``int``."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    return value


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_int(element: ElementTree.Element, attr: str) -> int:
    try:
        return max(1, int(element.get(_ODS_TABLE + attr, "1")))
    except ValueError:
        return 1


def _ods_merges(path: Path, max_rows: int | None, lim: FileLimits | None = None) -> dict[str, list[Merge]]:
    """Merged ranges of every table of an ``.ods`` file (``table:number-columns-spanned`` /
    ``number-rows-spanned``), by table name. Rows and columns are counted as calamine counts
    them: repeated rows and cells, covered cells, rows inside header-row and row groups.

    Also the limits of every table, before calamine expands it: ``number-rows-repeated`` and
    ``number-columns-repeated`` let a few bytes of XML stand for millions of cells, so the
    rows, columns and cells (the box calamine would hold) of the cells holding a value or a
    merge are counted here and the first one over a limit raises :class:`ReadError`."""
    lim = lim or limits()
    t_table, t_row = _ODS_TABLE + "table", _ODS_TABLE + "table-row"
    t_cells = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")
    value_type = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
    limit = max_rows if max_rows is not None else 1 << 40
    out: dict[str, list[Merge]] = {}
    merges: list[Merge] = []
    depth = row = col = cell_col = 0
    row_repeat = 1
    name = ""
    data_rows = data_cols = 0  # the box of the cells holding something, in this table

    def holds_data(last_col: int) -> None:
        nonlocal data_rows, data_cols
        data_rows, data_cols = max(data_rows, row + row_repeat), max(data_cols, last_col)
        _check_extent(data_rows, data_cols, name, lim)

    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            if el.tag == t_table:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        name = el.get(_ODS_TABLE + "name", "")
                        merges = out.setdefault(name, [])
                        row = data_rows = data_cols = 0
                else:
                    depth -= 1
                    el.clear()
            elif depth != 1:  # outside any table, or inside a table nested in a cell
                continue
            elif el.tag == t_row:
                if event == "start":
                    row_repeat, col = _ods_int(el, "number-rows-repeated"), 0
                else:
                    row += row_repeat
                    el.clear()
            elif el.tag in t_cells and event == "end":
                if el.tag == t_cells[0] and len(el) and el.get(value_type) is None:
                    holds_data(cell_col)  # text without a declared type
                el.clear()
            elif el.tag in t_cells:  # start
                col_repeat = _ods_int(el, "number-columns-repeated")
                cell_col = col + col_repeat
                across, down = _ods_int(el, "number-columns-spanned"), _ods_int(el, "number-rows-spanned")
                spans = el.tag == t_cells[0] and (across > 1 or down > 1)
                if el.get(value_type) is not None or spans:
                    holds_data(cell_col)
                if spans and row < limit:
                    for r in range(row, min(row + row_repeat, limit)):
                        for c in range(col, col + col_repeat):
                            merges.append((r, c, r + down - 1, c + across - 1))
                col += col_repeat
    return out


def _check_calamine_sheet(sheet: object, name: str, lim: FileLimits) -> None:
    """The rows, columns and cells of a sheet calamine has read, before they become Python
    values (an ``.xls`` holds at most 65,536 × 256 cells)."""
    height = int(getattr(sheet, "total_height", 0) or getattr(sheet, "height", 0) or 0)
    width = int(getattr(sheet, "total_width", 0) or getattr(sheet, "width", 0) or 0)
    _check_extent(height, width, name, lim)


def _check_extent(rows: int, columns: int, name: str, lim: FileLimits) -> None:
    """A sheet's extent against ``max_sheet_rows``, ``max_columns`` and ``max_sheet_cells``."""
    where_en, where_vi = _where(name)
    if rows > lim.max_sheet_rows:
        raise over_limit("max_sheet_rows", f"the number of rows{where_en}", f"số dòng{where_vi}", rows)
    if columns > lim.max_columns:
        raise over_limit("max_columns", f"the number of columns{where_en}", f"số cột{where_vi}", columns)
    if rows * columns > lim.max_sheet_cells:
        raise over_limit(
            "max_sheet_cells",
            f"the number of cells (rows × columns){where_en}",
            f"số ô (dòng × cột){where_vi}",
            rows * columns,
        )


def read_calamine(path: Path, kind: str, max_rows: int | None = None, fmt: str | None = None) -> list[Sheet]:
    """Read an ``.xls`` or ``.ods`` file (``fmt``, when the content is not what the name
    says) with python-calamine. Every worksheet, hidden ones included. An ``.ods`` file's
    parts and tables are checked against the limits before calamine reads it."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    fmt = fmt or kind
    lim = limits()
    try:
        ods_merges: dict[str, list[Merge]] = {}
        if fmt == "ods":
            check_zip(path, kind, lim)
            ods_merges = _ods_merges(path, max_rows, lim)
        if fmt == kind:
            wb = CalamineWorkbook.from_path(str(path))
        else:  # named .xls but really .ods, …: let calamine detect the format from the bytes
            with open(path, "rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
        with wb:
            raw: list[tuple[str, list[list], list[Merge]]] = []
            for meta in wb.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # chart, dialog and macro sheets hold no table
                sheet = wb.get_sheet_by_name(meta.name)
                _check_calamine_sheet(sheet, meta.name, lim)
                if max_rows is not None and max_rows <= 0:
                    values: list[list] = []
                else:  # from row 0 (skip_empty_area=False): row numbers stay the sheet's
                    values = sheet.to_python(skip_empty_area=False, nrows=max_rows)
                merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
                raw.append((meta.name, values, merges))
    except ReadError:
        raise
    except Exception as exc:
        raise _unreadable(kind, exc) from exc
    except BaseException as exc:
        if _is_panic(exc):
            raise _unreadable(kind, exc) from exc
        raise
    return [
        _sheet(name, ([_calamine_value(v) for v in r] for r in values), merges + ods_merges.get(name, []))
        for name, values, merges in raw
    ]


# --- docx (python-docx's XML) ------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_TR, _W_TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_W_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}
_W_SPACE = {_W + "tab", _W + "br", _W + "cr", _W + "ptab"}
# deleted text, property blocks, text boxes and drawings, nested tables (field codes are
# w:instrText, deleted text w:delText: never read)
_W_SKIP = {
    _W + "del",
    _W + "moveFrom",
    _W + "pPr",
    _W + "rPr",
    _W + "drawing",
    _W + "pict",
    _W + "object",
    _W + "txbxContent",
    _W_TBL,
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


def _blocks(parent, tags: tuple[str, ...]) -> Iterator:
    """Children of ``parent`` with one of ``tags``, looking through content controls and
    custom XML wrappers."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _W_WRAPPERS:
            yield from _blocks(child, tags)


def _text_parts(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _W_SKIP:
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag in _W_SPACE:
            out.append(" ")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        else:
            _text_parts(child, out)


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _text_parts(p, parts)
    return " ".join("".join(parts).split())


def _w_val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(_W + "val", "")


def _w_int(element, path: str, default: int) -> int:
    try:
        return max(0, int(_w_val(element, path) or default))
    except ValueError:
        return default


def _docx_table(tbl) -> tuple[list[list], list[Merge]]:
    """Rows (grid columns; a merged range's text in its top-left cell) and merged ranges of a
    Word table, from ``w:gridSpan`` and ``w:vMerge``."""
    rows: list[list] = []
    merges: list[Merge] = []
    open_down: dict[int, Merge] = {}  # first column → vertical merge still open
    for r, tr in enumerate(_blocks(tbl, (_W_TR,))):
        col = _w_int(tr, f"{_W}trPr/{_W}gridBefore", 0)
        cells: list = [None] * col
        continued: set[int] = set()
        for tc in _blocks(tr, (_W_TC,)):
            span = max(1, _w_int(tc, f"{_W}tcPr/{_W}gridSpan", 1))
            vmerge = _w_val(tc, f"{_W}tcPr/{_W}vMerge")  # "restart", "continue" or ""
            cells += [None] * span
            if vmerge is not None and vmerge != "restart" and col in open_down:
                r0, c0, _, c1 = open_down[col]
                open_down[col] = (r0, c0, r, c1)
                continued.add(col)
            else:  # a cell of its own (a "continue" with nothing above to continue starts one)
                text = " ".join(t for t in (_paragraph_text(p) for p in _blocks(tc, (_W_P,))) if t)
                cells[col] = text or None
                if col in open_down:
                    merges.append(open_down.pop(col))
                if vmerge == "restart":
                    open_down[col] = (r, col, r, col + span - 1)
                    continued.add(col)
                elif span > 1:
                    merges.append((r, col, r, col + span - 1))
            col += span
        for c in [c for c in open_down if c not in continued]:
            merges.append(open_down.pop(c))
        rows.append(cells)
    return rows, merges + list(open_down.values())


def read_docx(path: Path, max_rows: int | None = None) -> list[Sheet]:
    """Every table of a Word document as a sheet ``Bảng n``: the (up to 12) non-empty
    paragraphs since the previous table, one per row, then the table's rows. Nested tables
    are ignored."""
    import docx

    lim = limits()
    # python-docx builds the whole tree of every XML part it knows (the document, its
    # styles, numbering, headers…): every part's elements are counted first
    elements = check_zip(path, "docx", lim)
    _check_elements(elements, sorted(elements), lim)
    try:
        body = docx.Document(str(path)).element.body
    except Exception as exc:
        if sniff_format(path) == "ole":
            raise _old_doc() from exc
        raise _unreadable("docx", exc) from exc
    sheets: list[Sheet] = []
    titles: deque[str] = deque(maxlen=DOCX_TITLE_PARAGRAPHS)
    for block in _blocks(body, (_W_P, _W_TBL)):
        if block.tag == _W_P:
            if text := _paragraph_text(block):
                titles.append(text)
            continue
        table, merges = _docx_table(block)
        rows: list[list] = [[t] for t in titles] + table
        shift = len(titles)
        titles.clear()
        if max_rows is not None:
            rows = rows[: max(0, max_rows)]
        name = f"Bảng {len(sheets) + 1}"
        bounded = RowLimits(lim, *_where(name))
        for row in rows:
            bounded.add(row)
        sheets.append(_sheet(name, bounded.rows, [(a + shift, b, c + shift, d) for a, b, c, d in merges]))
    if not sheets:
        raise ReadError(
            "the Word document contains no table: the figures must be in a table",
            "tài liệu Word không có bảng nào: số liệu phải được trình bày trong bảng",
        )
    return sheets


def _old_doc() -> ReadError:
    return ReadError(
        "old Word .doc files cannot be read: open the file in Word and save it as .docx"
        " (Word Document), or send the table as .xlsx",
        "không đọc được tệp Word .doc kiểu cũ: hãy mở tệp bằng Word và lưu lại dạng .docx"
        " (Word Document), hoặc gửi bảng số liệu dạng .xlsx",
    )


# --- csv and parquet ---------------------------------------------------------------------


def sniff_delimiter(lines: list[str]) -> str:
    """``;`` or ``,``: the one giving the most columns, consistently, on the first lines."""
    sample = [ln for ln in lines if ln.strip()][:20]
    if not sample:
        return ","
    best, best_key = ",", (0, 0)
    for delim in (",", ";", "\t"):
        widths = [len(r) for r in csv.reader(sample, delimiter=delim)]
        mode, freq = Counter(widths).most_common(1)[0]
        key = (freq if mode > 1 else 0, mode)
        if key > best_key:
            best, best_key = delim, key
    return best


class _CappedStream(io.RawIOBase):
    """A binary stream (a file, or a gzip stream's decompressed bytes) that raises
    :class:`ReadError` as soon as more than ``cap`` bytes have come out of it: a small
    ``.csv.gz`` can inflate to gigabytes, a CSV line can be a whole file long."""

    def __init__(self, raw: io.BufferedIOBase, cap: int, limit_name: str) -> None:
        super().__init__()
        self._raw = raw
        self._cap = cap
        self._limit_name = limit_name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self._raw.readinto(buffer)
        self.count += n or 0
        if self.count > self._cap:
            raise over_limit(
                self._limit_name,
                "the size of its text (after decompression)",
                "dung lượng văn bản của tệp (sau khi giải nén)",
                None,
                size=True,
            )
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _open_text(path: Path, kind: str, cap: int | None = None) -> io.TextIOBase:
    """The file's UTF-8 text, decompressed (``csv.gz``) as it is read, never more than
    ``cap`` bytes of it (``max_table_text_bytes`` unless told)."""
    raw = gzip.open(path, "rb") if kind == "csv.gz" else open(path, "rb")  # noqa: SIM115
    capped = _CappedStream(raw, limits().max_table_text_bytes if cap is None else cap, "max_table_text_bytes")
    return io.TextIOWrapper(io.BufferedReader(capped), encoding="utf-8-sig", newline="")


def _not_utf8() -> ReadError:
    return ReadError(
        "the CSV file is not UTF-8 text (save it as 'CSV UTF-8')",
        "tệp CSV không phải văn bản UTF-8 (hãy lưu dạng 'CSV UTF-8')",
    )


def first_lines(path: Path, kind: str, n: int) -> list[str]:
    """The first ``n`` lines of a (possibly gzipped) UTF-8 text file (read up to
    ``max_table_text_bytes``: a file without line breaks is rejected, not read whole)."""
    lines: list[str] = []
    try:
        with _open_text(path, kind) as fh:
            for line in fh:
                lines.append(line)
                if len(lines) >= n:
                    break
    except UnicodeDecodeError as exc:
        raise _not_utf8() from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable("csv", exc) from exc
    return lines


_SNIFF_LINE_CHARS = 65_536  # of each line of the sample the delimiter is guessed from


def read_csv(path: Path, kind: str = "csv", max_rows: int | None = None) -> list[Sheet]:
    """The rows of a (possibly gzipped) CSV file, streamed: the text is decompressed and
    parsed line by line, never more than ``max_table_text_bytes`` of it, and the rows,
    columns and cells are counted against the sheet limits as they come."""
    lim = limits()
    bounded = RowLimits(lim)
    field_limit = csv.field_size_limit()  # process-wide: restored below
    try:
        with _open_text(path, kind) as fh:
            head: list[str] = []
            for line in fh:
                head.append(line)
                if len(head) >= 50:
                    break
            if any("\x00" in ln for ln in head):
                raise _unreadable("csv")
            # the sample's lines cut short: a cell over the limit is refused below, by row
            delim = sniff_delimiter([ln[:_SNIFF_LINE_CHARS] for ln in head[:40]])
            csv.field_size_limit(lim.max_csv_cell_chars)
            for row in csv.reader(_chain(head, fh), delimiter=delim):
                if max_rows is not None and bounded.seen >= max_rows:
                    break
                bounded.add(row)
    except UnicodeDecodeError as exc:
        raise _not_utf8() from exc
    except csv.Error as exc:
        if "field limit" in str(exc):  # "field larger than field limit (131072)"
            row_no = bounded.seen + 1
            raise over_limit(
                "max_csv_cell_chars",
                f"the number of characters of a cell of row {row_no}",
                f"số ký tự của một ô ở dòng {row_no}",
                None,
            ) from exc
        raise _unreadable("csv", exc) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable("csv", exc) from exc
    finally:
        csv.field_size_limit(field_limit)
    return [Sheet(None, bounded.rows)]


def _chain(head: list[str], rest: Iterable[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _parquet_rows_limit(max_rows: int | None, lim: FileLimits) -> tuple[str, int]:
    """A whole read holds the rows in Python (``max_parquet_rows``); a header scan cannot
    tell a record export, streamed by DuckDB, from aggregated figures (``max_record_rows``)."""
    if max_rows is None:
        return "max_parquet_rows", lim.max_parquet_rows
    return "max_record_rows", lim.max_record_rows


def _decoded_bytes(array) -> int:  # noqa: ANN001 - a pyarrow Array
    """What a column of a batch weighs once every value is decoded (as ``to_pylist`` makes
    them): a dictionary-encoded value counts once per row that refers to it, nested values
    are counted inside their lists and structs, and every value at least 8 bytes (the
    reference its row holds)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    kind = array.type
    if pa.types.is_dictionary(kind):
        values, indices = array.dictionary, array.indices
        if n == 0 or len(values) == 0:
            return 8 * n
        if (
            pa.types.is_binary(values.type)
            or pa.types.is_string(values.type)
            or pa.types.is_large_binary(values.type)
            or pa.types.is_large_string(values.type)
        ):
            lengths = pc.take(pc.binary_length(values), indices)
            return int(pc.sum(lengths).as_py() or 0) + 8 * n
        per_value = -(-_decoded_bytes(values) // len(values))
        return per_value * n
    if pa.types.is_struct(kind):
        return sum(_decoded_bytes(child) for child in array.flatten()) + 8 * n
    if pa.types.is_map(kind):
        return _decoded_bytes(array.keys) + _decoded_bytes(array.items) + 8 * n
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return _decoded_bytes(array.flatten()) + 8 * n
    return int(array.nbytes) + 8 * n


def read_parquet(path: Path, max_rows: int | None = None) -> list[Sheet]:
    """The rows of a Parquet file, after checking its footer: columns, rows and (for a
    whole read) the row groups' uncompressed size against the limits, before any data is
    read; rows are then converted batch by batch and counted (a footer can lie), each batch's
    decoded size counted against ``max_unzipped_bytes`` before it becomes Python values
    (text columns are read dictionary-encoded: one long text shared by every row through
    the dictionary is a few kilobytes on disk and gigabytes once decoded)."""
    import pyarrow.parquet as pq

    lim = limits()
    try:
        meta = pq.read_metadata(path)
        # text and binary columns stay dictionary-encoded as they are read: a dictionary
        # value shared by many rows is held once, and its decoded size counted below
        # before any of it becomes Python values
        texts = [
            meta.schema.column(i).path
            for i in range(meta.num_columns)
            if meta.schema.column(i).physical_type == "BYTE_ARRAY"
        ]
        pf = pq.ParquetFile(path, read_dictionary=texts or None)
        names = list(pf.schema_arrow.names)
    except Exception as exc:
        raise _unreadable("parquet", exc) from exc
    if len(names) > lim.max_columns:
        raise over_limit("max_columns", "the number of columns", "số cột", len(names))
    limit_name, row_limit = _parquet_rows_limit(max_rows, lim)
    if meta.num_rows > row_limit:
        raise over_limit(limit_name, "the number of rows", "số dòng", meta.num_rows)
    if max_rows is None:
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if unpacked > lim.max_unzipped_bytes:
            raise over_limit(
                "max_unzipped_bytes",
                "the uncompressed size of its data",
                "dung lượng dữ liệu khi giải nén",
                unpacked,
                size=True,
            )
    rows: list[tuple] = [tuple(names)]
    if max_rows is not None and max_rows <= 1:
        return [Sheet(None, rows)]
    wanted = row_limit if max_rows is None else max_rows - 1
    decoded = 0
    try:
        for batch in pf.iter_batches(batch_size=min(65_536, max(1, wanted))):
            take = min(batch.num_rows, wanted - (len(rows) - 1))
            if max_rows is None and batch.num_rows > take:
                raise over_limit(limit_name, "the number of rows", "số dòng", None)
            batch = batch.slice(0, take)
            decoded += sum(_decoded_bytes(c) for c in batch.columns)
            if decoded > lim.max_unzipped_bytes:
                raise over_limit(
                    "max_unzipped_bytes",
                    "the size of its values once decoded",
                    "dung lượng các giá trị của tệp sau khi giải mã",
                    None,
                    size=True,
                )
            columns = [c.to_pylist() for c in batch.columns]
            rows.extend(zip(*columns, strict=True) if columns else [() for _ in range(take)])
            if len(rows) - 1 >= wanted:
                break
    except ReadError:
        raise
    except Exception as exc:
        raise _unreadable("parquet", exc) from exc
    return [Sheet(None, rows)]


def _read_spreadsheet(path: Path, kind: str, max_rows: int | None) -> list[Sheet]:
    fmt = sniff_format(path)
    if fmt == "html":
        raise ReadError(
            f"the {kind} file is a web page or an XML file, not a real spreadsheet (some"
            " software exports those under an Excel name): open it in Excel and save it as .xlsx",
            f"tệp {kind} thực chất là trang web hoặc tệp XML, không phải bảng tính thật (một số"
            " phần mềm xuất dạng này với đuôi Excel): hãy mở bằng Excel và lưu lại dạng .xlsx",
        )
    if fmt == "xlsx":
        return read_xlsx(path, max_rows, kind)
    if fmt == "ole" or (fmt is None and kind == "xls"):
        return read_calamine(path, kind, max_rows, "xls")
    if fmt == "ods" or (fmt is None and kind == "ods"):
        return read_calamine(path, kind, max_rows, "ods")
    return read_xlsx(path, max_rows, kind)  # damaged or unknown: reported as its name says


def read_sheets(path: Path, max_rows: int | None = None) -> list[Sheet]:
    """All sheets of a file. Raises :class:`ReadError` if it cannot be read."""
    kind = file_kind(path)
    if kind is not None:
        _check_file_size(Path(path), limits())
    if kind in ("xlsx", "xls", "ods"):
        return _read_spreadsheet(Path(path), kind, max_rows)
    if kind == "docx":
        return read_docx(Path(path), max_rows)
    if kind in ("csv", "csv.gz"):
        return read_csv(path, kind, max_rows)
    if kind == "parquet":
        return read_parquet(path, max_rows)
    suffix = Path(path).suffix
    if suffix.lower() == ".doc":
        raise _old_doc()
    raise ReadError(
        f"unsupported file type {suffix!r} (send {SUPPORTED_EN})",
        f"loại tệp {suffix!r} không được hỗ trợ (gửi {SUPPORTED_VI})",
    )
