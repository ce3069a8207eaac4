"""Reading a one-stop system's row-per-event export with DuckDB's own readers, shared by the
record exports (:mod:`ingest.records`) and the status histories (:mod:`ingest.status_history`):
the file under a name DuckDB cannot take for a glob (:func:`literal_path`), the staging query
that selects only the mapped columns as trimmed text (:func:`export_source_sql`), the
timestamp formats and their parsing in the province's local time (:func:`timestamp_sql`), the
unit a cell or a file name names in its era (:func:`era_unit_sql`,
:func:`unit_from_file_name`), and the refusals that name file, row and column.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

import sqlfiles
from ingest import vocabulary
from ingest.dates import LOCAL_TIME_ZONE
from ingest.errors import IngestError
from ingest.form_checks import LoadFinding
from ingest.readers import file_kind, first_lines, read_csv, sniff_delimiter

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql

TIMESTAMP_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    # the portal's sync schema: yyyyMMddHHmmss, as text or as an integer (a float export's
    # trailing ".0" is dropped first: 20230301080000.0)
    "%Y%m%d%H%M%S",
    "%Y%m%d%H%M",
    "%Y%m%d",
)

#: 12-hour times of a Vietnamese Windows locale: ``01/03/2023 02:30 CH`` (chiều, PM) is
#: 14:30, ``08:00:00 SA`` (sáng, AM) is 08:00. Read only with SA or CH: a US ``AM``/``PM``
#: time is month-first and stays refused. The name of each format (as :func:`timestamp_sql`'s
#: ``first``), and the format read once SA/CH is written AM/PM.
TWELVE_HOUR_FORMATS = {
    "%d/%m/%Y %I:%M:%S SA/CH": "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M SA/CH": "%d/%m/%Y %I:%M %p",
}

#: Excel's date numbers (days since 30 Dec 1899, the time as the fraction: 44986.333333 is
#: 1 March 2023 08:00), as an xlsx cell without a date format or a CSV made from it gives
#: them. Read only in a column whose first rows are all such numbers (a number among
#: written dates is no date), and only from 1 Jan 2000 (36526) to 31 Dec 2099 (73415).
EXCEL_SERIAL = "excel serial"
EXCEL_SERIAL_FIRST = 36526
EXCEL_SERIAL_LAST = 73415


TIMESTAMP_FORMATS_SHOWN_EN = (
    "ISO, dd/mm/yyyy HH:MM[:SS] (or with - or . between day, month and year; 12-hour with"
    " SA/CH), yyyyMMddHHmmss, or a whole column of Excel date numbers of 2000-2099"
)


TIMESTAMP_FORMATS_SHOWN_VI = (
    "ISO, dd/mm/yyyy HH:MM[:SS] (hoặc dd-mm-yyyy, dd.mm.yyyy; giờ 12 tiếng có SA/CH),"
    " yyyyMMddHHmmss, hoặc cả cột là số ngày của Excel trong các năm 2000-2099"
)


FILE_UNIT_COLUMN = "file_unit"  # stage column holding the unit read from the file name


_NAME_TOKEN = re.compile(r"[0-9a-z]+")


#: an ISO timestamp that states its offset: ``2023-07-01T00:30:00+07:00``, ``…Z``, and
#: DuckDB's text of a Parquet ``timestamp[tz=UTC]`` (``2023-06-30 17:30:00+00``). A time
#: must come before the offset: ``01-07-2023`` ends in ``-2023`` and is no offset.
_OFFSET = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$"


#: characters DuckDB's file readers expand as a glob pattern
_GLOB_CHARACTERS = frozenset("*?[]{}")


@dataclass
class ExportResult:
    """What loading one export gave: its rows, units and periods, and its findings."""

    rows: int
    unit_codes: list[str]
    period_labels: list[str]
    #: the warnings written to raw.load_findings for this file (dates in the wrong order)
    findings: list[LoadFinding] = field(default_factory=list)
    #: what the load's message adds (English, Vietnamese): a column of a field not read
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: the header's columns not loaded, with why ("H (Ngày có KQ): not understood")
    ignored: list[str] = field(default_factory=list)
    ignored_vi: list[str] = field(default_factory=list)


#: an all-digit value a float export ended in ".0": 20230301080000.0, 20230301.0
_FLOAT_DIGITS = r"^([0-9]{8,14})\.0+$"
#: the Vietnamese 12-hour suffixes
_TWELVE_HOUR_SUFFIX = r"\s+(SA|CH|sa|ch)$"
#: the shape of an Excel date number; its range is checked apart
_SERIAL_SHAPE = r"^[0-9]{1,6}(\.[0-9]+)?$"


def _serial_sql(col: str) -> str:
    """An Excel date number as a timestamp, to the second; null outside 2000-2099."""
    number = f"try_cast({col} as double)"
    return (
        f"case when regexp_matches({col}, '{_SERIAL_SHAPE}') and {number} >= {EXCEL_SERIAL_FIRST}"
        f" and {number} < {EXCEL_SERIAL_LAST + 1}"
        f" then make_timestamp(cast(round(({number} - 25569) * 86400) as bigint) * 1000000) end"
    )


def _twelve_hour_sql(col: str, formats: list[str]) -> str:
    """A 12-hour time written with SA/CH, read as AM/PM; null without SA/CH."""
    am_pm = f"regexp_replace(regexp_replace({col}, '\\s+(SA|sa)$', ' AM'), '\\s+(CH|ch)$', ' PM')"
    shown = ", ".join(f"'{f}'" for f in formats)  # constants
    return (
        f"case when regexp_matches({col}, '{_TWELVE_HOUR_SUFFIX}') then try_strptime({am_pm}, [{shown}]) end"
    )


def timestamp_sql(col: str, first: str | None = None) -> str:
    """Timestamp parsing expression, in the province's local time; ``first`` is the format
    seen in the file's first rows (:func:`detect_timestamp_format`), tried first (DuckDB's
    coalesce only evaluates later arguments where needed). The other formats are read on any
    row, except Excel date numbers: only in a column ``first`` says holds them.

    A timestamp that states its offset (``+07:00``, ``Z``, a Parquet ``timestamp[tz=UTC]``)
    is converted to Asia/Ho_Chi_Minh with DuckDB's bundled ICU (``at time zone``): a dossier
    received at 00:30 +07:00 on 1 July is received on 1 July, not at 17:30 UTC on 30 June.
    A naive timestamp is local time already and is taken as written.
    """
    naive = naive_timestamp_sql(col, first)
    return (  # the pattern and the zone are constants of this module
        f"case when {states_offset_sql(col)}"
        f" then try_cast({col} as timestamptz) at time zone '{LOCAL_TIME_ZONE}'"
        f" else {naive} end"
    )


def states_offset_sql(col: str) -> str:
    """Whether the text states its offset (:func:`timestamp_sql` converts it to local time)."""
    return f"regexp_matches({col}, '{_OFFSET}')"  # a constant pattern


def naive_timestamp_sql(col: str, first: str | None = None) -> str:
    """The part of :func:`timestamp_sql` that reads a timestamp stating no offset (never
    raises an error: every reading is a ``try_``)."""
    digits = f"regexp_replace({col}, '{_FLOAT_DIGITS}', '\\1')"  # 20230301080000.0
    formats = ", ".join(f"'{f}'" for f in TIMESTAMP_FORMATS if f != first)  # constants
    twelve = [f for name, f in TWELVE_HOUR_FORMATS.items() if name != first]
    parts = [f"try_cast({col} as timestamp)", f"try_strptime({digits}, [{formats}])"]
    if twelve:
        parts.append(_twelve_hour_sql(col, twelve))
    if first == EXCEL_SERIAL:
        parts.insert(0, _serial_sql(col))
    elif first in TWELVE_HOUR_FORMATS:
        parts.insert(0, _twelve_hour_sql(col, [TWELVE_HOUR_FORMATS[first]]))
    elif first is not None:
        parts.insert(0, f"try_strptime({digits}, '{first}')")
    return f"coalesce({', '.join(parts)})"


def _reads_as(value: str, fmt: str) -> bool:
    """Whether ``value`` is written in ``fmt`` (a name of :func:`detect_timestamp_format`)."""
    if fmt == EXCEL_SERIAL:
        return re.match(_SERIAL_SHAPE, value) is not None
    if fmt in TWELVE_HOUR_FORMATS:
        suffix = re.search(_TWELVE_HOUR_SUFFIX, value)
        if suffix is None:
            return False
        value, fmt = value[: suffix.start()], TWELVE_HOUR_FORMATS[fmt].removesuffix(" %p")
    else:
        value = re.sub(_FLOAT_DIGITS, r"\1", value)
    try:
        datetime.strptime(value, fmt)  # %I without %p: 1-12, as with it
    except ValueError:
        return False
    return True


def detect_timestamp_format(samples: list[str]) -> str | None:
    """The format all sample values use, or ``None`` (ISO: DuckDB's own cast, or mixed
    formats). Excel date numbers are detected by their shape: a column of them whose
    numbers fall outside 2000-2099 is refused on the row that does."""
    for fmt in (*TIMESTAMP_FORMATS, *TWELVE_HOUR_FORMATS, EXCEL_SERIAL):
        if samples and all(_reads_as(value, fmt) for value in samples):
            return fmt
    return None


def parquet_float_columns(path: Path) -> set[int]:
    """Positions of floating-point columns of a Parquet file (pandas writes integer columns
    with gaps as doubles: 20230815143000.0, 2.0)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    return {i for i, f in enumerate(schema) if pa.types.is_floating(f.type)}


def export_source_sql(
    path: Path, width: int, selected: list[int], file_unit: str | None, row_offset: int = 0
) -> tuple[str, list]:
    """The staging query: the row number and the selected columns only, as trimmed text,
    of the rows holding any of them. ``row_offset`` rows stood above the header in the
    original sheet (a title block)."""
    cols = ", ".join(f"c{i}" for i in range(width))
    floats: set[int] = set()
    if file_kind(path) == "parquet":
        inner = f"select * from read_parquet(?) as src({cols})"
        params: list = [str(path)]
        floats = parquet_float_columns(path)
    else:
        inner = (
            "select * from read_csv(?, delim = ?, header = true, quote = '\"',"
            " escape = '\"', strict_mode = true, null_padding = false, auto_detect = false,"
            " columns = ?)"
        )
        delim = sniff_delimiter(first_lines(path, file_kind(path) or "csv", 20))
        params = [str(path), delim, {f"c{i}": "VARCHAR" for i in range(width)}]

    def text(i: int) -> str:
        if i in floats:  # a whole number written as a double reads as that integer
            return (
                f"case when c{i} = trunc(c{i}) then cast(try_cast(c{i} as bigint) as varchar)"
                f" else cast(c{i} as varchar) end"
            )
        return f"cast(c{i} as varchar)"

    items = ["row_number() over () + cast(? as bigint) as source_row"]
    items += [f"nullif(trim({text(i)}), '') as c{i}" for i in selected]
    if file_unit is not None:  # in the select list, before the reader's parameters
        items.append(f"cast(? as varchar) as {FILE_UNIT_COLUMN}")
        params.insert(0, file_unit)
    params.insert(0, 1 + row_offset)  # the first parameter: the row number's offset
    # rows are numbered as the file's, then blank rows (every read column empty: a spacer
    # between records, a row a spreadsheet's copy blanked) are left out
    filled = " or ".join(f"c{i} is not null" for i in selected) or "true"
    return f"select * from (select {', '.join(items)} from ({inner})) where {filled}", params


_TEMP_LINK = re.compile(r"[\"']?[^\s\"']*parwh_records_[^/\s\"']*/records\.[a-z.]+[\"']?")


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_WIDTH = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def unreadable_export(file_name: str, exc: Exception, row_offset: int = 0) -> IngestError:
    """The refusal of an export DuckDB could not read; a row of another number of columns
    than the header is named by its row (``row_offset``: rows above the header that the
    reading skipped)."""
    text = str(exc)
    line, width = _CSV_LINE.search(text), _CSV_WIDTH.search(text)
    if line and width:
        row = int(line.group(1)) + row_offset
        expected, found = width.groups()
        return IngestError(
            f"row {row} has {found} columns where the header has {expected} (a separator too"
            " many or too few, or a cell cut short): correct the row and export again",
            f"dòng {row} có {found} cột trong khi dòng tên cột có {expected} cột (thừa hoặc"
            " thiếu dấu phân cách, hoặc ô bị cắt): sửa dòng này rồi xuất lại tệp",
            file_name=file_name,
            row=row,
        )
    # DuckDB names the private link it read (literal_path): the submitter knows the file
    why = _TEMP_LINK.sub("the file", (text.splitlines() or [""])[0])[:200]
    return IngestError(
        f"the file cannot be read completely (damaged, truncated or inconsistent columns): {why}",
        "không đọc được toàn bộ tệp (tệp hỏng, bị cắt cụt hoặc số cột không đồng nhất)",
        file_name=file_name,
    )


def refusal(file_name: str, en: str, vi: str, row: int | None, column: str | None) -> IngestError:
    return IngestError(en, vi, file_name=file_name, row=row, column=column)


#: a dossier id Excel turned into a number shown in scientific notation ("2.30301E+11",
#: "1E+14", "1,23457E+14"): one digit, its decimals, "E+" and the exponent. The digits past
#: the sixth are lost: ids that differed become one, and no id can be recovered.
SCIENTIFIC_ID_SQL = r"^[0-9]([.,][0-9]+)?[eE]\+[0-9]{1,2}$"


def scientific_id_refusal(file_name: str, value: object, row: int | None, column: str | None) -> IngestError:
    """The refusal of a dossier id Excel turned into a number in scientific notation."""
    shown = str(value)[:40]
    return refusal(
        file_name,
        f"dossier id {shown!r} is a number Excel turned into scientific notation: its digits are"
        " lost and it names no dossier; format the column as text and export the file again",
        f"mã hồ sơ {shown!r} đã bị Excel đổi thành số dạng khoa học (có E+): các chữ số của mã đã"
        " mất, không còn xác định được hồ sơ; định dạng cột mã hồ sơ là văn bản rồi xuất lại tệp",
        row,
        column,
    )


def unit_codes_in_file_name(con: duckdb.DuckDBPyConnection, file_name: str) -> list[str]:
    """GSO codes (2, 3 or 5 digits, optionally ``L``-prefixed) in a file name that name a
    unit of the official lists: ``hoso_568_2018.csv`` → ``['568']``, ``L568_2023.csv`` →
    ``['L568']``. A two-digit number right after a year (``2023_06``) is a month, not a
    province."""
    stem = Path(file_name).name.lower()
    tokens = _NAME_TOKEN.findall(stem)
    candidates: list[str] = []
    for i, token in enumerate(tokens):
        legacy = token.startswith("l") and token[1:].isdigit()
        digits = token[1:] if legacy else token
        if not digits.isdigit() or len(digits) not in (2, 3, 5):
            continue
        previous = tokens[i - 1] if i else ""
        if len(digits) == 2 and previous.isdigit() and len(previous) == 4:
            continue  # yyyy_mm
        candidates.append(("L" + digits) if legacy else digits)
    if not candidates:
        return []
    known = {
        str(r[0])
        for r in sqlfiles.execute(
            con, PACKAGE, "units_known_by_gso_code", {"codes": [c.removeprefix("L") for c in candidates]}
        ).fetchall()
    }
    legacy_known = {
        str(r[0])
        for r in sqlfiles.execute(
            con, PACKAGE, "units_known_by_unit_code", {"codes": [c for c in candidates if c.startswith("L")]}
        ).fetchall()
    }
    found = [c for c in candidates if (c in legacy_known if c.startswith("L") else c in known)]
    return list(dict.fromkeys(found))


def era_unit_sql(unit: str, era_at: str) -> str:
    """The SQL of a unit cell as a warehouse unit code: a GSO code written without its era
    is a legacy unit (``L`` + code) when ``era_at`` (a timestamp expression) is before the
    2025 reorganisation; ``L…`` and ``VN`` as written. Both arguments are SQL expressions."""
    return (
        f"case when upper({unit}) like 'L%' then upper({unit})"
        f" when upper({unit}) = 'VN' then 'VN'"
        f" when {era_at} < timestamp '{vocabulary.reorganisation_date().isoformat()}' then 'L' || {unit}"
        f" else {unit} end"
    )


def unit_from_file_name(con: duckdb.DuckDBPyConnection, file_name: str, row: int, unit_headers: str) -> str:
    """The one unit a file name names (a GSO code, see :func:`unit_codes_in_file_name`), for
    an export without a unit column; refused (file and row named) when it names none or
    several. ``unit_headers``: the unit column's headings, for the message."""
    codes = unit_codes_in_file_name(con, file_name)
    column = unit_headers
    if len(codes) == 1:
        return codes[0]
    if not codes:
        en = (
            f"missing required column unit_code ({column}): the export has no unit column and"
            " its file name names no unit (add the column, or put the unit's GSO code in the"
            " file name, e.g. hoso_568_2018.csv)"
        )
        vi = (
            f"thiếu cột bắt buộc mã đơn vị ({column}): tệp không có cột đơn vị và tên tệp không"
            " chứa mã đơn vị (thêm cột này, hoặc ghi mã GSO của đơn vị vào tên tệp, ví dụ"
            " hoso_568_2018.csv)"
        )
    else:
        shown = ", ".join(codes)
        en = (
            f"missing required column unit_code ({column}): the export has no unit column and"
            f" its file name names several units ({shown}); add the column or keep one code in"
            " the file name"
        )
        vi = (
            f"thiếu cột bắt buộc mã đơn vị ({column}): tệp không có cột đơn vị và tên tệp chứa"
            f" nhiều mã đơn vị ({shown}); thêm cột này hoặc chỉ để một mã trong tên tệp"
        )
    raise refusal(file_name, en, vi, row, None)


@contextlib.contextmanager
def literal_path(path: Path, kind: str) -> Iterator[Path]:
    """The file under a name DuckDB reads as itself and nothing else.

    DuckDB's ``read_csv(?)`` and ``read_parquet(?)`` take a path parameter as a glob
    pattern (``*``, ``?``, ``[…]``, ``{…}``): ``ho_so_*.csv.gz`` read three other files and
    ``ho_so_c[1].csv.gz`` read ``ho_so_c1.csv.gz``. The file is given to DuckDB as a hard
    link (a symbolic link across file systems) named ``records.<kind>`` in a private
    temporary directory, whose path is checked to hold no glob character; the directory is
    removed afterwards. The submitted name never reaches DuckDB.
    """
    folder = Path(tempfile.mkdtemp(prefix="parwh_records_"))
    try:
        link = folder / f"records.{kind}"
        if _GLOB_CHARACTERS & set(str(link)):
            raise IngestError(
                f"the temporary directory {folder} has a glob character in its path; set TMPDIR"
                " to a plain directory",
                f"thư mục tạm {folder} có ký tự đại diện trong đường dẫn; đặt TMPDIR là một thư"
                " mục có tên thông thường",
            )
        try:
            os.link(path, link)
        except OSError:
            os.symlink(Path(path).resolve(), link)
        yield link
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def export_width(path: Path) -> int:
    kind = file_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return len(pq.read_schema(path).names)
    sheet = read_csv(path, kind or "csv", max_rows=1)[0]
    return len(sheet.rows[0]) if sheet.rows else 0
