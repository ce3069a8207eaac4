"""Kill tests: a night killed during ingest or during `dbt build`, then a plain `parwh run`.

Every night here is a real `parwh run` in a subprocess (Dagster, dbt, Great Expectations,
DuckDB). A reference warehouse publishes the inbox in one clean night; a second warehouse
gets the same files through nights that are killed:

a. the first night (no budget file yet) is killed during `dbt build` by killing the
   `parwh` process only: its dbt child must die with it;
b. a plain run recovers (it says so, marks the killed Dagster run failed) and publishes;
c. the budget file arrives; that night is killed (its whole process group) at a seeded
   random moment between the registration of the files and the end of their loading;
d. a plain run must not skip ("nothing new") but load what the killed night left, and
   publish exactly what the reference published, with the same open findings;
e. a forced run whose dbt dies fails, and leaves the findings history unchanged.

After each, no process of the warehouse is left and no Dagster run of it stays STARTED.
A file whose name holds a newline ("a\\nFAKE: all clear.csv") is in the inbox all along:
no line of the terminal output or of alerts.log starts with the forged text.
Each night takes one to two minutes on a slow machine: the nights are shared by the tests.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pytest

from publication.diff import differences
from tests.e2e.inbox_files import write_small_inbox
from tests.e2e.warehouse_io import query

REPO = Path(__file__).resolve().parents[2]
HOSTILE_NAME = "a\nFAKE: all clear.csv"
LOCK_FILE = "~$giai_ngan.xlsx"  # an Office lock file: listed as not read, never loaded
BUDGET_FILE = "giai_ngan_dong_thap_2023.csv"
RANDOM = random.Random(15)  # seeded: a failing kill point can be replayed
NIGHT_TIMEOUT = 900


def _inbox(folder: Path, *, with_budget: bool = True) -> Path:
    write_small_inbox(folder)
    (folder / HOSTILE_NAME).write_text("hello;world\n1;2\n", encoding="utf-8")
    (folder / LOCK_FILE).write_bytes(b"\x0cuser\x00" * 20)
    if not with_budget:
        (folder / BUDGET_FILE).unlink()
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARWH_") and k != "DAGSTER_HOME"}
    return {**env, "PARWH_DUCKDB_MEMORY_LIMIT": "2GB", "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}


@dataclass
class Night:
    process: subprocess.Popen
    output_path: Path

    @property
    def output(self) -> str:
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def wait(self) -> int:
        return self.process.wait(timeout=NIGHT_TIMEOUT)


def _start(warehouse: Path, inbox: Path, *extra: str) -> Night:
    out = warehouse.parent / f"{warehouse.name}-{time.monotonic_ns()}.out"
    with out.open("w") as handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "run",
                "--inbox",
                str(inbox),
                "--warehouse",
                str(warehouse),
                *extra,
            ],
            cwd=REPO,
            env=_env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole when asked
        )
    return Night(process, out)


def _night(warehouse: Path, inbox: Path, *extra: str) -> tuple[int, str]:
    night = _start(warehouse, inbox, *extra)
    return night.wait(), night.output


def _wait_for(condition: Callable[[], object], what: str, timeout: float = 600) -> object:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return found


def _read(path: Path, name: str) -> bytes:
    try:
        return (path / name).read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def processes_of(warehouse: Path) -> list[tuple[int, str]]:
    """Running processes whose command line or environment names ``warehouse``."""
    found = []
    needle = str(warehouse).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid() or not _alive(int(entry.name)):
            continue
        cmdline, environ = _read(entry, "cmdline"), _read(entry, "environ")
        if needle in cmdline or needle in environ:
            found.append((int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def _dbt_build_of(warehouse: Path) -> int | None:
    for pid, cmdline in processes_of(warehouse):
        if "build" in cmdline and ("parwh-dbt" in cmdline or "/dbt " in cmdline):
            return pid
    return None


def _instance(warehouse: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(warehouse / "dagster"))


def _started_run(warehouse: Path) -> str | None:
    """The run id of the night in progress (night_started.json), once written."""
    try:
        return json.loads((warehouse / "night_started.json").read_text(encoding="utf-8"))["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def _step_started(warehouse: Path, run_id: str, step_key: str) -> bool:
    """Whether the run has started ``step_key`` (read from its Dagster event log)."""
    try:
        records = (
            _instance(warehouse)
            .get_records_for_run(run_id=run_id, of_type=dg.DagsterEventType.STEP_START)
            .records
        )
    except Exception:  # the run is not registered yet
        return False
    return any(r.event_log_entry.dagster_event.step_key == step_key for r in records)


def _runs_in_progress(warehouse: Path) -> list[str]:
    runs = _instance(warehouse).get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    )
    return [run.run_id for run in runs]


def _history(warehouse: Path) -> list[tuple]:
    database = warehouse / "warehouse.duckdb"
    return query(database, "select * from audit.finding_status order by fingerprint") + query(
        database, "select * from audit.finding_history_runs order by run_id"
    )


def _open_findings(warehouse: Path) -> dict[str, str]:
    """fingerprint -> rule of the findings open in the history."""
    return dict(
        query(
            warehouse / "warehouse.duckdb",
            "select fingerprint, rule from audit.finding_status where resolved_at is null",
        )
    )


def _run_findings(latest: Path) -> list[tuple]:
    """The findings of the run that published ``latest``, without the file rejections
    (reported once, by the night that registered the file: see the history for those)."""
    return sorted(
        query(
            latest,
            "select rule, severity, unit_code, period_label, source_file, source_row, message"
            " from marts.data_quality_findings where rule <> 'file_rejected'"
            " and run_id = (select run_id from meta.publication)",
        ),
        key=repr,
    )


def _assert_nothing_left(warehouse: Path) -> None:
    assert processes_of(warehouse) == []
    assert _runs_in_progress(warehouse) == []


def _assert_no_forged_line(text: str) -> None:
    assert not any(line.lstrip().startswith("FAKE") for line in text.splitlines())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Warehouse A: the inbox published in one clean night."""
    root = tmp_path_factory.mktemp("reference")
    code, output = _night(root / "A", _inbox(root / "inbox"))
    assert code == 0, output
    assert "a\\nFAKE: all clear.csv" in output
    assert "1 tệp ẩn hoặc tệp khóa của Office không đọc / hidden or Office lock file(s) not read" in output
    assert f"not read {LOCK_FILE}" in output
    _assert_no_forged_line(output)
    return root / "A"


def _ingest_window(reference: Path) -> float:
    """Seconds from the start of the first load to the end of the last, in the reference
    night: the kill point is drawn within it."""
    instance = _instance(reference)
    (run,) = instance.get_runs()
    stats = {s.step_key: s for s in instance.get_run_step_stats(run.run_id)}
    loads = [s.end_time for key, s in stats.items() if key.startswith("load_")]
    return max(loads) - min(s.start_time for key, s in stats.items() if key.startswith("load_"))


@dataclass
class Recovery:
    warehouse: Path
    inbox: Path
    outputs: dict[str, str] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module")
def recovered(tmp_path_factory: pytest.TempPathFactory, reference: Path) -> Recovery:
    """Warehouse B through nights a to d (module docstring)."""
    root = tmp_path_factory.mktemp("killed")
    state = Recovery(root / "B", _inbox(root / "inbox", with_budget=False))
    warehouse = state.warehouse

    # a. killed during dbt build: the parent only (SIGKILL), not its process group
    night = _start(warehouse, state.inbox)
    dbt_pid = _wait_for(lambda: _dbt_build_of(warehouse), "dbt build to start")
    time.sleep(RANDOM.uniform(0, 8))
    assert night.process.poll() is None, night.output
    os.kill(night.process.pid, signal.SIGKILL)
    night.process.wait()
    started = time.monotonic()
    while _alive(dbt_pid) and time.monotonic() - started < 15:
        time.sleep(0.1)
    state.notes["dbt_outlived_parent"] = _alive(dbt_pid)
    state.notes["killed_in_dbt"] = [run.run_id for run in _instance(warehouse).get_runs()]
    state.notes["started_record_after_dbt_kill"] = (warehouse / "night_started.json").exists()
    for pid, _ in processes_of(warehouse):  # never leave a process behind, whatever happens
        os.kill(pid, signal.SIGKILL)

    # b. a plain run recovers
    state.codes["b"], state.outputs["b"] = _night(warehouse, state.inbox)
    state.notes["open_after_b"] = query(
        warehouse / "warehouse.duckdb",
        "select fingerprint, first_seen_run from audit.finding_status where resolved_at is null",
    )
    state.notes["nothing_left_after_b"] = (processes_of(warehouse), _runs_in_progress(warehouse))

    # c. the budget file arrives; the night is killed (process group) during ingest
    shutil.copy2(reference.parent / "inbox" / BUDGET_FILE, state.inbox / BUDGET_FILE)
    delay = RANDOM.uniform(0, _ingest_window(reference))
    assert not (warehouse / "night_started.json").exists()
    night = _start(warehouse, state.inbox)
    run_id = _wait_for(lambda: _started_run(warehouse), "the night to start")
    # after the registration: every inbox file is known, as when the old nights skipped
    _wait_for(lambda: _step_started(warehouse, run_id, "load_budget"), "the loading to start")
    time.sleep(delay)
    os.killpg(night.process.pid, signal.SIGKILL)
    night.process.wait()
    state.outputs["c"] = night.output
    instance = _instance(warehouse)
    killed_run = instance.get_run_by_id(run_id)
    steps = {
        r.event_log_entry.dagster_event.step_key
        for r in instance.get_records_for_run(
            run_id=killed_run.run_id, of_type=dg.DagsterEventType.STEP_START
        ).records
    }
    state.notes["killed_in_ingest"] = (killed_run.run_id, killed_run.status, steps, delay)
    state.notes["manifest_after_kill"] = query(
        warehouse / "warehouse.duckdb", "select file_name, status from raw.file_manifest order by file_name"
    )

    # d. a plain run: no skip, everything the killed night left is loaded and published
    state.codes["d"], state.outputs["d"] = _night(warehouse, state.inbox)
    return state


def test_a_night_killed_during_dbt_leaves_no_dbt_behind_and_the_next_night_recovers(
    recovered: Recovery,
) -> None:
    assert recovered.notes["dbt_outlived_parent"] is False  # died with its parent
    assert recovered.notes["started_record_after_dbt_kill"] is True
    (killed_run,) = recovered.notes["killed_in_dbt"]
    output = recovered.outputs["b"]
    assert recovered.codes["b"] == 0, output
    assert "did not finish: running again" in output and killed_run[:8] in output
    assert f"Dagster run {killed_run[:8]} was left in progress by a night that died: marked failed" in output
    assert "Tonight: whole pipeline (the night of" in output
    status = _instance(recovered.warehouse).get_run_by_id(killed_run).status
    assert status == dg.DagsterRunStatus.FAILURE
    assert recovered.notes["nothing_left_after_b"] == ([], [])
    alerts = (recovered.warehouse / "alerts.log").read_text(encoding="utf-8")
    assert "after a night that did not finish" in alerts and "did not finish: running again" in alerts


def test_a_night_killed_during_ingest_is_followed_by_a_night_that_publishes_the_clean_result(
    recovered: Recovery, reference: Path
) -> None:
    run_id, status, steps, delay = recovered.notes["killed_in_ingest"]
    assert status == dg.DagsterRunStatus.STARTED  # as the killed process left it
    assert "load_budget" in steps and "warehouse_dbt_models" not in steps, (steps, delay)
    # the killed night registered the budget file: no inbox file is new tonight, the
    # situation in which nights used to skip
    manifest_then = dict(recovered.notes["manifest_after_kill"])
    assert BUDGET_FILE in manifest_then, manifest_then
    print(f"killed {delay:.2f} s into the loading; manifest then: {manifest_then}")
    output = recovered.outputs["d"]
    assert recovered.codes["d"] == 0, output
    assert "Nothing new" not in output and "Skipped" not in output
    assert "did not finish: running again" in output
    assert f"Dagster run {run_id[:8]} was left in progress" in output
    manifest = query(
        recovered.warehouse / "warehouse.duckdb", "select file_name, status from raw.file_manifest"
    )
    assert ("giai_ngan_dong_thap_2023.csv", "loaded") in manifest
    assert not [row for row in manifest if row[1] == "pending"]

    # the published marts equal the reference's (run ids and times aside)
    latest = recovered.warehouse / "published" / "latest.duckdb"
    expected = reference / "published" / "latest.duckdb"
    problems = [p for p in differences(expected, latest) if not p.startswith("data_quality_findings:")]
    assert problems == []
    assert _run_findings(latest) == _run_findings(expected)
    # the same findings open; those open since night b kept their first-seen run
    assert _open_findings(recovered.warehouse) == _open_findings(reference)
    still_open = dict(
        query(
            recovered.warehouse / "warehouse.duckdb",
            "select fingerprint, first_seen_run from audit.finding_status where resolved_at is null",
        )
    )
    kept = [(fp, run) for fp, run in recovered.notes["open_after_b"] if fp in still_open]
    assert kept and all(still_open[fp] == run for fp, run in kept)
    assert "file_rejected" in _open_findings(recovered.warehouse).values()  # the hostile name
    _assert_nothing_left(recovered.warehouse)


def test_submitter_file_names_forge_no_line(recovered: Recovery) -> None:
    for name in ("b", "d"):
        _assert_no_forged_line(recovered.outputs[name])
    alerts = (recovered.warehouse / "alerts.log").read_text(encoding="utf-8")
    _assert_no_forged_line(alerts)
    assert "a\\nFAKE: all clear.csv" in alerts


def test_a_failed_run_leaves_the_finding_history_unchanged(recovered: Recovery) -> None:
    warehouse = recovered.warehouse
    before = _history(warehouse)
    open_before = len(_open_findings(warehouse))
    night = _start(warehouse, recovered.inbox, "--force")
    dbt_pid = _wait_for(lambda: _dbt_build_of(warehouse), "dbt build to start")
    os.kill(dbt_pid, signal.SIGKILL)  # dbt dies: the run fails after the raw checks ran
    code = night.wait()
    output = night.output
    assert code == 1, output
    assert "The run failed" in output
    assert "the findings history is unchanged" in output
    assert _history(warehouse) == before
    alert = (warehouse / "alerts.log").read_text(encoding="utf-8").split("\n\n")[-2]
    assert "Lỗi khi chạy / Run failed" in alert
    assert "Findings still open as of the last checked run (run " in alert
    assert alert.count("still open (open since") == min(open_before, 10)
    assert "Resolved (" not in alert and "resolved since the last run" not in alert
    assert not (warehouse / "night_started.json").exists()  # it failed; it did not die
    _assert_nothing_left(warehouse)
