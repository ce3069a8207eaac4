"""What has been submitted, and what became of it: `parwh submissions` and the look-up of one
submission by its file name or hash (`parwh withdraw`).

A submission is a file of ``raw.file_manifest`` (one manifest row per source family it
holds). Its status, as a user reads it:

* ``loaded``: its rows are in the working tables and count;
* ``replaced``: loaded, but every unit and period it holds was submitted again later (a
  whole-submission family: dossier statistics, staff, budget, surveys; the later file wins,
  as in the dbt models ``int_*_submissions_latest``); the file(s) that replaced it are named.
  A file replaced for some of its units only stays ``loaded`` and says which part;
* ``withdrawn``: taken back with `parwh withdraw` (when, by whom, why:
  ``raw.submission_withdrawals``);
* ``rejected`` (why), ``duplicate`` (same content as another file), ``skipped`` (hidden or
  Office lock file, never read), ``pending`` (registered, not loaded yet).

Everything here reads the working database read-only (it also works while no night runs;
a night holding the database is reported as such). No Dagster import: `parwh` answers in a
second.

Why ``submissions/`` and not ``ingest/``: ``ingest/`` reads files into raw tables; this
module and ``withdrawal.py`` are operator commands over the warehouse as a whole (the
manifest, every raw table, the inbox, ``withdrawn/``, the dbt models a withdrawal
invalidates), like ``night/state.py``. Their statements are ``sql/listing_*.sql`` and
``sql/withdrawal_*.sql``; a whole-submission table's key (``REPLACEMENT_KEYS``) reaches them
as a list of column names and comes back packed in a struct (:func:`key_values`).
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

import sqlfiles
from ingest.bookkeeping import SUBMISSION_WITHDRAWALS
from ingest.text import fold, printable_name
from settings import Settings

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WITHDRAWALS_TABLE = SUBMISSION_WITHDRAWALS.qualified_name  # declared in ingest/bookkeeping.py
#: statuses as listed, with their Vietnamese words
STATUSES = {
    "loaded": "đã nạp",
    "replaced": "đã bị thay thế",
    "withdrawn": "đã rút",
    "rejected": "bị từ chối",
    "duplicate": "trùng nội dung",
    "skipped": "bỏ qua",
    "pending": "chờ nạp",
}
#: a file_hash prefix long enough to name a file (hex digits)
MIN_HASH_PREFIX = 8
_HEX = re.compile(r"[0-9a-fA-F]+")
_SQL = __package__ or "submissions"  # the package of sql/*.sql
_PARENTHESIS = re.compile(r"\s*\(.*?\)")  # "Hồng Ngự (Thành phố)" → "Hồng Ngự"
#: whole-submission raw tables and the key whose latest file wins (as in the dbt models
#: int_dossier_submissions_latest, int_staff_submissions_latest,
#: int_budget_submissions_latest, int_survey_results_unioned)
REPLACEMENT_KEYS = {
    "dossiers": ("unit_code", "authority_level", "period_start", "period_end"),
    "staff": ("unit_code", "as_of_date"),
    "budget": ("unit_code", "fiscal_year", "as_of_date"),
    "surveys": ("unit_code", "authority_level", "period_start", "period_end"),
}


class SubmissionError(Exception):
    """A problem a user can act on, in English and Vietnamese; nothing was changed."""

    def __init__(self, en: str, vi: str, candidates: list[str] | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.vi = vi
        self.candidates = candidates or []


class WarehouseBusy(SubmissionError):
    """A night (or another program) holds the working database."""


@dataclass
class Submission:
    file_id: str
    file_name: str
    status: str
    families: list[str] = field(default_factory=list)
    rows: int = 0
    unit_codes: list[str] = field(default_factory=list)
    period_labels: list[str] = field(default_factory=list)
    loaded_at: datetime | None = None  # naive UTC, as in the manifest
    file_path: str | None = None
    message: str = ""
    message_vi: str = ""
    detail: str = ""  # what became of it (English)
    detail_vi: str = ""
    unit_names: list[str] = field(default_factory=list)  # "Thành phố Sa Đéc (L867)"

    @property
    def short_hash(self) -> str:
        return self.file_id[:12]

    @property
    def status_words(self) -> str:
        return f"{STATUSES.get(self.status, self.status)} / {self.status}"

    def loaded_local(self) -> str:
        """When it was registered or loaded, Vietnam time (UTC+7)."""
        if self.loaded_at is None:
            return ""
        return self.loaded_at.replace(tzinfo=UTC).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")

    def units_text(self, limit: int = 3) -> str:
        names = self.unit_names or self.unit_codes
        shown = ", ".join(names[:limit])
        more = len(names) - limit
        return shown + (f" và {more} đơn vị khác / and {more} more" if more > 0 else "")


# --- the database, read-only ------------------------------------------------------------------


def open_read_only(settings: Settings) -> duckdb.DuckDBPyConnection:
    """The working database, read-only. Raises :class:`SubmissionError` when there is none
    yet and :class:`WarehouseBusy` when a night (or another program) holds it."""
    if not settings.database_path.exists():
        raise SubmissionError(
            f"no working database in {settings.warehouse_dir} yet: nothing has been loaded"
            " (run `parwh run` first)",
            f"chưa có cơ sở dữ liệu làm việc trong {settings.warehouse_dir}: chưa nạp tệp nào"
            " (chạy `parwh run` trước)",
        )
    try:
        return duckdb.connect(str(settings.database_path), read_only=True)
    except duckdb.Error as exc:
        raise busy_error(settings, exc) from exc


def busy_error(settings: Settings, exc: Exception | None = None) -> WarehouseBusy:
    """Who holds the working database, in words (a night, or another program)."""
    from night.db_lock import lock_holder

    holder = lock_holder(settings.database_path)
    if holder is None:
        detail = str(exc) if exc is not None else "unknown reason"
        return WarehouseBusy(
            f"the working database {settings.database_path} cannot be opened: {detail}",
            f"không mở được cơ sở dữ liệu làm việc {settings.database_path}: {detail}",
        )
    en, vi = holder.describe()
    return WarehouseBusy(
        f"a nightly run or another program is using the working database: {en}. Nothing was read or changed",
        f"một lần chạy đêm hoặc chương trình khác đang dùng cơ sở dữ liệu làm việc: {vi}."
        " Chưa đọc hay thay đổi gì",
    )


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = sqlfiles.one(con, _SQL, "listing_table_exists", {"table_schema": schema, "table_name": name})
    return bool(found and found[0])


# --- one submission by name or hash ------------------------------------------------------------


def _manifest_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    hash_prefix: str | None = None,
    names: list[str] | None = None,
    file_path: str | None = None,
    base_name: str | None = None,
) -> list[Submission]:
    """Manifest rows grouped per (file, name, status): one submission each; filtered by the
    filters given (none: every file)."""
    if not table_exists(con, "raw.file_manifest"):
        return []
    rows = sqlfiles.rows(
        con,
        _SQL,
        "listing_manifest_rows",
        {"hash_prefix": hash_prefix, "names": names, "file_path": file_path, "base_name": base_name},
    )
    return [
        Submission(
            file_id=row["file_id"],
            file_name=row["file_name"],
            status=row["status"],
            families=list(row["families"] or []),
            rows=int(row["row_count"] or 0),
            unit_codes=sorted(set(row["unit_codes"] or [])),
            period_labels=sorted(set(row["period_labels"] or [])),
            loaded_at=row["loaded_at"],
            file_path=row["file_path"],
            message=row["message"] or "",
            message_vi=row["message_vi"] or "",
        )
        for row in rows
    ]


def _candidate_line(sub: Submission) -> str:
    return f"{sub.short_hash}  {printable_name(sub.file_name)}  ({sub.status_words}, {sub.loaded_local()})"


def find_submissions(
    con: duckdb.DuckDBPyConnection, ref: str, inbox_dir: Path | None = None
) -> list[Submission]:
    """The submissions ``ref`` names: a file_hash prefix (≥ 8 hex digits), the name as
    submitted (relative to the inbox: ``tthc_2023.xlsx``, ``huyen/tthc.xlsx``), a path to
    the file, or its base name. Exact names win over base names."""
    ref = ref.strip()
    if not ref:
        return []
    if len(ref) >= MIN_HASH_PREFIX and _HEX.fullmatch(ref):
        found = _manifest_rows(con, hash_prefix=ref.lower())
        if found:
            return found
    names = {ref, printable_name(ref)}
    path = Path(ref).expanduser()
    if inbox_dir is not None:
        with contextlib.suppress(ValueError, OSError):
            names.add(path.resolve().relative_to(inbox_dir.resolve()).as_posix())
    found = _manifest_rows(con, names=sorted(names))
    if found:
        return found
    found = _manifest_rows(con, file_path=str(path.resolve()))
    if found:
        return found
    base = path.name
    return _manifest_rows(con, base_name=base)


def find_one(
    con: duckdb.DuckDBPyConnection,
    ref: str,
    inbox_dir: Path | None = None,
    *,
    statuses: tuple[str, ...] = ("loaded",),
    action: tuple[str, str] = ("withdraw", "rút"),
) -> Submission:
    """The one submission with one of ``statuses`` that ``ref`` names. Raises
    :class:`SubmissionError` listing the candidates when there is none or several."""
    found = find_submissions(con, ref, inbox_dir)
    shown = printable_name(ref)
    if not found:
        short = bool(_HEX.fullmatch(ref.strip())) and len(ref.strip()) < MIN_HASH_PREFIX
        raise SubmissionError(
            f"no submitted file is named {shown!r} or has a hash starting with it"
            + (f" (a hash needs at least {MIN_HASH_PREFIX} characters)" if short else "")
            + "; list them with `parwh submissions`",
            f"không có tệp đã nộp nào tên {shown!r} hoặc có mã băm bắt đầu như vậy"
            + (f" (mã băm cần ít nhất {MIN_HASH_PREFIX} ký tự)" if short else "")
            + "; xem danh sách: `parwh submissions`",
        )
    eligible = [sub for sub in found if sub.status in statuses]
    ids = {sub.file_id for sub in eligible}
    if len(ids) == 1:
        (file_id,) = ids
        rows = [sub for sub in eligible if sub.file_id == file_id]
        return _merge(rows)
    candidates = [_candidate_line(sub) for sub in (eligible or found)]
    if len(ids) > 1:
        raise SubmissionError(
            f"{shown!r} names {len(ids)} submitted files: give the hash (at least"
            f" {MIN_HASH_PREFIX} characters) of the one to {action[0]}",
            f"{shown!r} khớp với {len(ids)} tệp đã nộp: hãy ghi mã băm (ít nhất"
            f" {MIN_HASH_PREFIX} ký tự) của tệp cần {action[1]}",
            candidates,
        )
    wanted = " or ".join(statuses)
    wanted_vi = " hoặc ".join(STATUSES.get(s, s) for s in statuses)
    raise SubmissionError(
        f"{shown!r} is not {wanted}, so there is nothing to {action[0]}",
        f"{shown!r} không ở trạng thái {wanted_vi}, nên không có gì để {action[1]}",
        candidates + [f"  {printable_name(sub.message)}" for sub in found[:1] if sub.message],
    )


def _merge(rows: list[Submission]) -> Submission:
    """One submission under several names (never: names are distinct per status) or one
    name: the first row, with families, units and periods of all."""
    first = rows[0]
    for other in rows[1:]:
        first.families = sorted(set(first.families) | set(other.families))
        first.unit_codes = sorted(set(first.unit_codes) | set(other.unit_codes))
        first.period_labels = sorted(set(first.period_labels) | set(other.period_labels))
        first.rows += other.rows
    return first


# --- what became of each file -------------------------------------------------------------------


def replacements(
    con: duckdb.DuckDBPyConnection,
) -> dict[str, tuple[int, int, set[str], list[tuple[str, str]]]]:
    """For each loaded file of a whole-submission family: (keys it holds, keys it still
    wins, file ids of the files that replaced it, the lost keys as (unit code, period or
    date in words)). A key is a unit and period (or date); the latest loaded file wins it,
    as in the dbt models."""
    result: dict[str, tuple[int, int, set[str], list[tuple[str, str]]]] = {}
    for table, key in REPLACEMENT_KEYS.items():
        if not table_exists(con, f"raw.{table}"):
            continue
        rows = sqlfiles.rows(
            con,
            _SQL,
            "listing_replacement_versions",
            {"raw_table": f"raw.{table}", "key_columns": list(key)},
        )
        for row in rows:
            lost = [_as_text(key_values(key, packed)) for packed in row["keys_lost"] or []]
            old = result.get(row["file_id"], (0, 0, set(), []))
            result[row["file_id"]] = (
                old[0] + int(row["keys_held"]),
                old[1] + int(row["keys_won"]),
                old[2] | set(row["winners"] or []),
                old[3] + sorted((values[0], key_words(table, values)) for values in lost),
            )
    return result


def key_values(key: tuple[str, ...], packed: dict[str, object]) -> tuple:
    """A key's values in the order of ``key`` (the SQL files pack a key in a struct)."""
    return tuple(packed[column] for column in key)


def _as_text(values: tuple) -> tuple:
    """Each value as DuckDB casts it to varchar (a date: ``2023-12-31``)."""
    return tuple(None if value is None else str(value) for value in values)


def key_words(table: str, values: list | tuple) -> str:
    """A whole-submission key without its unit, in words: ``huyen 2023``, ``2023 2023-12-31``."""
    named = dict(zip(REPLACEMENT_KEYS[table], values, strict=True))
    if named.get("period_start") and named.get("period_end"):
        from datetime import date

        from ingest.periods import period_label

        start, end = (
            value if isinstance(value, date) else date.fromisoformat(str(value))
            for value in (named["period_start"], named["period_end"])
        )
        level = named.get("authority_level")
        return f"{level} {period_label(start, end)}" if level else period_label(start, end)
    as_of = f"đến / as of {named['as_of_date']}" if named.get("as_of_date") else ""
    if named.get("fiscal_year"):
        return f"{named['fiscal_year']} ({as_of})" if as_of else str(named["fiscal_year"])
    return as_of


def _withdrawals(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """The latest withdrawal of each file: (withdrawn_at, withdrawn_by, reason, moved_to)."""
    if not table_exists(con, WITHDRAWALS_TABLE):
        return {}
    return {
        row["file_id"]: (row["withdrawn_at"], row["withdrawn_by"], row["reason"], row["moved_to"])
        for row in sqlfiles.rows(con, _SQL, "listing_latest_withdrawals")
    }


def unit_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """``{code: "Thành phố Sa Đéc (L867)"}`` for the codes the unit list knows."""
    if not codes or not table_exists(con, "raw.admin_units"):
        return {}
    return {
        row["unit_code"]: f"{row['unit_name']} ({row['unit_code']})"
        for row in sqlfiles.rows(con, _SQL, "listing_unit_names", {"unit_codes": sorted(set(codes))})
    }


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "?"
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def describe(con: duckdb.DuckDBPyConnection, subs: list[Submission]) -> list[Submission]:
    """Fill in each submission's status as a user reads it (replaced) and what became of it."""
    names_by_id = {
        row["file_id"]: row["file_name"] for row in sqlfiles.rows(con, _SQL, "listing_loaded_file_names")
    }
    replaced = replacements(con)
    withdrawn = _withdrawals(con)
    names = unit_names(
        con,
        [code for sub in subs for code in sub.unit_codes]
        + [unit for _, _, _, lost in replaced.values() for unit, _ in lost],
    )
    for sub in subs:
        sub.unit_names = [names.get(code, code) for code in sub.unit_codes]
        if sub.status == "loaded" and sub.file_id in replaced:
            keys, wins, winners, lost = replaced[sub.file_id]
            by = ", ".join(sorted(printable_name(names_by_id.get(w, w[:12])) for w in winners))
            if keys and not wins:
                sub.status = "replaced"
                sub.detail = f"replaced by {by}"
                sub.detail_vi = f"đã được thay bằng {by}"
            elif winners:
                words = [f"{names.get(unit, unit)} {when}" for unit, when in lost]
                part = "; ".join(words[:3]) + (f" (+{len(words) - 3})" if len(words) > 3 else "")
                sub.detail = f"partly replaced by {by}: {part}"
                sub.detail_vi = f"một phần đã được thay bằng {by}: {part}"
        elif sub.status == "withdrawn" and sub.file_id in withdrawn:
            at, by, reason, moved = withdrawn[sub.file_id]
            sub.detail = f"withdrawn {_local(at)} by {by}: {reason}"
            sub.detail_vi = f"rút lúc {_local(at)} bởi {by}: {reason}"
        elif sub.status in ("rejected", "duplicate", "skipped", "pending"):
            sub.detail = sub.message
            sub.detail_vi = sub.message_vi
        sub.detail = printable_name(sub.detail)
        sub.detail_vi = printable_name(sub.detail_vi)
    return subs


# --- the listing ---------------------------------------------------------------------------------


def _units_matching(con: duckdb.DuckDBPyConnection, unit: str) -> set[str]:
    """The unit codes ``unit`` names (a code: ``L867``, ``867``; a name: ``Sa Đéc``), with
    every unit under them (a province's districts and communes)."""
    if not table_exists(con, "raw.admin_units"):
        return set()
    rows = sqlfiles.execute(con, _SQL, "listing_admin_units").fetchall()
    wanted = unit.strip()
    matched = {code for code, gso, *_ in rows if wanted.upper() in (code, gso)}
    if not matched:
        # every unit of that name, in both eras ("Hồng Ngự": the legacy town and district,
        # the current ward): a listing shows each file's units by name
        folded = fold(wanted)
        exact = {
            code
            for code, _, name, short, *_ in rows
            if folded in (fold(name), fold(short), fold(_PARENTHESIS.sub("", short or "")))
        }
        matched = exact or {
            code
            for code, _, name, short, *_ in rows
            if folded and (folded in fold(name) or folded in fold(short))
        }
    if not matched:
        raise SubmissionError(
            f"no administrative unit is named or coded {wanted!r}",
            f"không có đơn vị hành chính nào có tên hoặc mã {wanted!r}",
        )
    under = {code for code, _, _, _, province, parent in rows if province in matched or parent in matched}
    return matched | under


def _period_matches(period: str, labels: list[str]) -> bool:
    wanted = period.strip()
    if wanted in labels:
        return True
    if re.fullmatch(r"\d{4}", wanted):
        return any(label.startswith(wanted) for label in labels)
    from ingest.periods import find_period_in_text

    try:
        parsed = find_period_in_text(wanted)
    except ValueError:
        return False
    return parsed is not None and parsed.label in labels


def list_submissions(
    settings: Settings,
    *,
    unit: str | None = None,
    period: str | None = None,
    status: str | None = None,
) -> list[Submission]:
    """Every submitted file (oldest first) with what became of it, filtered by unit (code
    or name, with the units under it), period (a label: ``2023``, ``2023-Q3``, ``Quý
    3/2023``; a year matches every period of that year) and status."""
    if status is not None and status not in STATUSES:
        raise SubmissionError(
            f"unknown status {status!r}: choose one of {', '.join(STATUSES)}",
            f"không có trạng thái {status!r}: chọn một trong {', '.join(STATUSES)}",
        )
    con = open_read_only(settings)
    try:
        subs = describe(con, _manifest_rows(con))
        if unit is not None:
            codes = _units_matching(con, unit)
            subs = [sub for sub in subs if codes.intersection(sub.unit_codes)]
    finally:
        con.close()
    if period is not None:
        subs = [sub for sub in subs if _period_matches(period, sub.period_labels)]
    if status is not None:
        subs = [sub for sub in subs if sub.status == status]
    return subs


def status_counts(subs: list[Submission]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for sub in subs:
        counts[sub.status] += 1
    return dict(counts)
