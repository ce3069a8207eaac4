"""One command for the national-scale benchmark (issue #6, measurement):

    uv run python -m bench.run --records 1000000 [--records 10000000] --out BENCHMARKS.md

For each N: generate the submissions (bench/generate.py), measure the floor and pandas on
the same files, run the real nightly job (`parwh run`, a subprocess) for the full history,
again with no new file (no-op night), and again with one more day of records (increment).
Results are kept in ``<work>/results.json`` (merged by N across invocations) and the whole
table is rewritten into ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from bench.generate import INCREMENT_DAY, generate_history, generate_increment, increment_day_of
from bench.measure import (
    MONTH_AGGREGATE_COLUMNS,
    STAGES,
    PandasRun,
    PipelineRun,
    floor_query,
    pandas_aggregate,
    pipeline_month_totals,
    run_pipeline,
)

TARGETS = {
    "pipeline_vs_floor": 3.0,
    "peak_gb": 6.0,
    "increment_s": 30.0,
    "increment_growth": 1.5,
    "noop_s": 15.0,
}


@dataclass
class Result:
    records: int
    units: int
    record_files: int
    other_files: int
    generate_s: float
    floor_s: float
    floor_received: int
    pipeline_received: int
    agree: bool
    disagreements: int
    full: PipelineRun
    noop: PipelineRun | None
    increment: PipelineRun | None
    increment_records: int
    noop_forced: PipelineRun | None = None  # `parwh run --force` with nothing new
    increment_measured_at: str = ""  # when the increment nights were last measured
    # the floor measured again beside the increment nights (`--next-day`): their ratio
    # survives a machine slower or faster than when the history was measured
    increment_floor_s: float | None = None
    pandas: list[PandasRun] = field(default_factory=list)
    measured_at: str = ""
    memory_limit: str = ""
    threads: int = 0
    fmt: str = "mixed"


def compare(floor: pd.DataFrame, pipeline: pd.DataFrame) -> tuple[bool, int, int, int]:
    """Floor and pipeline agree on received/online/postal per unit-month and on the totals
    of resolved and late records. Returns (agree, rows that differ, floor total, pipeline total)."""
    keys = ["unit_code", "month"]
    f = floor.copy()
    p = pipeline.copy()
    for d in (f, p):
        d["month"] = pd.to_datetime(d["month"]).dt.date
    merged = f.merge(p, on=keys, how="outer", suffixes=("_f", "_p")).fillna(0)
    per_month = ("received", "received_online", "received_postal")
    bad = merged[
        sum((merged[f"{c}_f"].astype("int64") != merged[f"{c}_p"].astype("int64")) for c in per_month) > 0
    ]
    totals_ok = all(int(f[c].sum()) == int(p[c].sum()) for c in MONTH_AGGREGATE_COLUMNS)
    return (
        bad.empty and totals_ok,
        len(bad),
        int(f["received"].sum()),
        int(p["received"].sum()),
    )


def machine() -> str:
    cores = os.cpu_count() or 0
    mem_gb = 0.0
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cores} logical cores ({cpu}), {mem_gb:.1f} GB RAM, Python {platform.python_version()}"


def bench_one(
    records: int,
    work: Path,
    *,
    increment_records: int,
    max_units: int | None,
    memory_limit: str,
    threads: int,
    pandas_max_records: int,
    fmt: str,
    skip_noop: bool = False,
    skip_increment: bool = False,
) -> Result:
    root = work / f"n{records}"
    shutil.rmtree(root, ignore_errors=True)
    inbox, warehouse, logs = root / "inbox", root / "warehouse", root / "logs"
    started = time.perf_counter()
    gen = generate_history(
        inbox, records, max_units=max_units, fmt=fmt, threads=threads, memory_limit=memory_limit
    )
    generate_s = time.perf_counter() - started
    floor_s, floor_df = floor_query(gen.record_files, threads=threads, memory_limit=memory_limit)
    per_file = records / max(len(gen.record_files), 1)
    pandas_runs = [
        pandas_aggregate(gen.record_files, backend, pandas_max_records, per_file)
        for backend in ("pyarrow", "numpy")
    ]
    kw = {"memory_limit": memory_limit, "threads": threads, "log_dir": logs}
    full = run_pipeline("full history", inbox, warehouse, **kw)  # type: ignore[arg-type]
    agree, bad, floor_total, pipe_total = False, -1, int(floor_df["received"].sum()), 0
    if full.exit_code in (0, 1, 2) and (warehouse / "warehouse.duckdb").exists():
        agree, bad, floor_total, pipe_total = compare(floor_df, pipeline_month_totals(warehouse))
    noop = noop_forced = None
    if not skip_noop:
        noop = run_pipeline("no-op night", inbox, warehouse, **kw)  # type: ignore[arg-type]
        noop_forced = run_pipeline(
            "no-op night, forced",
            inbox,
            warehouse,
            extra_args=("--force",),
            **kw,  # type: ignore[arg-type]
        )
    increment = None
    if not skip_increment:
        generate_increment(
            inbox, increment_records, records, max_units=max_units, fmt=fmt,
            threads=threads, memory_limit=memory_limit,
        )  # fmt: skip
        increment = run_pipeline("increment", inbox, warehouse, **kw)  # type: ignore[arg-type]
    return Result(
        records=records, units=gen.units, record_files=len(gen.record_files),
        other_files=len(gen.other_files), generate_s=generate_s, floor_s=floor_s,
        floor_received=floor_total, pipeline_received=pipe_total, agree=agree, disagreements=bad,
        full=full, noop=noop, noop_forced=noop_forced, increment=increment,
        increment_records=increment_records,
        pandas=pandas_runs, measured_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        memory_limit=memory_limit, threads=threads, fmt=fmt,
    )  # fmt: skip


def full_again(result: Result, work: Path, *, threads: int, memory_limit: str) -> Result:
    """The full history night again, on the history files already generated for N (after a
    change to the pipeline), with the floor measured again beside it on the same files: an
    inbox of hard links to the history's files (the increment days left out, so the night
    reads the N records of the row) and a new warehouse, deleted afterwards. The increment
    and no-op columns and pandas are kept."""
    root = work / f"n{result.records}"
    inbox, scratch = root / "inbox", root / "full_again"
    shutil.rmtree(scratch, ignore_errors=True)
    history_inbox, warehouse, logs = scratch / "inbox", scratch / "warehouse", root / "logs"
    history_inbox.mkdir(parents=True)
    history = sorted(p for p in inbox.iterdir() if p.is_file() and "_ngay_" not in p.name)
    for path in history:
        os.link(path, history_inbox / path.name)
    record_files = [p for p in history if p.name.startswith("ho_so_")]
    try:
        result.floor_s, floor_df = floor_query(record_files, threads=threads, memory_limit=memory_limit)
        result.full = run_pipeline(
            "full history", history_inbox, warehouse, memory_limit=memory_limit, threads=threads, log_dir=logs
        )
        result.agree, result.disagreements, result.floor_received, result.pipeline_received = (
            False, -1, int(floor_df["received"].sum()), 0,
        )  # fmt: skip
        if result.full.exit_code in (0, 1, 2) and (warehouse / "warehouse.duckdb").exists():
            result.agree, result.disagreements, result.floor_received, result.pipeline_received = compare(
                floor_df, pipeline_month_totals(warehouse)
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.measured_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return result


def _stage_seconds(run: PipelineRun) -> dict[str, float]:
    return {stage: round(seconds, 1) for stage, seconds in (run.stages or {}).items()}


def next_day(
    result: Result,
    work: Path,
    *,
    threads: int,
    memory_limit: str,
    days: int = 1,
    first_day: date | None = None,
    skip_noop: bool = False,
) -> Result:
    """``days`` more increment nights on the warehouse a previous run built (each the day
    after the last one generated, the first ``first_day`` when given; the last is kept),
    then a no-op and a forced no-op night. After a change to the pipeline the first night
    runs the whole pipeline (new code), so ``--days 2`` measures a steady night. A first
    day in a month later than any built (``--day 2026-12-01``) measures the night a month
    opens: the dossiers still open are counted in it. ``skip_noop``: only the increment
    nights (the no-op nights and the floor beside them are not measured again)."""
    root = work / f"n{result.records}"
    inbox, warehouse, logs = root / "inbox", root / "warehouse", root / "logs"
    kw = {"memory_limit": memory_limit, "threads": threads, "log_dir": logs}
    for night in range(days):
        done = sorted({increment_day_of(p.name) for p in inbox.glob("*_ngay_*")})
        after_last = done[-1] + timedelta(days=1) if done else INCREMENT_DAY
        day = first_day if first_day and night == 0 else after_last
        if day in done:
            raise SystemExit(f"bench: {day} was already generated in {inbox}")
        history = result.records + result.increment_records * len(done)
        generate_increment(
            inbox, result.increment_records, history, fmt=result.fmt, threads=threads,
            memory_limit=memory_limit, day=day,
        )  # fmt: skip
        result.increment = run_pipeline(f"increment ({day:%d/%m})", inbox, warehouse, **kw)  # type: ignore[arg-type]
        print(
            f"[bench] N = {result.records:,}, {day:%d/%m}: wall {_s(result.increment.wall_s)} s,"
            f" run {_s(result.increment.run_s)} s ({result.increment.scope});"
            f" stages {_stage_seconds(result.increment)};"
            f" slowest dbt nodes {(result.increment.dbt_slowest or [])[:3]}",
            flush=True,
        )
    if skip_noop:  # the no-op nights (and the floor beside them) of the previous measurement are kept
        result.increment_measured_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") + " (no-op earlier)"
        return result
    result.noop = run_pipeline("no-op night", inbox, warehouse, **kw)  # type: ignore[arg-type]
    result.noop_forced = run_pipeline(
        "no-op night, forced",
        inbox,
        warehouse,
        extra_args=("--force",),
        **kw,  # type: ignore[arg-type]
    )
    history_files = sorted(p for p in inbox.glob("ho_so_*") if "_ngay_" not in p.name)
    result.increment_floor_s, _ = floor_query(history_files, threads=threads, memory_limit=memory_limit)
    result.increment_measured_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return result


# --- persistence and rendering ---------------------------------------------------------------


def _run_from(d: dict | None) -> PipelineRun | None:
    return None if d is None else PipelineRun(**d)


def result_from(d: dict) -> Result:
    d = dict(d)
    d["full"] = _run_from(d["full"])
    d["noop"] = _run_from(d.get("noop"))
    d["noop_forced"] = _run_from(d.get("noop_forced"))
    d["increment"] = _run_from(d.get("increment"))
    d["pandas"] = [PandasRun(**p) for p in d.get("pandas", [])]
    return Result(**d)


def load_results(path: Path) -> dict[int, Result]:
    if not path.exists():
        return {}
    return {int(k): result_from(v) for k, v in json.loads(path.read_text()).items()}


def save_results(path: Path, results: dict[int, Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({str(k): asdict(v) for k, v in sorted(results.items())}, indent=1))


def _s(v: float | None) -> str:
    return "–" if v is None or v != v else f"{v:,.1f}"


def _gb(mb: float) -> str:
    return f"{mb / 1024:,.2f}"


def _per_s(count: int, seconds: float | None) -> str:
    return "–" if not seconds or seconds != seconds else f"{count / seconds:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b or a != a or b != b:
        return "–"
    return f"{a / b:,.2f}×"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def render(results: dict[int, Result], not_run: list[str]) -> str:
    rows = [results[k] for k in sorted(results)]
    lines = [
        "# Benchmarks: the nightly job at national scale (issue #6)",
        "",
        f"Machine: {machine()}.",
        "Generated by `uv run python -m bench.run` (bench/); every number below was measured on this",
        "machine on the date in its row. The CPU was shared with other work while measuring.",
        "",
        "Data: record-level dossier exports for the current 3,321 communes (plus provincial-level",
        "dossiers, 5 %) received 1 January – 31 October 2026, one file per province × month",
        "(even province codes Parquet, odd ones CSV.gz); staff, budget and survey CSVs for every unit;",
        "the increment is one more day (2 November 2026) of records, one file per province.",
        "",
        "## Full history night (`parwh run`, first run on an empty warehouse)",
        "",
        "Stage seconds are Dagster step durations (ingest = admin_units, raw__file_manifest, load_*;",
        "checks = raw_table_checks + model_checks; publish = published_rankings; reports =",
        "published_reports). `run` = Dagster run start → end; `wall` = whole `parwh run` process.",
        "Peak memory = largest sampled sum of RSS over the process tree (dbt included).",
        "",
        "| N records | date | units | record files | ingest s | dbt build s | checks s | publish s"
        " | reports s | run s | wall s | records/s | ingest records/s | written GB | peak GB | exit |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        f = r.full
        st = [_s(f.stages.get(s)) for s in STAGES]
        lines.append(
            f"| {r.records:,} | {r.measured_at} | {r.units:,} | {r.record_files:,} | {' | '.join(st)}"
            f" | {_s(f.run_s)} | {_s(f.wall_s)} | {r.records / f.wall_s:,.0f}"
            f" | {_per_s(r.records, f.stages.get('ingest'))} | {_gb(f.written_mb)} | {_gb(f.peak_mb)}"
            f" | {f.exit_code} |"
        )
    lines += [
        "",
        "## Against the floor and pandas",
        "",
        "Floor = one DuckDB query reading the same files and computing unit × month-of-receipt",
        "aggregates (received, online, postal, resolved, late), same threads and memory limit.",
        "pandas = the same aggregation (read every file, parse timestamps, concat, groupby), in a",
        "subprocess; `sampled` = run on the first files only and scaled linearly to N.",
        "",
        "| N records | floor s | pipeline run ÷ floor | wall ÷ floor | pandas (pyarrow) s"
        " | pandas (numpy) s | pandas pyarrow ÷ pipeline run | pandas peak GB"
        " | floor = pipeline aggregates |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        pa_ = {p.backend: p for p in r.pandas}

        def pd_cell(b: str, r: Result = r, pa_: dict[str, PandasRun] = pa_) -> str:
            p = pa_.get(b)
            if p is None:
                return "not run"
            if p.error:
                return f"failed: {p.error}"
            est = p.scaled_seconds(r.records)
            return f"{_s(est)} (sampled {p.records:,})" if p.sampled else _s(est)

        ppa = pa_.get("pyarrow")
        ppa_s = ppa.scaled_seconds(r.records) if ppa and not ppa.error else None
        peak = max((p.peak_rss_mb for p in r.pandas), default=0.0)
        agree = (
            f"yes ({r.floor_received:,} records)"
            if r.agree
            else f"**no**: floor {r.floor_received:,}, pipeline {r.pipeline_received:,},"
            f" {r.disagreements} unit-months differ"
        )
        lines.append(
            f"| {r.records:,} | {_s(r.floor_s)} | {_ratio(r.full.run_s, r.floor_s)}"
            f" | {_ratio(r.full.wall_s, r.floor_s)} | {pd_cell('pyarrow')}"
            f" | {pd_cell('numpy')} | {_ratio(ppa_s, r.full.run_s)} | {_gb(peak)} | {agree} |"
        )
    lines += [
        "",
        "## Increment and no-op night",
        "",
        "No-op night = `parwh run` with no new file (skipped: nothing new, no Dagster run);",
        "forced = `parwh run --force` on the same inbox (the whole job with nothing new).",
        "An increment night runs only what depends on the source families with new files",
        "(night/scope.py); the last column is its run tag `parwh/scope`. `÷ floor`: the increment's",
        "wall divided by the floor over the history measured in the same session (a noisy machine",
        "slows both). Written MB = what the night's processes wrote to disk.",
        "",
        "| N history | measured | increment records | increment wall s | increment run s | ingest s"
        " | dbt build s"
        " | checks s | publish s | increment peak GB | increment ÷ floor | increment written MB"
        " | no-op wall s | no-op | forced no-op wall s"
        " | forced no-op run s | forced no-op written MB | the increment night covered |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        i, n, nf = r.increment, r.noop, r.noop_forced
        inc = (
            [
                _s(i.wall_s), _s(i.run_s), *[_s(i.stages.get(s)) for s in STAGES[:4]], _gb(i.peak_mb),
                _ratio(i.wall_s, r.increment_floor_s or r.floor_s), _s(i.written_mb),
            ]
            if i
            else ["not run"] * 9
        )  # fmt: skip
        noop = [_s(n.wall_s), "skipped (nothing new)" if n.skipped else "ran"] if n else ["not run"] * 2
        forced = [_s(nf.wall_s), _s(nf.run_s), _s(nf.written_mb)] if nf else ["not run"] * 3
        lines.append(
            f"| {r.records:,} | {r.increment_measured_at or r.measured_at} | {r.increment_records:,}"
            f" | {' | '.join(inc)} | {' | '.join(noop)} | {' | '.join(forced)}"
            f" | {(i.scope or '–') if i else '–'} |"
        )
    lines += [
        "",
        "## dbt profile (dbt's own `run_results.json` of each night)",
        "",
        "| N records | night | dbt step s (Dagster) | dbt elapsed s (dbt) | slowest nodes (s) |",
        "|---:|---|---:|---:|---|",
    ]
    for r in rows:
        for run in (r.full, r.noop_forced, r.increment):
            if run is None or run.skipped:
                continue
            slow = "; ".join(f"{name} {sec:.1f}" for name, sec in run.dbt_slowest) or "–"
            lines.append(
                f"| {r.records:,} | {run.label} | {_s(run.stages.get('dbt build'))}"
                f" | {_s(run.dbt_elapsed_s)} | {slow} |"
            )
    lines += ["", "## Targets", "", "| target | measured | status |", "|---|---|---|"]
    for r in rows:
        ratio = r.full.run_s / r.floor_s if r.full.run_s and r.floor_s else None
        lines.append(
            f"| pipeline ≤ 3× floor (target at 100M; here N = {r.records:,}) | {_s(ratio)}× |"
            f" {_mark(None if ratio is None else ratio <= TARGETS['pipeline_vs_floor'])} |"
        )
        wall_ratio = r.full.wall_s / r.floor_s if r.floor_s else None
        lines.append(
            f"| (whole `parwh run` process) wall ÷ floor (N = {r.records:,}) | {_s(wall_ratio)}× |"
            f" {_mark(None if wall_ratio is None else wall_ratio <= TARGETS['pipeline_vs_floor'])} |"
        )
        peak = max(x.peak_mb for x in (r.full, r.noop, r.noop_forced, r.increment) if x) / 1024
        lines.append(f"| peak memory ≤ 6 GB (N = {r.records:,}) | {peak:.2f} GB | {_mark(peak <= 6)} |")
        if r.increment:
            w = r.increment.wall_s
            lines.append(
                f"| increment ≤ 30 s (N = {r.records:,}) | {_s(w)} s | {_mark(w <= TARGETS['increment_s'])} |"
            )
        if r.noop:
            w = r.noop.wall_s
            ok = _mark(w <= TARGETS["noop_s"])
            lines.append(f"| no-op night ≤ 15 s (N = {r.records:,}) | {_s(w)} s | {ok} |")
    by_n = {r.records: r for r in rows}
    big = by_n.get(100_000_000)
    ten = by_n.get(10_000_000)
    if big and ten and big.increment and ten.increment:
        g = big.increment.wall_s / ten.increment.wall_s
        lines.append(f"| increment 100M ÷ 10M ≤ 1.5 | {g:.2f}× | {_mark(g <= TARGETS['increment_growth'])} |")
    else:
        lines.append("| increment 100M ÷ 10M ≤ 1.5 | not measured (100M not run) | – |")
        incs = [r for r in rows if r.increment]
        if len(incs) >= 2:
            a, b = incs[0], incs[-1]
            assert a.increment and b.increment
            lines.append(
                f"| (proxy) increment {b.records:,} ÷ {a.records:,} | "
                f"{b.increment.wall_s / a.increment.wall_s:.2f}× | for information |"
            )
    if not_run:
        lines += ["", "## Not run", ""] + [f"* {x}" for x in not_run]
    return "\n".join(lines) + "\n"


NOTES_MARKER = "<!-- bench:notes (kept when the tables above are regenerated) -->"


def write_out(path: Path, tables: str) -> None:
    """Write the tables; hand-written notes after NOTES_MARKER in an existing file are kept."""
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            notes = "\n" + old[old.index(NOTES_MARKER) :]
    path.write_text(tables + notes, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, action="append", default=[], help="history size N")
    ap.add_argument("--render-only", action="store_true", help="rewrite --out from <work>/results.json")
    ap.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/parwh-bench"))
    ap.add_argument("--increment-records", type=int, default=300_000)
    ap.add_argument("--max-units", type=int, default=None, help="fewer communes (smoke test)")
    ap.add_argument("--memory-limit", default="4GB", help="PARWH_DUCKDB_MEMORY_LIMIT")
    ap.add_argument("--threads", type=int, default=2, help="PARWH_DUCKDB_THREADS")
    ap.add_argument("--pandas-max-records", type=int, default=5_000_000)
    ap.add_argument("--format", dest="fmt", choices=("mixed", "csv", "parquet"), default="mixed")
    ap.add_argument("--skip-noop", action="store_true")
    ap.add_argument("--skip-increment", action="store_true")
    ap.add_argument("--not-run", action="append", default=[], help="a line for the 'Not run' section")
    ap.add_argument(
        "--next-day",
        action="store_true",
        help="on the warehouse already built for each N: one more day of records, then the"
        " increment, a no-op and a forced no-op night again (after a change to the pipeline)",
    )
    ap.add_argument(
        "--full-again",
        action="store_true",
        help="on the history already generated for each N: the floor and the full history"
        " night again (a new warehouse; the increment and no-op columns are kept)",
    )
    ap.add_argument("--days", type=int, default=1, help="with --next-day: increment nights per N")
    ap.add_argument(
        "--day",
        type=date.fromisoformat,
        default=None,
        help="with --next-day: the first night's day (YYYY-MM-DD; default the day after the last)",
    )
    args = ap.parse_args(argv)
    if not args.records and not args.render_only:
        ap.error("give at least one --records N (or --render-only)")
    store = args.work / "results.json"
    results = load_results(store)
    for n in args.records if args.next_day else []:
        print(f"[bench] N = {n:,}: one more day on the existing history …", flush=True)
        results[n] = next_day(
            results[n],
            args.work,
            threads=args.threads,
            memory_limit=args.memory_limit,
            days=args.days,
            first_day=args.day,
            skip_noop=args.skip_noop,
        )
        save_results(store, results)
        write_out(args.out, render(results, args.not_run))
    for n in args.records if args.full_again else []:
        print(f"[bench] N = {n:,}: the floor and the full history night again …", flush=True)
        results[n] = full_again(results[n], args.work, threads=args.threads, memory_limit=args.memory_limit)
        save_results(store, results)
        write_out(args.out, render(results, args.not_run))
        r = results[n]
        print(
            f"[bench] N = {n:,}: run {_s(r.full.run_s)} s, wall {_s(r.full.wall_s)} s,"
            f" floor {_s(r.floor_s)} s, agree {r.agree}; stages {_stage_seconds(r.full)};"
            f" slowest dbt nodes {(r.full.dbt_slowest or [])[:4]}",
            flush=True,
        )
    for n in [] if args.next_day or args.full_again else args.records:
        print(f"[bench] N = {n:,}: generating, floor, pandas, pipeline …", flush=True)
        results[n] = bench_one(
            n, args.work, increment_records=args.increment_records, max_units=args.max_units,
            memory_limit=args.memory_limit, threads=args.threads,
            pandas_max_records=args.pandas_max_records, fmt=args.fmt,
            skip_noop=args.skip_noop, skip_increment=args.skip_increment,
        )  # fmt: skip
        save_results(store, results)
        write_out(args.out, render(results, args.not_run))
        r = results[n]
        print(
            f"[bench] N = {n:,}: run {_s(r.full.run_s)} s, wall {_s(r.full.wall_s)} s,"
            f" floor {_s(r.floor_s)} s, agree {r.agree}",
            flush=True,
        )
    write_out(args.out, render(results, args.not_run))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
