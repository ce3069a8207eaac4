"""Take back a loaded submission (`parwh withdraw`), and re-admit a withdrawn one
(`parwh withdraw --undo`).

A withdrawal, holding the warehouse lock (as `parwh run` does) and in one transaction:

* deletes the file's rows from every raw table that has a ``file_id`` column (the family's
  table, ``raw.load_findings``; found from the catalogue, so a table added later is
  covered);
* marks its ``raw.file_manifest`` rows ``withdrawn`` (the row stays: the file is known, so
  the same file put back in the inbox is not loaded again silently; `parwh submissions`
  lists it as withdrawn);
* writes an audit record in ``raw.submission_withdrawals`` (file, units, periods, reason,
  the OS user, when, rows removed per table, where the file went);
* for a record-level export (``dossier_records``), drops the incremental model
  ``int_dossier_records_monthly``: it only ever adds what new records change, so rows
  taken away would stay counted; the next night rebuilds it from all records (what
  ``parwh run --full-refresh`` does for it), and only it is rebuilt whole.

After the commit the file, if still in the inbox with the same content, moves to
``<warehouse>/withdrawn/`` (same name; ``name (2).xlsx`` when that is taken, never
overwritten). The next `parwh run` runs (a withdrawal after the last publication is a reason
to run, ``night_state.reasons_to_run``) and rebuilds the models downstream of the file's
source families.

Older versions. Whole-submission families (dossier statistics, staff, budget, surveys) keep
every version's rows; the dbt models take the latest loaded file per unit and period. So
when the withdrawn file had replaced an older one, the older one is current again (the
command says which); when it was the only one, the unit and period have no data again.

Re-admission (``--undo``): the file goes back where it was submitted, its manifest rows
become ``pending`` again and the next night loads it as if submitted tonight (so it is the
latest version again). A corrected file with other content needs no command: put it in the
inbox, it is a new submission.

The caller needs no Dagster: this runs from `parwh` in a second.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import sqlfiles
from ingest.bookkeeping import ensure_withdrawals_table
from ingest.inbox import read_path, sha256_file
from ingest.text import printable_name
from settings import Settings
from submissions.listing import (
    REPLACEMENT_KEYS,
    Submission,
    SubmissionError,
    busy_error,
    find_one,
    key_values,
    key_words,
    table_exists,
    unit_names,
)

_SQL = __package__ or "submissions"  # the package of sql/*.sql

#: the incremental dbt model of record-level exports, rebuilt whole after a withdrawal
RECORDS_MONTHLY = ("intermediate", "int_dossier_records_monthly")


@dataclass
class Withdrawal:
    """What a withdrawal did (for the command's output and the tests)."""

    submission: Submission
    reason: str
    withdrawn_by: str
    withdrawn_at: datetime
    rows_removed: dict[str, int]
    moved_to: Path | None = None
    move_problem: str | None = None  # why the file was not moved (it stays registered)
    current_again: list[str] = field(default_factory=list)  # "file: unit period"
    no_data_again: list[str] = field(default_factory=list)  # "unit period" left without data
    rebuilt_whole: list[str] = field(default_factory=list)  # dbt models dropped, rebuilt next night
    spark_full_refresh: bool = False  # PARWH_ENGINE=spark: run --full-refresh next

    @property
    def total_rows(self) -> int:
        return sum(self.rows_removed.values())


@dataclass
class Readmission:
    submission: Submission
    readmitted_by: str
    path: Path


def os_user() -> str:
    """Who is withdrawing: the operating-system user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_audit_table(con: duckdb.DuckDBPyConnection) -> None:
    """``raw.submission_withdrawals``, declared in ``ingest/bookkeeping.py``."""
    ensure_withdrawals_table(con)


@contextmanager
def exclusive_warehouse(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse lock of `parwh run` (one pipeline process per warehouse) and a writing
    connection. Raises :class:`SubmissionError` when a night or another program holds it."""
    from night.db_lock import WarehouseBusyError, lock_holder, warehouse_lock

    if not settings.database_path.exists():
        raise SubmissionError(
            f"no working database in {settings.warehouse_dir} yet: nothing has been loaded",
            f"chưa có cơ sở dữ liệu làm việc trong {settings.warehouse_dir}: chưa nạp tệp nào",
        )
    try:
        with warehouse_lock(settings):
            if lock_holder(settings.database_path) is not None:
                raise busy_error(settings)
            con = duckdb.connect(str(settings.database_path))
            try:
                yield con
            finally:
                con.close()
    except WarehouseBusyError as exc:
        raise SubmissionError(
            f"a nightly run is using {settings.warehouse_dir}: try again when it ends. Nothing was changed",
            f"một lần chạy đêm đang dùng {settings.warehouse_dir}: thử lại khi chạy xong. Chưa thay đổi gì",
        ) from exc


def _file_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Raw tables holding submitted rows (a ``file_id`` column), the manifest and the audit
    table excepted."""
    return [row["table_name"] for row in sqlfiles.rows(con, _SQL, "withdrawal_file_tables")]


def _delete_file_rows(con: duckdb.DuckDBPyConnection, table: str, file_id: str) -> int:
    """Delete the file's rows from ``raw.<table>``; the count deleted.

    The one statement with an interpolated identifier: DuckDB takes no parameter in a
    DELETE's target, so ``withdrawal_delete_file_rows.sql`` names the table with the
    placeholder ``{raw_table}``, filled here (quoted) with a name the catalogue listed
    (:func:`_file_tables`), never one a user typed."""
    (count,) = sqlfiles.one(
        con, _SQL, "withdrawal_delete_file_rows", {"file_id": file_id}, identifiers={"raw_table": table}
    )
    return int(count)


def _keys_of(con: duckdb.DuckDBPyConnection, file_id: str) -> dict[str, list[tuple]]:
    """The units and periods the file holds in each whole-submission table."""
    keys = {}
    for table, key in REPLACEMENT_KEYS.items():
        if table_exists(con, f"raw.{table}"):
            found = sqlfiles.rows(
                con,
                _SQL,
                "withdrawal_file_keys",
                {"raw_table": f"raw.{table}", "key_columns": list(key), "file_id": file_id},
            )
            keys[table] = [key_values(key, row["replacement_key"]) for row in found]
    return keys


def _key_words(table: str, key: tuple, names: dict[str, str]) -> str:
    return f"{names.get(key[0], key[0])} {key_words(table, key)}"


def _current_after(
    con: duckdb.DuckDBPyConnection, keys: dict[str, list[tuple]]
) -> tuple[list[str], list[str]]:
    """After the delete: for each unit and period the file held, the file now current, or
    none (the unit and period have no data again)."""
    names = unit_names(con, [k[0] for rows in keys.values() for k in rows])
    current, none = [], []
    for table, rows in keys.items():
        columns = REPLACEMENT_KEYS[table]
        winners = {
            key_values(columns, row["replacement_key"]): row["file_name"]
            for row in sqlfiles.rows(
                con,
                _SQL,
                "withdrawal_current_files",
                {
                    "raw_table": f"raw.{table}",
                    "key_columns": list(columns),
                    "unit_codes": sorted({key[0] for key in rows if key[0] is not None}),
                },
            )
        }
        for key in rows:
            found = winners.get(key)
            words = _key_words(table, key, names)
            if found is not None:
                current.append(f"{printable_name(found)}: {words}")
            else:
                none.append(words)
    return sorted(set(current)), sorted(set(none))


def _destination(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2).ext`` … when taken: a withdrawn file is never overwritten."""
    target = folder / name
    if not target.exists():
        return target
    stem, dot, rest = name.partition(".") if not name.startswith(".") else (name, "", "")
    n = 2
    while True:
        candidate = folder / f"{stem} ({n}){dot}{rest}"
        if not candidate.exists():
            return candidate
        n += 1


def _where_to(settings: Settings, original: Path) -> Path:
    """``<warehouse>/withdrawn/<name relative to the inbox>`` (base name when it is elsewhere)."""
    try:
        rel = original.resolve().relative_to(settings.inbox_dir.resolve())
    except (ValueError, OSError):
        rel = Path(original.name)
    folder = settings.warehouse_dir / "withdrawn" / rel.parent
    return _destination(folder, rel.name)


def _same_file(path: Path, file_id: str) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and sha256_file(path) == file_id
    except OSError:
        return False


def withdraw(settings: Settings, ref: str, reason: str, *, user: str | None = None) -> Withdrawal:
    """Withdraw the loaded submission ``ref`` names (file name, path or hash prefix).

    Raises :class:`SubmissionError` (nothing changed) when ``ref`` is unknown, ambiguous or
    not loaded, when the reason is empty, or when a night holds the warehouse."""
    reason = " ".join(reason.split())
    if not reason:
        raise SubmissionError(
            'a reason is required: --reason "…" (it is kept in the audit record)',
            'cần ghi lý do: --reason "…" (lý do được lưu trong nhật ký rút hồ sơ)',
        )
    user = user or os_user()
    with exclusive_warehouse(settings) as con:
        sub = find_one(con, ref, settings.inbox_dir)
        ensure_audit_table(con)
        original = read_path(sub.file_path) if sub.file_path else None
        target = _where_to(settings, original) if original and _same_file(original, sub.file_id) else None
        now = _now()
        result = Withdrawal(sub, reason, user, now, rows_removed={})
        con.begin()
        try:
            keys = _keys_of(con, sub.file_id)
            for table in _file_tables(con):
                result.rows_removed[f"raw.{table}"] = _delete_file_rows(con, table, sub.file_id)
            message = f"withdrawn {now:%Y-%m-%d %H:%M} UTC by {user}: {reason}"
            message_vi = f"đã rút lúc {now:%Y-%m-%d %H:%M} UTC bởi {user}: {reason}"
            (load_run_id,) = sqlfiles.one(con, _SQL, "withdrawal_load_run", {"file_id": sub.file_id})
            sqlfiles.execute(
                con,
                _SQL,
                "withdrawal_mark_withdrawn",
                {
                    "message": printable_name(message),
                    "message_vi": printable_name(message_vi),
                    "file_id": sub.file_id,
                },
            )
            if "dossier_records" in sub.families:
                if settings.engine == "spark":
                    result.spark_full_refresh = True
                else:
                    result.rebuilt_whole = _drop_incremental(con)
            sqlfiles.execute(
                con,
                _SQL,
                "withdrawal_record",
                {
                    "file_id": sub.file_id,
                    "file_name": sub.file_name,
                    "source_families": sub.families,
                    "unit_codes": sub.unit_codes,
                    "period_labels": sub.period_labels,
                    "row_count": sub.rows,
                    "reason": printable_name(reason),
                    "withdrawn_by": printable_name(user),
                    "withdrawn_at": now,
                    "rows_removed": json.dumps(result.rows_removed, sort_keys=True),
                    "moved_to": str(target) if target else None,
                    "loaded_at": sub.loaded_at,
                    "load_run_id": load_run_id,
                },
            )
            result.current_again, result.no_data_again = _current_after(con, keys)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        if target is not None and original is not None:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(original, target)
                result.moved_to = target
            except OSError as exc:
                result.move_problem = f"{type(exc).__name__}: {exc}"
                sqlfiles.execute(
                    con, _SQL, "withdrawal_not_moved", {"file_id": sub.file_id, "withdrawn_at": now}
                )
        elif original is not None and original.exists():
            result.move_problem = "the file in the inbox under that name has other content now: left in place"
    return result


def _drop_incremental(con: duckdb.DuckDBPyConnection) -> list[str]:
    schema, name = RECORDS_MONTHLY
    if not table_exists(con, f"{schema}.{name}"):
        return []
    sqlfiles.execute(con, _SQL, "withdrawal_drop_records_monthly")
    return [f"{schema}.{name}"]


def readmit(settings: Settings, ref: str, *, user: str | None = None) -> Readmission:
    """Re-admit a withdrawn submission: the file goes back where it was submitted and is
    loaded by the next night (``pending``). Raises :class:`SubmissionError` (nothing
    changed) when the file cannot be found or its place in the inbox is taken."""
    user = user or os_user()
    with exclusive_warehouse(settings) as con:
        sub = find_one(con, ref, settings.inbox_dir, statuses=("withdrawn",), action=("re-admit", "nhận lại"))
        ensure_audit_table(con)
        original = read_path(sub.file_path)
        moved = sqlfiles.one(con, _SQL, "withdrawal_moved_to", {"file_id": sub.file_id})
        kept = Path(moved[0]) if moved and moved[0] else None
        move_back = False
        if _same_file(original, sub.file_id):
            pass  # put back in the inbox by hand: it is loaded from there
        elif original.exists():
            raise SubmissionError(
                f"another file is in the inbox as {original}: rename or move it, then run again."
                " Nothing was changed",
                f"đã có một tệp khác tên {original} trong hộp thư đến: đổi tên hoặc chuyển nó đi,"
                " rồi chạy lại. Chưa thay đổi gì",
            )
        elif kept is not None and _same_file(kept, sub.file_id):
            move_back = True
        else:
            raise SubmissionError(
                f"the withdrawn file is neither in {settings.warehouse_dir / 'withdrawn'} nor at"
                f" {original}: put it back in the inbox under its name, then run this again."
                " Nothing was changed",
                f"không thấy tệp đã rút trong {settings.warehouse_dir / 'withdrawn'} hay tại {original}:"
                " hãy chép lại tệp vào hộp thư đến đúng tên cũ, rồi chạy lại lệnh này. Chưa thay đổi gì",
            )
        if move_back:
            assert kept is not None
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(kept, original)
        who = printable_name(user)
        con.begin()
        try:
            sqlfiles.execute(
                con,
                _SQL,
                "withdrawal_readmit_manifest",
                {
                    "message": f"re-admitted by {who} after its withdrawal: loaded by the next night",
                    "message_vi": f"đã nhận lại (bởi {who}) sau khi rút: lần chạy tới sẽ nạp",
                    "file_id": sub.file_id,
                },
            )
            sqlfiles.execute(
                con,
                _SQL,
                "withdrawal_readmit_record",
                {"readmitted_at": _now(), "readmitted_by": printable_name(user), "file_id": sub.file_id},
            )
            con.commit()
        except BaseException:
            con.rollback()
            if move_back and kept is not None:
                shutil.move(original, kept)
            raise
    return Readmission(sub, user, original)
