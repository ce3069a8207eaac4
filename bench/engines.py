"""DuckDB and Spark side by side: the same nightly job on the same N-record history.

    uv run --extra spark python -m bench.engines --records 10000000 --out BENCHMARKS.md

Reads the history that `python -m bench.run --records N` generated (<work>/n<N>/inbox):
its files without the increment days make the full night, the first increment day
(2 November 2026) the next night. Each engine gets its own warehouse (the inbox files are
hard-linked). After both, the published marts are compared (publication.diff).
Writes <work>/engines.json and a section of --out between ENGINES_BEGIN and ENGINES_END
(after the notes marker, so that `bench.run` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import STAGES, PipelineRun, run_pipeline
from bench.run import NOTES_MARKER, machine
from publication.diff import differences

ENGINES = ("duckdb", "spark")
ENGINES_BEGIN = "<!-- bench:engines (written by python -m bench.engines) -->"
ENGINES_END = "<!-- /bench:engines -->"
FIRST_INCREMENT_DAY = "_ngay_02"


def _link(files: list[Path], inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = inbox / path.name
        if not target.exists():
            os.link(path, target)


def bench_engine(engine: str, source: Path, root: Path, *, memory_limit: str, threads: int) -> dict:
    shutil.rmtree(root, ignore_errors=True)
    inbox, warehouse, logs = root / "inbox", root / "warehouse", root / "logs"
    history = sorted(p for p in source.iterdir() if p.is_file() and "_ngay_" not in p.name)
    first_day = sorted(p for p in source.iterdir() if FIRST_INCREMENT_DAY in p.name)
    _link(history, inbox)
    os.environ["PARWH_ENGINE"] = engine
    kw = {"memory_limit": memory_limit, "threads": threads, "log_dir": logs}
    full = run_pipeline(f"full history ({engine})", inbox, warehouse, **kw)  # type: ignore[arg-type]
    print(f"[bench] {engine}: full night wall {full.wall_s:.1f} s, exit {full.exit_code}", flush=True)
    _link(first_day, inbox)
    increment = run_pipeline(f"increment ({engine})", inbox, warehouse, **kw)  # type: ignore[arg-type]
    print(f"[bench] {engine}: increment wall {increment.wall_s:.1f} s", flush=True)
    return {"full": asdict(full), "increment": asdict(increment), "warehouse": str(warehouse)}


def _cell(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.1f}{unit}"


def _ratio(spark: float | None, duck: float | None) -> str:
    return "–" if not spark or not duck else f"{spark / duck:.2f}×"


def render(result: dict) -> str:
    duck_full, spark_full = (PipelineRun(**result[e]["full"]) for e in ENGINES)
    duck_inc, spark_inc = (PipelineRun(**result[e]["increment"]) for e in ENGINES)
    rows: list[tuple[str, float | None, float | None]] = [
        ("full night: wall s (whole `parwh run`)", duck_full.wall_s, spark_full.wall_s),
        ("full night: run s (Dagster)", duck_full.run_s, spark_full.run_s),
    ]
    rows += [
        (f"full night: {stage} s", duck_full.stages.get(stage), spark_full.stages.get(stage))
        for stage in STAGES
    ]
    rows += [
        ("full night: dbt's own elapsed s", duck_full.dbt_elapsed_s, spark_full.dbt_elapsed_s),
        ("full night: peak memory GB (process tree)", duck_full.peak_mb / 1024, spark_full.peak_mb / 1024),
        ("increment night: wall s", duck_inc.wall_s, spark_inc.wall_s),
        ("increment night: dbt build s", duck_inc.stages.get("dbt build"), spark_inc.stages.get("dbt build")),
        ("increment night: peak memory GB", duck_inc.peak_mb / 1024, spark_inc.peak_mb / 1024),
    ]
    problems = result["differences"]
    lines = [
        ENGINES_BEGIN,
        f"## DuckDB and Spark: the same nightly job, N = {result['records']:,} records (issue #7)",
        "",
        f"Measured {result['measured_at']} on {result['machine']} by `python -m bench.engines`.",
        f"Spark: `PARWH_ENGINE=spark`, local session `{result['spark_master']}`, driver memory "
        f"{result['spark_driver_memory']}; the same history files as the tables above (without the "
        "increment days), then the first increment day. Exit codes: "
        f"DuckDB {duck_full.exit_code}/{duck_inc.exit_code}, "
        f"Spark {spark_full.exit_code}/{spark_inc.exit_code}.",
        "",
        "| | DuckDB | Spark | Spark ÷ DuckDB |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {label} | {_cell(d)} | {_cell(s)} | {_ratio(s, d)} |" for label, d, s in rows]
    lines += [
        "",
        "Published marts, Spark against DuckDB (publication/diff.py, numbers to 1e-9): "
        + ("**equal**, every mart row for row." if not problems else "**different**: " + "; ".join(problems)),
        "",
        "Slowest dbt nodes on Spark (s), full night: "
        + "; ".join(f"{name} {seconds:.1f}" for name, seconds in spark_full.dbt_slowest)
        + "; increment night: "
        + "; ".join(f"{name} {seconds:.1f}" for name, seconds in spark_inc.dbt_slowest),
        "",
        ENGINES_END,
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if ENGINES_BEGIN in text and ENGINES_END in text:
        start = text.index(ENGINES_BEGIN)
        end = text.index(ENGINES_END) + len(ENGINES_END) + 1
        text = text[:start] + section + text[end:]
    elif NOTES_MARKER in text:
        at = text.index(NOTES_MARKER) + len(NOTES_MARKER) + 1
        text = text[:at] + "\n" + section + "\n" + text[at:]
    else:
        text = text + "\n" + NOTES_MARKER + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.engines", description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/parwh-bench"))
    ap.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    ap.add_argument("--memory-limit", default="4GB", help="PARWH_DUCKDB_MEMORY_LIMIT")
    ap.add_argument("--threads", type=int, default=2, help="PARWH_DUCKDB_THREADS")
    ap.add_argument("--spark-driver-memory", default="3g", help="PARWH_SPARK_DRIVER_MEMORY")
    ap.add_argument("--render-only", action="store_true", help="rewrite --out from <work>/engines.json")
    args = ap.parse_args(argv)
    store = args.work / "engines.json"
    if not args.render_only:
        source = args.work / f"n{args.records}" / "inbox"
        if not source.is_dir():
            ap.error(f"{source} is missing: run `python -m bench.run --records {args.records}` first")
        os.environ["PARWH_SPARK_DRIVER_MEMORY"] = args.spark_driver_memory
        result: dict = {
            "records": args.records,
            "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "spark_master": os.environ.get("PARWH_SPARK_MASTER", "local[2]"),
            "spark_driver_memory": args.spark_driver_memory,
        }
        for engine in ENGINES:
            result[engine] = bench_engine(
                engine,
                source,
                args.work / "engines" / f"n{args.records}" / engine,
                memory_limit=args.memory_limit,
                threads=args.threads,
            )
        result["differences"] = differences(
            Path(result["duckdb"]["warehouse"]) / "published" / "latest.duckdb",
            Path(result["spark"]["warehouse"]) / "published" / "latest.duckdb",
        )
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(result, indent=1), encoding="utf-8")
    write_section(args.out, render(json.loads(store.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
