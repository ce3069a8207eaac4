"""Keep rejected files aside: ``<quarantine>/<id>_<safe name>`` plus ``.error.txt``.

File and sheet names are never used as path components as they are: only a sanitised
base name, prefixed with the start of the file's sha256, is.

Every copy kept is scrubbed, whatever the file type; the original is never copied. The
personal columns (:func:`ingest.personal.is_personal_label` on the first rows, however long
the header) are removed, and every kept cell of any column is masked where it looks
personal (an ID or phone number, an e-mail or street address: :func:`ingest.personal.mask_cell`).

* A spreadsheet or Word file (``.xlsx``, ``.xls``, ``.ods``, ``.docx``) becomes an ``.xlsx``
  workbook with the same sheets (a Word file's tables, ``Bảng 1``…) and merged ranges; its
  text is written as text, never as a formula (``=HYPERLINK(…)`` stays a string).
* A CSV file (``.csv``, ``.csv.gz``) or a Parquet file is streamed by DuckDB into a file of
  the same type (bounded memory whatever its size): only the kept columns, masked. A CSV row
  with more fields than the header (a shifted row, where a personal value may have moved
  into a kept column) is removed from the copy.

When no scrubbed copy can be written (the file cannot be read, its type cannot be checked,
it is too large) no copy is kept, and the ``.error.txt`` says so.
"""

from __future__ import annotations

import gzip
import logging
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

import duckdb

from ingest.errors import IngestError, ReadError
from ingest.headers import FAMILIES, HEADER_SCAN_ROWS, find_header, is_personal_label
from ingest.limits import human_bytes, limits
from ingest.personal import looks_personal, mask_cell, mask_text, sql_mask
from ingest.readers import Sheet, file_kind, first_lines, read_sheets, sniff_delimiter
from ingest.text import is_blank, strip_accents

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHEET_TITLE_UNSAFE = re.compile(r"[\\*?:/\[\]]")
MAX_NAME = 120
# kinds read and scrubbed into an .xlsx copy
WORKBOOK_KINDS = ("xlsx", "xls", "ods", "docx")
# kinds streamed by DuckDB into a scrubbed copy of the same kind
TABLE_KINDS = ("csv", "csv.gz", "parquet")
#: fields read beyond the header's width to tell a shifted CSV row
_EXTRA_FIELDS = 8
#: the first kept cell of a CSV row removed from the copy
SHIFTED_ROW = "[dòng lệch cột, đã bỏ khỏi bản sao / shifted row, removed from this copy]"
#: read as DuckDB's null text, so that only fields a row lacks are null ("4,5,6,," has five)
_NO_NULL = "\x01"
#: DuckDB's memory while it streams a copy
_COPY_MEMORY = "256MB"
log = logging.getLogger(__name__)


def safe_name(file_name: str, file_id: str) -> str:
    """A harmless file name: base name only, ASCII letters, digits, ``._-``, no leading
    dots, prefixed with 12 hex digits of the file's sha256."""
    base = PureWindowsPath(PurePosixPath(str(file_name)).name).name
    ascii_name = _UNSAFE.sub("_", strip_accents(base)).strip("._") or "file"
    if len(ascii_name) > MAX_NAME:
        ascii_name = ascii_name[-MAX_NAME:].lstrip("._") or "file"
    prefix = re.sub(r"[^0-9a-f]", "", str(file_id).lower())[:12] or "nohash"
    return f"{prefix}_{ascii_name}"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for i in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path


def personal_columns_of(rows: Iterable[Sequence[object]]) -> set[int]:
    """Columns with a personal-data label in any of ``rows`` (however long the label). A cell
    holding a value that looks personal ("CCCD 079203001234" in a "Ghi chú" column) is a
    value, masked where it is kept, not a header."""
    found: set[int] = set()
    for row in rows:
        for i, value in enumerate(row):
            if _is_label(value):
                found.add(i)
    return found


def _is_label(value: object) -> bool:
    return isinstance(value, str) and is_personal_label(value) and not looks_personal(value)


def personal_columns(sheet: Sheet) -> set[int]:
    """Columns whose header (within the first rows) is a personal-data label."""
    return personal_columns_of(sheet.rows[:HEADER_SCAN_ROWS])


def _scrub(sheet: Sheet, drop: set[int]) -> Iterable[list]:
    """The rows without the ``drop`` columns, every kept cell masked."""
    for row in sheet.rows:
        yield [mask_cell(v) for i, v in enumerate(row) if i not in drop]


def _scrub_merges(merges: list[tuple[int, int, int, int]], drop: set[int]) -> list[str]:
    """Merged ranges (as ``A1:C2`` references) once the ``drop`` columns are removed."""
    from openpyxl.utils import get_column_letter

    refs = []
    for r0, c0, r1, c1 in merges:
        kept = [c - sum(1 for d in drop if d < c) for c in range(c0, c1 + 1) if c not in drop]
        if kept and (r1 > r0 or kept[-1] > kept[0]):
            first, last = get_column_letter(kept[0] + 1), get_column_letter(kept[-1] + 1)
            refs.append(f"{first}{r0 + 1}:{last}{r1 + 1}")
    return refs


def _cell(ws: object, value: object) -> object:
    """A write-only cell; text is always a string cell (``data_type = "s"``), never a
    formula, whatever it starts with (openpyxl takes any text starting with ``=`` as one)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if is_blank(value):
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))  # control characters
        cell.data_type = "s"
        return cell
    return value


def _write_xlsx(sheets: list[Sheet], dest: Path) -> list[str]:
    """The scrubbed workbook; returns the labels of the columns removed."""
    from openpyxl import Workbook

    removed: list[str] = []
    wb = Workbook(write_only=True)
    for n, sheet in enumerate(sheets):
        title = mask_text(_SHEET_TITLE_UNSAFE.sub("_", sheet.name or "").strip("'"))[:31] or f"Sheet{n + 1}"
        ws = wb.create_sheet(title=title)
        drop = personal_columns(sheet)
        removed += [label for label in _labels(sheet.rows[:HEADER_SCAN_ROWS], drop) if label not in removed]
        for row in _scrub(sheet, drop):
            ws.append([_cell(ws, v) for v in row])
        for ref in _scrub_merges(sheet.merges, drop):
            ws.merged_cells.add(ref)
    wb.save(dest)
    return removed


def _labels(rows: Iterable[Sequence[object]], columns: set[int]) -> list[str]:
    """The personal labels of ``columns``, left to right (for the note of ``.error.txt``)."""
    found: dict[int, str] = {}
    for row in rows:
        for i, v in enumerate(row):
            if i in columns and i not in found and _is_label(v):
                found[i] = mask_text(str(v).strip())
    return [found[i] for i in sorted(found)]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory, for streaming one copy."""
    con = duckdb.connect(config={"threads": 1, "memory_limit": _COPY_MEMORY})
    con.execute("set enable_progress_bar = false")
    con.execute("set preserve_insertion_order = true")
    return con


def _header_width(rows: Sequence[Sequence[object]]) -> int:
    """The number of fields of a CSV file's rows: its header's, when one is found (a longer
    row is a shifted one), else the widest of the first rows."""
    match = find_header(rows, FAMILIES)
    lines = [rows[i] for i in match.header_rows] if match else rows
    return max((len(r) for r in lines), default=1) or 1


def _csv_copy_sql(src: Path, kind: str, dest: Path, width: int, drop: set[int], cap: int) -> str:
    """``COPY`` of a CSV file's kept columns, masked; shifted rows removed."""
    delim = sniff_delimiter(first_lines(src, kind, 40))
    read = width + _EXTRA_FIELDS
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(read)) + "}"
    source = (
        f"read_csv({_literal(str(src))}, header = false, all_varchar = true, delim = {_literal(delim)},"
        " quote = '\"', escape = '\"', null_padding = true, strict_mode = false,"
        f" auto_detect = false, nullstr = {_literal(_NO_NULL)},"
        f" compression = {_literal('gzip' if kind == 'csv.gz' else 'none')}, columns = {columns})"
    )
    shifted = " or ".join(f"c{i} is not null" for i in range(width, read))
    kept = [i for i in range(width) if i not in drop]
    exprs = []
    for n, i in enumerate(kept):
        marker = _literal(SHIFTED_ROW) if n == 0 else "null"
        exprs.append(f"case when _shifted then {marker} else nullif({sql_mask(f'c{i}')}, '') end")
    select = ", ".join(exprs) or "null"
    options = "format csv, header false" + (", compression gzip" if kind == "csv.gz" else "")
    return (
        f"copy (select {select} from (select *, ({shifted}) as _shifted from {source}) limit {cap + 1})"
        f" to {_literal(str(dest))} ({options})"
    )


def _numeric_mask(ident: str, type_name: str) -> str:
    """A whole number of 9 to 12 digits (an ID or phone number) becomes null."""
    fractional = type_name in ("FLOAT", "DOUBLE") or type_name.startswith("DECIMAL")
    whole = f"{ident} = trunc({ident})" if fractional else "true"
    return (
        f"case when {whole} and abs({ident}) >= 100000000 and abs({ident}) < 1000000000000"
        f" then null else {ident} end"
    )


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}
_INTEGER_TYPES |= {"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"}
_KEPT_TYPES = ("DATE", "TIME", "TIMESTAMP", "BOOLEAN", "INTERVAL")


def _parquet_copy_sql(
    con: duckdb.DuckDBPyConnection, src: Path, dest: Path, cap: int
) -> tuple[str, list[str]]:
    """``COPY`` of a Parquet file's kept columns, masked; and the removed column names."""
    source = f"read_parquet({_literal(str(src))})"
    described = con.execute(f"describe select * from {source}").fetchall()
    names = [str(r[0]) for r in described]
    types = [str(r[1]).upper() for r in described]
    casts = ", ".join(f"cast({_ident(n)} as varchar)" for n in names)
    first = con.execute(f"select {casts} from {source} limit {HEADER_SCAN_ROWS}").fetchall()
    drop = personal_columns_of([names, *first])
    removed = [names[i] for i in sorted(drop)]
    exprs = []
    for i, (name, type_name) in enumerate(zip(names, types, strict=True)):
        if i in drop:
            continue
        ident = _ident(name)
        if type_name == "VARCHAR":
            expr = sql_mask(ident)
        elif type_name in _INTEGER_TYPES or type_name.startswith("DECIMAL"):
            expr = _numeric_mask(ident, type_name)
        elif type_name.startswith(_KEPT_TYPES):
            expr = ident
        else:  # lists, structs, maps, blobs…: as masked text
            expr = sql_mask(f"cast({ident} as varchar)")
        exprs.append(f"{expr} as {ident}")
    select = ", ".join(exprs) or "null as removed"
    return (
        f"copy (select {select} from {source} limit {cap + 1}) to {_literal(str(dest))} (format parquet)",
        removed,
    )


class _NoCopy(Exception):
    """No scrubbed copy can be written; ``args`` are the English and Vietnamese reasons."""


def _table_caps(kind: str, family: str | None) -> tuple[int, int]:
    """(rows, bytes of text) a copy may hold: a record export's limits, or those of a file
    of aggregated figures or survey responses (read whole by the readers)."""
    lim = limits()
    if family in (None, "dossier_records"):
        return lim.max_record_rows, lim.max_record_text_bytes
    rows = lim.max_parquet_rows if kind == "parquet" else lim.max_sheet_rows
    return rows, lim.max_table_text_bytes


def _text_bytes_over(path: Path, kind: str, cap: int) -> bool:
    """True when the text of a CSV file (decompressed: a ``.csv.gz`` is inflated in chunks,
    never whole) is longer than ``cap`` bytes; a 14 MB bomb stops at the cap."""
    if kind != "csv.gz":
        return path.stat().st_size > cap
    total = 0
    with gzip.open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            total += len(chunk)
            if total > cap:
                return True
    return False


def _check_size(path: Path, kind: str, family: str | None) -> int:
    """The row cap of the copy; raises :class:`_NoCopy` when the file is over a limit
    (checked before DuckDB reads it: the rows a Parquet file declares, the bytes of text)."""
    rows, text_bytes = _table_caps(kind, family)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            declared = pq.ParquetFile(path).metadata.num_rows
        except Exception:  # damaged: DuckDB reports it
            declared = 0
        if declared > rows:
            raise _NoCopy(
                f"No copy kept: the file has more than {rows} rows.",
                f"Không lưu bản sao: tệp có hơn {rows} dòng.",
            )
    elif _text_bytes_over(path, kind, text_bytes):
        raise _NoCopy(
            f"No copy kept: the file holds more than {human_bytes(text_bytes)} of text.",
            f"Không lưu bản sao: tệp chứa hơn {human_bytes(text_bytes)} văn bản.",
        )
    return rows


def _stream_table(path: Path, kind: str, dest: Path, family: str | None) -> list[str]:
    """Stream a CSV or Parquet file into its scrubbed copy ``dest`` with DuckDB; returns
    the labels of the removed columns. The file is reached through a link of a fixed name,
    so its own name (``*``, ``?``, ``[…]``, quotes) never reaches DuckDB."""
    cap = _check_size(path, kind, family)
    suffix = {"csv": ".csv", "csv.gz": ".csv.gz", "parquet": ".parquet"}[kind]
    with tempfile.TemporaryDirectory(prefix="parwh-quarantine-") as tmp:
        link = Path(tmp) / f"source{suffix}"
        link.symlink_to(path.resolve())
        con = _connect()
        try:
            if kind == "parquet":
                sql, removed = _parquet_copy_sql(con, link, dest, cap)
            else:
                head = read_sheets(link, max_rows=HEADER_SCAN_ROWS)[0].rows
                width = _header_width(head)
                drop = personal_columns_of(head)
                removed = _labels(head, drop)
                sql = _csv_copy_sql(link, kind, dest, width, drop, cap)
            written = con.execute(sql).fetchall()[0][0]
        finally:
            con.close()
    if written > cap:
        raise _NoCopy(
            f"No copy kept: the file has more than {cap} rows.",
            f"Không lưu bản sao: tệp có hơn {cap} dòng.",
        )
    return removed


def _removing_on_failure(dest: Path, write: Callable[[], list[str]]) -> list[str]:
    """Run ``write``; a partly written ``dest`` is removed when it fails."""
    try:
        return write()
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def _write_copy(
    path: Path, name: str, kind: str | None, quarantine: Path, family: str | None
) -> tuple[Path, list[str]]:
    """Write the scrubbed copy; returns its path and the removed column labels. Raises
    :class:`_NoCopy` when none can be written."""
    if kind in WORKBOOK_KINDS:
        try:
            sheets = read_sheets(path)
        except ReadError as exc:
            raise _NoCopy(
                "No copy kept: the file cannot be read, so personal data cannot be removed from it.",
                "Không lưu bản sao: không đọc được tệp nên không thể xóa thông tin cá nhân khỏi tệp.",
            ) from exc
        dest = _unique(quarantine / f"{Path(name).name.removesuffix(Path(name).suffix)}.xlsx")
        return dest, _removing_on_failure(dest, lambda: _write_xlsx(sheets, dest))
    if kind in TABLE_KINDS:
        dest = _unique(quarantine / name)
        return dest, _removing_on_failure(dest, lambda: _stream_table(path, kind, dest, family))
    raise _NoCopy(
        "No copy kept: a file of this type cannot be checked for personal data.",
        "Không lưu bản sao: không thể kiểm tra thông tin cá nhân trong loại tệp này.",
    )


def quarantine_file(
    path: Path | None,
    file_id: str,
    file_name: str,
    quarantine: Path,
    error: IngestError,
    family: str | None = None,
) -> Path:
    """Write the scrubbed copy of a rejected file into ``quarantine`` (or none, when it
    cannot be written) and ``.error.txt`` beside it. Returns the path of the error file.
    ``family`` is the family the file was read as: it sets the size a copy may have (a
    record export's limits, or those of aggregated figures)."""
    quarantine.mkdir(parents=True, exist_ok=True)
    name = safe_name(file_name, file_id)
    kind = file_kind(name)
    notes: list[str] = []
    dest: Path | None = None
    if path is not None and path.exists():
        try:
            dest, removed = _write_copy(path, name, kind, quarantine, family)
            shown = ", ".join(removed)
            if removed:
                notes += [
                    f"Các cột thông tin cá nhân đã được xóa khỏi bản sao này: {shown}.",
                    f"Personal columns were removed from this copy: {shown}.",
                ]
            notes += [
                "Các giá trị giống thông tin cá nhân (số định danh, số điện thoại, thư điện tử, địa chỉ)"
                " đã được che trong bản sao này.",
                "Values that look personal (ID and phone numbers, e-mail and street addresses) are"
                " masked in this copy.",
            ]
        except _NoCopy as exc:
            notes += [exc.args[1], exc.args[0]]
        except Exception as exc:  # never the original instead, and never fail the rejection
            log.warning("cannot write the scrubbed copy of %s (%s)", name, type(exc).__name__)
            notes += [
                "Không lưu bản sao: không ghi được bản sao đã xóa thông tin cá nhân.",
                "No copy kept: the copy without personal data could not be written.",
            ]
    error_path = _unique(quarantine / f"{dest.name if dest else name}.error.txt")
    lines = [
        f"Tệp / File: {file_name}",
        f"Trang tính / Sheet: {mask_text(error.sheet or '-')}",
        f"Dòng / Row: {error.row if error.row is not None else '-'}",
        f"Cột / Column: {mask_text(error.column or '-')}",
        f"Lỗi: {error.message_vi}",
        f"Error: {error.message_en}",
        *notes,
    ]
    error_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return error_path
