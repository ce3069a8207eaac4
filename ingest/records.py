"""Load record-level dossier exports (``.csv``, ``.csv.gz``, ``.parquet``) with DuckDB's own
readers: no Python loop over rows. Values never enter SQL text: the file path and options
are parameters, columns are renamed positionally (``AS src(c0, c1, …)``) and categorical
values are mapped through small DataFrames registered with DuckDB.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest.errors import IngestError, ParseError
from ingest.headers import HeaderMatch, load_aliases
from ingest.periods import parse_authority_level
from ingest.readers import file_kind, first_lines, read_csv, sniff_delimiter
from ingest.text import clean, fold

TIMESTAMP_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)
_TS_COLUMNS = ("received_at", "due_at", "finished_at")
_BOOL_COLUMNS = {
    "fully_online_eligible": "is_fully_online_eligible",
    "digitised": "is_digitised",
    "electronic_result": "has_electronic_result",
    "fee_required": "is_fee_required",
    "paid_online": "is_paid_online",
}
_CATEGORICAL = ("authority_level", "channel", "online_level", "citizen_rating", *_BOOL_COLUMNS)
MAX_DISTINCT = 2000


@dataclass
class RecordsResult:
    rows: int
    unit_codes: list[str]
    period_labels: list[str]


def _ts_expr(col: str, first: str | None = None) -> str:
    """Timestamp parsing expression; ``first`` is the format seen in the file's first rows,
    tried first (DuckDB's coalesce only evaluates later arguments where needed)."""
    formats = ", ".join(f"'{f}'" for f in TIMESTAMP_FORMATS if f != first)  # constants
    if first is None:
        return f"coalesce(try_cast({col} as timestamp), try_strptime({col}, [{formats}]))"
    return (
        f"coalesce(try_strptime({col}, '{first}'), try_cast({col} as timestamp),"
        f" try_strptime({col}, [{formats}]))"
    )


def _detect_format(samples: list[str]) -> str | None:
    """The dd/mm format all sample values use, or ``None`` (ISO: DuckDB's own cast)."""
    for fmt in TIMESTAMP_FORMATS:
        ok = 0
        for value in samples:
            try:
                datetime.strptime(value, fmt)
                ok += 1
            except ValueError:
                pass
        if samples and ok == len(samples):
            return fmt
    return None


def _source_sql(path: Path, width: int, row_numbers: bool = True) -> tuple[str, list]:
    cols = ", ".join(f"c{i}" for i in range(width))
    if file_kind(path) == "parquet":
        inner = f"select * from read_parquet(?) as src({cols})"
        params: list = [str(path)]
    else:
        inner = (
            "select * from read_csv(?, delim = ?, header = true, quote = '\"',"
            " escape = '\"', strict_mode = true, null_padding = false, auto_detect = false,"
            " columns = ?)"
        )
        delim = sniff_delimiter(first_lines(path, file_kind(path) or "csv", 20))
        params = [str(path), delim, {f"c{i}": "VARCHAR" for i in range(width)}]
    varchar = ", ".join(f"nullif(trim(cast(c{i} as varchar)), '') as c{i}" for i in range(width))
    numbered = "row_number() over () + 1 as source_row, " if row_numbers else ""
    sql = f"select {numbered}{varchar} from ({inner})"
    return sql, params


def _map_bool(value: str) -> str | None:
    return load_aliases("dossier_records").values["boolean"].get(fold(value))


def _map_value(column: str, value: str) -> str | None:
    if column == "authority_level":
        try:
            return parse_authority_level(value)
        except ParseError:
            return None
    if column in _BOOL_COLUMNS:
        return _map_bool(value)
    return load_aliases("dossier_records").values[column].get(fold(value))


def _unreadable_records(file_name: str, exc: Exception) -> IngestError:
    return IngestError(
        "the file cannot be read completely (damaged, truncated or inconsistent columns):"
        f" {str(exc).splitlines()[0][:200]}",
        "không đọc được toàn bộ tệp (tệp hỏng, bị cắt cụt hoặc số cột không đồng nhất)",
        file_name=file_name,
    )


def _fail(file_name: str, en: str, vi: str, row: int | None, column: str | None) -> IngestError:
    return IngestError(en, vi, file_name=file_name, row=row, column=column)


def load_records(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
) -> RecordsResult:
    """Insert one records file into ``raw.dossier_records`` (caller holds the transaction)."""
    cols = match.columns
    missing = [c for c in load_aliases("dossier_records").required if c not in cols]
    if missing:
        raise _fail(
            file_name,
            f"missing required column(s): {', '.join(missing)}",
            f"thiếu cột bắt buộc: {', '.join(missing)}",
            match.header_rows[-1] + 1,
            None,
        )
    width = max(match.labels) + 1 if match.labels else 0
    width = max(width, _file_width(path))
    file_sql, file_params = _source_sql(path, width)
    # The file is read and decompressed once, into a temporary table; every check and
    # the insert below read that table (a CSV.gz scan costs far more than a table scan).
    try:
        con.execute(f"create or replace temp table _records_stage as {file_sql}", file_params)
    except duckdb.Error as exc:
        raise _unreadable_records(file_name, exc) from exc
    try:
        return _load_staged(con, match, file_id, file_name, loaded_at)
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction drops it itself
            con.execute("drop table if exists temp._records_stage")


def _load_staged(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_id: str,
    file_name: str,
    loaded_at,
) -> RecordsResult:
    cols = match.columns
    src_sql, params = "select * from temp._records_stage", []
    plain_sql, plain_params = src_sql, []

    def c(name: str) -> str:
        return f"c{cols[name]}" if name in cols else "null"

    ts_present = [k for k in _TS_COLUMNS if k in cols]
    try:
        sample = con.execute(
            f"select {', '.join(c(k) for k in ts_present)} from ({plain_sql}) limit 50",
            plain_params,
        ).fetchall()
    except duckdb.Error as exc:
        raise _unreadable_records(file_name, exc) from exc
    fmt = {k: _detect_format([r[i] for r in sample if r[i] is not None]) for i, k in enumerate(ts_present)}

    def ts_of(name: str, prefix: str = "") -> str:
        if name not in cols:
            return "cast(null as timestamp)"
        return _ts_expr(f"{prefix}{c(name)}", fmt.get(name))

    # Pass 1: validations, one streaming scan (the failing row is looked up only on error).
    cat_present = [k for k in (*_CATEGORICAL, "field") if k in cols]
    checks = {
        "dossier_id": f"{c('dossier_id')} is null",
        "unit_code": f"{c('unit_code')} is null",
        "received_at": f"{c('received_at')} is null or {ts_of('received_at')} is null",
        "due_at": f"{c('due_at')} is not null and {ts_of('due_at')} is null",
        "finished_at": f"{c('finished_at')} is not null and {ts_of('finished_at')} is null",
    }
    # Pass 2: distinct values of the categorical columns (grouping sets, one scan).
    sets = ", ".join(f"({c(k)})" for k in cat_present)
    flags = ", ".join(f"grouping({c(k)})" for k in cat_present)
    try:
        failed = con.execute(
            f"select {', '.join(f'bool_or({cond})' for cond in checks.values())} from ({plain_sql})",
            plain_params,
        ).fetchall()[0]
        res: list[int | None] = [None] * len(checks)
        if any(failed):
            res = list(
                con.execute(
                    f"select {', '.join(f'min(source_row) filter (where {cond})' for cond in checks.values())}"  # noqa: E501
                    f" from ({src_sql})",
                    params,
                ).fetchall()[0]
            )
        distinct: dict[str, list[str]] = {k: [] for k in cat_present}
        if cat_present:
            groups = con.execute(
                f"select {', '.join(c(k) for k in cat_present)}, {flags}"
                f" from ({plain_sql}) group by grouping sets ({sets})",
                plain_params,
            ).fetchall()
            n = len(cat_present)
            for g in groups:
                for i, k in enumerate(cat_present):
                    if g[n + i] == 0 and g[i] is not None:
                        distinct[k].append(g[i])
    except duckdb.Error as exc:
        raise _unreadable_records(file_name, exc) from exc
    bad_rows = dict(zip(checks, res, strict=True))
    for name, bad in bad_rows.items():
        if bad is None:
            continue
        value = con.execute(
            f"select {c(name)} from ({src_sql}) where source_row = ?", [*params, bad]
        ).fetchall()
        shown = value[0][0] if value else None
        if shown is None:
            en, vi = f"empty {name} (required)", f"thiếu giá trị {name} (bắt buộc)"
        else:
            en = f"cannot read {shown[:40]!r} as a timestamp (expected ISO or dd/mm/yyyy HH:MM)"
            vi = f"không đọc được {shown[:40]!r} thành thời điểm (cần ISO hoặc dd/mm/yyyy HH:MM)"
        raise _fail(file_name, en, vi, bad, match.column_name(name))
    mapping_rows: list[tuple[str, str, str | None]] = []
    for name, values in distinct.items():
        if name == "field":
            if len(values) <= MAX_DISTINCT:
                mapping_rows += [(name, v, clean(v)) for v in values]
            continue
        if len(values) > MAX_DISTINCT:
            raise _fail(
                file_name,
                f"column {name} has too many different values ({len(values)})",
                f"cột {name} có quá nhiều giá trị khác nhau ({len(values)})",
                None,
                match.column_name(name),
            )
        for v in values:
            mapped = _map_value(name, v)
            if mapped is None and fold(v) not in ("", "none", "null"):
                row = con.execute(
                    f"select min(source_row) from ({src_sql}) where {c(name)} = ?",
                    [*params, v],
                ).fetchall()[0]
                raise _fail(
                    file_name,
                    f"unknown {name} value {v[:40]!r}",
                    f"giá trị {name} không hợp lệ: {v[:40]!r}",
                    row[0] if row else None,
                    match.column_name(name),
                )
            mapping_rows.append((name, v, None if mapped == "none" else mapped))
    mapping = pd.DataFrame(mapping_rows, columns=["col", "raw", "val"], dtype=object)
    con.register("_ingest_value_map", mapping)
    try:
        joins, exprs = [], {}
        for k in cat_present:
            if k == "field" and len(distinct["field"]) > MAX_DISTINCT:
                exprs[k] = f"nfc_normalize(s.{c(k)})"
                continue
            alias = f"m_{k}"
            joins.append(
                f"left join (select raw, val from _ingest_value_map where col = '{k}') {alias}"
                f" on {alias}.raw = s.{c(k)}"
            )
            exprs[k] = f"{alias}.val"
        bool_expr = {
            target: (f"cast({exprs[k]} as boolean)" if k in exprs else "cast(null as boolean)")
            for k, target in _BOOL_COLUMNS.items()
        }
        unit = c("unit_code")
        received = ts_of("received_at", "s.")
        unit_expr = (
            f"case when upper(s.{unit}) like 'L%' then upper(s.{unit})"
            f" when upper(s.{unit}) = 'VN' then 'VN'"
            f" when {received} < timestamp '2025-07-01' then 'L' || s.{unit}"
            f" else s.{unit} end"
        )

        def text(name: str) -> str:
            return f"s.{c(name)}" if name in cols else "cast(null as varchar)"

        def ts(name: str) -> str:
            return ts_of(name, "s.")

        def cat(name: str) -> str:
            return exprs.get(name, "cast(null as varchar)")

        _check_duplicates_and_units(con, match, file_name, c("dossier_id"), unit_expr)
        insert = f"""
            insert into raw.dossier_records (file_id, source_row, dossier_id, unit_code,
                authority_level, procedure_code, field, channel, received_at, due_at,
                finished_at, online_level, is_fully_online_eligible, is_digitised,
                has_electronic_result, is_fee_required, is_paid_online, citizen_rating,
                loaded_at)
            select ?, s.source_row, {text("dossier_id")}, {unit_expr}, {cat("authority_level")},
                {text("procedure_code")}, {text("field")}, {cat("channel")}, {ts("received_at")},
                {ts("due_at")}, {ts("finished_at")}, {cat("online_level")},
                {bool_expr["is_fully_online_eligible"]}, {bool_expr["is_digitised"]},
                {bool_expr["has_electronic_result"]}, {bool_expr["is_fee_required"]},
                {bool_expr["is_paid_online"]}, {cat("citizen_rating")}, ?
            from ({src_sql}) s {" ".join(joins)}
        """
        try:
            con.execute(insert, [file_id, loaded_at, *params])
        except duckdb.Error as exc:
            raise _fail(
                file_name,
                f"the file cannot be loaded: {str(exc).splitlines()[0][:200]}",
                "không nạp được tệp (tệp hỏng hoặc dữ liệu không đúng định dạng)",
                None,
                None,
            ) from exc
    finally:
        con.unregister("_ingest_value_map")
    stats = con.execute(
        "select count(*), list(distinct unit_code order by unit_code) from raw.dossier_records"
        " where file_id = ?",
        [file_id],
    ).fetchall()[0]
    staged = con.execute("select count(*) from temp._records_stage").fetchall()[0][0]
    if stats[0] != staged:  # never expected; guards against losing rows silently
        raise _fail(
            file_name,
            f"internal error: {staged} rows read but {stats[0]} inserted; nothing was loaded",
            f"lỗi nội bộ: đọc {staged} dòng nhưng ghi {stats[0]} dòng; tệp chưa được nạp",
            None,
            None,
        )
    years = con.execute(
        "select year(received_at) y, max(received_at)::date from raw.dossier_records"
        " where file_id = ? group by 1 order by 1",
        [file_id],
    ).fetchall()
    from ingest.periods import period_label

    labels = [period_label(date(y, 1, 1), end) for y, end in years]
    assert stats is not None
    return RecordsResult(rows=int(stats[0]), unit_codes=list(stats[1] or []), period_labels=labels)


def _check_duplicates_and_units(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    dossier_col: str,
    unit_expr: str,
) -> None:
    """Duplicate dossier ids and unknown unit codes, on the staged file (nothing inserted)."""
    dup = con.execute(
        f"select {dossier_col}, min(source_row), max(source_row) from temp._records_stage"
        f" group by {dossier_col} having count(*) > 1 order by 3 limit 1"
    ).fetchall()
    if dup:
        dossier, first, second = dup[0]
        raise _fail(
            file_name,
            f"duplicate dossier_id {dossier!r}: rows {first} and {second}",
            f"mã hồ sơ {dossier!r} bị trùng: dòng {first} và dòng {second}",
            second,
            match.column_name("dossier_id"),
        )
    unknown = con.execute(
        f"with staged as (select {unit_expr} as unit_code, s.source_row"
        " from temp._records_stage s)"
        " select r.unit_code, min(r.source_row) from staged r"
        " left join raw.admin_units u on u.unit_code = r.unit_code"
        " where u.unit_code is null and r.unit_code <> 'VN'"
        " group by r.unit_code order by 2 limit 1"
    ).fetchall()
    if unknown:
        code, row = str(unknown[0][0]), unknown[0][1]
        plain = code[1:] if code.startswith("L") else code
        era = "legacy (before 2025-07-01)" if code.startswith("L") else "current"
        raise _fail(
            file_name,
            f"unknown unit code {plain!r}: no {era} unit has this GSO code (resolved as {code})",
            f"mã đơn vị {plain!r} không tồn tại trong danh mục đơn vị hành chính (tra theo {code})",
            row,
            match.column_name("unit_code"),
        )


def _file_width(path: Path) -> int:
    kind = file_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return len(pq.read_schema(path).names)
    sheet = read_csv(path, kind or "csv", max_rows=1)[0]
    return len(sheet.rows[0]) if sheet.rows else 0
