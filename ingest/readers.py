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
import re
import zipfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ingest.errors import ReadError

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
                mime = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
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


def _xlsx_merges(source: io.BufferedIOBase) -> list[Merge]:
    """Merged ranges of a worksheet XML part, found by scanning its bytes: the
    ``<mergeCells>`` element sits after all the cells, and a full XML parse of a large sheet
    would cost as much as reading it."""
    from openpyxl.utils.cell import range_boundaries

    merges: set[Merge] = set()
    tail = b""
    while chunk := source.read(1 << 20):
        buf = tail + chunk
        for ref in _MERGE_REF.findall(buf) if b"mergeCell" in buf else ():
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
            except (ValueError, TypeError):
                continue
            if None not in (min_col, min_row, max_col, max_row):
                merges.add((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
        tail = buf[-512:]  # a tag cut at the chunk boundary is found again in the next buffer
    return sorted(merges)


def read_xlsx(path: Path, max_rows: int | None = None, kind: str = "xlsx") -> list[Sheet]:
    from openpyxl import load_workbook

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
                rows = list(ws.iter_rows(values_only=True, max_row=max_rows))
                # the worksheet's XML part, opened as openpyxl opens it for its rows
                with ws._get_source() as source:
                    merges = _xlsx_merges(source)
                sheets.append(_sheet(ws.title, rows, merges))
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


def _ods_merges(path: Path, max_rows: int | None) -> dict[str, list[Merge]]:
    """Merged ranges of every table of an ``.ods`` file (``table:number-columns-spanned`` /
    ``number-rows-spanned``), by table name. Rows and columns are counted as calamine counts
    them: repeated rows and cells, covered cells, rows inside header-row and row groups."""
    t_table, t_row = _ODS_TABLE + "table", _ODS_TABLE + "table-row"
    t_cells = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")
    limit = max_rows if max_rows is not None else 1 << 40
    out: dict[str, list[Merge]] = {}
    merges: list[Merge] = []
    depth = row = col = 0
    row_repeat = 1
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            if el.tag == t_table:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        merges = out.setdefault(el.get(_ODS_TABLE + "name", ""), [])
                        row = 0
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
            elif el.tag in t_cells and event == "start" and row < limit:
                col_repeat = _ods_int(el, "number-columns-repeated")
                across, down = _ods_int(el, "number-columns-spanned"), _ods_int(el, "number-rows-spanned")
                if el.tag == t_cells[0] and (across > 1 or down > 1):
                    for r in range(row, min(row + row_repeat, limit)):
                        for c in range(col, col + col_repeat):
                            merges.append((r, c, r + down - 1, c + across - 1))
                col += col_repeat
    return out


def read_calamine(path: Path, kind: str, max_rows: int | None = None, fmt: str | None = None) -> list[Sheet]:
    """Read an ``.xls`` or ``.ods`` file (``fmt``, when the content is not what the name
    says) with python-calamine. Every worksheet, hidden ones included."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    fmt = fmt or kind
    try:
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
                if max_rows is not None and max_rows <= 0:
                    values: list[list] = []
                else:  # from row 0 (skip_empty_area=False): row numbers stay the sheet's
                    values = sheet.to_python(skip_empty_area=False, nrows=max_rows)
                merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
                raw.append((meta.name, values, merges))
        ods_merges = _ods_merges(path, max_rows) if fmt == "ods" else {}
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
        sheets.append(
            _sheet(f"Bảng {len(sheets) + 1}", rows, [(a + shift, b, c + shift, d) for a, b, c, d in merges])
        )
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


def _open_text(path: Path, kind: str) -> io.TextIOBase:
    if kind == "csv.gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")  # type: ignore[return-value]
    return open(path, encoding="utf-8-sig", newline="")


def first_lines(path: Path, kind: str, n: int) -> list[str]:
    """The first ``n`` lines of a (possibly gzipped) UTF-8 text file."""
    lines: list[str] = []
    try:
        with _open_text(path, kind) as fh:
            for line in fh:
                lines.append(line)
                if len(lines) >= n:
                    break
    except UnicodeDecodeError as exc:
        raise ReadError(
            "the CSV file is not UTF-8 text (save it as 'CSV UTF-8')",
            "tệp CSV không phải văn bản UTF-8 (hãy lưu dạng 'CSV UTF-8')",
        ) from exc
    except (OSError, EOFError) as exc:
        raise _unreadable("csv", exc) from exc
    return lines


def read_csv(path: Path, kind: str = "csv", max_rows: int | None = None) -> list[Sheet]:
    try:
        with _open_text(path, kind) as fh:
            if max_rows is None:
                text = fh.read()
                lines = text.splitlines(keepends=True)
            else:
                lines = []
                for line in fh:
                    lines.append(line)
                    if len(lines) >= max_rows:
                        break
    except UnicodeDecodeError as exc:
        raise ReadError(
            "the CSV file is not UTF-8 text (save it as 'CSV UTF-8')",
            "tệp CSV không phải văn bản UTF-8 (hãy lưu dạng 'CSV UTF-8')",
        ) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise _unreadable("csv", exc) from exc
    if any("\x00" in ln for ln in lines[:50]):
        raise _unreadable("csv")
    delim = sniff_delimiter(lines[:40])
    try:
        rows = [_trim(r) for r in csv.reader(lines, delimiter=delim)]
    except csv.Error as exc:
        raise _unreadable("csv", exc) from exc
    while rows and not rows[-1]:
        rows.pop()
    return [Sheet(None, rows)]


def read_parquet(path: Path, max_rows: int | None = None) -> list[Sheet]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
        if max_rows is not None and max_rows <= 1:
            return [Sheet(None, [tuple(names)])]
        table = pf.read() if max_rows is None else next(pf.iter_batches(batch_size=max_rows), None)
    except Exception as exc:
        raise _unreadable("parquet", exc) from exc
    rows: list[tuple] = [tuple(names)]
    if table is not None:
        rows += [tuple(r.values()) for r in table.to_pylist()]
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
