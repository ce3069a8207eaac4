"""`parwh`: the command line of PAR Warehouse.

    parwh demo [--warehouse DIR]                 write demo submissions, run the nightly job
    parwh run  [--inbox DIR] [--warehouse DIR]   one nightly run
    parwh ui   [--warehouse DIR]                 the Dagster UI on this warehouse's runs

`parwh run` executes the Dagster job `nightly` in this process against the persistent
Dagster instance under <warehouse>/dagster: the same runs `dagster dev` shows.

A night recovers from the one before it by itself. Holding the warehouse lock, it ends
the dbt processes a killed night left behind, marks that night's Dagster run failed, and
runs (never skips) when the last night died (``night_started.json`` is still there),
left files pending, or loaded files it did not publish; it says why, and so does the alert.
Every text a submitter chose is printed as data: control characters escaped, no markup.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.common import console, resolve_settings
from engines.heap import paused_until_frozen
from night.db_lock import WarehouseBusyError, warehouse_lock
from settings import Settings, environment, environment_set

if TYPE_CHECKING:  # imported when used: `parwh --help` answers without them
    from night.scope import NightPlan

app = typer.Typer(
    help="PAR Warehouse: nightly public-administration-reform indicators and rankings.",
    no_args_is_help=True,
    add_completion=False,
)


WarehouseOption = Annotated[
    Path | None,
    typer.Option("--warehouse", help="Warehouse directory (default: $PARWH_WAREHOUSE or ./warehouse)."),
]
InboxOption = Annotated[
    Path | None,
    typer.Option("--inbox", help="Inbox of submitted files (default: $PARWH_INBOX or <warehouse>/inbox)."),
]


PROVINCE_HELP = "Province: code (L87, 87) or name (Đồng Tháp)."
#: how often the progress line looks at the run (seconds)
PROGRESS_INTERVAL_SECONDS = 2.0
PeriodOption = Annotated[
    str | None, typer.Option("--period", help="Period, e.g. 2023, 2023-H1, Quý 3/2023 (default: latest).")
]


def _prepare(settings: Settings) -> None:
    from engines.dbt import prepare_manifest
    from orchestration.instance import prepare_dagster_home

    prepare_dagster_home(settings.dagster_home)
    with console.status("Preparing the dbt manifest (dbt parse)…"):
        prepare_manifest(target=settings.dbt_target_dir)
    _prune_dbt_runs(settings)


def _prune_dbt_runs(settings: Settings) -> None:
    """dbt's folders of older runs under <warehouse>/dbt/target: the last PARWH_KEEP_DBT_RUNS kept."""
    from engines.dbt import prune_dbt_runs

    prune_dbt_runs(settings.dbt_target_dir, settings.keep_dbt_runs)


def _shown(text: object) -> str:
    """Submitter text for the terminal: one line (control characters escaped), no markup."""
    from night.summary import escape_control

    return escape(escape_control(text))


def _execute_nightly(settings: Settings, plan: NightPlan, start_of_run: Callable[[], None]) -> int:
    """Run the Dagster job in this process; print the summary; return the exit code.

    Only the part of the pipeline that tonight's new data changes runs (``plan.scope``,
    night/scope.py). ``plan.reasons``: why tonight runs after a night that did not end well
    (said again in the alert). The night is recorded as started (night/state.py) from just
    before the run until it ends in any way; a record left behind tells the next night
    that this one died.

    ``start_of_run``: called once the run is about to start (engines/heap.py: what the
    start-up made lives as long as the process; the garbage collector stops walking it)."""
    scope = plan.scope
    _prepare(settings)
    console.print(f"Tonight: {scope.describe()}")
    if settings.engine == "spark":
        where = (
            f"Spark Thrift server {environment().get('PARWH_SPARK_HOST', 'localhost')}"
            if settings.spark_method == "thrift"
            else f"a local Spark session ({environment().get('PARWH_SPARK_MASTER') or 'local[2]'})"
        )
        console.print(f"Engine: dbt builds on {where}; Spark's tables: {settings.tables_dir}")
    with _warm_dbt(settings):
        return _execute_prepared(settings, plan, start_of_run)


@contextlib.contextmanager
def _warm_dbt(settings: Settings) -> Iterator[None]:
    """The night's dbt process, started now to import dbt and parse the project while the
    definitions load and the files are loaded (engines/warm_dbt.py); ended with the night.
    DuckDB engine only; PARWH_WARM_DBT=false turns it off."""
    if settings.engine != "duckdb" or not settings.warm_dbt:
        yield
        return
    from engines import warm_dbt
    from engines.dbt import CHILDREN_DIR, DBT_PROJECT_DIR

    try:
        warm = warm_dbt.start(
            DBT_PROJECT_DIR,
            settings.dbt_target_dir,
            settings.dbt_log_dir,
            settings.warehouse_dir / CHILDREN_DIR,
            warm_dbt.dagster_dbt_environment(environment()),
        )
    except OSError as exc:  # the night runs all the same, with dbt started by its step
        console.print(f"[yellow]dbt will start with its step (no warm process: {_shown(exc)})[/yellow]")
        yield
        return
    try:
        with environment_set({warm_dbt.SOCKET_ENV: str(warm.socket_path)}):
            yield
    finally:
        reason = warm_dbt.cold_reason(warm.close())
        if reason is not None:
            where = settings.dbt_log_dir / warm_dbt.OUTCOME_FILE
            console.print(
                f"[yellow]dbt ran without its warm process (slower; same result): {reason} ({where})[/yellow]"
            )


def _execute_prepared(settings: Settings, plan: NightPlan, start_of_run: Callable[[], None]) -> int:
    """The night's Dagster run, its summary and its alert (see `_execute_nightly`)."""
    from night.state import clear_night_start, record_night_start

    scope = plan.scope
    with console.status("Loading the pipeline definitions…"):
        from night.finish import finish_night
        from orchestration.definitions import build_definitions
        from orchestration.instance import LAUNCHED_BY_TAG, PID_TAG, fail_abandoned_runs, open_instance
        from orchestration.run_outcome import current_step, read_run_outcome
        from orchestration.schedules import NIGHTLY_JOB_NAME

        instance = open_instance(settings.dagster_home)
        abandoned = fail_abandoned_runs(instance)
        defs = build_definitions(settings)
        job = defs.resolve_job_def(NIGHTLY_JOB_NAME)
        if scope.families is not None:
            from orchestration.selection import scoped_selection

            assets, checks = scoped_selection(defs.resolve_asset_graph(), scope.families)
            # the same checks, those of the tables not built tonight after dbt (quality.py)
            defs = build_definitions(settings, built_tonight=frozenset(assets))
            job = defs.resolve_job_def(NIGHTLY_JOB_NAME)
            job = job.get_subset(asset_selection=assets, asset_check_selection=checks)

    for abandoned_id in abandoned:
        console.print(
            f"Dagster run {abandoned_id[:8]} was left in progress by a night that died: marked failed"
            f" / lần chạy {abandoned_id[:8]} bị bỏ dở: đã đánh dấu thất bại"
        )
    run_id = str(uuid.uuid4())  # Dagster run ids are UUID4 strings
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                raise_on_error=False,
                tags={LAUNCHED_BY_TAG: "cli", PID_TAG: str(os.getpid()), **plan.run_tags()},
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            )
        except Exception as exc:  # reported below, exit code 1
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="nightly-run")
    started = time.monotonic()
    log_path = settings.warehouse_dir / "logs" / f"{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt and Dagster write their own output; it goes to the run's log file, the
    # summary below goes to the terminal.
    terminal = Console(file=sys.stdout)
    record_night_start(settings, run_id)
    start_of_run()
    try:
        with (
            log_path.open("a", encoding="utf-8") as log_file,
            contextlib.redirect_stdout(log_file),
            contextlib.redirect_stderr(log_file),
            terminal.status("Nightly run: starting…") as status,
        ):
            worker.start()
            while worker.is_alive():
                step = current_step(instance, run_id)
                elapsed = time.monotonic() - started
                status.update(f"Nightly run: {step} ({elapsed:.0f} s)")
                # each look at the event log costs the run's thread the interpreter for ~30 ms
                worker.join(timeout=PROGRESS_INTERVAL_SECONDS)
    finally:
        if not worker.is_alive():  # ended, in any way: it did not die
            clear_night_start(settings)
    if "error" in outcome:
        console.print(f"[red]The run could not start: {_shown(outcome['error'])}[/red]")
        return 1
    _prune_dbt_runs(settings)
    # the findings history is recorded by the gate only: a run stopped before it changes nothing

    def show(summary, since: str | None) -> None:
        _print_summary(summary, settings, time.monotonic() - started, log_path)
        if since is not None:
            console.print(f"[red]{_shown(since)}[/red]")

    outcome = read_run_outcome(instance, run_id)  # what Dagster recorded, as plain data
    end = finish_night(outcome, settings, notes=plan.reasons, show=show)
    console.print(f"Alert sent ({', '.join(end.channels)}): {escape(end.alert.subject)}")
    return end.summary.exit_code


def _print_summary(summary, settings: Settings, seconds: float, log_path: Path) -> None:
    from night.summary import check_words, summary_line

    console.rule(f"Nightly run {summary.run_id[:8]} ({seconds:.0f} s)")
    loaded = [f for f in summary.files if f.status == "loaded"]
    rejected = [f for f in summary.files if f.status == "rejected"]
    duplicates = [f for f in summary.files if f.status == "duplicate"]
    skipped = [f for f in summary.files if f.status == "skipped"]
    console.print(
        f"Tệp / Files: {len(loaded)} đã nạp / loaded, {len(rejected)} bị từ chối / rejected, "
        f"{len(duplicates)} đã nạp trước đó, bỏ qua / already loaded before (skipped)"
        + (
            f", {len(skipped)} tệp ẩn hoặc tệp khóa của Office không đọc / hidden or Office lock file(s)"
            " not read"
            if skipped
            else ""
        )
    )
    for line in rejected:  # the Vietnamese message (the English one is in the .error.txt)
        message = line.message_vi or line.message
        console.print(f"  [red]bị từ chối / rejected[/red] {_shown(line.file_name)}: {_shown(message)}")
    for line in skipped:
        message = line.message_vi or line.message
        console.print(f"  [dim]không đọc / not read[/dim] {_shown(line.file_name)}: {_shown(message)}")
    if rejected:
        console.print(
            f"  tệp bị từ chối và tệp .error.txt (lý do, tiếng Việt và tiếng Anh) ở / rejected files and"
            f" their .error.txt are in {settings.quarantine_dir}"
        )
    if summary.ignored_columns:
        console.print("Columns not loaded (raw.file_manifest.ignored_columns):")
        for name, ignored in summary.ignored_columns.items():
            console.print(f"  {_shown(name)}: {_shown('; '.join(ignored))}")
    if summary.load_warnings:
        total = sum(summary.load_warnings.values())
        console.print(
            f"Form checks at load: {total} warning(s) in {len(summary.load_warnings)} file(s)"
            " (figures that do not add up; rows loaded and published with a finding, see raw.load_findings)"
        )
        for name, count in summary.load_warnings.items():
            console.print(f"  [yellow]{count}[/yellow] {_shown(name)}")
    if summary.rows_by_source and console.is_terminal:
        table = Table("source", "rows loaded")
        for source, rows in sorted(summary.rows_by_source.items()):
            table.add_row(_shown(source), f"{rows:,}")
        console.print(table)
    elif summary.rows_by_source:  # piped: plain lines, no box characters
        loaded_rows = ", ".join(f"{_shown(s)} {n:,}" for s, n in sorted(summary.rows_by_source.items()))
        console.print(f"Rows loaded / số dòng đã nạp: {loaded_rows}")
    console.print(
        f"Checks: {summary.checks_passed} passed, {summary.checks_warned} warned, "
        f"{summary.checks_failed} failed"
    )
    failed = sorted(
        (c for c in summary.checks if not c.passed), key=lambda c: (c.severity != "error", c.asset)
    )
    for check in failed:
        colour = "red" if check.severity == "error" else "yellow"
        label = "lỗi / error" if check.severity == "error" else "cảnh báo / warning"
        vi, en = check_words(check.check_name, check.failed_rules)
        console.print(
            f"  [{colour}]{label}[/{colour}] {escape(vi)} / {escape(en)}"
            f" [dim]({escape(check.check_name)} on {escape(check.asset)})[/dim]"
        )
    console.print(escape(summary_line(summary)))
    if summary.findings_by_severity:
        console.print(f"  full list: marts.data_quality_findings where run_id = '{summary.run_id}'")
    code = summary.exit_code
    if code == 0:
        console.print(f"[green]Published[/green] {summary.published_path}")
        console.print(
            f"Query it read-only: duckdb.connect('{summary.published_path}', read_only=True); "
            "example queries in docs/marts.md"
        )
        _print_reports(summary)
    elif code == 2:
        console.print(
            "[red]Quality gate held publication back[/red]: an error-severity check failed; "
            f"{settings.latest_path} is unchanged."
        )
        _print_blocking(summary)
    else:
        console.print("[red]The run failed[/red]:")
        for message in summary.failure_messages:
            console.print(f"  {_shown(message)}")
    console.print(f"Working database: {settings.database_path}")
    console.print(f"Run log (dbt and Dagster output): {log_path}")
    console.print(f"dbt's files of this run (artifacts, dbt.log): {settings.dbt_target_dir}")


def _print_reports(summary) -> None:
    """The files written for people, with their paths (read from the run's event log)."""
    console.print("Báo cáo đã ghi / Reports written:")
    workbooks = [p for p in summary.reports if p.suffix == ".xlsx"]
    pages = [p for p in summary.reports if p.suffix != ".xlsx"]
    for path in workbooks:
        console.print(f"  bảng xếp hạng / ranking workbook (Excel): {_shown(path)}")
    for path in pages:
        console.print(f"  báo cáo / HTML report: {_shown(path)}")
    if summary.dbt_docs is not None:
        console.print(f"  tài liệu dữ liệu / dbt docs (every mart and column): {_shown(summary.dbt_docs)}")
    if summary.docs_index is not None:
        console.print(f"  kiểm tra chất lượng / Data Docs (quality checks): {_shown(summary.docs_index)}")
    if summary.parquet_dir is not None:
        where = _shown(summary.parquet_dir)
        console.print(f"  Parquet (mỗi bảng một tệp / one file per mart, schema.json): {where}")


BLOCKING_SHOWN = 20


def _print_blocking(summary) -> None:
    """Each finding that held publication back, in words: unit by name, file, what resolves it."""
    if not summary.blocking:
        console.print(
            "  Không có phát hiện lỗi nào gắn với một tệp / No error finding tied to a file: the"
            " failed error checks above name what to correct (see the run log)."
        )
        return
    total = sum(b.count for b in summary.blocking)
    console.print(
        f"Phát hiện chặn công bố / Findings that block publication: {total}"
        f" in {len(summary.blocking)} group(s) (rule, unit, file)"
    )
    for item in summary.blocking[:BLOCKING_SHOWN]:
        vi_rule, en_rule = check_rule_words(item.rule)
        unit = item.unit_name or item.unit_code or "(không rõ đơn vị / unit unknown)"
        if item.unit_name and item.unit_code:
            unit = f"{item.unit_name} ({item.unit_code})"
        where = (
            f"tệp / file {_shown(item.source_file)}"
            if item.source_file
            else "không gắn với tệp nào / not tied to a file"
        )
        times = f" ×{item.count}" if item.count > 1 else ""
        do_vi, do_en = item.command()
        console.print(f"  [red]•[/red] {_shown(vi_rule)} / {_shown(en_rule)}{times}")
        console.print(f"    đơn vị / unit: {_shown(unit)}; {where}")
        if item.message_vi or item.message_en:
            console.print(f"    {_shown(item.message_vi)} / {_shown(item.message_en)}")
        console.print(f"    cách xử lý / to resolve: {_shown(do_vi)} / {_shown(do_en)}")
    if len(summary.blocking) > BLOCKING_SHOWN:
        console.print(
            f"  … {len(summary.blocking) - BLOCKING_SHOWN} more group(s):"
            f" marts.data_quality_findings where run_id = '{summary.run_id}' and severity = 'error'"
        )


def check_rule_words(rule: str) -> tuple[str, str]:
    """A Great Expectations rule id in words (vi, en)."""
    from night.summary import rule_words

    return rule_words(rule)


def _recover(settings: Settings) -> list[str]:
    """What a night that did not end well left behind: its dbt processes are ended; returns
    why tonight must run (printed here, said again in the alert). Holding the lock."""
    from engines.run_children import kill_leftover_children
    from night.state import reasons_to_run

    for pid in kill_leftover_children(settings.warehouse_dir):
        console.print(
            f"Ended process {pid} (dbt) left running by a night that died"
            f" / đã dừng tiến trình {pid} (dbt) còn sót lại từ đêm trước"
        )
    with console.status("Looking at the last night…"):
        reasons = reasons_to_run(settings)
    for reason in reasons:
        console.print(f"[yellow]Lý do chạy / Why tonight runs:[/yellow] {escape(reason)}")
    return reasons


def _say_skipped(settings: Settings, last) -> None:
    """The fast path: nothing new in the inbox, same code as the last published night."""
    console.print(
        f"Nothing new since the night of {last.finished_at} (run {last.run_id[:8]}): no new "
        "file in the inbox and the same pipeline code, so tonight would publish the same "
        "figures. Skipped; nothing was changed."
    )
    console.print(f"Published file (unchanged): {settings.latest_path}")
    console.print("Run it anyway with: parwh run --force")


def _run_guarded(settings: Settings, *, force: bool = False, full_refresh: bool = False) -> int:
    from night.db_lock import lock_holder
    from night.scope import plan_night, record_skipped_night

    try:
        with warehouse_lock(settings), paused_until_frozen() as start_of_run:
            holder = lock_holder(settings.database_path)
            if holder is not None:
                en, vi = holder.describe()
                console.print(f"[red]Không chạy được / Cannot run:[/red] {vi} / {en}. Nothing was changed.")
                return 1
            notes = _recover(settings)
            with console.status("Looking for new files in the inbox…"):
                plan = plan_night(settings, force=force, full_refresh=full_refresh, reasons=notes)
            if plan.skipped:
                _say_skipped(settings, plan.skipped_since)
                record_skipped_night(settings, plan.skipped_since)
                return 0
            return _execute_nightly(settings, plan, start_of_run)
    except WarehouseBusyError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1


@app.command()
def run(
    inbox: InboxOption = None,
    warehouse: WarehouseOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Run the whole pipeline, even when nothing is new since the last published night."
        ),
    ] = False,
    full_refresh: Annotated[
        bool,
        typer.Option(
            "--full-refresh",
            help="Rebuild the incremental models from all raw records (implies --force).",
        ),
    ] = False,
    create_inbox: Annotated[
        bool,
        typer.Option("--create-inbox", help="Create the inbox folder if missing (else an error)."),
    ] = False,
) -> None:
    """One nightly run: load new inbox files, dbt build, quality checks, publish.

    Exit 0 when it published (or when nothing was new: the night is skipped), 2 when the
    quality gate held publication back, 1 when the run failed.
    """
    settings = resolve_settings(warehouse, inbox)
    if not settings.inbox_dir.is_dir():
        if not create_inbox:
            console.print(
                f"[red]Không tìm thấy hộp thư đến / Inbox not found: {settings.inbox_dir}[/red]\n"
                "Kiểm tra lại đường dẫn (--inbox, PARWH_INBOX); nếu đây là hộp thư mới, chạy lại với"
                " --create-inbox / Check the path; for a new inbox, run again with --create-inbox."
                " Nothing was run or changed."
            )
            raise typer.Exit(1)
        settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    console.print(f"Warehouse {settings.warehouse_dir}, inbox {settings.inbox_dir}")
    raise typer.Exit(_run_guarded(settings, force=force, full_refresh=full_refresh))


@app.command()
def demo(warehouse: WarehouseOption = None) -> None:
    """Write the demo submissions into <warehouse>/inbox and run the nightly job once."""
    settings = resolve_settings(warehouse, None)
    inbox = settings.warehouse_dir / "inbox"
    settings = settings.with_overrides(inbox=inbox)
    settings.export()
    from demo import generate_demo_inbox

    with console.status(f"Writing demo submissions into {inbox}…"):
        written = generate_demo_inbox(inbox)
    console.print(f"Demo submissions: {len(written.files)} files in {inbox}")
    raise typer.Exit(_run_guarded(settings))


@app.command()
def ui(warehouse: WarehouseOption = None) -> None:
    """Start the Dagster UI (dagster dev) on this warehouse's runs, lineage and checks."""
    settings = resolve_settings(warehouse, None)
    _prepare(settings)
    console.print(f"DAGSTER_HOME={settings.dagster_home}")
    dagster = Path(sys.executable).with_name("dagster")
    os.execv(str(dagster), [str(dagster), "dev", "-m", "orchestration.definitions"])


@app.command()
def report(
    warehouse: WarehouseOption = None,
    period: Annotated[
        str | None, typer.Option(help="Period label, e.g. 2023 (default: the latest year).")
    ] = None,
    province: Annotated[
        str | None, typer.Option(help="Province: code (L87, 87) or name (Đồng Tháp).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write into (default: published/reports).")
    ] = None,
) -> None:
    """Write the ranking workbooks and the HTML report from published/latest.duckdb."""
    from reports import write_reports

    settings = resolve_settings(warehouse, None)
    if not settings.latest_path.exists():
        console.print(f"[red]Nothing published yet in {settings.published_dir}: run `parwh run` first.[/red]")
        raise typer.Exit(1)
    if period is not None:
        period = _published_period(settings.latest_path, period)
    out_dir = out or settings.published_dir / "reports"
    with console.status("Writing reports…"):
        written = write_reports(settings.latest_path, out_dir, period=period, province=province)
    for path in written:
        console.print(f"  {path}")


def _published_period(published: Path, period: str) -> str:
    """The published period label ``period`` names ("2023", "2023-Q3", "Quý 3/2023",
    "6 tháng đầu năm 2023"); exits with the list of published periods when none matches."""
    import duckdb

    import sqlfiles
    from ingest.periods import find_period_in_text

    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = sqlfiles.rows(con, __package__ or "cli", "published_periods")
        labels = [row["period_label"] for row in rows]
    finally:
        con.close()
    if period in labels:
        return period
    parsed = find_period_in_text(period)
    if parsed is not None and parsed.label in labels:
        return parsed.label
    console.print(
        f"[red]Kỳ báo cáo không có trong bảng xếp hạng đã công bố / No published ranking for period"
        f" {period!r}.[/red] Các kỳ đã công bố / Published periods: {', '.join(labels) or '(none)'}"
    )
    raise typer.Exit(1)


@app.command()
def template(
    source: Annotated[str, typer.Argument(help="dossiers, staff, budget, surveys or self_assessment.")],
    province: Annotated[str, typer.Option(help=PROVINCE_HELP)],
    period: PeriodOption = None,
    out: Annotated[
        Path,
        typer.Option(help="Folder to write the template into (self_assessment: a folder or an .xlsx file)."),
    ] = Path("."),
    warehouse: WarehouseOption = None,
    year: Annotated[
        int | None, typer.Option(help="self_assessment: the year assessed (Năm đánh giá), e.g. 2023.")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="self_assessment: the unit, by name (Sa Đéc) or code (L867); chooses its rubric."),
    ] = None,
) -> None:
    """Write an Excel submission template for a source family, prefilled with the province's
    units; `self_assessment` writes the self-assessment table (Biểu tự đánh giá) of the
    rubric in force for the province, unit and year."""
    from reports.templates import RUBRIC_TEMPLATES, TEMPLATE_KINDS, write_template

    settings = resolve_settings(warehouse, None)
    if source not in TEMPLATE_KINDS:
        console.print(f"[red]Unknown source {source!r}: choose one of {', '.join(TEMPLATE_KINDS)}.[/red]")
        raise typer.Exit(1)
    if source in RUBRIC_TEMPLATES:
        if year is None or period is not None:
            console.print(
                f"[red]Biểu tự đánh giá cần --year (năm đánh giá), không dùng --period / the {source}"
                " template takes --year (the year assessed), not --period.[/red]"
            )
            raise typer.Exit(1)
        try:
            path = write_template(source, out, province=province, year=year, unit=unit, settings=settings)
        except ValueError as exc:
            console.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(1) from exc
        console.print(f"Biểu tự đánh giá / Template: {path}")
        return
    if year is not None or unit is not None:
        console.print(f"[red]--year and --unit are for self_assessment; {source} takes --period.[/red]")
        raise typer.Exit(1)
    if not settings.latest_path.exists():
        console.print(f"[red]Nothing published yet in {settings.published_dir}: run `parwh run` first.[/red]")
        raise typer.Exit(1)
    try:
        path = write_template(source, out, province=province, period=period, units_db=settings.latest_path)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"Template: {path}")


@app.command()
def prepare() -> None:
    """Prepare the dbt manifest (dbt parse) so that `dagster dev` can load the definitions."""
    settings = resolve_settings(None, None)
    _prepare(settings)
    console.print("dbt manifest ready")


from cli.draft_commands import register as _register_draft_commands  # noqa: E402
from cli.rubric_commands import register as _register_rubric_commands  # noqa: E402
from cli.submission_commands import register as _register_submission_commands  # noqa: E402

_register_submission_commands(app)
_register_rubric_commands(app)
_register_draft_commands(app)


def main() -> None:
    """The `parwh` console command (pyproject.toml): the application, then the process ends
    without the interpreter's teardown (cli/process_exit.py). Tests run ``app`` itself."""
    from cli.process_exit import run_then_exit

    run_then_exit(app)


if __name__ == "__main__":
    main()
