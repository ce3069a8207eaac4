"""Measurements: the real nightly job as a subprocess, the DuckDB floor and pandas."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

STAGES = ("ingest", "dbt build", "checks", "publish", "reports")
MONTH_AGGREGATE_COLUMNS = ("received", "received_online", "received_postal", "resolved", "resolved_late")


def stage_of(step_key: str) -> str:
    if step_key == "warehouse_dbt_models" or "dbt" in step_key:
        return "dbt build"
    if "check" in step_key:
        return "checks"
    if step_key == "published_rankings":
        return "publish"
    if step_key.startswith("published_") or "report" in step_key:
        return "reports"
    return "ingest"  # admin_units, raw__file_manifest, load_*


@dataclass
class PipelineRun:
    label: str
    wall_s: float
    exit_code: int
    peak_rss_tree_mb: float  # sum of RSS over the process tree, sampled every 0.2 s
    peak_rss_time_mb: float  # /usr/bin/time -v: largest single process (0 when unavailable)
    run_id: str | None = None
    run_s: float | None = None  # Dagster run start → end
    stages: dict[str, float] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    failed_steps: list[str] = field(default_factory=list)
    dbt_elapsed_s: float | None = None  # dbt's own elapsed time (run_results.json)
    dbt_slowest: list[tuple[str, float]] = field(default_factory=list)
    skipped: bool = False  # `parwh run` found nothing new: no Dagster run was started
    scope: str | None = None  # what the run covered (run tag parwh/scope)
    # bytes the process tree wrote to disk (/usr/bin/time -v "File system outputs", 512-byte
    # blocks, children included): what a night costs the disk, whatever the engine
    written_mb: float = 0.0

    @property
    def peak_mb(self) -> float:
        return max(self.peak_rss_tree_mb, self.peak_rss_time_mb)


def _tree_rss_kb(root: int) -> int:
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def parwh_executable() -> list[str]:
    candidate = Path(sys.executable).parent / "parwh"
    if candidate.exists():
        return [str(candidate)]
    return [sys.executable, "-c", "from cli.main import app; app()"]


def run_pipeline(
    label: str,
    inbox: Path,
    warehouse: Path,
    *,
    memory_limit: str,
    threads: int,
    log_dir: Path,
    extra_args: tuple[str, ...] = (),
) -> PipelineRun:
    """One `parwh run` process; peak memory of its process tree and per-stage timings."""
    env = dict(os.environ)
    env.update(
        PARWH_DUCKDB_MEMORY_LIMIT=memory_limit,
        PARWH_DUCKDB_THREADS=str(threads),
        PARWH_WAREHOUSE=str(warehouse),
        PARWH_INBOX=str(inbox),
    )
    log_dir.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    time_file = log_dir / f"{slug}.time.txt"
    cmd = [*parwh_executable(), "run", "--inbox", str(inbox), "--warehouse", str(warehouse), *extra_args]
    runs_before = _dagster_run_count(warehouse)
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-v", "-o", str(time_file), *cmd]
    peak = [0]
    with (log_dir / f"{slug}.out.txt").open("w") as out:
        epoch_start = time.time()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - started
        sampler.join()
    time_mb = written_mb = 0.0
    if time_file.exists():
        said = time_file.read_text()
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", said)
        time_mb = int(found.group(1)) / 1024 if found else 0.0
        outputs = re.search(r"File system outputs: (\d+)", said)
        written_mb = int(outputs.group(1)) * 512 / 1024 / 1024 if outputs else 0.0
    result = PipelineRun(label, wall, code, peak[0] / 1024, time_mb, written_mb=written_mb)
    if _dagster_run_count(warehouse) == runs_before:
        result.skipped = True  # the fast path: nothing new, no Dagster run, no dbt
        return result
    _read_dagster(result, warehouse)
    _read_dbt_timings(result, epoch_start, time.time(), warehouse / "dbt" / "target")
    return result


def _dagster_run_count(warehouse: Path) -> int:
    if not (warehouse / "dagster").exists():
        return 0
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(warehouse / "dagster"))
    try:
        return len(instance.get_run_records())
    finally:
        instance.dispose()


DBT_TARGET = Path(__file__).resolve().parent.parent / "dbt_project" / "target"


def _read_dbt_timings(
    result: PipelineRun, start: float, end: float, target: Path = DBT_TARGET, top: int = 6
) -> None:
    """dbt's per-node timings from the run_results.json of this run's `dbt build`: dagster-dbt
    writes it under ``<warehouse>/dbt/target/warehouse_dbt_models-<run id[:7]>-<hash>/``
    (``dbt_project/target`` before; the run id decides, not the time)."""
    import json

    folder = target if target.is_dir() else DBT_TARGET

    found: list[Path] = []
    if result.run_id:
        found = list(folder.glob(f"warehouse_dbt_models-{result.run_id[:7]}-*/run_results.json"))
    if not found:  # fallback: the time window of the run
        found = [
            p
            for p in folder.glob("warehouse_dbt_models-*/run_results.json")
            if start <= p.stat().st_mtime <= end + 1
        ]
    if not found:
        return
    data = json.loads(max(found, key=lambda p: p.stat().st_mtime).read_text())
    result.dbt_elapsed_s = float(data.get("elapsed_time") or 0.0)
    nodes = sorted(data.get("results", []), key=lambda r: -float(r.get("execution_time") or 0))
    result.dbt_slowest = [
        (str(r["unique_id"]).split(".", 1)[0] + ":" + str(r["unique_id"]).split(".")[-1]
         if not str(r["unique_id"]).startswith(("test.", "unit_test."))
         else str(r["unique_id"]).split(".", 2)[-1][:70],
         round(float(r.get("execution_time") or 0), 2))
        for r in nodes[:top]
    ]  # fmt: skip


def _read_dagster(result: PipelineRun, warehouse: Path) -> None:
    """Per-step durations of the latest run from the persistent Dagster instance."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(warehouse / "dagster"))
    try:
        runs = instance.get_runs(limit=1)
        if not runs:
            return
        run_id = runs[0].run_id
        result.run_id = run_id
        result.scope = runs[0].tags.get("parwh/scope")
        stats = instance.get_run_stats(run_id)
        if stats.start_time and stats.end_time:
            result.run_s = stats.end_time - stats.start_time
        starts: dict[str, float] = {}
        for kind in (
            dg.DagsterEventType.STEP_START,
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        ):
            for rec in instance.get_records_for_run(run_id=run_id, of_type=kind, limit=10_000).records:
                entry = rec.event_log_entry
                key = entry.step_key or "?"
                if kind == dg.DagsterEventType.STEP_START:
                    starts[key] = entry.timestamp
                else:
                    result.steps[key] = entry.timestamp - starts.get(key, entry.timestamp)
                    if kind == dg.DagsterEventType.STEP_FAILURE:
                        result.failed_steps.append(key)
        for key, seconds in result.steps.items():
            stage = stage_of(key)
            result.stages[stage] = result.stages.get(stage, 0.0) + seconds
    finally:
        instance.dispose()


def pipeline_month_totals(warehouse: Path) -> pd.DataFrame:
    """Unit-month aggregates of record-level exports as the pipeline published them."""
    cols = ", ".join(f"sum({c}) as {c}" for c in MONTH_AGGREGATE_COLUMNS)
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            f"select unit_code, period_start as month, {cols} from marts.fct_dossier_stats"
            " where source_kind = 'records' and period_kind = 'month'"
            " group by all order by all"
        ).df()


# --- the floor: one DuckDB query over the same files ---------------------------------------

_FLOOR_SELECT = """
    select "Mã đơn vị" as unit_code,
        cast(date_trunc('month', cast("Ngày tiếp nhận" as timestamp)) as date) as month,
        count(*) as received,
        count(*) filter (where "Kênh tiếp nhận" = 'trực tuyến') as received_online,
        count(*) filter (where "Kênh tiếp nhận" = 'bưu chính') as received_postal,
        count("Ngày hoàn thành") as resolved,
        count(*) filter (where cast("Ngày hoàn thành" as timestamp)::date
                               > cast("Ngày hẹn trả" as timestamp)::date) as resolved_late
    from ({source}) group by all
"""


def floor_query(files: list[Path], *, threads: int, memory_limit: str) -> tuple[float, pd.DataFrame]:
    """Seconds and result of the floor: read every record file, unit × month of receipt."""
    parquet = [str(f) for f in files if f.name.endswith(".parquet")]
    csvs = [str(f) for f in files if not f.name.endswith(".parquet")]
    parts = []
    if parquet:
        parts.append("select * from read_parquet($parquet, union_by_name = true)")
    if csvs:
        # same header in every file; union_by_name on ~200 csv.gz files runs out of memory
        # (DuckDB 2.0, 4 GB limit), so the files are read as one relation
        parts.append("select * from read_csv($csv, all_varchar = true)")
    source = " union all by name ".join(parts)
    params = {k: v for k, v in (("parquet", parquet), ("csv", csvs)) if v}
    with duckdb.connect() as con:
        con.execute(f"set threads = {int(threads)}")
        con.execute("set memory_limit = ?", [memory_limit])
        started = time.perf_counter()
        df = con.execute(f"select * from ({_FLOOR_SELECT.format(source=source)}) order by all", params).df()
        return time.perf_counter() - started, df


# --- pandas: the same aggregation ------------------------------------------------------------


@dataclass
class PandasRun:
    backend: str
    records: int
    seconds: float
    sampled: bool
    peak_rss_mb: float
    error: str | None = None

    def scaled_seconds(self, total_records: int) -> float:
        return self.seconds * total_records / self.records if self.records else float("nan")


_PANDAS_SCRIPT = r"""
import json, resource, sys, time
import pandas as pd
backend, files = sys.argv[1], json.loads(sys.argv[2])
kw = {} if backend == "numpy" else {"dtype_backend": "pyarrow"}
t = time.perf_counter()
frames = []
for f in files:
    if f.endswith(".parquet"):
        d = pd.read_parquet(f, **kw)
    else:
        d = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""], **kw)
    for c in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hoàn thành"):
        d[c] = pd.to_datetime(d[c])
    frames.append(d)
df = pd.concat(frames, ignore_index=True)
df["month"] = df["Ngày tiếp nhận"].dt.to_period("M").dt.start_time.dt.date
ch = df["Kênh tiếp nhận"]
df["online"] = ch == "trực tuyến"
df["postal"] = ch == "bưu chính"
df["resolved"] = df["Ngày hoàn thành"].notna()
df["late"] = df["Ngày hoàn thành"].dt.normalize() > df["Ngày hẹn trả"].dt.normalize()
out = df.groupby(["Mã đơn vị", "month"]).agg(
    received=("Mã hồ sơ", "size"), received_online=("online", "sum"),
    received_postal=("postal", "sum"), resolved=("resolved", "sum"),
    resolved_late=("late", "sum"))
secs = time.perf_counter() - t
print(json.dumps({"seconds": secs, "records": int(len(df)), "received": int(out["received"].sum()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def pandas_aggregate(files: list[Path], backend: str, max_records: int, records_per_file: float) -> PandasRun:
    """pandas in a subprocess (its own peak memory); on the first files holding at most
    ``max_records`` records when the whole set would not fit (then ``sampled``)."""
    import json

    keep = max(1, int(max_records // max(records_per_file, 1)))
    chosen = files if keep >= len(files) else files[:keep]
    proc = subprocess.run(
        [sys.executable, "-c", _PANDAS_SCRIPT, backend, json.dumps([str(f) for f in chosen])],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return PandasRun(backend, 0, float("nan"), False, 0.0, proc.stderr.strip().splitlines()[-1][:200])
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return PandasRun(backend, data["records"], data["seconds"], len(chosen) < len(files), data["peak_mb"])
