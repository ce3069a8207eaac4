"""Register inbox files in ``raw.file_manifest`` and load pending files family by family.

* :func:`register_inbox` hashes every file of the inbox, records new ones as ``pending``
  (classified by their header), ``duplicate`` (content already seen) or ``rejected``;
  hidden files (``.name``) and Office lock files (``~$name``) are recorded once as
  ``skipped``, never read.
* :func:`load_family` loads the pending files of one family in the order they were
  submitted (the title block's date, else the file's modification time), each file in one
  transaction: a bad file lands zero rows, is quarantined with an ``.error.txt`` and
  reported in ``marts.data_quality_findings``. Inbox files are never modified.

File names are submitter text: the manifest's ``file_name`` is the name with undecodable
bytes and control characters escaped (:func:`ingest.text.printable_name`), so it can be
stored, logged and mailed; ``file_path`` keeps the real path to read the file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

import sqlfiles
from ingest import personal
from ingest.admin_units import Unit, UnitResolver, ensure_admin_units
from ingest.aggregated_file import read_aggregated_file
from ingest.bookkeeping import Finding, append_findings
from ingest.context import submission_date
from ingest.errors import IngestError, ParseError, ReadError
from ingest.export_scan import ExportResult
from ingest.form_checks import LoadFinding
from ingest.headers import AGGREGATED_FAMILIES, FAMILIES, HEADER_SCAN_ROWS, closest_header, find_header
from ingest.narrative_reports import FAMILY as NARRATIVE_FAMILY
from ingest.narrative_reports import is_report_name, narrative_report, read_narrative_report
from ingest.periods import plausible_values
from ingest.portal_766 import FAMILY as PORTAL_766_FAMILY
from ingest.portal_766 import GROUPS as PORTAL_766_GROUPS
from ingest.portal_766 import (
    Portal766Row,
    is_json_file,
    is_portal_766_document,
    is_portal_766_sheet,
    load_json_document,
    read_portal_766,
)
from ingest.procedure_catalogue import FAMILY as CATALOGUE_FAMILY
from ingest.procedure_catalogue import read_procedure_catalogue
from ingest.published_results import AGENCY_NAME, read_published_results
from ingest.published_results import FAMILY as PUBLISHED_FAMILY
from ingest.quarantine import quarantine_file
from ingest.raw_tables import raw_table
from ingest.readers import Sheet, file_kind, read_sheets
from ingest.records import load_records
from ingest.records_sheets import SHEET_KINDS, csv_layout, csv_needs_rewrite, records_csv, records_sheet
from ingest.self_assessment import read_self_assessment
from ingest.status_history import FAMILY as HISTORY_FAMILY
from ingest.status_history import load_status_history
from ingest.text import fold, printable_name
from ingest.turned import turned_table
from ingest.warehouse import ensure_schema

log = logging.getLogger(__name__)
PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql

#: the columns of the tables the aggregated loaders insert through Arrow (file_id and
#: loaded_at are added by the insert), as declared in the sources YAML (ingest/raw_tables.py)
AGGREGATED_TABLES = (
    "dossiers",
    "staff",
    "budget",
    "surveys",
    "survey_responses",
    "self_assessment_rows",
    "published_index_results",
    "published_index_components",
    "procedure_catalogue",
    "portal_766_scores",
    "narrative_claims",
)
#: every family the inbox loads: those told by their header (ingest/headers.py), the
#: portal's 766 tables (told by their six groups, ingest/portal_766.py) and narrative
#: reports (told by their title and prose, ingest/narrative_reports.py)
LOADED_FAMILIES = (*FAMILIES, PORTAL_766_FAMILY, NARRATIVE_FAMILY)
TABLE_SCHEMAS: dict[str, pa.Schema] = {name: raw_table(name).arrow_schema() for name in AGGREGATED_TABLES}


@dataclass
class FileOutcome:
    file_name: str
    family: str | None
    status: str  # pending, duplicate, loaded, rejected, skipped
    rows: int = 0
    message: str = ""
    message_vi: str = ""

    def __post_init__(self) -> None:
        # logged and shown as one line each: no control character from a name or a cell
        self.file_name = printable_name(self.file_name)
        self.message = printable_name(self.message)
        self.message_vi = printable_name(self.message_vi)


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


def _stamp(path: Path) -> list[int]:
    """What says a file is unchanged without reading it: size, modification and change
    times, inode."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


#: the packages whose code and declarations classify a file: ``ingest`` (headers, aliases,
#: readers) and ``narratives`` (narrative reports are told by their text, ingest/narrative_reports.py
#: reads them with narratives/reader.py)
CLASSIFIER_PACKAGES = ("ingest", "narratives")


@cache
def classifier_version() -> str:
    """A digest of the code and declarations that classify a file (the modules, alias files
    and settings of :data:`CLASSIFIER_PACKAGES`): a remembered classification is used only
    by the same code."""
    return packages_digest(Path(__file__).resolve().parent.parent, CLASSIFIER_PACKAGES)


def packages_digest(top: Path, packages: tuple[str, ...]) -> str:
    """sha256 of the ``.py``, ``.yaml``, ``.yml`` and ``.csv`` files of ``packages`` (folders
    of ``top``): their paths and bytes, in path order."""
    digest = hashlib.sha256()
    for package in packages:
        root = top / package
        for path in sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and p.suffix in (".py", ".yaml", ".yml", ".csv") and "__pycache__" not in p.parts
        ):
            digest.update(path.relative_to(top).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Classified:
    """What a file's first rows say: its families (→ the sheets holding them) and the date
    its title block states (``None``: none)."""

    families: dict[str, list[str | None]]
    submitted_on: date | None


class InboxHashes:
    """sha256 of inbox files, remembered by name, size, inode and change times in a JSON
    file so that an unchanged file is not read again (a nation's history is gigabytes).
    A new file's classification (:func:`classify`) is remembered beside its hash, so that
    the night's scope and the registration read its first rows once."""

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
        stamp = _stamp(path)
        entry = self._entries.get(rel)
        if entry is not None and entry[:4] == stamp:
            return str(entry[4])
        digest = sha256_file(path)
        self._entries[rel] = [*stamp, digest]
        self._dirty = True
        return digest

    def classified(self, path: Path, rel: str) -> Classified | None:
        """The classification remembered for this unchanged file by this code, if any."""
        entry = self._entries.get(rel)
        if entry is None or len(entry) < 6 or entry[:4] != _stamp(path):
            return None
        kept = entry[5]
        if not isinstance(kept, dict) or kept.get("version") != classifier_version():
            return None
        on = kept.get("submitted_on")
        return Classified(dict(kept["families"]), date.fromisoformat(on) if on else None)

    def remember(self, path: Path, rel: str, classified: Classified) -> None:
        """Keep a file's classification beside its hash (hashed first if it is not yet)."""
        self.sha256(path, rel)
        entry = self._entries[rel]
        kept = {
            "version": classifier_version(),
            "families": classified.families,
            "submitted_on": classified.submitted_on.isoformat() if classified.submitted_on else None,
        }
        self._entries[rel] = [*entry[:5], kept]
        self._dirty = True

    def save(self) -> None:
        if self.cache_path is None or not self._dirty:
            return
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._entries), encoding="utf-8")
        os.replace(tmp, self.cache_path)
        self._dirty = False


#: a pending file whose loading was started this many times without finishing (the process
#: died: out of memory, a reader fault) is rejected instead of loaded again
MAX_LOAD_ATTEMPTS = 2
#: the WAL size at which a commit checkpoints the database while a family loads
#: (:func:`_checkpoints_deferred`): a night's increment (300,000 records, ~60 MB) once, at
#: the end; a first load of a long history every 256 MB
LOADING_CHECKPOINT_THRESHOLD = "256MB"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: ``file_path`` of a file whose name is not UTF-8: its bytes, base64 (an absolute path
#: never starts with this)
_PATH_BYTES_PREFIX = "b64:"


def hashed_inbox_files(inbox: Path, hashes: InboxHashes) -> list[tuple[Path, str, str]]:
    """(path, printable name relative to the inbox, sha256) of every inbox file that is
    neither hidden nor an Office lock file, in name order."""
    found = []
    for path in _scan_inbox(inbox)[0] if inbox.exists() else []:
        rel = inbox_name(inbox, path)
        found.append((path, rel, hashes.sha256(path, rel)))
    return found


def unregistered_inbox_files(
    inbox: Path, hashes: InboxHashes, registered: set[tuple[str, str]]
) -> list[tuple[Path, str, str]]:
    """The inbox change detection, written once: (path, printable name, sha256) of every
    inbox file not registered under the same name and content. ``registered`` holds the
    ``(file_id, file_name)`` pairs of ``raw.file_manifest``. Used by :func:`register_inbox`
    and by the night's state (``night/state.py``: is there anything new, which families).
    A file is hashed once while its size, inode and change times stay the same
    (:class:`InboxHashes`, ``<warehouse>/inbox_hashes.json``)."""
    return [
        (path, rel, sha)
        for path, rel, sha in hashed_inbox_files(inbox, hashes)
        if (sha, rel) not in registered
    ]


def inbox_listing_fingerprint(inbox: Path) -> str:
    """A digest of the inbox listing (names, sizes, modification times; no file is opened),
    for the inbox sensor: it changes when a file lands or changes in the inbox."""
    digest = hashlib.sha256()
    if inbox.exists():
        for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"{path.relative_to(inbox)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def inbox_name(inbox: Path, path: Path) -> str:
    """The file's name relative to the inbox as stored and shown: ``/``-separated, with
    undecodable bytes and control characters escaped (``bao_cao_\\xff.xlsx``)."""
    return printable_name(path.relative_to(inbox).as_posix())


SYMLINK_REASON = (
    "skipped: a symbolic link (links are never followed: copy the file itself into the inbox)",
    "bỏ qua: liên kết tượng trưng (không đi theo liên kết: hãy chép chính tệp vào hộp thư đến)",
)
SPECIAL_FILE_REASON = (
    "skipped: not a regular file (a pipe, socket or device)",
    "bỏ qua: không phải tệp thông thường (đường ống, socket hoặc thiết bị)",
)


def _skip_reason(rel: Path) -> tuple[str, str] | None:
    """Why a file is not read (English, Vietnamese), or ``None`` when it is read."""
    for part in rel.parts:
        if part.startswith("~$"):
            return (
                "skipped: Office lock file (written while someone has the workbook open; not a submission)",
                "bỏ qua: tệp khóa của Office (tạo ra khi có người đang mở bảng tính; không phải báo cáo)",
            )
        if part.startswith("."):
            return (
                "skipped: hidden file or folder (its name starts with '.'); rename it to have it loaded",
                "bỏ qua: tệp hoặc thư mục ẩn (tên bắt đầu bằng '.'); đổi tên nếu cần nạp",
            )
    return None


def _scan_inbox(inbox: Path) -> tuple[list[Path], list[tuple[Path, tuple[str, str]]]]:
    """The files to read, and the files not read (hidden and lock files, symbolic links,
    pipes and devices) with why, both in name order. Symbolic links are never followed."""
    files: list[Path] = []
    skipped: list[tuple[Path, tuple[str, str]]] = []
    for p in inbox.rglob("*"):
        reason = _skip_reason(p.relative_to(inbox))
        if reason is None and p.is_symlink():
            reason = SYMLINK_REASON  # never followed: it may point anywhere on the machine
        elif not p.is_symlink() and p.is_dir():
            continue
        elif reason is None and not p.is_file():
            reason = SPECIAL_FILE_REASON  # a FIFO, socket or device: reading it could hang
        if reason is None:
            files.append(p)
        else:
            skipped.append((p, reason))
    files.sort(key=lambda p: p.relative_to(inbox).as_posix())
    skipped.sort(key=lambda item: item[0].relative_to(inbox).as_posix())
    return files, skipped


def _inbox_files(inbox: Path) -> list[Path]:
    return _scan_inbox(inbox)[0]


def stored_path(path: Path) -> str:
    """``file_path`` for the manifest: the absolute path, or its bytes in base64 when the
    name is not UTF-8 (DuckDB stores valid UTF-8 only)."""
    text = str(path.resolve())
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _PATH_BYTES_PREFIX + base64.b64encode(os.fsencode(text)).decode("ascii")
    return text


def read_path(stored: str | None) -> Path:
    """The real path of a manifest's ``file_path`` (see :func:`stored_path`)."""
    if stored and stored.startswith(_PATH_BYTES_PREFIX):
        return Path(os.fsdecode(base64.b64decode(stored[len(_PATH_BYTES_PREFIX) :])))
    return Path(stored or "")


def _modified_at(path: Path) -> datetime | None:
    """The file's modification time (its arrival in the inbox), naive UTC like ``loaded_at``."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return None


def _local_date(moment: datetime) -> date:
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def classify(path: Path, file_name: str, hashes: InboxHashes | None = None) -> dict[str, list[str | None]]:
    """Families found in a file → the sheets holding them. Raises :class:`IngestError`
    for unreadable, empty or unrecognisable files."""
    return classified(path, file_name, hashes).families


#: classifications made by this process, by file and stamp (the night's scope, then the
#: registration, in one `parwh run`): a file's first rows are read once
_CLASSIFIED: dict[tuple, Classified | IngestError] = {}
_CLASSIFIED_KEPT = 4096


def classified(path: Path, file_name: str, hashes: InboxHashes | None = None) -> Classified:
    """:func:`classify` with the date the title block states, read once per file and
    content: remembered in this process and, with ``hashes``, beside the file's hash
    (``inbox_hashes.json``; the caller saves it)."""
    key = (str(path), file_name, *_stamp(path))
    known = _CLASSIFIED.get(key)
    if known is None and hashes is not None:
        known = hashes.classified(path, file_name)
    if known is None:
        try:
            families, read = _classify(path, file_name)
            known = Classified(families, submission_date([row for sheet in read for row in sheet.rows]))
        except IngestError as exc:
            known = exc
        if len(_CLASSIFIED) >= _CLASSIFIED_KEPT:
            _CLASSIFIED.clear()
        _CLASSIFIED[key] = known
    if isinstance(known, IngestError):
        raise known
    _CLASSIFIED[key] = known
    if hashes is not None:
        hashes.remember(path, file_name, known)
    return known


def _classify(path: Path, file_name: str) -> tuple[dict[str, list[str | None]], list[Sheet]]:
    """The families of a file, with the first rows of the sheets it read (for the title
    block)."""
    if path.stat().st_size == 0:
        raise IngestError("the file is empty", "tệp rỗng", file_name=file_name)
    if is_json_file(file_name):  # JSON: only the portal's 766 answers are read
        if is_portal_766_document(load_json_document(path)):
            return {PORTAL_766_FAMILY: [None]}, []
        raise IngestError(
            "a JSON file is read only as the national portal's published 766 scores, and this"
            " one does not list units with at least four of the six groups",
            "tệp JSON chỉ được đọc khi là điểm Chỉ số 766 do Cổng DVCQG công bố; tệp này không"
            " liệt kê đơn vị với ít nhất bốn trong sáu nhóm chỉ số",
            file_name=file_name,
        )
    # a narrative report (.pdf always; .docx, .txt by their text); a .docx report's annex
    # tables ("Phụ lục") are read as well, as before
    report: list[Sheet] = []
    if is_report_name(file_name) and (paragraphs := narrative_report(path, file_name)) is not None:
        report = [Sheet(None, [(p,) for p in paragraphs[:HEADER_SCAN_ROWS]])]
        if file_kind(path) != "docx":
            return {NARRATIVE_FAMILY: [None]}, report
    try:
        sheets = private_sheet_names(read_sheets(path, max_rows=HEADER_SCAN_ROWS + 5))
    except ReadError as exc:
        if report:  # a report without tables
            return {NARRATIVE_FAMILY: [None]}, report
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    if not any(any(row) for s in sheets for row in s.rows):
        raise IngestError(
            "the file is empty (no data in any sheet)",
            "tệp rỗng (không có dữ liệu trong trang tính nào)",
            file_name=file_name,
        )
    families: dict[str, list[str | None]] = {}
    for sheet in sheets:
        # the portal's 766 ranking table, before the header families: published_index_results
        # would read it as an index table
        if is_portal_766_sheet(sheet):
            families.setdefault(PORTAL_766_FAMILY, []).append(sheet.name)
            continue
        match = find_header(sheet.rows, merges=getattr(sheet, "merges", ()))
        if match is None:
            turned = turned_table(sheet, AGGREGATED_FAMILIES)
            match = turned[2] if turned else None
        if match is not None:
            families.setdefault(match.family, []).append(sheet.name)
    if report:
        return {NARRATIVE_FAMILY: [None], **families}, report + sheets
    if not families:
        hint_en, hint_vi, row = _closest_reading(sheets)
        raise IngestError(
            "no recognisable header: no row among the first 30 names at least two columns of"
            " dossiers, dossier_records, dossier_status_history, staff, budget, surveys,"
            f" self_assessment, published_index_results or procedure_catalogue{hint_en}",
            "không nhận ra dòng tiêu đề cột: không dòng nào trong 30 dòng đầu có ít nhất hai cột"
            " của biểu hồ sơ TTHC, dữ liệu hồ sơ, lịch sử xử lý hồ sơ, biên chế, giải ngân, khảo"
            f" sát, tự đánh giá CCHC, kết quả chỉ số đã công bố hay danh mục TTHC{hint_vi}",
            file_name=file_name,
            row=row,
        )
    return families, sheets


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


def private_sheet_names(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets with a name that looks personal (a person's name, an ID or phone number:
    "Hoàng Thị Mỹ Duyên 0791…") renamed ``Trang tính 2 (tên ẩn)`` before anything reads or
    quotes it: sheet names are only labels, and they reach the manifest, messages and
    findings."""
    return [
        replace(sheet, name=f"Trang tính {n} (tên ẩn)")
        if sheet.name and not personal.quotable(sheet.name)
        else sheet
        for n, sheet in enumerate(sheets, 1)
    ]


#: manifest columns holding submitter text (names, messages quoting cells): stored printable
_TEXT_COLUMNS = ("file_name", "sheet_name", "message", "message_vi", "error_sheet", "error_column")


def _printable(value: object) -> object:
    return printable_name(value) if isinstance(value, str) else value


#: the manifest columns a registration writes (those not given are null)
_MANIFEST_COLUMNS = (
    "file_id",
    "file_name",
    "size_bytes",
    "run_id",
    "loaded_at",
    "file_path",
    "file_modified_at",
    "load_attempts",
    "source_family",
    "status",
    "row_count",
    "message",
    "message_vi",
    "sheet_name",
    "submitted_on",
    "error_sheet",
    "error_row",
    "error_column",
)


def _insert_manifest(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    unknown = values.keys() - set(_MANIFEST_COLUMNS)
    if unknown:
        raise ValueError(f"not a manifest column: {sorted(unknown)}")
    row = {k: _printable(values.get(k)) if k in _TEXT_COLUMNS else values.get(k) for k in _MANIFEST_COLUMNS}
    sqlfiles.execute(con, PACKAGE, "manifest_insert", row)


def _finding(con: duckdb.DuckDBPyConnection, run_id: str, error: IngestError, file_name: str) -> None:
    _insert_finding(
        con, run_id, "file_rejected", "error", file_name, str(error), error.full_message_vi, row=error.row
    )


def _insert_finding(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rule: str,
    severity: str,
    file_name: str,
    message: str,
    message_vi: str,
    *,
    row: int | None = None,
    unit_code: str | None = None,
    period_label: str | None = None,
) -> None:
    """A finding of tonight's run in ``marts.data_quality_findings`` (reported and published
    with the checks' findings)."""
    append_findings(
        con,
        run_id,
        [
            Finding(
                rule=rule,
                severity=severity,
                unit_code=unit_code,
                period_label=period_label,
                source_file=printable_name(file_name),
                source_row=row,
                message=printable_name(message),
                message_vi=printable_name(message_vi),
            )
        ],
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
    seen = {(r["file_id"], r["file_name"]) for r in sqlfiles.rows(con, PACKAGE, "manifest_registered")}
    first_name: dict[str, tuple[str, str | None]] = {}
    for r in sqlfiles.rows(con, PACKAGE, "manifest_first_names"):
        first_name.setdefault(r["file_id"], (r["file_name"], r["source_family"]))
    outcomes: list[FileOutcome] = []
    hashes = hashes or InboxHashes()
    for path, rel, file_id in unregistered_inbox_files(inbox, hashes, seen):
        size = path.stat().st_size
        seen.add((file_id, rel))
        now = _now()
        base = dict(
            file_id=file_id,
            file_name=rel,
            size_bytes=size,
            run_id=run_id,
            loaded_at=now,
            file_path=stored_path(path),
            file_modified_at=_modified_at(path),
            load_attempts=0,
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
            found = classified(path, rel, hashes)
        except IngestError as exc:
            _reject_new(con, path, rel, file_id, base, exc, quarantine, run_id)
            first_name[file_id] = (rel, None)
            outcomes.append(FileOutcome(rel, None, "rejected", 0, str(exc), exc.full_message_vi))
            continue
        first_name[file_id] = (rel, next(iter(found.families)))
        submitted_on = found.submitted_on
        for family, sheets in found.families.items():
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
                submitted_on=submitted_on,
            )
            outcomes.append(FileOutcome(rel, family, "pending", 0, "registered", "đã tiếp nhận"))
    outcomes += _register_skipped(con, inbox, run_id, seen)
    hashes.save()
    return outcomes


def _register_skipped(
    con: duckdb.DuckDBPyConnection, inbox: Path, run_id: str, seen: set[tuple[str, str]]
) -> list[FileOutcome]:
    """Record each file not read (hidden or Office lock file, symbolic link, pipe or device)
    once as ``skipped``, with why, so that the run can say so. They are never read (a lock
    file is open elsewhere, ``.DS_Store`` is not a submission, a link may point anywhere, a
    pipe may never end) and are no error: the id is the hash of the name, not of the
    content, so a lock file rewritten every time the workbook is saved is recorded once."""
    outcomes = []
    for path, (en, vi) in _scan_inbox(inbox)[1] if inbox.exists() else []:
        rel = inbox_name(inbox, path)
        file_id = hashlib.sha256(b"skipped\0" + os.fsencode(path.relative_to(inbox).as_posix())).hexdigest()
        if (file_id, rel) in seen:
            continue
        seen.add((file_id, rel))
        try:
            size: int | None = path.lstat().st_size  # a link's own size, never its target's
        except OSError:
            size = None  # a lock file may vanish while the inbox is read
        _insert_manifest(
            con,
            file_id=file_id,
            file_name=rel,
            size_bytes=size,
            run_id=run_id,
            loaded_at=_now(),
            file_path=stored_path(path),
            source_family=None,
            status="skipped",
            row_count=0,
            message=en,
            message_vi=vi,
        )
        outcomes.append(FileOutcome(rel, None, "skipped", 0, en, vi))
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
    schema = TABLE_SCHEMAS[table]
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
    #: what else the message says (English, Vietnamese): rows a reader left out and why
    notes: list[tuple[str, str]] = field(default_factory=list)


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
        sqlfiles.text(PACKAGE, "load_findings_insert"),
        [
            {
                "file_id": file_id,
                "source_family": family,
                "sheet_name": f.sheet,
                "source_row": f.source_row,
                "column_ref": f.column_ref,
                "rule": f.rule,
                "severity": f.severity,
                "stated_value": f.stated,
                "computed_value": f.computed,
                "difference": f.difference,
                "message": f.message,
                "message_vi": f.message_vi,
                "unit_code": f.unit_code,
                "period_label": f.period_label,
                "loaded_at": loaded_at,
            }
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
        sheets: list[Sheet] = private_sheet_names(read_sheets(path))
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


#: the families read like record exports (one DuckDB scan of a file, a spreadsheet streamed
#: into a CSV first): their loader, and what their kinds and first line are called
_EXPORT_FAMILIES = {
    "dossier_records": (
        load_records,
        "record-level dossier exports",
        "dữ liệu hồ sơ chi tiết",
        "a record export",
        "tệp dữ liệu hồ sơ",
    ),
    HISTORY_FAMILY: (
        load_status_history,
        "dossier status histories",
        "lịch sử xử lý hồ sơ",
        "a status history",
        "tệp lịch sử xử lý hồ sơ",
    ),
}


def _load_records_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    loaded_at: datetime,
    family: str = "dossier_records",
) -> _Loaded:
    """A record export, or a file of another family read like one (a status history)."""
    loader, kinds_en, kinds_vi, first_en, first_vi = _EXPORT_FAMILIES[family]
    kind = file_kind(path)
    if kind not in ("csv", "csv.gz", "parquet", *SHEET_KINDS):
        raise IngestError(
            f"{kinds_en} must be .csv, .csv.gz, .parquet, .xlsx or .xls files",
            f"{kinds_vi} phải gửi dạng .csv, .csv.gz, .parquet, .xlsx hoặc .xls",
            file_name=file_name,
        )
    try:
        sheets = read_sheets(path, max_rows=HEADER_SCAN_ROWS + 5)
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    if kind in SHEET_KINDS:
        # a spreadsheet: its records sheet, from its header (below a title block) on, is
        # streamed into a temporary CSV read as any export; rows stay the sheet's
        found = records_sheet(private_sheet_names(sheets), file_name, family)
        try:
            with records_csv(path, kind, found, file_name, family) as (csv_path, match):
                res = loader(con, csv_path, match, file_id, file_name, loaded_at, row_offset=found.header_row)
        except ReadError as exc:
            raise IngestError.from_parse_error(exc, file_name=file_name, sheet=found.name) from exc
        except IngestError as exc:  # rows are the sheet's: the sheet is named too
            exc.sheet = exc.sheet or found.name
            raise
        return _loaded_export(res, [found.name or ""], found.skipped)
    if kind == "parquet":
        match = find_header(sheets[0].rows[:1], (family,))
        if match is None:
            raise IngestError(
                f"the first line of {first_en} must be its header",
                f"dòng đầu tiên của {first_vi} phải là dòng tên cột",
                file_name=file_name,
                row=1,
            )
    else:  # a CSV export: its header may stand below a title block, a totals row close it
        layout = csv_layout(sheets[0], file_name, family)
        if csv_needs_rewrite(path, kind, sheets[0], layout, family):
            offset = layout.header_row
            with records_csv(path, kind, layout, file_name, family) as (csv_path, match):
                res = loader(con, csv_path, match, file_id, file_name, loaded_at, row_offset=offset)
            return _loaded_export(res)
        match = find_header(sheets[0].rows[:1], (family,))
        assert match is not None  # csv_layout found the header on the first line
    res = loader(con, path, match, file_id, file_name, loaded_at)
    return _loaded_export(res)


def _loaded_export(
    res: ExportResult, sheets: list[str] | None = None, skipped: list[str] | None = None
) -> _Loaded:
    """What loading an export gave, as the inbox reports it; records.py wrote its row
    findings (dates in the wrong order) itself: they are counted here only."""
    return _Loaded(
        res.rows,
        res.unit_codes,
        res.period_labels,
        sheets or [],
        skipped or [],
        findings=res.findings,
        notes=res.notes,
        ignored=res.ignored,
        ignored_vi=res.ignored_vi,
    )


def _load_self_assessment(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    """A self-assessment table (ingest/self_assessment.py): its rows, and a load finding
    for every stated sum that differs from its parts."""
    table = read_self_assessment(path, resolver)
    if table.unit_code is None and not table.unit_name:
        raise IngestError(
            "the title block names no unit (e.g. 'Đơn vị: UBND thành phố Sa Đéc, tỉnh Đồng Tháp')",
            "phần đầu biểu không ghi đơn vị tự đánh giá (ví dụ 'Đơn vị: UBND thành phố Sa Đéc,"
            " tỉnh Đồng Tháp')",
            file_name=file_name,
            sheet=table.sheet,
        )
    # the table resolved its unit when it could; else the resolver says why, with candidates
    unit_code = table.unit_code or resolver.resolve(
        name=table.unit_name, province=table.province, on_date=date(table.year, 12, 31)
    )
    period_label = str(table.year)
    rows = [
        {
            "source_row": row.source_row,
            "unit_code": unit_code,
            "assessment_year": table.year,
            "node_code": row.code,
            "parent_code": row.parent_code,
            "node_level": row.level,
            "ordinal": row.ordinal,
            "name_vi": row.name_vi,
            "max_points": row.max_points,
            "self_score": row.self_score,
            "self_score_pending": row.self_score_pending,
            "appraised_score": row.appraised_score,
            "evidence": row.evidence,
            "explanation": row.explanation,
            "appraisal_reason": row.appraisal_reason,
        }
        for row in table.rows
    ]
    _insert_table(con, "self_assessment_rows", rows, file_id, loaded_at)
    findings = [
        LoadFinding(
            rule="form_self_assessment_sum",
            sheet=table.sheet,
            source_row=mismatch.source_row,
            column_ref=mismatch.column,
            stated=mismatch.stated,
            computed=mismatch.parts,
            message=mismatch.message_en(),
            message_vi=mismatch.message_vi(),
            unit_code=unit_code,
            period_label=period_label,
        )
        for mismatch in table.mismatches
    ]
    _insert_findings(con, findings, file_id, "self_assessment", loaded_at)
    return _Loaded(len(rows), [unit_code], [period_label], [table.sheet or ""], [], findings=findings)


def _load_published_results(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    """Published PAR INDEX / SIPAS tables (ingest/published_results.py): one row per unit
    and its components, and a load finding for every stated total that differs from the sum
    of its components. Rows naming agencies (not administrative units) are left out and
    named in the message."""
    try:
        sheets: list[Sheet] = private_sheet_names(read_sheets(path))
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    read = read_published_results(path, resolver, sheets=sheets)
    rows: list[dict] = []
    components: list[dict] = []
    findings: list[LoadFinding] = []
    left_out: list[str] = []
    for table in read.tables:
        left_out.extend(table.left_out)
        for row in table.rows:
            figure = {
                "source_row": row.source_row,
                "index_kind": table.index_kind,
                "year": row.year,
                "unit_code": row.unit_code,
            }
            rows.append(
                {
                    **figure,
                    "unit_name": row.unit_name,
                    "value_percent": row.value_percent,
                    "rank": row.rank,
                    "rank_out_of": row.rank_out_of,
                    "group_label": row.group_label,
                    "source_text": table.source_text,
                    "as_of_date": table.as_of_date,
                }
            )
            components.extend(
                {
                    **figure,
                    "component_order": order,
                    "component_name_vi": part.name_vi,
                    "points": part.points,
                    "max_points": part.max_points,
                    "value_percent": part.value_percent,
                }
                for order, part in enumerate(row.components, 1)
            )
        findings.extend(
            LoadFinding(
                rule="form_published_total_matches_components",
                sheet=table.sheet,
                source_row=mismatch.source_row,
                column_ref=mismatch.column,
                stated=mismatch.stated,
                computed=mismatch.parts,
                message=mismatch.message_en(),
                message_vi=mismatch.message_vi(),
                unit_code=mismatch.unit_code,
                period_label=str(table.year),
            )
            for mismatch in table.mismatches
        )
    _insert_table(con, "published_index_results", rows, file_id, loaded_at)
    if components:
        _insert_table(con, "published_index_components", components, file_id, loaded_at)
    _insert_findings(con, findings, file_id, PUBLISHED_FAMILY, loaded_at)
    notes = _agencies_left_out(left_out)
    return _Loaded(
        len(rows),
        sorted({r["unit_code"] for r in rows}),
        sorted({str(r["year"]) for r in rows}),
        [t.sheet or "" for t in read.tables],
        list(read.skipped_sheets),
        findings=findings,
        notes=notes,
    )


def _agencies_left_out(left_out: list[str], departments: bool = False) -> list[tuple[str, str]]:
    """The load message's note (English, Vietnamese) naming the rows of a published table
    left out because they name agencies, not administrative units (``departments``: agencies
    that are none of the table's province's departments, ingest/config/departments.yaml, or
    in a table that names no province); none when none were."""
    if not left_out:
        return []
    names = ", ".join(left_out[:5]) + (" …" if len(left_out) > 5 else "")
    if departments:
        return [
            (
                f"not loaded: {len(left_out)} row(s) naming agencies that are none of the"
                f" province's departments, or in a table that names no province ({names})",
                f"không nạp {len(left_out)} dòng của cơ quan không thuộc danh sách sở, ban, ngành"
                f" của tỉnh, hoặc bảng không ghi rõ tỉnh ({names})",
            )
        ]
    return [
        (
            f"not loaded: {len(left_out)} row(s) naming agencies, not administrative units ({names})",
            f"không nạp {len(left_out)} dòng của cơ quan, không phải đơn vị hành chính ({names})",
        )
    ]


def _load_procedure_catalogue(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    """A procedure catalogue (ingest/procedure_catalogue.py): one row per unit and
    procedure. Its periods are the catalogue's dates (ISO); a later catalogue of the same
    unit replaces the earlier one in dbt (int_procedure_catalogue_latest)."""
    try:
        sheets: list[Sheet] = private_sheet_names(read_sheets(path))
    except ReadError as exc:
        raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    read = read_procedure_catalogue(path, resolver, sheets=sheets)
    rows = [row.record() for row in read.rows]
    _insert_table(con, "procedure_catalogue", rows, file_id, loaded_at)
    ignored = [text for table in read.tables for text in table.ignored]
    return _Loaded(
        len(rows),
        sorted({row.unit_code for row in read.rows}),
        sorted({row.as_of_date.isoformat() for row in read.rows}),
        [t.sheet or "" for t in read.tables],
        list(read.skipped_sheets),
        ignored=[en for en, _ in ignored],
        ignored_vi=[vi for _, vi in ignored],
        column_map=" | ".join(t.column_map for t in read.tables if t.column_map) or None,
    )


def _load_narrative_report(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    """A narrative report (ingest/narrative_reports.py): one row of raw.narrative_claims per
    figure it states about a known measure (personal data masked by the reader before
    anything is kept); its internal inconsistencies are load findings. A report stating no
    known figure is loaded with a note, not rejected."""
    read = read_narrative_report(path, file_name, resolver)
    if read.rows:
        _insert_table(con, "narrative_claims", read.rows, file_id, loaded_at)
    _insert_findings(con, read.findings, file_id, NARRATIVE_FAMILY, loaded_at)
    return _Loaded(
        len(read.rows),
        [read.report_unit_code] if read.report_unit_code else [],
        read.period_labels,
        [],
        [],
        findings=read.findings,
        notes=read.notes,
    )


def _load_portal_766(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    file_name: str,
    resolver: UnitResolver,
    loaded_at: datetime,
) -> _Loaded:
    """The portal's published 766 scores (ingest/portal_766.py): one row per unit and
    period, each unit resolved to a warehouse unit (a province by its name or code, else a
    unit by its name); a stated total that differs from its groups is a load finding. Rows
    naming agencies (departments) are left out and named in the message."""
    sheets: list[Sheet] | None = None
    if not is_json_file(file_name):
        try:
            sheets = private_sheet_names(read_sheets(path))
        except ReadError as exc:
            raise IngestError.from_parse_error(exc, file_name=file_name) from exc
    read = read_portal_766(path, sheets=sheets)
    rows: list[dict] = []
    left_out: list[str] = []
    codes: dict[int, str] = {}
    overview = _json_overview_texts(load_json_document(path)) if sheets is None else []
    province = _portal_province_context(resolver, read.rows) or _portal_title_province(
        resolver, read.rows, sheets, file_name, overview
    )
    for row in read.rows:
        code = _portal_unit(resolver, row, file_name, province)
        if code is None:
            left_out.append(row.unit_name)
            continue
        codes[row.source_row] = code
        rows.append(
            {
                "source_row": row.source_row,
                "sheet_name": row.sheet,
                "unit_code": code,
                "unit_name": row.unit_name,
                "period_kind": row.period_kind,
                "period_start": row.period_start,
                "period_end": row.period_end,
                "portal_rank": row.rank,
                **{group: _six_places(row.group(group)) for group in PORTAL_766_GROUPS},
                "total": _six_places(row.total),
                "band_label": row.band_label,
                "source_layout": read.source_layout,
                "api_version": read.api_version,
            }
        )
    labels = {row.source_row: row.period_label for row in read.rows}
    findings = [
        LoadFinding(
            rule=finding.rule,
            sheet=finding.sheet,
            source_row=finding.source_row,
            column_ref=finding.column,
            stated=finding.stated,
            computed=finding.parts,
            message=finding.message_en,
            message_vi=finding.message_vi,
            unit_code=codes.get(finding.source_row),
            period_label=labels.get(finding.source_row),
        )
        for finding in read.findings
    ]
    _insert_table(con, "portal_766_scores", rows, file_id, loaded_at)
    _insert_findings(con, findings, file_id, PORTAL_766_FAMILY, loaded_at)
    notes = _agencies_left_out(left_out, departments=True)
    return _Loaded(
        len(rows),
        sorted({r["unit_code"] for r in rows}),
        sorted({row.period_label for row in read.rows}),
        sorted({row.sheet or "" for row in read.rows}),
        [],
        findings=findings,
        notes=notes,
    )


def _six_places(value: Decimal | None) -> Decimal | None:
    """A published score kept to the raw table's 6 decimals (a JSON figure may carry float
    noise such as 13.199999999), half up."""
    return None if value is None else value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _portal_unit_name(row: Portal766Row) -> str:
    """The row's unit name without "UBND" / "Ủy ban nhân dân" before it."""
    return re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", row.unit_name.strip(), flags=re.IGNORECASE)


def _portal_province(resolver: UnitResolver, row: Portal766Row) -> str | None:
    """The province a row names by its name, or None."""
    try:
        return resolver.resolve_province(_portal_unit_name(row), row.period_end)
    except ParseError:
        return None


def _portal_province_context(resolver: UnitResolver, rows: Sequence[Portal766Row]) -> str | None:
    """The one province a ranking names in its own rows (a province's table of its departments
    and communes heads them with the province): its communes are looked for in it. None when
    the file names no province or several (the national table)."""
    found = {code for row in rows if (code := _portal_province(resolver, row)) is not None}
    return found.pop() if len(found) == 1 else None


def _json_overview_texts(document: object, depth: int = 0) -> list[str]:
    """The texts of a portal JSON answer's ``overview`` (``{"departmentName": "Tỉnh Đồng
    Tháp", …}``): the unit the answer is about, as a title is for an export."""
    if depth > 3:
        return []
    if isinstance(document, dict):
        texts: list[str] = []
        for key, value in document.items():
            if str(key).lower() == "overview" and isinstance(value, dict):
                texts += [v for v in value.values() if isinstance(v, str)]
            else:
                texts += _json_overview_texts(value, depth + 1)
        return texts
    return []


def _portal_title_province(
    resolver: UnitResolver,
    rows: Sequence[Portal766Row],
    sheets: list[Sheet] | None,
    file_name: str,
    overview: Sequence[str] = (),
) -> str | None:
    """The province a table of communes and departments names only above its header ("UBND
    TỈNH ĐỒNG THÁP", "… các xã, phường tỉnh Đồng Tháp") or in its file name, where its rows
    name none: its communes are looked for in it. None when the title and the file name name
    no province, or several."""
    if not rows or any(_portal_province(resolver, row) is not None for row in rows):
        return None
    first_rows = {row.sheet: row.source_row for row in reversed(rows)}  # each sheet's first row
    texts: list[str] = list(overview)
    for sheet in sheets or ():
        above = first_rows.get(sheet.name)
        if above is None:
            continue
        texts += [" ".join(str(v) for v in cells if v is not None) for cells in sheet.rows[: above - 1]]
    on = rows[0].period_end
    names = {name for text in texts if (name := resolver.find_province_in_text(text)) is not None}
    if not names and (in_file_name := resolver.find_province_in_file_name(file_name)) is not None:
        names = {in_file_name}
    found: set[str] = set()
    for name in names:
        with contextlib.suppress(ParseError):
            found.add(resolver.resolve_province(name, on))
    for text in overview:  # the answer's own unit: "Đồng Tháp", "Tỉnh Đồng Tháp"
        with contextlib.suppress(ParseError):
            found.add(resolver.resolve_province(text, on))
    return found.pop() if len(found) == 1 else None


def _portal_unit(
    resolver: UnitResolver, row: Portal766Row, file_name: str, province: str | None = None
) -> str | None:
    """The warehouse unit a portal row names: a province by its code or name, else a unit by
    its name (within ``province``, the file's own province, where it has one); None for an
    agency (a department is not an administrative unit). A code and a name that name
    different units are refused, naming both: a code written in another era's list (Đồng
    Tháp's code from 2025, 82, on 2024 figures is Tiền Giang's) must not move a unit's
    scores to another."""
    on = row.period_end
    name = _portal_unit_name(row)
    by_code = None
    if row.unit_code:
        for resolve in (resolver.resolve_province, lambda c, d: resolver.resolve(code=c, on_date=d)):
            try:
                by_code = resolve(row.unit_code, on)
                break
            except ParseError:
                continue  # not a GSO code (a portal id): the name says which unit
    by_name = _portal_province(resolver, row)
    name_error: ParseError | None = None
    if by_name is None:
        try:
            by_name = resolver.resolve(name=name, province=province, on_date=on)
        except ParseError as exc:
            name_error = exc
    if by_code is not None and by_name is not None and by_code != by_name:
        code_unit, name_unit = resolver.units[by_code], resolver.units[by_name]
        raise IngestError(
            f"the unit code {row.unit_code!r} is {code_unit.describe()}, but the row names"
            f" {row.unit_name!r} ({name_unit.describe()}): correct the code or the name"
            " (a code from another era's list?)",
            f"mã đơn vị {row.unit_code!r} là {code_unit.describe()}, nhưng dòng ghi tên"
            f" {row.unit_name!r} ({name_unit.describe()}): sửa lại mã hoặc tên (mã theo danh"
            " mục của thời kỳ khác?)",
            file_name=file_name,
            sheet=row.sheet,
            row=row.source_row,
        )
    if by_code is not None and by_name is None and not _names_agree(resolver.units[by_code], name):
        if AGENCY_NAME.match(fold(name)):
            return None
        assert name_error is not None
        raise IngestError.from_parse_error(
            name_error, file_name=file_name, sheet=row.sheet, row=row.source_row, column=None
        )
    if by_code is not None or by_name is not None:
        return by_code or by_name
    if AGENCY_NAME.match(fold(name)):  # a department of the table's province, else left out
        return resolver.resolve_department(name, province, on) if province else None
    assert name_error is not None
    raise IngestError.from_parse_error(
        name_error, file_name=file_name, sheet=row.sheet, row=row.source_row, column=None
    )


def _names_agree(unit: Unit, name: str) -> bool:
    """Whether a name (with or without its prefix) is the unit's: a code with a name the
    resolver found ambiguous (Xã Tân Phú, five provinces) is taken when the name is the code's."""
    short = re.sub(r"\s*\([^)]*\)$", "", unit.short_name)
    return fold(name) in {fold(unit.unit_name), fold(unit.short_name), fold(short)}


# Families whose later submission replaces the earlier one whole for a unit and period, and
# the raw table holding such submissions. Record exports and survey forms are not: their
# files add up (a dossier or a form sent again is replaced one by one, in dbt).
WHOLE_SUBMISSION_TABLES = {
    "dossiers": "dossiers",
    "staff": "staff",
    "budget": "budget",
    "surveys": "surveys",
    "self_assessment": "self_assessment_rows",
}
# Not published_index_results: published tables are not unit submissions, and a PAR INDEX
# and a SIPAS table of one year name the same provinces; a later figure replaces an earlier
# one per index, year and unit in dbt (int_published_index_results_latest).
# Nor portal_766_scores: the portal's figures of a unit and period replace earlier ones in
# dbt (int_portal_766_scores_latest).
# Nor procedure_catalogue: a later catalogue of a unit replaces the earlier one whatever its
# date, in dbt (int_procedure_catalogue_latest).


@dataclass(frozen=True)
class _Pending:
    """A pending file of the manifest, with what orders it among tonight's files."""

    file_id: str
    file_name: str
    path: Path
    submitted_on: date | None
    modified_at: datetime | None
    attempts: int

    def submitted_key(self) -> tuple[date, datetime, str]:
        """Earlier submissions first: the title block's date, else the local date of the
        file's modification time; then the modification time; then the name."""
        moment = self.modified_at or datetime.min
        day = self.submitted_on or (_local_date(self.modified_at) if self.modified_at else date.min)
        return (day, moment, self.file_name)


def _pending_files(con: duckdb.DuckDBPyConnection, family: str) -> list[_Pending]:
    """The pending files of ``family`` in submission order (see :meth:`_Pending.submitted_key`).
    Why: of two versions of one submission loaded in one night, dbt keeps the one loaded last
    (the later ``loaded_at``), which must be the one submitted later, whatever the names."""
    found = []
    for row in sqlfiles.rows(con, PACKAGE, "manifest_pending", {"family": family}):
        path = read_path(row["file_path"])
        modified_at = row["file_modified_at"]
        if modified_at is None:  # registered before the column existed
            modified_at = _modified_at(path)
        found.append(
            _Pending(
                row["file_id"],
                row["file_name"],
                path,
                row["submitted_on"],
                modified_at,
                int(row["load_attempts"]),
            )
        )
    return sorted(found, key=_Pending.submitted_key)


def load_family(con: duckdb.DuckDBPyConnection, family: str, quarantine: Path, run_id: str) -> FamilyReport:
    """Load every pending file of ``family`` in submission order; one transaction per file.

    Before a file is loaded its ``load_attempts`` is raised and committed: a file whose
    loading killed the process twice (out of memory, a reader fault) is rejected instead
    of loaded a third time, so that one file never stops every following night."""
    if family not in LOADED_FAMILIES:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(LOADED_FAMILIES)}")
    ensure_admin_units(con)
    quarantine = Path(quarantine)
    report = FamilyReport(family)
    pending = _pending_files(con, family)
    resolver = UnitResolver.from_connection(con) if pending and family not in _EXPORT_FAMILIES else None
    last_loaded_at: datetime | None = None
    with _checkpoints_deferred(con) if pending else contextlib.nullcontext():
        for item in pending:
            if item.attempts >= MAX_LOAD_ATTEMPTS:
                outcome = _reject_crashed(con, family, item, quarantine, run_id)
            else:
                sqlfiles.execute(
                    con, PACKAGE, "manifest_count_attempt", {"file_id": item.file_id, "family": family}
                )  # committed now: a crash while loading leaves the attempt counted
                loaded_at = _now()
                if last_loaded_at is not None and loaded_at <= last_loaded_at:
                    loaded_at = last_loaded_at + timedelta(microseconds=1)  # strictly in order
                last_loaded_at = loaded_at
                outcome = _load_one(con, family, item, resolver, quarantine, run_id, loaded_at)
            report.outcomes.append(outcome)
            if outcome.status == "loaded":
                report.files_loaded += 1
                report.rows_loaded += outcome.rows
            else:
                report.files_rejected += 1
    return report


@contextlib.contextmanager
def _checkpoints_deferred(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """While a family's files load, a commit checkpoints the database only once the WAL holds
    :data:`LOADING_CHECKPOINT_THRESHOLD` (DuckDB's 16 MiB checkpointed a night's 34 record
    exports four times, each rewriting the tables' last row groups). Every commit is in the
    WAL all the same (a crash loses no loaded file); the database is checkpointed when the
    connection closes, or by the next commit past DuckDB's threshold, restored afterwards."""
    before = sqlfiles.one(con, PACKAGE, "loading_checkpoint_threshold")
    sqlfiles.execute(
        con, PACKAGE, "loading_set_checkpoint_threshold", {"threshold": LOADING_CHECKPOINT_THRESHOLD}
    )
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # (a transaction left aborted: the error is raised)
            sqlfiles.execute(con, PACKAGE, "loading_set_checkpoint_threshold", {"threshold": before[0]})


def _reject_crashed(
    con: duckdb.DuckDBPyConnection, family: str, item: _Pending, quarantine: Path, run_id: str
) -> FileOutcome:
    """Reject a file whose loading stopped the process :data:`MAX_LOAD_ATTEMPTS` times. No
    copy is kept in quarantine (reading it again to remove personal columns could stop the
    process once more); the ``.error.txt`` names it, and the inbox still holds it."""
    error = IngestError(
        f"this file stopped {item.attempts} runs while it was being loaded (out of memory or a"
        " reader fault); it is not loaded again. Check it (size, rows, columns) and send a"
        " corrected file under a new name",
        f"tệp này đã làm dừng {item.attempts} lần chạy khi đang nạp (hết bộ nhớ hoặc lỗi đọc tệp);"
        " không nạp lại. Kiểm tra tệp (dung lượng, số dòng, số cột) rồi gửi lại tệp đã sửa",
        file_name=item.file_name,
    )
    _reject_pending(con, family, None, item.file_id, item.file_name, error, quarantine, run_id)
    return FileOutcome(item.file_name, family, "rejected", 0, str(error), error.full_message_vi)


def _load_one(
    con: duckdb.DuckDBPyConnection,
    family: str,
    item: _Pending,
    resolver: UnitResolver | None,
    quarantine: Path,
    run_id: str,
    loaded_at: datetime,
) -> FileOutcome:
    path, file_id, file_name = item.path, item.file_id, item.file_name
    con.begin()
    try:
        if not path.is_file():
            raise IngestError(
                "the file is no longer in the inbox",
                "tệp không còn trong hộp thư đến",
                file_name=file_name,
            )
        with plausible_values():  # dates, periods and counts within the door's window
            if family in _EXPORT_FAMILIES:
                done = _load_records_file(con, path, file_id, file_name, loaded_at, family)
            elif family == "self_assessment":
                assert resolver is not None
                done = _load_self_assessment(con, path, file_id, file_name, resolver, loaded_at)
            elif family == PUBLISHED_FAMILY:
                assert resolver is not None
                done = _load_published_results(con, path, file_id, file_name, resolver, loaded_at)
            elif family == PORTAL_766_FAMILY:
                assert resolver is not None
                done = _load_portal_766(con, path, file_id, file_name, resolver, loaded_at)
            elif family == CATALOGUE_FAMILY:
                assert resolver is not None
                done = _load_procedure_catalogue(con, path, file_id, file_name, resolver, loaded_at)
            elif family == NARRATIVE_FAMILY:
                assert resolver is not None
                done = _load_narrative_report(con, path, file_id, file_name, resolver, loaded_at)
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
        for note_en, note_vi in done.notes:
            en += f"; {note_en}"
            vi += f"; {note_vi}"
        if done.skipped:
            en += f"; skipped sheets (not {family}): {', '.join(done.skipped)}"
            vi += f"; bỏ qua các trang tính không thuộc loại này: {', '.join(done.skipped)}"
        for replaced_en, replaced_vi in _note_replaced(con, family, item, done, run_id):
            en += f"; warning: {replaced_en}"
            vi += f"; cảnh báo: {replaced_vi}"
        sqlfiles.execute(
            con,
            PACKAGE,
            "manifest_mark_loaded",
            {
                "row_count": done.rows,
                "unit_codes": done.unit_codes,
                "period_labels": done.period_labels,
                "sheet_name": printable_name(", ".join(done.sheets)) or None,
                "message": printable_name(en),
                "message_vi": printable_name(vi),
                "ignored_columns": [printable_name(c) for c in done.ignored],
                "column_map": _printable(done.column_map),
                "run_id": run_id,
                "loaded_at": loaded_at,
                "file_id": file_id,
                "family": family,
            },
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


def _note_replaced(
    con: duckdb.DuckDBPyConnection, family: str, item: _Pending, done: _Loaded, run_id: str
) -> list[tuple[str, str]]:
    """Files loaded earlier tonight that this one replaces (same family, a unit and a period
    in common; it was submitted later, so it was loaded after them and wins): one finding
    each in ``marts.data_quality_findings`` and the (English, Vietnamese) warnings for the
    manifest message. Why: two versions in one night used to be decided silently."""
    table = WHOLE_SUBMISSION_TABLES.get(family)
    if table is None or not done.unit_codes or not done.period_labels:
        return []
    earlier = sqlfiles.rows(
        con,
        PACKAGE,
        "manifest_replaced_earlier",
        {
            "submission_table": table,
            "family": family,
            "run_id": run_id,
            "file_id": item.file_id,
            "unit_codes": done.unit_codes,
            "period_labels": done.period_labels,
        },
    )
    notes = []
    for found in earlier:
        other, other_on, other_modified = found["file_name"], found["submitted_on"], found["file_modified_at"]
        units, periods = found["unit_codes"], found["period_labels"]
        common_units = _unit_names(con, sorted(set(units) & set(done.unit_codes)))
        common_periods = sorted(set(periods) & set(done.period_labels))
        when_en, when_vi = _submitted_words(item.submitted_on, item.modified_at)
        was_en, was_vi = _submitted_words(other_on, other_modified)
        en = (
            f"{item.file_name} replaces {other}: same unit, same period, submitted later"
            f" ({when_en}; {other}: {was_en}); units {', '.join(common_units)}, period"
            f" {', '.join(common_periods)}"
        )
        vi = (
            f"{item.file_name} thay thế {other}: cùng đơn vị, cùng kỳ, nộp sau ({when_vi};"
            f" {other}: {was_vi}); đơn vị {', '.join(common_units)}, kỳ {', '.join(common_periods)}"
        )
        _insert_finding(
            con,
            run_id,
            "same_night_version_replaced",
            "warn",
            item.file_name,
            en,
            vi,
            unit_code=sorted(set(units) & set(done.unit_codes))[0],
            period_label=common_periods[0],
        )
        notes.append((en, vi))
    return notes


def _unit_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> list[str]:
    """``Thành phố Sa Đéc (L866)``: units as users read them."""
    names = {
        row["unit_code"]: row["unit_name"]
        for row in sqlfiles.rows(con, PACKAGE, "admin_unit_names", {"unit_codes": codes})
    }
    return [f"{names[c]} ({c})" if names.get(c) else c for c in codes]


def _submitted_words(submitted_on: date | None, modified_at: datetime | None) -> tuple[str, str]:
    """When a file was submitted, in words: its own date, else its arrival time (local)."""
    if submitted_on is not None:
        return f"dated {submitted_on:%d/%m/%Y}", f"ngày {submitted_on:%d/%m/%Y}"
    if modified_at is not None:
        local = modified_at.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
        return (
            f"no date in the file, arrived {local:%d/%m/%Y %H:%M}",
            f"tệp không ghi ngày, đến lúc {local:%H:%M ngày %d/%m/%Y}",
        )
    return "date unknown", "không rõ ngày"


def _reject_pending(
    con: duckdb.DuckDBPyConnection,
    family: str,
    path: Path | None,
    file_id: str,
    file_name: str,
    error: IngestError,
    quarantine: Path,
    run_id: str,
) -> None:
    sqlfiles.execute(
        con,
        PACKAGE,
        "manifest_mark_rejected",
        {
            "message": printable_name(str(error)),
            "message_vi": printable_name(error.full_message_vi),
            "error_sheet": _printable(error.sheet),
            "error_row": error.row,
            "error_column": error.column,
            "run_id": run_id,
            "loaded_at": _now(),
            "file_id": file_id,
            "family": family,
        },
    )
    _finding(con, run_id, error, file_name)  # before the copy: reading it may fail again
    keep = path if path is not None and path.is_file() else None
    quarantine_file(keep, file_id, file_name, quarantine, error, family)
