"""Loading record exports (dossier records) at scale: the inbox's own registration and
loading of the generated record files into a fresh warehouse, in this process, against the
floor (one DuckDB query reading the same files, :func:`bench.measure.floor_query`).

    uv run python -m bench.records_load --records 1000000 --records 10000000 \\
        --work /tmp/parwh-bench-load [--out table.md] [--repeat 2]

The files are those of ``bench.run`` (:func:`bench.generate.generate_history`: one file per
province x month, even provinces Parquet, odd ones ``.csv.gz``), generated once per N and
kept in ``<work>/n<N>/inbox`` (reused while their count matches). Each measurement loads
them into a new ``warehouse.duckdb`` the way the Dagster assets ``raw/admin_units``,
``raw/file_manifest`` and ``load_dossier_records`` do (``load_admin_units``,
``register_inbox``, ``load_family``), with the night's DuckDB settings (memory limit,
threads, spill directory). The load runs in a child process so that its peak RSS and its
bytes written (``/proc/self/io`` ``write_bytes``) are its own. The floor is measured in the
same run, before each load: timings on a shared machine are noisy, the ratio load / floor
less so.

Results: ``<work>/results.json`` and a markdown table on stdout (and in ``--out``).

Measured 2026-12-06 (2 cores shared with two test runs and other engineers' work: the
floor itself took 3-10x its quiet time, so read the ratios), before = e624644, after =
6a8d713 (timestamps parsed once, while staging); the rows marked * ran an intermediate
version of the change (its format guess read by DuckDB):

| code | N | measured | floor s | wall s | records/s | wall / floor | peak RSS MB | written MB |
|---|---:|---|---:|---:|---:|---:|---:|---:|
| before | 1,000,000 | 00:46 | 4.3 | 119.5 | 8,368 | 27.8x | 716 | 358 |
| after* | 1,000,000 | 01:10 | 10.0 | 276.7 | 3,615 | 27.7x | 466 | 358 |
| before | 1,000,000 | 01:45 | 7.4 | 381.5 | 2,621 | 51.8x | 463 | 358 |
| after | 1,000,000 | 01:54 | 15.1 | 455.6 | 2,195 | 30.2x | 470 | 358 |
| before | 10,000,000 | 01:00 | 16.5 | 636.3 | 15,716 | 38.6x | 3,836 | 2,338 |
| after* | 10,000,000 | 01:31 | 24.4 | 520.5 | 19,211 | 21.3x | 730 | 2,336 |
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import generate_history
from bench.measure import floor_query

FAMILY = "dossier_records"


@dataclass
class LoadRun:
    records: int
    files: int
    loaded_rows: int
    loaded_files: int
    rejected_files: int
    floor_s: float
    register_s: float
    load_s: float
    wall_s: float  # registration + loading (admin units excluded)
    peak_rss_mb: float
    write_mb: float
    measured_at: str
    label: str = ""

    @property
    def records_per_s(self) -> float:
        return self.loaded_rows / self.wall_s if self.wall_s else 0.0

    @property
    def ratio(self) -> float:
        return self.wall_s / self.floor_s if self.floor_s else 0.0


def _write_bytes() -> int:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _load_child(inbox: str, warehouse: str, memory_limit: str, threads: int, queue) -> None:
    """In a fresh process: admin units, registration and loading of the inbox."""
    import duckdb

    from ingest.admin_units import load_admin_units
    from ingest.inbox import load_family, register_inbox
    from ingest.warehouse import ensure_schema

    wh = Path(warehouse)
    quarantine, spill = wh / "quarantine", wh / "spill"
    for d in (wh, quarantine, spill):
        d.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        str(wh / "warehouse.duckdb"),
        config={"memory_limit": memory_limit, "threads": threads, "temp_directory": str(spill)},
    )
    try:
        ensure_schema(con)
        load_admin_units(con)
        written = _write_bytes()
        started = time.perf_counter()
        register_inbox(con, Path(inbox), quarantine, "bench-records-load")
        registered = time.perf_counter()
        report = load_family(con, FAMILY, quarantine, "bench-records-load")
        done = time.perf_counter()
        con.execute("checkpoint")
        rows = con.execute("select count(*) from raw.dossier_records").fetchone()[0]
        rejected = [(o.file_name, o.message) for o in report.outcomes if o.status != "loaded"]
    finally:
        con.close()
    queue.put(
        {
            "register_s": registered - started,
            "load_s": done - registered,
            "wall_s": done - started,
            "loaded_rows": int(rows),
            "loaded_files": report.files_loaded,
            "rejected": rejected,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "write_mb": (_write_bytes() - written) / 1e6,
        }
    )


def _root(records: int, work: Path, max_units: int | None) -> Path:
    return work / (f"n{records}" if max_units is None else f"n{records}_u{max_units}")


def generated(
    records: int, work: Path, *, threads: int, memory_limit: str, max_units: int | None = None
) -> list[Path]:
    """The record files of N records (generated once, reused while complete)."""
    root = _root(records, work, max_units)
    inbox = root / "inbox"
    marker = root / "generated.json"
    if marker.exists():
        files = [Path(p) for p in json.loads(marker.read_text())["record_files"]]
        if files and all(p.exists() for p in files):
            return files
    shutil.rmtree(root, ignore_errors=True)
    gen = generate_history(inbox, records, threads=threads, memory_limit=memory_limit, max_units=max_units)
    # the staff, budget and survey files are not record exports: the inbox holds records only
    for other in gen.other_files:
        other.unlink()
    marker.write_text(json.dumps({"record_files": [str(p) for p in gen.record_files]}))
    return gen.record_files


def measure(
    records: int,
    work: Path,
    *,
    threads: int,
    memory_limit: str,
    label: str = "",
    max_units: int | None = None,
) -> LoadRun:
    files = generated(records, work, threads=threads, memory_limit=memory_limit, max_units=max_units)
    floor_s, _ = floor_query(files, threads=threads, memory_limit=memory_limit)
    warehouse = _root(records, work, max_units) / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(
        target=_load_child, args=(str(files[0].parent), str(warehouse), memory_limit, threads, queue)
    )
    child.start()
    out = queue.get()
    child.join()
    if child.exitcode:
        raise SystemExit(f"the load process exited with {child.exitcode}")
    if out["rejected"]:
        raise SystemExit(f"{len(out['rejected'])} file(s) not loaded, first: {out['rejected'][0]}")
    if out["loaded_rows"] != records:
        raise SystemExit(f"generated {records} records, loaded {out['loaded_rows']}")
    shutil.rmtree(warehouse, ignore_errors=True)
    return LoadRun(
        records=records,
        files=len(files),
        loaded_rows=out["loaded_rows"],
        loaded_files=out["loaded_files"],
        rejected_files=len(out["rejected"]),
        floor_s=floor_s,
        register_s=out["register_s"],
        load_s=out["load_s"],
        wall_s=out["wall_s"],
        peak_rss_mb=out["peak_rss_mb"],
        write_mb=out["write_mb"],
        measured_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        label=label,
    )


def render(runs: list[LoadRun]) -> str:
    lines = [
        f"Record exports loaded (`python -m bench.records_load`), {os.cpu_count()} logical cores,"
        f" Python {platform.python_version()}; wall = registration + loading in one process.",
        "",
        "| label | N records | files | measured | floor s | register s | load s | wall s |"
        " records/s | wall ÷ floor | peak RSS MB | written MB |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.label} | {r.records:,} | {r.files} | {r.measured_at} | {r.floor_s:.1f} |"
            f" {r.register_s:.1f} | {r.load_s:.1f} | {r.wall_s:.1f} | {r.records_per_s:,.0f} |"
            f" {r.ratio:.1f}× | {r.peak_rss_mb:,.0f} | {r.write_mb:,.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.records_load", description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, action="append", default=[])
    ap.add_argument("--work", type=Path, default=Path("/tmp/parwh-bench-load"))
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    ap.add_argument("--repeat", type=int, default=1, help="measurements per N")
    ap.add_argument("--max-units", type=int, default=None, help="only the first communes (smoke tests)")
    ap.add_argument("--label", default="", help="a label for this code's rows (e.g. before/after)")
    ap.add_argument("--memory-limit", default=os.environ.get("PARWH_DUCKDB_MEMORY_LIMIT", "4GB"))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("PARWH_DUCKDB_THREADS", "2")))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    runs: list[LoadRun] = []
    for records in args.records or [1_000_000]:
        for _ in range(max(args.repeat, 1)):
            run = measure(
                records,
                args.work,
                threads=args.threads,
                memory_limit=args.memory_limit,
                label=args.label,
                max_units=args.max_units,
            )
            runs.append(run)
            print(render([run]), flush=True)
    results = args.work / "results.json"
    previous = json.loads(results.read_text()) if results.exists() else []
    results.write_text(
        json.dumps(
            previous + [{**asdict(r), "records_per_s": r.records_per_s, "ratio": r.ratio} for r in runs],
            indent=2,
        )
    )
    table = render(runs)
    print(table)
    if args.out is not None:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
