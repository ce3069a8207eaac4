"""Register inbox files in ``raw.file_manifest`` and load pending files family by family.

* :func:`register_inbox` hashes every file of the inbox, records new ones as ``pending``
  (classified by their header), ``duplicate`` (content already seen) or ``rejected``.
* :func:`load_family` loads the pending files of one family, each file in one
  transaction: a bad file lands zero rows, is quarantined with an ``.error.txt`` and
  reported in ``marts.data_quality_findings``. Inbox files are never modified.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.admin_units import UnitResolver
from ingest.aggregated_file import read_aggregated_file
from ingest.errors import IngestError, ParseError, ReadError
from ingest.form_checks import LoadFinding
from ingest.headers import AGGREGATED_FAMILIES, FAMILIES, HEADER_SCAN_ROWS, closest_header, find_header
from ingest.quarantine import quarantine_file
from ingest.readers import Sheet, file_kind, read_sheets
from ingest.records import load_records
from ingest.turned import turned_table
from ingest.warehouse import ensure_admin_units, ensure_schema

log = logging.getLogger(__name__)

_D = pa.date32()
_TS = pa.timestamp("us")
_S = pa.string()
_I = pa.int64()
_B = pa.bool_()
TABLE_SCHEMAS: dict[str, list[tuple[str, pa.DataType]]] = {
    "dossiers": [
        ("source_row", _I),
        ("unit_code", _S),
        ("submitted_unit", _S),
        ("authority_level", _S),
        ("period_start", _D),
        ("period_end", _D),
        ("field", _S),
        ("carried_in", _I),
        ("received", _I),
        ("received_online", _I),
        ("received_postal", _I),
        ("resolved", _I),
        ("resolved_early", _I),
        ("resolved_on_time", _I),
        ("resolved_late", _I),
        ("pending_not_due", _I),
        ("pending_overdue", _I),
        ("is_total_row", _B),
        ("received_total", _I),
        ("received_in_person", _I),
        ("received_in_person_or_postal", _I),
        ("received_fully_online", _I),
        ("received_partly_online", _I),
        ("received_out_of_area", _I),
        ("pending", _I),
        ("waiting_supplement", _I),
        ("returned", _I),
        ("withdrawn", _I),
        ("stopped", _I),
    ],
    "staff": [
        ("source_row", _I),
        ("unit_code", _S),
        ("submitted_unit", _S),
        ("as_of_date", _D),
        ("category", _S),
        ("quota", _I),
        ("actual", _I),
        ("is_total_row", _B),
    ],
    "budget": [
        ("source_row", _I),
        ("unit_code", _S),
        ("submitted_unit", _S),
        ("fiscal_year", pa.int32()),
        ("as_of_date", _D),
        ("programme", _S),
        ("plan_mvnd", pa.decimal128(18, 3)),
        ("disbursed_mvnd", pa.decimal128(18, 3)),
        ("is_total_row", _B),
    ],
    "surveys": [
        ("source_row", _I),
        ("unit_code", _S),
        ("submitted_unit", _S),
        ("authority_level", _S),
        ("period_start", _D),
        ("period_end", _D),
        ("forms", _I),
        ("satisfied_forms", _I),
        ("is_total_row", _B),
    ],
    "survey_responses": [
        ("source_row", _I),
        ("response_id", _S),
        ("unit_code", _S),
        ("authority_level", _S),
        ("survey_date", _D),
        ("question_code", _S),
        ("answer", pa.int32()),
        ("is_overall", _B),
    ],
}


@dataclass
class FileOutcome:
    file_name: str
    family: str | None
    status: str  # pending, duplicate, loaded, rejected
    rows: int = 0
    message: str = ""
    message_vi: str = ""


@dataclass
class FamilyReport:
    family: str
    files_loaded: int = 0
    files_rejected: int = 0
    rows_loaded: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class InboxHashes:
    """sha256 of inbox files, remembered by name, size, inode and change times in a JSON
    file so that an unchanged file is not read again (a nation's history is gigabytes)."""

    def __init__(self, cache_path: Path | None = None) -> None:
        self.cache_path = cache_path
        self._entries: dict[str, list] = {}
        if cache_path is not None and cache_path.exists():
            try:
                self._entries = json.loads(cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._entries = {}  # a damaged cache only costs re-hashing
        self._dirty = False

    def sha256(self, path: Path, rel: str) -> str:
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = self._entries.get(rel)
        if entry is not None and entry[:4] == stamp:
            return str(entry[4])
        digest = sha256_file(path)
        self._entries[rel] = [*stamp, digest]
        self._dirty = True
        return digest

    def save(self) -> None:
        if self.cache_path is None or not self._dirty:
            return
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._entries), encoding="utf-8")
        os.replace(tmp, self.cache_path)
        self._dirty = False


def hashed_inbox_files(inbox: Path, hashes: InboxHashes) -> list[tuple[Path, str, str]]:
    """(path, name relative to the inbox, sha256) of every inbox file, in name order."""
    found = []
    for path in _inbox_files(inbox) if inbox.exists() else []:
        rel = path.relative_to(inbox).as_posix()
        found.append((path, rel, hashes.sha256(path, rel)))
    return found


def _inbox_files(inbox: Path) -> list[Path]:
    files = []
    for p in inbox.rglob("*"):
        rel = p.relative_to(inbox)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue  # hidden files and Office lock files
        if p.is_file() and not p.is_symlink():
            files.append(p)
    return sorted(files, key=lambda p: p.relative_to(inbox).as_posix())


def classify(path: Path, file_name: str) -> dict[str, list[str | None]]:
    """Families found in a file → the sheets holding them. Raises :class:`IngestError`
    for unreadable, empty or unrecognisable files."""
    if path.stat().st_size == 0:
        raise IngestError("the file is empty", "tệp rỗng", file_name=file_name)
    try:
        sheets = read_sheets(path, max_rows=HEADER_SCAN_ROWS + 5)
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    if not any(any(row) for s in sheets for row in s.rows):
        raise IngestError(
            "the file is empty (no data in any sheet)",
            "tệp rỗng (không có dữ liệu trong trang tính nào)",
            file_name=file_name,
        )
    families: dict[str, list[str | None]] = {}
    for sheet in sheets:
        match = find_header(sheet.rows, merges=getattr(sheet, "merges", ()))
        if match is None:
            turned = turned_table(sheet, AGGREGATED_FAMILIES)
            match = turned[2] if turned else None
        if match is not None:
            families.setdefault(match.family, []).append(sheet.name)
    if not families:
        hint_en, hint_vi, row = _closest_reading(sheets)
        raise IngestError(
            "no recognisable header: no row among the first 30 names at least two columns of"
            f" dossiers, dossier_records, staff, budget or surveys{hint_en}",
            "không nhận ra dòng tiêu đề cột: không dòng nào trong 30 dòng đầu có ít nhất hai cột"
            f" của biểu hồ sơ TTHC, dữ liệu hồ sơ, biên chế, giải ngân hay khảo sát{hint_vi}",
            file_name=file_name,
            row=row,
        )
    return families


def _closest_reading(sheets: list[Sheet]) -> tuple[str, str, int | None]:
    """What the nearest header understood and did not: the hint of a rejection."""
    best = None
    for sheet in sheets:
        m = closest_header(sheet.rows, merges=getattr(sheet, "merges", ()))
        if m is not None and (best is None or m.total > best.total):
            best = m
    if best is None:
        return "", "", None
    understood = best.column_map() or "nothing"
    unknown = "; ".join(
        best.describe(i) for i, why in sorted(best.ignored.items()) if i not in best.known_ignored
    )
    en = f". Closest: row {best.header_rows[-1] + 1} read as {best.family}: {understood}"
    vi = f". Gần nhất: dòng {best.header_rows[-1] + 1} đọc như {best.family}: {understood}"
    if unknown:
        en += f"; not understood: {unknown}"
        vi += f"; không xác định được: {unknown}"
    return en, vi, best.header_rows[-1] + 1


def _insert_manifest(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    cols = list(values)
    con.execute(
        f"insert into raw.file_manifest ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
        list(values.values()),
    )


def _finding(con: duckdb.DuckDBPyConnection, run_id: str, error: IngestError, file_name: str) -> None:
    con.execute(
        "insert into marts.data_quality_findings (run_id, rule, severity, unit_code,"
        " period_label, source_file, source_row, message, message_vi, found_at)"
        " values (?, 'file_rejected', 'error', null, null, ?, ?, ?, ?, ?)",
        [run_id, file_name, error.row, str(error), error.full_message_vi, _now()],
    )


def register_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    quarantine: Path,
    run_id: str,
    hashes: InboxHashes | None = None,
) -> list[FileOutcome]:
    """Record every new inbox file in ``raw.file_manifest`` (pending / duplicate /
    rejected). Files already registered under the same name and content are skipped."""
    ensure_schema(con)
    inbox, quarantine = Path(inbox), Path(quarantine)
    seen = {(r[0], r[1]) for r in con.execute("select file_id, file_name from raw.file_manifest").fetchall()}
    first_name: dict[str, tuple[str, str | None]] = {}
    for fid, fname, fam in con.execute(
        "select file_id, file_name, source_family from raw.file_manifest"
        " where status <> 'duplicate' order by loaded_at"
    ).fetchall():
        first_name.setdefault(fid, (fname, fam))
    outcomes: list[FileOutcome] = []
    hashes = hashes or InboxHashes()
    for path, rel, file_id in hashed_inbox_files(inbox, hashes):
        size = path.stat().st_size
        if (file_id, rel) in seen:
            continue
        seen.add((file_id, rel))
        now = _now()
        base = dict(
            file_id=file_id,
            file_name=rel,
            size_bytes=size,
            run_id=run_id,
            loaded_at=now,
            file_path=str(path.resolve()),
        )
        if file_id in first_name:
            original, fam = first_name[file_id]
            en = f"same content as {original}, already registered; not loaded again"
            vi = f"nội dung trùng với tệp {original} đã nhận; không nạp lại"
            _insert_manifest(
                con, **base, source_family=fam, status="duplicate", row_count=0, message=en, message_vi=vi
            )
            outcomes.append(FileOutcome(rel, fam, "duplicate", 0, en, vi))
            continue
        try:
            families = classify(path, rel)
        except IngestError as exc:
            _reject_new(con, path, rel, file_id, base, exc, quarantine, run_id)
            first_name[file_id] = (rel, None)
            outcomes.append(FileOutcome(rel, None, "rejected", 0, str(exc), exc.full_message_vi))
            continue
        first_name[file_id] = (rel, next(iter(families)))
        for family, sheets in families.items():
            names = [s for s in sheets if s is not None]
            _insert_manifest(
                con,
                **base,
                source_family=family,
                status="pending",
                row_count=0,
                sheet_name=", ".join(names) if names else None,
                message="registered",
                message_vi="đã tiếp nhận",
            )
            outcomes.append(FileOutcome(rel, family, "pending", 0, "registered", "đã tiếp nhận"))
    hashes.save()
    return outcomes


def _reject_new(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rel: str,
    file_id: str,
    base: dict,
    exc: IngestError,
    quarantine: Path,
    run_id: str,
) -> None:
    _insert_manifest(
        con,
        **base,
        source_family=None,
        status="rejected",
        row_count=0,
        message=str(exc),
        message_vi=exc.full_message_vi,
        error_sheet=exc.sheet,
        error_row=exc.row,
        error_column=exc.column,
    )
    quarantine_file(path, file_id, rel, quarantine, exc)
    _finding(con, run_id, exc, rel)


# --- loading ------------------------------------------------------------------------------


def _insert_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[dict],
    file_id: str,
    loaded_at: datetime,
) -> None:
    schema = pa.schema(TABLE_SCHEMAS[table])
    batch = pa.Table.from_pylist(rows, schema=schema)
    cols = ", ".join(schema.names)
    con.register("_ingest_batch", batch)
    try:
        con.execute(
            f"insert into raw.{table} (file_id, {cols}, loaded_at) select ?, {cols}, ? from _ingest_batch",
            [file_id, loaded_at],
        )
    finally:
        con.unregister("_ingest_batch")


@dataclass
class _Loaded:
    rows: int
    unit_codes: list[str]
    period_labels: list[str]
    sheets: list[str]
    skipped: list[str]
    findings: list[LoadFinding] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    ignored_vi: list[str] = field(default_factory=list)
    column_map: str | None = None


def _insert_findings(
    con: duckdb.DuckDBPyConnection,
    findings: list[LoadFinding],
    file_id: str,
    family: str,
    loaded_at: datetime,
) -> None:
    if not findings:
        return
    con.executemany(
        "insert into raw.load_findings (file_id, source_family, sheet_name, source_row, column_ref,"
        " rule, severity, stated_value, computed_value, difference, message, message_vi,"
        " unit_code, period_label, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                file_id,
                family,
                f.sheet,
                f.source_row,
                f.column_ref,
                f.rule,
                f.severity,
                f.stated,
                f.computed,
                f.difference,
                f.message,
                f.message_vi,
                f.unit_code,
                f.period_label,
                loaded_at,
            )
            for f in findings
        ],
    )


def _load_aggregated(
    con: duckdb.DuckDBPyConnection,
    family: str,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    try:
        sheets: list[Sheet] = read_sheets(path)
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    read = read_aggregated_file(sheets, family, file_name, resolver)
    for table, rows in read.tables.items():
        if rows:
            _insert_table(con, table, rows, file_id, loaded_at)
    _insert_findings(con, read.findings, file_id, family, loaded_at)
    return _Loaded(
        read.rows,
        sorted(read.unit_codes),
        sorted(read.period_labels),
        read.sheets,
        read.skipped,
        findings=read.findings,
        ignored=read.ignored,
        ignored_vi=read.ignored_vi,
        column_map=" | ".join(read.column_maps) or None,
    )


def _load_records_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    loaded_at: datetime,
) -> _Loaded:
    if file_kind(path) not in ("csv", "csv.gz", "parquet"):
        raise IngestError(
            "record-level dossier exports must be .csv, .csv.gz or .parquet files",
            "dữ liệu hồ sơ chi tiết phải gửi dạng .csv, .csv.gz hoặc .parquet",
            file_name=file_name,
        )
    try:
        sheet = read_sheets(path, max_rows=HEADER_SCAN_ROWS + 5)[0]
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    match = find_header(sheet.rows[:1], ("dossier_records",))
    if match is None:
        raise IngestError(
            "the first line of a record export must be its header",
            "dòng đầu tiên của tệp dữ liệu hồ sơ phải là dòng tên cột",
            file_name=file_name,
            row=1,
        )
    res = load_records(con, path, match, file_id, file_name, loaded_at)
    return _Loaded(res.rows, res.unit_codes, res.period_labels, [], [])


def load_family(con: duckdb.DuckDBPyConnection, family: str, quarantine: Path, run_id: str) -> FamilyReport:
    """Load every pending file of ``family``; one transaction per file."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    ensure_admin_units(con)
    quarantine = Path(quarantine)
    report = FamilyReport(family)
    pending = con.execute(
        "select file_id, file_name, file_path from raw.file_manifest"
        " where status = 'pending' and source_family = ? order by file_name",
        [family],
    ).fetchall()
    resolver = UnitResolver.from_connection(con) if pending and family != "dossier_records" else None
    for file_id, file_name, file_path in pending:
        outcome = _load_one(
            con, family, Path(file_path or ""), file_id, file_name, resolver, quarantine, run_id
        )
        report.outcomes.append(outcome)
        if outcome.status == "loaded":
            report.files_loaded += 1
            report.rows_loaded += outcome.rows
        else:
            report.files_rejected += 1
    return report


def _load_one(
    con: duckdb.DuckDBPyConnection,
    family: str,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver | None,
    quarantine: Path,
    run_id: str,
) -> FileOutcome:
    loaded_at = _now()
    con.begin()
    try:
        if not path.is_file():
            raise IngestError(
                "the file is no longer in the inbox",
                "tệp không còn trong hộp thư đến",
                file_name=file_name,
            )
        if family == "dossier_records":
            done = _load_records_file(con, path, file_id, file_name, loaded_at)
        else:
            assert resolver is not None
            done = _load_aggregated(con, family, path, file_id, file_name, resolver, loaded_at)
        en = f"loaded {done.rows} rows"
        vi = f"đã nạp {done.rows} dòng"
        if done.findings:
            en += f"; {len(done.findings)} warning(s) from the form's own checks"
            vi += f"; {len(done.findings)} cảnh báo khi đối chiếu số liệu trong biểu"
        if done.ignored:
            en += f"; columns not loaded: {'; '.join(done.ignored)}"
            vi += f"; các cột không nạp: {'; '.join(done.ignored_vi)}"
        if done.skipped:
            en += f"; skipped sheets (not {family}): {', '.join(done.skipped)}"
            vi += f"; bỏ qua các trang tính không thuộc loại này: {', '.join(done.skipped)}"
        con.execute(
            "update raw.file_manifest set status = 'loaded', row_count = ?, unit_codes = ?,"
            " period_labels = ?, sheet_name = coalesce(?, sheet_name), message = ?,"
            " message_vi = ?, ignored_columns = ?, column_map = ?, run_id = ?, loaded_at = ?"
            " where file_id = ? and source_family = ? and status = 'pending'",
            [
                done.rows,
                done.unit_codes,
                done.period_labels,
                ", ".join(done.sheets) or None,
                en,
                vi,
                done.ignored,
                done.column_map,
                run_id,
                loaded_at,
                file_id,
                family,
            ],
        )
        con.commit()
        return FileOutcome(file_name, family, "loaded", done.rows, en, vi)
    except Exception as exc:
        con.rollback()
        if isinstance(exc, IngestError):
            error = exc
            error.file_name = error.file_name or file_name
        elif isinstance(exc, ParseError):
            error = IngestError.from_parse_error(exc, file_name=file_name)
        else:
            log.exception("unexpected error while loading %s", file_name)
            error = IngestError(
                f"the file could not be loaded ({type(exc).__name__}: {str(exc)[:200]})",
                f"không nạp được tệp ({type(exc).__name__})",
                file_name=file_name,
            )
        _reject_pending(con, family, path, file_id, file_name, error, quarantine, run_id)
        return FileOutcome(file_name, family, "rejected", 0, str(error), error.full_message_vi)


def _reject_pending(
    con: duckdb.DuckDBPyConnection,
    family: str,
    path: Path,
    file_id: str,
    file_name: str,
    error: IngestError,
    quarantine: Path,
    run_id: str,
) -> None:
    con.execute(
        "update raw.file_manifest set status = 'rejected', row_count = 0, message = ?,"
        " message_vi = ?, error_sheet = ?, error_row = ?, error_column = ?, run_id = ?,"
        " loaded_at = ? where file_id = ? and source_family = ? and status = 'pending'",
        [
            str(error),
            error.full_message_vi,
            error.sheet,
            error.row,
            error.column,
            run_id,
            _now(),
            file_id,
            family,
        ],
    )
    quarantine_file(path if path.is_file() else None, file_id, file_name, quarantine, error, family)
    _finding(con, run_id, error, file_name)
