"""Load record-level dossier exports (``.csv``, ``.csv.gz``, ``.parquet``) with DuckDB's own
readers: no Python loop over rows. Values never enter SQL text: the file path and options
are parameters, columns are renamed positionally (``AS src(c0, c1, …)``) and categorical
values are mapped through small DataFrames registered with DuckDB.

Only the columns the alias list maps are read into the staging table and inserted: personal
columns of an export (ChuHoSo, SoDienThoai, Email, DiaChi, SoCMND/CCCD, TrichYeu …) are never
selected.

The national public-service portal's sync schema is accepted as it is (MaHoSo, MaTTHC,
TenLinhVuc / MaLinhVuc, KenhThucHien, NgayTiepNhan, NgayHenTra, NgayKetThucXuLy, NgayTra,
TrangThaiHoSo, timestamps written ``yyyyMMddHHmmss``), as are the Vietnamese headings of the
same exports. Categorical values (channel, status, online level, rating, booleans, level) are
read through :mod:`ingest.vocabulary`: the portal's numeric codes (``by_portal_code``) or words
(``lookup``).

``finished_at`` is the end of processing (NgayKetThucXuLy, "Ngày kết thúc xử lý", "Ngày có kết
quả"): the moment the unit's work ended, which is what on time is judged by (a citizen who
collects the result days after the due date does not make the unit late). Where an export has
no end of processing for a row, the return date (NgayTra, "Ngày trả kết quả") stands in for it.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import itertools
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

import sqlfiles
import yamlfiles
from ingest import vocabulary
from ingest.aggregated import KIND_LEVEL
from ingest.dates import DateWindow, date_window
from ingest.errors import IngestError, ParseError
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
    naive_timestamp_sql,
    refusal,
    scientific_id_refusal,
    states_offset_sql,
    timestamp_sql,
    unit_from_file_name,
    unreadable_export,
)
from ingest.form_checks import LoadFinding
from ingest.headers import HeaderMatch
from ingest.periods import parse_authority_level
from ingest.readers import file_kind, first_lines, sniff_delimiter
from ingest.record_units import check_codes_against_names, unit_names_expr
from ingest.text import clean, fold

PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql
#: the supplement requested and completed (the 766 rules: the time between is not counted
#: against the deadline); read as the other timestamps are
_SUPPLEMENT_COLUMNS = ("supplement_requested_at", "supplement_completed_at")
_TS_COLUMNS = ("received_at", "due_at", "finished_at", "returned_at", *_SUPPLEMENT_COLUMNS)
_BOOL_COLUMNS = {
    "fully_online_eligible": "is_fully_online_eligible",
    "digitised": "is_digitised",
    "electronic_result": "has_electronic_result",
    "fee_required": "is_fee_required",
    "paid_online": "is_paid_online",
    "synced": "is_synced",
    "complaint": "has_complaint",
    "data_reused": "is_data_reused",
}
#: the DuckDB macros the checks and the insert read cells with (ingest/sql/records_macro_*.sql)
_MACROS = (
    "records_macro_fold",
    "records_macro_fee_text",
    "records_macro_fee_amount",
    "records_macro_whole_number",
)
#: a fee cell that states no value (a dash), loaded as null rather than refused
_NO_FEE = ("-", "–", "—")
#: column -> vocabulary section its values are read with (ingest/vocabulary.yaml)
_SECTIONS = {
    "authority_level": "authority_levels",
    "channel": "channels",
    "status": "dossier_statuses",
    "online_level": "online_levels",
    "citizen_rating": "citizen_ratings",
    **{column: "booleans" for column in _BOOL_COLUMNS},
}
_CATEGORICAL = tuple(_SECTIONS)
#: statuses whose dossier is closed: they need a finish date (resolved, withdrawn, stopped
#: are counted in the period of that date)
_CLOSED_STATUSES = ("resolved", "withdrawn", "stopped")
_TEXT_COLUMNS = ("dossier_id", "unit_code", "procedure_code", "field", "field_code")
MAX_DISTINCT = 2000
#: a column of at most this many distinct values is mapped by a case in the file's rows
_CASE_VALUES = 64
ALIASES = Path(__file__).parent / "aliases" / "dossier_records.yaml"
_PORTAL_NAME = re.compile(r"[A-Z][a-z]+(?:[A-Z][A-Za-z]*)+")  # MaHoSo, NgayTiepNhan, MaTTHC
#: the two fee headings an export writes side by side (the fee and the charge): the dossier's
#: fee is their sum; any other two columns naming one field are refused, none picked
_FEE_PARTS = ("phi", "le phi")
#: the stage column of the second fee part ("Lệ phí" beside "Phí")
_FEE_PART = "fee_amount_part"
#: the suffix of the other column of a field the portal defines by one column ("Hạn xử lý"
#: beside "Ngày hẹn trả": due_at_other), read where the portal's column is empty
_OTHER = "_other"


#: rule of a row whose end of processing is dated before its reception (raw.load_findings)
RULE_FINISHED_BEFORE_RECEIVED = "records_finished_before_received"
#: rule of a row whose due date is before its reception
RULE_DUE_BEFORE_RECEIVED = "records_due_before_received"
#: the temporary table of a file's rows as they are inserted (each value computed once, named
#: :data:`_ROW` + the column, and the unit and level cells as staged), which the checks after
#: the row checks and the insert read
_ROWS_TABLE = "_records_rows"
#: the temporary table of a file's units: its (unit cell, unit, level) groups
_UNITS_TABLE = "_records_units"
_ROW = "row_"
#: findings written per rule and file: beyond it, one more finding counts the rest (a
#: corrupted export must not turn into a million findings in every published workbook)
MAX_ROW_FINDINGS = 500


@cache
def _alias_spec() -> dict:
    with open(ALIASES, encoding="utf-8") as fh:
        return yamlfiles.load(fh) or {}


def _required() -> tuple[str, ...]:
    return tuple(_alias_spec().get("required") or ())


def _headers_of(canonical: str) -> str:
    """The headers a submitter may use for a column, for messages: the first Vietnamese
    heading and the portal's name (a heading without spaces), e.g. "Ngày tiếp nhận /
    NgayTiepNhan"."""
    labels = [str(x) for x in (_alias_spec().get("columns") or {}).get(canonical) or ()]
    shown = labels[:1] + [x for x in labels if _PORTAL_NAME.fullmatch(x)][:1]
    return " / ".join(dict.fromkeys(shown)) or canonical


def _map_value(column: str, value: str) -> str | None:
    """The vocabulary code of a categorical cell: the portal's numeric code first
    (KenhThucHien 2, TrangThaiHoSo 9), then the words; ``None`` when unknown."""
    section = _SECTIONS[column]
    mapped = vocabulary.code_of(section, value)
    if mapped is None and column == "authority_level":
        try:
            return parse_authority_level(value)
        except ParseError:
            return None
    return mapped


def load_records(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    window: DateWindow | None = None,
    row_offset: int = 0,
) -> ExportResult:
    """Insert one records file into ``raw.dossier_records`` (caller holds the transaction).

    ``window`` is the plausible date window (default :func:`ingest.dates.date_window` of
    today); DuckDB reads the file through :func:`literal_path`. ``row_offset`` is the number
    of rows that stood above the file's first line in the original (a spreadsheet's title
    block, see :mod:`ingest.records_sheets`): row numbers in messages and ``source_row``
    are the original's.
    """
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
    row_offset: int = 0,
) -> ExportResult:
    header_row = match.header_rows[-1] + 1 + row_offset
    match, notes = _with_shared_fields(match, file_name, header_row)
    cols = match.columns
    missing = [c for c in _required() if c not in cols]
    if missing:
        shown = ", ".join(f"{c} ({_headers_of(c)})" for c in missing)
        raise refusal(
            file_name,
            f"missing required column(s): {shown}",
            f"thiếu cột bắt buộc: {shown}",
            header_row,
            None,
        )
    file_unit = (
        None
        if "unit_code" in cols or "unit_name" in cols  # a unit by name: ingest/record_units.py
        else unit_from_file_name(con, file_name, header_row, _headers_of("unit_code"))
    )
    width = max(match.labels) + 1 if match.labels else 0
    width = max(width, export_width(path))
    selected = sorted(set(cols.values()))  # mapped columns only: never a personal column
    file_sql, file_params = export_source_sql(path, width, selected, file_unit, row_offset)
    # The file is read and decompressed once, into a temporary table; every check and
    # the insert below read that table (a CSV.gz scan costs far more than a table scan).
    # Its timestamps are parsed in the same pass, with the formats the file's first rows
    # use (see _parsed_formats): the checks and the insert read the parsed columns.
    formats = _sample_formats(path, selected, cols)
    # (the parsed columns never raise an error: a failing staging is the reader's, as ever)
    staged = file_sql if formats is None else _with_parsed(file_sql, formats, cols)
    try:
        con.execute(f"create or replace temp table _records_stage as {staged}", file_params)
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc, row_offset) from exc
    try:
        _create_macros(con)
        result = _load_staged(
            con, match, file_id, file_name, loaded_at, file_unit is not None, window, formats
        )
        result.notes = notes
        read = set(match.columns.values())
        unread = [
            (i, why)
            for i, why in sorted(match.ignored.items())
            if i not in read and i not in match.known_ignored
        ]
        result.ignored = [f"{match.describe(i)}: {why_en}" for i, (why_en, _) in unread]
        result.ignored_vi = [f"{match.describe(i)}: {why_vi}" for i, (_, why_vi) in unread]
        return result
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction drops it itself
            con.execute("drop table if exists temp._records_stage")
            con.execute(f"drop table if exists temp.{_ROWS_TABLE}")
            con.execute(f"drop table if exists temp.{_UNITS_TABLE}")
            con.execute("drop table if exists temp._records_fee_free_words")


def _ts_present(cols: dict[str, int]) -> list[str]:
    """The timestamp columns of the export (the portal's and the other column of a field)."""
    return [k for k in (*_TS_COLUMNS, *(f"{t}{_OTHER}" for t in _TS_COLUMNS)) if k in cols]


def _parsed(name: str) -> str:
    """The stage column holding the parsed timestamp of the column ``name`` (null where the
    value states its offset: :func:`_offset`)."""
    return f"ts_{name}"


def _offset(name: str) -> str:
    """The stage column saying the value of the column ``name`` states its offset
    (``+07:00``, ``Z``): such a value is read where it is used, by :func:`timestamp_sql`."""
    return f"tz_{name}"


def _detect_formats(con: duckdb.DuckDBPyConnection, sql: str, params: list, present: list[str]):
    """The format of each timestamp column in the first 50 rows ``sql`` gives (its select
    list is the columns of ``present``, in order)."""
    sample = con.execute(sql, params).fetchall()
    return {
        k: detect_timestamp_format([r[i] for r in sample if r[i] is not None]) for i, k in enumerate(present)
    }


def _csv_sample(path: Path, selected: list[int], present: list[int]) -> list[tuple] | None:
    """The first 50 rows of a CSV export holding any selected column, the ``present``
    columns of each as the staging reads them (trimmed, empty as null), read by Python's
    csv module from the file's first lines: a guess, checked against the staged rows
    (:func:`_load_staged`); ``None`` where the first lines do not hold 50 such rows."""
    lines = first_lines(path, file_kind(path) or "csv", 400)
    delim = sniff_delimiter(lines[:20])  # as export_source_sql
    rows: list[tuple] = []
    try:
        for row in itertools.islice(csv.reader(lines, delimiter=delim), 1, None):
            cells = [(row[i].strip(" ") or None) if i < len(row) else None for i in range(max(selected) + 1)]
            if any(cells[i] is not None for i in selected):
                rows.append(tuple(cells[i] for i in present))
                if len(rows) == 50:
                    return rows
    except csv.Error:
        return None
    return None


def _parquet_formats(path: Path, present: list[str], cols: dict[str, int]) -> dict[str, str | None] | None:
    """The formats of a Parquet export's timestamp columns when each is a typed timestamp or
    date (DuckDB writes them as ISO text, which no format of detect_timestamp_format reads:
    ``None``, DuckDB's own cast); ``None`` when any is not (text, numbers)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    for k in present:
        i = cols[k]
        if i >= len(schema) or not (
            pa.types.is_timestamp(schema[i].type) or pa.types.is_date(schema[i].type)
        ):
            return None
    return dict.fromkeys(present)


def _sample_formats(path: Path, selected: list[int], cols: dict[str, int]) -> dict[str, str | None] | None:
    """The formats of the timestamp columns in the file's first 50 staged rows, guessed
    before the file is staged (without DuckDB: an error there would end the file's
    transaction) so that the staging parses them in the same pass; ``None`` when the file
    has no timestamp column or no guess is made. :func:`_load_staged` checks the guess
    against the staged rows' own sample: a guess that differs is never used."""
    present = _ts_present(cols)
    if not present:
        return None
    try:
        if file_kind(path) == "parquet":
            return _parquet_formats(path, present, cols)
        rows = _csv_sample(path, selected, [cols[k] for k in present])
    except Exception:  # noqa: BLE001 - only a guess: the staging reads the file and says why
        return None
    if rows is None:
        return None
    return {
        k: detect_timestamp_format([r[i] for r in rows if r[i] is not None]) for i, k in enumerate(present)
    }


def _with_parsed(sql: str, formats: dict[str, str | None], cols: dict[str, int]) -> str:
    """The staging query with each timestamp column's value read as :func:`timestamp_sql`
    reads one stating no offset (:func:`_parsed`), and whether it states one
    (:func:`_offset`): an offset's conversion to local time can raise an error (a year
    out of range), which is raised where the value is read, as ever, not while staging."""
    flags, items = [], []
    for k, fmt in formats.items():
        col = f"c{cols[k]}"
        flags.append(f"coalesce({states_offset_sql(col)}, false) as {_offset(k)}")
        # (an empty cell states no offset: its parsed value is null, as the cell)
        items.append(
            f"case when {_offset(k)} then null else {naive_timestamp_sql(col, fmt)} end as {_parsed(k)}"
        )
    # the offset of each value is matched once, the parse reads its flag
    return f"select *, {', '.join(items)} from (select *, {', '.join(flags)} from ({sql}))"


def _with_shared_fields(
    match: HeaderMatch, file_name: str, header_row: int
) -> tuple[HeaderMatch, list[tuple[str, str]]]:
    """The match with "Lệ phí" beside "Phí" read as the second part of the fee, and, of two
    columns naming a field the portal defines by one of them ("Ngày hẹn trả" beside "Hạn xử
    lý", "Ngày kết thúc xử lý" beside "Ngày có kết quả"), the one it defines by (the
    ``preferred`` headings of the alias file), with a note (English, Vietnamese) saying which
    column was not read. Any other column the header reader set aside as naming a field
    another column names already is refused naming both columns: which one holds the
    dossier's value is never guessed."""
    aliases = {
        canonical: {fold(a) for a in labels}
        for canonical, labels in (_alias_spec().get("columns") or {}).items()
    }
    preferred = {
        canonical: {fold(a) for a in labels}
        for canonical, labels in (_alias_spec().get("preferred") or {}).items()
    }
    columns = dict(match.columns)
    extra: dict[str, int] = {}
    notes: list[tuple[str, str]] = []
    for index in sorted(match.ignored):
        label = fold(match.labels.get(index))
        canonical = next((k for k, folded in aliases.items() if k in columns and label in folded), None)
        if canonical is None:
            continue
        kept = columns[canonical]
        pair = {fold(match.labels.get(kept)), label}
        if canonical == "fee_amount" and pair == set(_FEE_PARTS) and _FEE_PART not in extra:
            extra[_FEE_PART] = index
            continue
        ranked = preferred.get(canonical, set())
        chosen = [i for i in (kept, index) if fold(match.labels.get(i)) in ranked]
        if len(chosen) == 1 and f"{canonical}{_OTHER}" not in extra:
            read, unread = chosen[0], index if chosen[0] == kept else kept
            columns[canonical] = read
            extra[f"{canonical}{_OTHER}"] = unread
            notes.append(
                (
                    f"{canonical} read from column {match.describe(read)}, the portal's; column"
                    f" {match.describe(unread)} only where it is empty",
                    f"{_headers_of(canonical)} đọc ở cột {match.describe(read)} (theo định nghĩa"
                    f" của Cổng DVCQG); cột {match.describe(unread)} chỉ được đọc khi cột này trống",
                )
            )
            continue
        first, second = match.describe(min(kept, index)), match.describe(max(kept, index))
        raise refusal(
            file_name,
            f"columns {first} and {second} both name {canonical} ({_headers_of(canonical)}):"
            " which one holds the dossier's value is not guessed; keep one of them and submit"
            " the export again",
            f"cột {first} và cột {second} cùng là một thông tin ({_headers_of(canonical)}):"
            " không đoán cột nào đúng; chỉ giữ một trong hai cột rồi gửi lại tệp",
            header_row,
            second,
        )
    if not extra and columns == match.columns:
        return match, notes
    return dataclasses.replace(match, columns={**columns, **extra}), notes


def _fee_free_words() -> list[str]:
    """The folded words of a fee of zero (``fee_words`` of ingest/vocabulary.yaml)."""
    words = [w for t in vocabulary.terms("fee_words").values() for w in (t.code, t.vi, t.en, *t.words)]
    return sorted({fold(w) for w in words} - {""})


def _create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The DuckDB macros that read supplement counts and fees (ingest/sql/records_macro_*.sql),
    and the words of a fee of zero they compare with, for this connection."""
    sqlfiles.execute(con, PACKAGE, "records_fee_free_words", {"words": _fee_free_words()})
    for name in _MACROS:
        sqlfiles.execute(con, PACKAGE, name)


def _distinct_values(
    con: duckdb.DuckDBPyConnection, present: list[str], c, file_name: str
) -> dict[str, list[str]]:
    """Distinct values of the categorical columns (grouping sets, one scan)."""
    distinct: dict[str, list[str]] = {k: [] for k in present}
    if not present:
        return distinct
    sets = ", ".join(f"({c(k)})" for k in present)
    flags = ", ".join(f"grouping({c(k)})" for k in present)
    try:
        groups = con.execute(
            f"select {', '.join(c(k) for k in present)}, {flags}"
            f" from temp._records_stage group by grouping sets ({sets})"
        ).fetchall()
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc) from exc
    n = len(present)
    for g in groups:
        for i, k in enumerate(present):
            if g[n + i] == 0 and g[i] is not None:
                distinct[k].append(g[i])
    return distinct


def _load_staged(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    unit_from_file_name: bool,
    window: DateWindow,
    staged_formats: dict[str, str | None] | None = None,
) -> ExportResult:
    cols = match.columns
    stage = "temp._records_stage"

    def c(name: str) -> str:
        if name == "unit_code" and unit_from_file_name:
            return FILE_UNIT_COLUMN
        return f"c{cols[name]}" if name in cols else "null"

    def column_name(name: str) -> str | None:
        return match.column_name(name)

    ts_present = _ts_present(cols)
    fmt: dict[str, str | None] = {}
    if ts_present:
        try:
            fmt = _detect_formats(
                con, f"select {', '.join(c(k) for k in ts_present)} from {stage} limit 50", [], ts_present
            )
        except duckdb.Error as exc:
            raise unreadable_export(file_name, exc) from exc
    # the stage's parsed columns are read only where they were parsed with the formats of
    # the staged rows' own sample (the file's first rows read before staging: the same
    # rows); otherwise every timestamp is parsed where it is read, as written
    parsed = staged_formats is not None and staged_formats == fmt
    # a parsed column none of whose values states its offset is read as parsed: the value
    # as written is then never read (every check and the insert read a short expression)
    offsets = dict.fromkeys(ts_present, True)
    if parsed:
        try:
            found = con.execute(
                f"select {', '.join(f'bool_or({_offset(k)})' for k in ts_present)} from {stage}"
            ).fetchall()[0]
        except duckdb.Error as exc:
            raise unreadable_export(file_name, exc) from exc
        offsets = {k: bool(flag) for k, flag in zip(ts_present, found, strict=True)}

    def ts_of(name: str, prefix: str = "s.", own: bool = False) -> str:
        """The column's timestamp; where the portal's column of a field is empty, the other
        column naming it (``own``: the column's own value only, for its row check)."""
        if name not in cols:
            return "cast(null as timestamp)"

        def one(k: str) -> str:
            written = timestamp_sql(f"{prefix}{c(k)}", fmt.get(k))
            if not parsed:
                return written
            if not offsets[k]:
                return f"{prefix}{_parsed(k)}"
            return f"(case when {prefix}{_offset(k)} then {written} else {prefix}{_parsed(k)} end)"

        value = one(name)
        other = f"{name}{_OTHER}"
        if own or other not in cols:
            return value
        return f"coalesce({value}, {one(other)})"

    # 1. Categorical values → vocabulary codes (one scan for the distinct values).
    cat_present = [k for k in (*_CATEGORICAL, "field") if k in cols]
    distinct = _distinct_values(con, cat_present, c, file_name)
    mapping_rows: list[tuple[str, str, str | None]] = []
    for name, values in distinct.items():
        if name == "field":
            if len(values) <= MAX_DISTINCT:
                mapping_rows += [(name, v, clean(v)) for v in values]
            continue
        if len(values) > MAX_DISTINCT:
            raise refusal(
                file_name,
                f"column {name} has too many different values ({len(values)})",
                f"cột {name} có quá nhiều giá trị khác nhau ({len(values)})",
                None,
                column_name(name),
            )
        for v in values:
            mapped = _map_value(name, v)
            # the cell as written, trimmed: a symbol ("*", "+") folds to "" yet states something
            if mapped is None and clean(v).lower() not in ("", "none", "null"):
                first = f"select min(source_row) from {stage} where {c(name)} = ?"
                row = con.execute(first, [v]).fetchall()[0]
                en, vi = f"unknown {name} value {v[:40]!r}", f"giá trị {name} không hợp lệ: {v[:40]!r}"
                if name == "status":
                    en += " (the portal's TrangThaiHoSo is 1-10)"
                    vi = f"trạng thái hồ sơ không hợp lệ: {v[:40]!r} (TrangThaiHoSo của Cổng DVC là 1-10)"
                elif name == "channel":
                    en += " (KenhThucHien: 1 in person, 2 online, 3 postal)"
                    vi += " (KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính)"
                raise refusal(file_name, en, vi, row[0] if row else None, column_name(name))
            mapping_rows.append((name, v, None if mapped == "none" else mapped))
    mapping = pd.DataFrame(mapping_rows, columns=["col", "raw", "val"], dtype=object)
    con.register("_ingest_value_map", mapping)
    try:
        joins: dict[str, str] = {}
        exprs: dict[str, str] = {}
        # the file's rows map a column of few values with a case whose values are parameters
        # (one pass, no join), the others (fields) by a join with the map
        row_joins: dict[str, str] = {}
        row_exprs: dict[str, str] = {}
        row_params: dict[str, str | None] = {}
        for k in cat_present:
            if k == "field" and len(distinct["field"]) > MAX_DISTINCT:
                exprs[k] = row_exprs[k] = f"nfc_normalize(s.{c(k)})"
                continue
            alias = f"m_{k}"
            joins[k] = (
                f"left join (select raw, val from _ingest_value_map where col = '{k}') {alias}"
                f" on {alias}.raw = s.{c(k)}"
            )
            exprs[k] = f"{alias}.val"
            pairs = [(raw, val) for col, raw, val in mapping_rows if col == k]
            if len(pairs) > _CASE_VALUES:
                row_joins[k], row_exprs[k] = joins[k], exprs[k]
                continue
            whens = []
            for i, (raw, val) in enumerate(pairs):  # names of parameters: constants
                row_params[f"raw_{k}_{i}"], row_params[f"val_{k}_{i}"] = raw, val
                whens.append(f"when $raw_{k}_{i} then $val_{k}_{i}")
            row_exprs[k] = (
                f"cast(case s.{c(k)} {' '.join(whens)} end as varchar)" if whens else "cast(null as varchar)"
            )
        sources = (  # the file's rows map every value; the row checks need the status only
            f"{stage} s {' '.join(row_joins.values())}",
            f"{stage} s {joins.get('status', '')}",
        )
        return _check_and_insert(
            con,
            match,
            file_id,
            file_name,
            loaded_at,
            c,
            ts_of,
            (exprs, row_exprs, row_params),
            sources,
            unit_from_file_name,
            window,
        )
    finally:
        con.unregister("_ingest_value_map")


def _check_and_insert(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
    c,
    ts_of,
    mapped: tuple[dict[str, str], dict[str, str], dict[str, str | None]],
    sources: tuple[str, str],
    unit_from_file_name: bool,
    window: DateWindow,
) -> ExportResult:
    cols = match.columns
    stage = "temp._records_stage"
    source, checked = sources
    check_exprs, exprs, row_params = mapped  # the row checks' (joins), the file's rows'

    def cat(name: str) -> str:
        return exprs.get(name, "cast(null as varchar)")

    def text(name: str) -> str:
        return f"s.{c(name)}" if name in cols else "cast(null as varchar)"

    status = check_exprs.get("status", "cast(null as varchar)")  # of the row checks' source
    finished = f"coalesce({ts_of('finished_at')}, {ts_of('returned_at')})"
    closed = ", ".join(f"'{s}'" for s in _CLOSED_STATUSES)  # constants

    # 2. Row checks, one scan (the failing row is looked up only on error).
    checks: dict[str, tuple[str, str | None]] = {  # check -> (condition, column)
        "dossier_id": (f"s.{c('dossier_id')} is null", "dossier_id"),
        "dossier_id_scientific": (
            f"regexp_full_match(s.{c('dossier_id')}, '{SCIENTIFIC_ID_SQL}')",  # a constant
            "dossier_id",
        ),
        "received_at": (
            f"(s.{c('received_at')} is null and {status} is distinct from 'not_received')"
            f" or (s.{c('received_at')} is not null and {ts_of('received_at')} is null)",
            "received_at",
        ),
    }
    by_name = not unit_from_file_name and "unit_code" not in cols
    if not unit_from_file_name:
        unit_column = "unit_name" if by_name else "unit_code"
        checks[unit_column] = (f"s.{c(unit_column)} is null", unit_column)
    for base in ("due_at", "finished_at", "returned_at", *_SUPPLEMENT_COLUMNS):
        for name in (base, f"{base}{_OTHER}"):
            if name in cols:
                checks[name] = (f"s.{c(name)} is not null and {ts_of(name, own=True)} is null", name)
    if "supplement_count" in cols:
        count = f"s.{c('supplement_count')}"
        checks["supplement_count"] = (
            f"{count} is not null and records_whole_number({count}) is null",
            "supplement_count",
        )
    for part in ("fee_amount", _FEE_PART):
        if part not in cols:
            continue
        fee = f"s.{c(part)}"
        no_fee = ", ".join(f"'{d}'" for d in _NO_FEE)  # constants
        checks[part] = (
            f"{fee} is not null and {fee} not in ({no_fee}) and records_fee_amount({fee}) is null",
            part,
        )
    if all(k in cols for k in _SUPPLEMENT_COLUMNS):  # compared as dates, as the models count days
        requested, completed = (f"cast({ts_of(k)} as date)" for k in _SUPPLEMENT_COLUMNS)
        checks["supplement_order"] = (f"{completed} < {requested}", "supplement_completed_at")
    if "status" in cols:
        finish_column = next((k for k in ("finished_at", "returned_at") if k in cols), "status")
        checks["closed_without_finish"] = (f"{status} in ({closed}) and {finished} is null", finish_column)
    try:
        failed = con.execute(
            f"select {', '.join(f'bool_or({cond})' for cond, _ in checks.values())} from {checked}"
        ).fetchall()[0]
        if any(failed):
            first_rows = con.execute(
                "select "
                + ", ".join(f"min(s.source_row) filter (where {cond})" for cond, _ in checks.values())
                + f" from {checked}"
            ).fetchall()[0]
        else:
            first_rows = (None,) * len(checks)
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc) from exc
    for (name, (_, column)), bad in zip(checks.items(), first_rows, strict=True):
        if bad is None:
            continue
        raise _row_error(con, match, file_name, name, column, bad, c, status, checked)
    unit = f"s.{c('unit_code')}"
    era_at = f"coalesce({ts_of('received_at')}, {ts_of('due_at')}, {finished}"
    if "status" in cols:  # a dossier never received may have no date: the file's latest
        era_at += f", (select max({ts_of('received_at', 'r.')}) from {stage} r)"
    era_at += ")"
    ts_window = [k for k in _TS_COLUMNS if k in cols]
    if by_name:  # resolved once per name, in the era of the row's dates (after the window)
        _check_window(con, match, file_name, c, ts_of, window, f"{stage} s")
        province = c("province") if "province" in cols else None
        unit_expr = unit_names_expr(con, match, file_name, stage, c("unit_name"), province, era_at)
    else:
        unit_expr = era_unit_sql(unit, era_at)

    channel = (
        f"coalesce({cat('channel')}, '{vocabulary.channel_when_blank()}')"  # vocabulary constant
        if "channel" in cols
        else "cast(null as varchar)"
    )
    field = cat("field") if "field" in cols else "cast(null as varchar)"
    if "field_code" in cols:  # the field's name where the export has it, else its code
        field = f"coalesce({field}, {text('field_code')})"

    def boolean(k: str) -> str:
        return f"cast({exprs[k]} as boolean)" if k in exprs else "cast(null as boolean)"

    # the channel cell was empty (or said none): channel_when_blank stood in for it
    channel_blank = f"({cat('channel')} is null)" if "channel" in cols else "cast(null as boolean)"
    supplements = (
        f"records_whole_number({text('supplement_count')})"
        if "supplement_count" in cols
        else "cast(null as integer)"
    )
    fee_amount = (
        f"records_fee_amount({text('fee_amount')})"
        if "fee_amount" in cols
        else "cast(null as decimal(18, 2))"
    )
    if _FEE_PART in cols:  # "Phí" and "Lệ phí": their sum, null only when both are
        part = f"records_fee_amount({text(_FEE_PART)})"
        fee_amount = (
            f"case when {fee_amount} is null and {part} is null then null"
            f" else coalesce({fee_amount}, 0) + coalesce({part}, 0) end"
        )

    values = {
        "dossier_id": text("dossier_id"),
        "unit_code": unit_expr,
        "stated_level": cat("authority_level"),
        "procedure_code": text("procedure_code"),
        "field": field,
        "channel": channel,
        "received_at": ts_of("received_at"),
        "due_at": ts_of("due_at"),
        "finished_at": finished,
        "online_level": cat("online_level"),
        **{target: boolean(k) for k, target in _BOOL_COLUMNS.items()},
        "citizen_rating": cat("citizen_rating"),
        "status": cat("status"),
        "is_channel_blank": channel_blank,
        "supplement_count": supplements,
        "supplement_requested_at": ts_of("supplement_requested_at"),
        "supplement_completed_at": ts_of("supplement_completed_at"),
        "fee_amount": fee_amount,
    }
    # Every value of a row is computed once, into a second temporary table with the unit
    # and level cells as staged (the checks' messages and the unit lookups read the cells
    # as written): the checks below and the insert read these values instead of mapping,
    # parsing and resolving the staged cells again, once per check. The row checks above
    # have read every timestamp already (an offset out of range raised its error there).
    window_of = {k: f"{_ROW}w_{k}" for k in ts_window}  # a column's own date, coalesced
    # the cells the unit and level checks read as written (under their stage names)
    cells = dict.fromkeys(
        c(k) for k in ("unit_code", "unit_name", "province", "authority_level") if k in cols
    )
    if unit_from_file_name:
        cells[FILE_UNIT_COLUMN] = None
    computed = ["s.source_row", *(f"s.{cell}" for cell in cells)]
    computed += [f"{expr} as {_ROW}{k}" for k, expr in values.items()]
    computed += [f"{ts_of(k)} as {window_of[k]}" for k in ts_window]
    try:
        con.execute(
            f"create or replace temp table {_ROWS_TABLE} as select {', '.join(computed)} from {source}",
            row_params or None,
        )
    except duckdb.Error as exc:
        raise _cannot_load(file_name, exc) from exc
    rows = f"temp.{_ROWS_TABLE} s"
    row_unit = f"s.{_ROW}unit_code"
    if not by_name:
        _check_window(con, match, file_name, c, lambda k: f"s.{window_of[k]}", window, rows)
    unit_cell = c("unit_name" if by_name else "unit_code")
    level_cell = f"s.{c('authority_level')}" if "authority_level" in cols else "cast(null as varchar)"

    def file_units(unit_expr: str) -> None:
        """The file's (unit cell, unit, level) groups, each with its rows and its first row,
        and the unit they name (:data:`_UNITS_TABLE`): the unit and level checks read these
        few groups, not the file's rows."""
        con.execute(
            f"""
            create or replace temp table {_UNITS_TABLE} as
            select r.*, u.unit_code is not null as known, u.admin_era, u.province_code,
                u.unit_name, u.unit_kind
            from (
                select s.{unit_cell} as unit_cell, {unit_expr} as unit_code,
                    s.{_ROW}stated_level as stated, {level_cell} as level_cell,
                    count(*) as dossiers, min(s.source_row) as first_row
                from {rows}
                group by all
            ) r
            left join raw.admin_units u on u.unit_code = r.unit_code
            """
        )

    file_units(row_unit)
    _check_duplicates_and_units(con, match, file_name, c("dossier_id"))
    kind_level = " ".join(f"when '{k}' then '{v}'" for k, v in KIND_LEVEL.items())  # constants
    if "unit_code" in cols:
        _check_lost_zero(con, match, file_name)
        if "unit_name" in cols or "province" in cols:
            department = check_codes_against_names(
                con,
                match,
                file_name,
                f"temp.{_ROWS_TABLE}",
                c("unit_code"),
                c("unit_name") if "unit_name" in cols else None,
                c("province") if "province" in cols else None,
                row_unit,
            )
            if department is not None:  # "82 | Sở Tư pháp": the province's department
                row_unit = f"coalesce({department}, {row_unit})"
                file_units(row_unit)
    if "authority_level" in cols:
        _check_level_of_unit(con, match, file_name, kind_level, by_name)

    # the level as written, else the unit's kind (a province's records are tinh, …)
    level = f"coalesce(rec.stated_level, case units.unit_kind {kind_level} end)"
    columns = [k for k in values if k != "stated_level"]
    row_values = {k: row_unit if k == "unit_code" else f"s.{_ROW}{k}" for k in values}
    insert = f"""
        insert into raw.dossier_records (file_id, source_row, authority_level,
            {", ".join(columns)}, loaded_at)
        select ?, rec.source_row, {level}, {", ".join(f"rec.{k}" for k in columns)}, ?
        from (
            select s.source_row, {", ".join(f"{expr} as {k}" for k, expr in row_values.items())}
            from {rows}
        ) rec
        left join raw.admin_units units on units.unit_code = rec.unit_code
    """
    try:
        inserted = con.execute(insert, [file_id, loaded_at]).fetchall()[0][0]
    except duckdb.Error as exc:
        raise _cannot_load(file_name, exc) from exc
    result, order_counts = _result(con, file_name, inserted, row_unit, rows)
    result.findings = _flag_date_order(con, match, file_id, c, loaded_at, order_counts)
    return result


def _cannot_load(file_name: str, exc: duckdb.Error) -> IngestError:
    """The refusal of a file whose rows cannot be computed or inserted."""
    return refusal(
        file_name,
        f"the file cannot be loaded: {str(exc).splitlines()[0][:200]}",
        "không nạp được tệp (tệp hỏng hoặc dữ liệu không đúng định dạng)",
        None,
        None,
    )


def _row_error(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    check: str,
    column: str | None,
    row: int,
    c,
    status: str,
    source: str,
) -> IngestError:
    """The error of a row check, with the value found in that row."""
    shown_col = match.column_name(column) if column else None
    if check == "closed_without_finish":
        found = con.execute(
            f"select s.{c('status')}, {status} from {source} where s.source_row = ?", [row]
        ).fetchall()
        raw, code = found[0] if found else (None, None)
        label_en = vocabulary.label("dossier_statuses", code, "en") if code else "closed"
        label_vi = vocabulary.label("dossier_statuses", code, "vi") if code else "đã đóng"
        dates = " / ".join(_headers_of(k) for k in ("finished_at", "returned_at"))
        return refusal(
            file_name,
            f"status {raw!r} ({label_en}) but no finish date ({dates}): a dossier that is"
            " resolved, withdrawn or stopped is counted in the period it ended",
            f"trạng thái {raw!r} ({label_vi}) nhưng không có ngày kết thúc ({dates}): hồ sơ đã"
            " giải quyết, rút hoặc dừng xử lý được tính vào kỳ có ngày kết thúc",
            row,
            shown_col,
        )
    if check == "supplement_order":
        return _supplement_order_error(con, match, file_name, row, c, source)
    if check == "dossier_id_scientific":
        found = con.execute(f"select s.{c('dossier_id')} from {source} where s.source_row = ?", [row])
        return scientific_id_refusal(file_name, found.fetchall()[0][0], row, shown_col)
    value = con.execute(f"select s.{c(check)} from {source} where s.source_row = ?", [row]).fetchall()
    shown = value[0][0] if value else None
    if check in ("supplement_count", "fee_amount", _FEE_PART) and shown is not None:
        en, vi = _number_error(check, shown)
    elif shown is None:
        en = f"empty {check} (required)"
        vi = f"thiếu giá trị {check} (bắt buộc)"
    else:
        en = f"cannot read {shown[:40]!r} as a timestamp (expected {TIMESTAMP_FORMATS_SHOWN_EN})"
        vi = f"không đọc được {shown[:40]!r} thành thời điểm (cần {TIMESTAMP_FORMATS_SHOWN_VI})"
    return refusal(file_name, en, vi, row, shown_col)


def _number_error(check: str, shown: str) -> tuple[str, str]:
    """The message of a supplement count or a fee that cannot be read (English, Vietnamese)."""
    value = shown[:40]
    negative = value.lstrip().startswith(("-", "\u2212", "("))
    if check == "supplement_count":
        if negative:
            return (
                f"the number of supplement requests cannot be negative: {value!r}",
                f"số lần yêu cầu bổ sung không thể là số âm: {value!r}",
            )
        return (
            f"cannot read {value!r} as a number of supplement requests (a whole number: 0, 1, 2 …;"
            " empty where unknown)",
            f"không đọc được {value!r} thành số lần yêu cầu bổ sung (số nguyên: 0, 1, 2 …; để trống"
            " nếu không rõ)",
        )
    if negative:
        return (
            f"a fee cannot be negative: {value!r}",
            f"phí, lệ phí không thể là số âm: {value!r}",
        )
    return (
        f"cannot read {value!r} as a fee in VND: write a whole amount (50000, 50.000, 50,000,"
        " 1 250 000 đ) or 'Miễn phí' for none; an amount with a decimal part (1,5; 12.34) is no"
        " VND amount and is never guessed",
        f"không đọc được {value!r} thành số tiền phí, lệ phí (đồng): ghi số tiền nguyên (50000,"
        " 50.000, 50,000, 1 250 000 đ) hoặc 'Miễn phí' nếu không thu; số có phần thập phân (1,5;"
        " 12.34) không phải số tiền đồng và không được đoán",
    )


def _supplement_order_error(
    con: duckdb.DuckDBPyConnection, match: HeaderMatch, file_name: str, row: int, c, source: str
) -> IngestError:
    """Supplements completed on a day before they were requested: both cells, both columns."""
    requested_col, completed_col = (match.column_name(k) or _headers_of(k) for k in _SUPPLEMENT_COLUMNS)
    found = con.execute(
        f"select s.{c('supplement_requested_at')}, s.{c('supplement_completed_at')} from {source}"
        " where s.source_row = ?",
        [row],
    ).fetchall()
    requested, completed = (str(v)[:40] for v in found[0]) if found else ("", "")
    return refusal(
        file_name,
        f"supplements completed on {completed!r} (column {completed_col}) before they were"
        f" requested on {requested!r} (column {requested_col}): the time waiting for supplements"
        " cannot be counted; correct the dates and submit the export again",
        f"ngày bổ sung {completed!r} (cột {completed_col}) trước ngày yêu cầu bổ sung"
        f" {requested!r} (cột {requested_col}): không tính được thời gian chờ bổ sung; sửa ngày và"
        " gửi lại tệp",
        row,
        completed_col,
    )


def _result(
    con: duckdb.DuckDBPyConnection, file_name: str, inserted: int, unit: str, rows: str
) -> tuple[ExportResult, dict[str, int]]:
    """What the file held, from its rows as inserted (``rows``, the unit code ``unit``), and
    how many rows each date-order rule flags (:func:`_flag_date_order`): one scan of the
    file's rows, never of ``raw.dossier_records``."""
    staged = sqlfiles.execute(con, PACKAGE, "records_staged_count").fetchall()[0][0]
    if inserted != staged:  # never expected; guards against losing rows silently
        raise refusal(
            file_name,
            f"internal error: {staged} rows read but {inserted} inserted; nothing was loaded",
            f"lỗi nội bộ: đọc {staged} dòng nhưng ghi {inserted} dòng; tệp chưa được nạp",
            None,
            None,
        )
    before = {  # rule -> its rows (dates compared as dates, as the models count them)
        rule: f"count(*) filter (where cast(r.{loaded} as date) < cast(r.received_at as date))"
        for rule, (loaded, _) in _ORDER_RULES.items()
    }
    dates = ", ".join(f"s.{_ROW}{k} as {k}" for k in ("received_at", "due_at", "finished_at"))
    stats = con.execute(
        f"select list(distinct r.unit_code order by r.unit_code), {', '.join(before.values())}"
        f" from (select {unit} as unit_code, {dates} from {rows}) r"
    ).fetchall()[0]
    years = con.execute(
        f"select year(s.{_ROW}received_at), max(s.{_ROW}received_at)::date from {rows}"
        f" where s.{_ROW}received_at is not null group by 1 order by 1"
    ).fetchall()
    from ingest.periods import period_label

    labels = [period_label(date(y, 1, 1), end) for y, end in years]
    result = ExportResult(rows=int(inserted), unit_codes=list(stats[0] or []), period_labels=labels)
    return result, dict(zip(before, stats[1:], strict=True))


def _check_duplicates_and_units(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    dossier_col: str,
) -> None:
    """Duplicate dossier ids, on the staged file, and unknown unit codes, of the file's units
    (:data:`_UNITS_TABLE`); nothing inserted."""
    dup = con.execute(
        f"select {dossier_col}, min(source_row), max(source_row) from temp._records_stage"
        f" group by {dossier_col} having count(*) > 1 order by 3 limit 1"
    ).fetchall()
    if dup:
        dossier, first, second = dup[0]
        raise refusal(
            file_name,
            f"duplicate dossier_id {dossier!r}: rows {first} and {second}",
            f"mã hồ sơ {dossier!r} bị trùng: dòng {first} và dòng {second}",
            second,
            match.column_name("dossier_id"),
        )
    unknown = con.execute(
        f"select unit_code, min(first_row) from temp.{_UNITS_TABLE}"
        " where not known and unit_code <> 'VN' group by unit_code order by 2 limit 1"
    ).fetchall()
    if unknown:
        code, row = str(unknown[0][0]), unknown[0][1]
        plain = code[1:] if code.startswith("L") else code
        era = "legacy (before 2025-07-01)" if code.startswith("L") else "current"
        where_en = where_vi = ""
        if "unit_code" not in match.columns:
            where_en = ", read from the file name"
            where_vi = ", lấy từ tên tệp"
        raise refusal(
            file_name,
            f"unknown unit code {plain!r}{where_en}: no {era} unit has this GSO code (resolved as {code})",
            f"mã đơn vị {plain!r}{where_vi} không tồn tại trong danh mục đơn vị hành chính (tra theo {code})",
            row,
            match.column_name("unit_code"),
        )


def _check_level_of_unit(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    kind_level: str,
    by_name: bool = False,
) -> None:
    """A row that states its level (Cấp) and whose unit code names a unit of another level is
    refused: a code that lost its leading zero (Excel read the district 080 as 80) names a
    province, and the row's dossiers would be counted for it (``by_name``: the unit is named
    by name, and the same disagreement is refused as such). Rows without a stated level
    are not checked (their level is the unit's). Only a unit of a higher level than stated
    is refused (a code that lost a zero is shorter: a district's becomes a province's, a
    commune's a district's); a commune's row stating "Cấp huyện" is a dossier the district
    resolves and stays loaded."""

    def rank(level: str) -> str:  # tinh 0, huyen 1, xa 2: the order of the vocabulary
        order = " ".join(f"when '{k}' then {i}" for i, k in enumerate(vocabulary.terms("authority_levels")))
        return f"(case {level} {order} end)"

    found = con.execute(
        f"""
        select units.first_row, units.unit_cell, units.level_cell, units.stated, units.unit_name,
            units.unit_kind
        from temp.{_UNITS_TABLE} units
        where units.known and units.stated is not null
            and {rank("case units.unit_kind " + kind_level + " end")} < {rank("units.stated")}
        order by units.first_row
        limit 1
        """
    ).fetchall()
    if not found:
        return
    row, cell, level_cell, stated, unit_name, unit_kind = found[0]
    level_col = match.column_name("authority_level") or _headers_of("authority_level")
    unit_col = match.column_name("unit_code")
    level_en = vocabulary.label("authority_levels", stated, "en")
    unit_level_vi = vocabulary.label("authority_levels", KIND_LEVEL[unit_kind], "vi").lower()
    level_vi = vocabulary.label("authority_levels", stated, "vi").lower()
    if by_name:
        raise refusal(
            file_name,
            f"unit {cell!r} is {unit_name}, a {unit_kind}, but the row states {level_cell!r}"
            f" ({level_en}, column {level_col}): correct the unit or the level",
            f"đơn vị {cell!r} là {unit_name} ({unit_level_vi}), nhưng dòng này ghi {level_cell!r}"
            f" ({level_vi}, cột {level_col}): sửa lại đơn vị hoặc cấp",
            row,
            match.column_name("unit_name") or level_col,
        )
    # the refusal names the unit column; a unit read from the file name is said so
    where_en = "" if unit_col else " (read from the file name)"
    where_vi = "" if unit_col else " (lấy từ tên tệp)"
    raise refusal(
        file_name,
        f"unit code {cell!r}{where_en} names {unit_name}, a {unit_kind}, but the row states"
        f" {level_cell!r} ({level_en}, column {level_col}): the code names a unit of another level;"
        " a leading zero may have been lost (Excel reads the district 080 as 80): format the"
        " unit code column as text, write the code with its zeros and export again",
        f"mã đơn vị {cell!r}{where_vi} là mã của {unit_name} ({unit_level_vi}), nhưng dòng này ghi"
        f" {level_cell!r} ({level_vi}, cột {level_col}): mã này thuộc đơn vị khác cấp; có thể mã đã"
        " mất số 0 ở đầu (Excel đọc mã huyện 080 thành 80): định dạng cột mã đơn vị là văn bản,"
        " ghi đủ các số 0 rồi xuất lại tệp",
        row,
        unit_col or level_col,
    )


def _check_lost_zero(con: duckdb.DuckDBPyConnection, match: HeaderMatch, file_name: str) -> None:
    """A unit code that lost its leading zeros (Excel reads the district 080 as 80, the
    commune 00082 as 82) names a unit of another province, often a province itself. Where
    the file's other rows are mostly in one province and the code written with its zeros
    (3 digits for a district, 5 for a commune) names a unit of that province, the file is
    refused, naming the row and both units: its dossiers would be counted for a unit that
    did not send them. Rows stating their level are checked by level as well
    (:func:`_check_level_of_unit`); a file of one unit has no other rows to compare with."""
    found = con.execute(
        f"""
        with file_units as (  -- the file's known units
            select unit_cell as cell, unit_code, admin_era, province_code, unit_name,
                sum(dossiers) as dossiers, min(first_row) as first_row
            from temp.{_UNITS_TABLE}
            where known
            group by all
        ),
        provinces as (
            select admin_era, province_code, sum(dossiers) as dossiers
            from file_units group by all
        ),
        main_province as (
            select admin_era, arg_max(province_code, dossiers) as province_code,
                max(dossiers) as dossiers, sum(dossiers) as all_dossiers
            from provinces group by admin_era
        )
        select f.first_row, f.cell, f.unit_name, f.unit_code, padded.unit_name, padded.unit_code,
            province.unit_name
        from file_units f
        join main_province m on m.admin_era = f.admin_era and m.province_code <> f.province_code
        join raw.admin_units padded on padded.admin_era = f.admin_era
            and padded.gso_code in (lpad(f.cell, 3, '0'), lpad(f.cell, 5, '0'))
            and padded.gso_code <> f.cell and padded.province_code = m.province_code
        join raw.admin_units province on province.unit_code = m.province_code
        where regexp_full_match(f.cell, '[1-9][0-9]{{0,3}}') and m.dossiers * 2 > m.all_dossiers
        order by f.first_row, padded.gso_code
        limit 1
        """
    ).fetchall()
    if not found:
        return
    row, cell, unit_name, unit_code, padded_name, padded_code, province_name = found[0]
    padded = padded_code.removeprefix("L")
    raise refusal(
        file_name,
        f"unit code {cell!r} names {unit_name} ({unit_code}), but the file's other units are in"
        f" {province_name}, where {padded!r} is {padded_name}: a leading zero may have been lost"
        f" (Excel reads {padded} as {cell}): format the unit code column as text, write the"
        " codes with their zeros and export again",
        f"mã đơn vị {cell!r} là mã của {unit_name} ({unit_code}), nhưng các đơn vị khác trong tệp"
        f" thuộc {province_name}, nơi {padded!r} là {padded_name}: có thể mã đã mất số 0 ở đầu"
        f" (Excel đọc {padded} thành {cell}): định dạng cột mã đơn vị là văn bản, ghi đủ các số 0"
        " rồi xuất lại tệp",
        row,
        match.column_name("unit_code"),
    )


def _check_window(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    c,
    ts_of,
    window: DateWindow,
    source: str,
) -> None:
    """Every date of the file (received, due, finished, returned) within the plausible
    window, or the file is rejected: one scan of the staged file counts the rows outside
    and finds the first, per column.

    Two records dated 9999 made ``dbt build`` build month series up to 9999 and run out of
    memory every night; a date outside the window is a typing error that no figure should
    carry. The message names the first offending row (file row, the header is row 1), the
    column as submitted, the value as written, the window and how many rows are affected.
    """
    present = [k for k in _TS_COLUMNS if k in match.columns]
    if not present:
        return
    outside = {k: f"cast({ts_of(k)} as date) not between ?::date and ?::date" for k in present}
    items = [f"count(*) filter (where {' or '.join(outside.values())})"]
    for k in present:
        items += [f"min(s.source_row) filter (where {outside[k]})"]
    params: list = [window.earliest, window.latest] * len(present) * 2
    try:
        found = con.execute(f"select {', '.join(items)} from {source}", params).fetchall()[0]
    except duckdb.Error as exc:
        raise unreadable_export(file_name, exc) from exc
    affected = int(found[0] or 0)
    if not affected:
        return
    firsts = [(row, i) for i, row in enumerate(found[1:]) if row is not None]
    row, i = min(firsts)
    name = present[i]
    value = con.execute(
        f"select s.{c(name)} from temp._records_stage s where s.source_row = ?", [row]
    ).fetchall()
    shown = str(value[0][0])[:40] if value and value[0][0] is not None else ""
    header = match.column_name(name) or _headers_of(name)
    raise refusal(
        file_name,
        f"the date {shown!r} in column {header!r} (row {row}) is outside the plausible window"
        f" {window.shown}; {affected} row(s) of the file have a date outside it. Nothing of"
        " the file was loaded (set PARWH_EARLIEST_DATE / PARWH_LATEST_DATE_MARGIN_DAYS if the"
        " window is wrong)",
        f"ngày {shown!r} ở cột {header!r} (dòng {row}) nằm ngoài khoảng ngày hợp lý"
        f" {window.shown}; {affected} dòng của tệp có ngày nằm ngoài khoảng này. Tệp chưa được"
        " nạp (đặt PARWH_EARLIEST_DATE / PARWH_LATEST_DATE_MARGIN_DAYS nếu khoảng này sai)",
        row,
        header,
    )


#: rule -> (the later date of the pair as loaded, the stage columns it may come from)
_ORDER_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    RULE_FINISHED_BEFORE_RECEIVED: ("finished_at", ("finished_at", "returned_at")),
    RULE_DUE_BEFORE_RECEIVED: ("due_at", ("due_at",)),
}
_ORDER_MESSAGES: dict[str, tuple[str, str]] = {  # constants: DuckDB format() strings
    RULE_FINISHED_BEFORE_RECEIVED: (
        "finished on {} (column {}) before it was received on {}: the row is loaded but counts"
        " in no month's figures (a dossier counts from its reception to its end); correct the"
        " dates and submit the export again",
        "kết thúc ngày {} (cột {}) trước ngày tiếp nhận {}: dòng được nạp nhưng không được tính"
        " vào số liệu của tháng nào (hồ sơ được tính từ ngày tiếp nhận đến ngày kết thúc); sửa"
        " ngày và gửi lại tệp",
    ),
    RULE_DUE_BEFORE_RECEIVED: (
        "due on {} (column {}) before it was received on {}: the row is loaded and counted as"
        " submitted (late if resolved after the due date, overdue while pending); correct the"
        " dates and submit the export again",
        "hẹn trả ngày {} (cột {}) trước ngày tiếp nhận {}: dòng được nạp và tính theo số liệu đã"
        " gửi (quá hạn nếu giải quyết sau ngày hẹn, quá hạn khi đang giải quyết); sửa ngày và"
        " gửi lại tệp",
    ),
}


def _flag_date_order(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_id: str,
    c,
    loaded_at,
    totals: dict[str, int],
) -> list[LoadFinding]:
    """A finding in ``raw.load_findings`` for each loaded row finished, or due, on a date
    before it was received (dates compared as dates, as the models count them), written in
    the file's transaction; returned for the file's message.

    Decision: such rows are loaded, not the file rejected, and each is flagged with its file
    row and column. A finished-before-received row is active in no month (the models count
    a dossier from its reception to its end), so it adds to no figure: it is missing from
    the figures, never counted wrongly, and the finding says so. A due-before-received row
    is counted as submitted (late, or overdue while pending) and the finding says so. The
    rest of the export (usually a whole day of a province) is published rather than held
    back for one mistyped date. ``stated_value`` is the days from reception to the later
    date (negative), ``computed_value`` 0, so the finding's difference is never zero. At most
    :data:`MAX_ROW_FINDINGS` rows per rule are listed; one more finding counts the rest.
    """
    findings: list[LoadFinding] = []
    for rule, (loaded, sources) in _ORDER_RULES.items():
        present = [k for k in sources if k in match.columns]
        if not present:
            continue
        # the header the row's date came from (finished_at, else returned_at)
        column = "case " + " ".join(f"when s.{c(k)} is not null then ?" for k in present) + " end"
        headers = [match.column_name(k) or k for k in present]
        message_en, message_vi = _ORDER_MESSAGES[rule]
        bad = f"r.file_id = ? and cast(r.{loaded} as date) < cast(r.received_at as date)"  # constants
        days = f"date_diff('day', cast(r.received_at as date), cast(r.{loaded} as date))"

        def shown(col: str) -> str:
            return f"strftime(r.{col}, '%d/%m/%Y')"

        selected = f"""
            select r.source_row, {column} as column_ref, {days} as days, r.unit_code,
                strftime(r.received_at, '%Y-%m') as period_label,
                {shown(loaded)} as later, {shown("received_at")} as received
            from raw.dossier_records r
            join temp._records_stage s on s.source_row = r.source_row
            where {bad}
        """
        total = totals[rule]  # counted on the file's rows as inserted (_result)
        if not total:
            continue
        con.execute(
            f"""
            insert into raw.load_findings (file_id, source_family, sheet_name, source_row,
                column_ref, rule, severity, stated_value, computed_value, difference, message,
                message_vi, unit_code, period_label, loaded_at)
            select ?, 'dossier_records', null, source_row, column_ref, ?, 'warn', days, 0, days,
                format(?, later, column_ref, received), format(?, later, column_ref, received),
                unit_code, period_label, ?
            from ({selected})
            order by source_row
            limit {MAX_ROW_FINDINGS}
            """,
            [file_id, rule, message_en, message_vi, loaded_at, *headers, file_id],
        )
        if total > MAX_ROW_FINDINGS:
            more = total - MAX_ROW_FINDINGS
            sqlfiles.execute(
                con,
                PACKAGE,
                "records_findings_more",
                {
                    "file_id": file_id,
                    "column_ref": headers[0],
                    "rule": rule,
                    "stated_value": -more,
                    "difference": -more,
                    "message": f"{more} more row(s) of the file have the same problem (the first"
                    f" {MAX_ROW_FINDINGS} are listed one by one)",
                    "message_vi": f"còn {more} dòng khác của tệp có cùng lỗi ({MAX_ROW_FINDINGS} dòng"
                    " đầu được liệt kê từng dòng)",
                    "loaded_at": loaded_at,
                },
            )
    rows = sqlfiles.execute(
        con,
        PACKAGE,
        "records_date_order_findings",
        {
            "file_id": file_id,
            "finished_rule": RULE_FINISHED_BEFORE_RECEIVED,
            "due_rule": RULE_DUE_BEFORE_RECEIVED,
        },
    ).fetchall()
    for rule, row, column, stated, computed, en, vi, unit, period in rows:
        findings.append(
            LoadFinding(
                rule=rule,
                sheet=None,
                source_row=row,
                column_ref=column,
                stated=Decimal(stated) if stated is not None else None,
                computed=Decimal(computed) if computed is not None else None,
                message=en,
                message_vi=vi,
                unit_code=unit,
                period_label=period,
            )
        )
    return findings
