"""`parwh withdraw` and `parwh submissions`: the typer commands over
submissions/withdrawal.py and submissions/listing.py.

    parwh withdraw FILE|HASH --reason "…"   take back a loaded submission
    parwh withdraw --undo FILE|HASH          re-admit a withdrawn one (loaded by the next night)
    parwh submissions [--unit] [--period] [--status]

Registered on the `parwh` app by cli/main.py (``register(app)``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import resolve_settings
from submissions.listing import STATUSES, Submission, SubmissionError


def _settings(warehouse: Path | None, inbox: Path | None = None):
    return resolve_settings(warehouse, inbox)


def _fail(action_vi: str, action_en: str, exc: SubmissionError) -> typer.Exit:
    typer.secho(f"{action_vi} / {action_en}: {exc.vi} / {exc.en}", fg="red")
    for line in exc.candidates:
        typer.echo(f"  {line}")
    return typer.Exit(1)


def withdraw(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE|HASH",
            help="The file's name as submitted (or its path, or base name), or the start of its"
            " sha256 hash (at least 8 characters, shown by `parwh submissions`).",
        ),
    ],
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why it is withdrawn (required; kept in raw.submission_withdrawals)."),
    ] = None,
    undo: Annotated[
        bool,
        typer.Option(
            "--undo", help="Re-admit a withdrawn file: it goes back to the inbox and the next night loads it."
        ),
    ] = False,
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: $PARWH_WAREHOUSE or ./warehouse)."),
    ] = None,
    inbox: Annotated[
        Path | None,
        typer.Option("--inbox", help="Inbox the file was submitted to (default: $PARWH_INBOX)."),
    ] = None,
) -> None:
    """Take back a loaded submission; the next `parwh run` publishes without it (see docs/operating.md).

    Its rows leave the working tables in one transaction, an audit record is written to
    raw.submission_withdrawals, and the file moves to <warehouse>/withdrawn/.

    Exit 0 when withdrawn (or re-admitted), 1 when nothing was changed (unknown or ambiguous
    file, no reason, a night running)."""
    from submissions.withdrawal import readmit
    from submissions.withdrawal import withdraw as withdraw_submission

    settings = _settings(warehouse, inbox)
    if undo:
        try:
            done = readmit(settings, file)
        except SubmissionError as exc:
            raise _fail("Không nhận lại được", "Cannot re-admit", exc) from exc
        sub = done.submission
        typer.echo(f"Đã nhận lại / Re-admitted: {sub.file_name} (sha256 {sub.short_hash})")
        typer.echo(f"  Tệp / file: {done.path}")
        typer.echo(
            "  Lần chạy tới (`parwh run`) sẽ nạp lại tệp này như một bản nộp mới nhất"
            " / the next `parwh run` loads it as the latest version."
        )
        return
    try:
        done = withdraw_submission(settings, file, reason or "")
    except SubmissionError as exc:
        raise _fail("Không rút được", "Cannot withdraw", exc) from exc
    sub = done.submission
    typer.echo(
        f"Đã rút hồ sơ / Withdrawn: {sub.file_name} (sha256 {sub.short_hash}; {', '.join(sub.families)})"
    )
    if sub.unit_codes or sub.period_labels:
        from submissions.listing import open_read_only, unit_names

        con = open_read_only(settings)
        try:
            names = unit_names(con, sub.unit_codes)
        finally:
            con.close()
        units = [names.get(code, code) for code in sub.unit_codes]
        shown = ", ".join(units[:5]) + (f" (+{len(units) - 5})" if len(units) > 5 else "")
        typer.echo(f"  Đơn vị / units: {shown}; kỳ / periods: {', '.join(sub.period_labels)}")
    typer.echo(f"  Lý do / reason: {done.reason} — bởi / by {done.withdrawn_by}")
    removed = ", ".join(f"{table} {count:,}" for table, count in done.rows_removed.items() if count)
    typer.echo(f"  Số dòng đã xóa / rows removed: {done.total_rows:,} ({removed or 'none'})")
    for line in done.current_again:
        typer.echo(f"  Bản nộp trước nay được dùng lại / earlier version current again: {line}")
    for line in done.no_data_again:
        typer.echo(f"  Không còn số liệu / no data left for: {line}")
    for model in done.rebuilt_whole:
        typer.echo(
            f"  {model}: sẽ được tính lại từ toàn bộ bản ghi / rebuilt from all records by the next night"
        )
    if done.spark_full_refresh:
        typer.secho(
            "  PARWH_ENGINE=spark: đêm tới dựng lại toàn bộ số liệu hồ sơ chi tiết (như --full-refresh)"
            " để bỏ các bản ghi đã rút / the next night rebuilds record-level figures whole (as"
            " --full-refresh) so that they forget them",
            fg="yellow",
        )
    if done.moved_to is not None:
        typer.echo(f"  Tệp đã chuyển tới / file moved to: {done.moved_to}")
    elif done.move_problem:
        typer.echo(f"  Tệp không được chuyển / file not moved: {done.move_problem}")
    else:
        typer.echo("  Tệp không còn trong hộp thư đến / the file was no longer in the inbox")
    typer.echo(
        "  Lần chạy tới (`parwh run`) sẽ dựng lại phần phụ thuộc và công bố không có hồ sơ này"
        " / the next `parwh run` rebuilds what depended on it and publishes without it."
    )
    typer.echo(f"  Nhận lại / to re-admit it: parwh withdraw --undo {sub.short_hash}")


_HEADERS = (
    ("tệp", "file"),
    ("mã băm", "hash"),
    ("loại", "source"),
    ("đơn vị", "units"),
    ("kỳ", "periods"),
    ("dòng", "rows"),
    ("trạng thái", "status"),
    ("nạp lúc (UTC+7)", "loaded at"),
    ("ghi chú", "detail"),
)


def _cells(sub: Submission) -> list[str]:
    detail = sub.detail
    if sub.detail_vi and sub.detail_vi != sub.detail:
        detail = f"{sub.detail_vi} / {sub.detail}"
    return [
        sub.file_name,
        sub.short_hash,
        ", ".join(sub.families),
        sub.units_text(),
        ", ".join(sub.period_labels),
        f"{sub.rows:,}",
        sub.status_words,
        sub.loaded_local(),
        detail,
    ]


def submissions(
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Unit: code (L867, 867) or name (Sa Đéc); units under it too."),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Period: 2023 (every period of 2023), 2023-Q3, Quý 3/2023.")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help=f"One of: {', '.join(STATUSES)}.")] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: $PARWH_WAREHOUSE or ./warehouse)."),
    ] = None,
) -> None:
    """List the submitted files and what became of them (loaded, replaced, withdrawn, rejected…).

    Statuses: loaded, replaced (by which file), withdrawn (when, why, by whom), rejected
    (why), duplicate, skipped, pending. Read-only.

    A table on a terminal; one tab-separated line per file (with a header line) when the
    output goes to a file or a pipe."""
    from submissions.listing import list_submissions, status_counts

    settings = _settings(warehouse)
    try:
        subs = list_submissions(settings, unit=unit, period=period, status=status)
    except SubmissionError as exc:
        raise _fail("Không liệt kê được", "Cannot list", exc) from exc
    counts = status_counts(subs)
    summary = ", ".join(f"{counts[s]} {STATUSES[s]} / {s}" for s in STATUSES if counts.get(s))
    if not sys.stdout.isatty():
        typer.echo("\t".join(f"{vi} / {en}" for vi, en in _HEADERS))
        for sub in subs:
            typer.echo("\t".join(cell.replace("\t", " ") for cell in _cells(sub)))
        typer.echo(f"# {len(subs)} tệp / files: {summary or '—'}")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Column, Table

    # five columns, so that it reads on an 80-column terminal: the hash under the name, the
    # periods under the units, the time under the status
    table = Table(
        Column("tệp / file", overflow="fold", min_width=18),
        Column("đơn vị; kỳ / units; periods", overflow="fold"),
        Column("dòng / rows", justify="right"),
        "trạng thái / status",
        Column("ghi chú / detail", overflow="fold"),
        show_lines=True,
    )
    colours = {"withdrawn": "yellow", "rejected": "red", "replaced": "dim", "pending": "cyan"}
    for sub in subs:
        name, short_hash, families, units, periods, rows, status_words, loaded, detail = (
            escape(cell) for cell in _cells(sub)
        )
        table.add_row(
            f"{name}\n[dim]{short_hash} · {families}[/dim]",
            f"{units}\n{periods}" if periods else units,
            rows,
            f"{status_words}\n[dim]{loaded}[/dim]",
            detail,
            style=colours.get(sub.status),
        )
    console = Console(highlight=False)
    console.print(table)
    console.print(f"{len(subs)} tệp / files: {summary or '—'}")


def register(app: typer.Typer) -> None:
    """Add `withdraw` and `submissions` to the `parwh` app."""
    app.command("withdraw")(withdraw)
    app.command("submissions")(submissions)
