"""What decides that a night has nothing new (no Dagster here: it runs before Dagster loads)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from engines.dbt import child_wrapper, dbt_executable, installed_dbt
from engines.run_children import CHILDREN_DIR, kill_leftover_children
from ingest.inbox import InboxHashes, register_inbox, sha256_file
from ingest.warehouse import ensure_schema
from night.scope import night_scope, plan_night
from night.state import (
    CODE_FOLDERS,
    REPO_ROOT,
    changed_families,
    clear_night_start,
    code_fingerprint,
    loaded_after,
    new_inbox_files,
    night_started_path,
    nothing_new,
    pending_files,
    read_last_night,
    reasons_to_run,
    record_night_start,
    record_published_night,
    shared_warehouse_reads,
    unfinished_night,
)
from orchestration.instance import LAUNCHED_BY_TAG, PID_TAG, fail_abandoned_runs, open_instance
from settings import Settings


def _register(settings: Settings) -> None:
    con = duckdb.connect(str(settings.database_path))
    try:
        ensure_schema(con)
        register_inbox(con, settings.inbox_dir, settings.quarantine_dir, "r1")
    finally:
        con.close()


BUDGET = "Mã đơn vị;Năm ngân sách;Kế hoạch vốn giao;Đã giải ngân\n866;2023;100;50\n"


def _mark_loaded(settings: Settings) -> None:
    con = duckdb.connect(str(settings.database_path))
    try:
        con.execute("update raw.file_manifest set status = 'loaded' where status = 'pending'")
    finally:
        con.close()


@pytest.fixture
def registered(warehouse_settings: Settings) -> Settings:
    inbox = warehouse_settings.inbox_dir
    inbox.mkdir(parents=True)
    (inbox / "a.csv").write_text("Mã đơn vị;Biên chế được giao\n866;10\n", encoding="utf-8")
    warehouse_settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    _register(warehouse_settings)
    _mark_loaded(warehouse_settings)  # the night that registered it loaded it
    warehouse_settings.published_dir.mkdir(parents=True)
    warehouse_settings.latest_path.write_bytes(b"published")
    record_published_night(warehouse_settings, "run-1", code_fingerprint())
    return warehouse_settings


def test_nothing_new_after_a_published_night(registered: Settings) -> None:
    last = nothing_new(registered)
    assert last is not None and last.run_id == "run-1"
    assert read_last_night(registered) == last


def test_a_changed_file_under_the_same_name_is_new(registered: Settings) -> None:
    path = registered.inbox_dir / "a.csv"
    stat = path.stat()
    # same size and modification time as before: only the content (and ctime) differ
    path.write_text("Mã đơn vị;Biên chế được giao\n866;11\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert new_inbox_files(registered) == ["a.csv"]
    assert nothing_new(registered) is None
    cached = InboxHashes(registered.inbox_hash_cache)
    assert cached.sha256(path, "a.csv") == sha256_file(path)


def test_a_new_file_or_a_copy_under_another_name_is_new(registered: Settings) -> None:
    (registered.inbox_dir / "sub").mkdir()
    (registered.inbox_dir / "sub" / "a_copy.csv").write_bytes((registered.inbox_dir / "a.csv").read_bytes())
    assert new_inbox_files(registered) == ["sub/a_copy.csv"]


def test_a_setting_that_changes_results_changes_the_fingerprint(
    registered: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARWH_SUBMISSION_DEADLINE_DAYS", "15")
    assert nothing_new(registered) is None


def test_no_published_file_or_no_record_means_run(registered: Settings) -> None:
    registered.last_night_path.unlink()
    assert nothing_new(registered) is None
    record_published_night(registered, "run-2", code_fingerprint())
    registered.latest_path.unlink()
    assert nothing_new(registered) is None


def _published_through_now(settings: Settings) -> None:
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        (through,) = con.execute("select max(loaded_at) from raw.file_manifest").fetchone()
    finally:
        con.close()
    record_published_night(settings, "run-1", code_fingerprint(), through)


def test_changed_families_are_those_of_new_files_and_of_files_not_yet_published(
    registered: Settings,
) -> None:
    # published without the manifest's high-water mark (an older night): cannot tell
    assert changed_families(registered, read_last_night(registered)) is None
    assert night_scope(registered).is_whole

    _published_through_now(registered)
    assert changed_families(registered, read_last_night(registered)) == set()
    # a new budget file (recognised by its header), and a file nobody can read
    (registered.inbox_dir / "b.csv").write_text(
        "Mã đơn vị;Năm ngân sách;Kế hoạch vốn giao;Đã giải ngân\n866;2023;100;50\n", encoding="utf-8"
    )
    (registered.inbox_dir / "notes.csv").write_text("hello;world\n1;2\n", encoding="utf-8")
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    scope = night_scope(registered)
    assert scope.families == {"budget"} and "only what depends on budget" in scope.describe()

    # registered by a night that did not publish: still counts until a night publishes it
    _register(registered)
    (registered.inbox_dir / "b.csv").unlink()
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    _mark_loaded(registered)
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    _published_through_now(registered)
    assert changed_families(registered, read_last_night(registered)) == set()


def test_whole_pipeline_when_asked_or_when_the_code_changed(
    registered: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_through_now(registered)
    assert not night_scope(registered).is_whole
    assert night_scope(registered, whole=True).is_whole
    monkeypatch.setenv("PARWH_SUBMISSION_DEADLINE_DAYS", "15")
    scope = night_scope(registered)
    assert scope.is_whole and "changed" in scope.reason


def test_the_schedule_requests_only_what_the_new_files_feed(registered: Settings, dbt_manifest) -> None:
    from orchestration.definitions import build_definitions

    _published_through_now(registered)
    (registered.inbox_dir / "b.csv").write_text(
        "Mã đơn vị;Năm ngân sách;Kế hoạch vốn giao;Đã giải ngân\n866;2023;100;50\n", encoding="utf-8"
    )
    defs = build_definitions(registered)
    schedule = defs.resolve_schedule_def("nightly_at_1am")
    context = dg.build_schedule_context(repository_def=defs.get_repository_def())
    request = schedule.evaluate_tick(context).run_requests[0]
    selected = {key.to_user_string() for key in request.asset_selection}
    assert {"raw/budget", "marts/fct_budget_disbursement", "marts/rankings", "published_rankings"} <= selected
    assert not selected & {"raw/staff", "marts/fct_staffing", "raw/admin_units"}
    checks = {key.asset_key.to_user_string() for key in request.asset_check_keys}
    assert "marts/fct_staffing" in checks  # every Great Expectations suite still runs
    assert request.tags["parwh/scope"].startswith("only what depends on budget")


# --- recovery: a night that died or failed is never followed by a skipped night ---


def test_a_night_that_died_is_not_followed_by_a_skip(registered: Settings) -> None:
    _published_through_now(registered)
    assert nothing_new(registered) is not None
    record_night_start(registered, "0123456789abcdef")  # then the process was killed
    died = unfinished_night(registered)
    assert died is not None and died.run_id == "0123456789abcdef" and died.pid == os.getpid()
    assert nothing_new(registered) is None
    reasons = reasons_to_run(registered)
    assert len(reasons) == 1
    assert reasons[0].startswith(
        f"the night of {died.started_at} (run 01234567) did not finish: running again"
    )
    scope = night_scope(registered)
    assert scope.is_whole and "did not finish" in scope.describe()
    # a night that ended (in any way) or published removes the record
    clear_night_start(registered)
    assert unfinished_night(registered) is None and nothing_new(registered) is not None
    record_night_start(registered, "r2")
    _published_through_now(registered)
    assert unfinished_night(registered) is None


def test_a_record_cut_short_counts_as_a_night_that_died(registered: Settings) -> None:
    night_started_path(registered).write_text('{"run_id": "ab', encoding="utf-8")
    died = unfinished_night(registered)
    assert died is not None and died.run_id == "unknown"
    assert nothing_new(registered) is None


def test_files_left_pending_are_loaded_by_the_next_night(registered: Settings) -> None:
    # a night registered b.csv and died while loading it; the record of the published
    # night says "through now" (a clock set back, or a record from before the death)
    (registered.inbox_dir / "b.csv").write_text(BUDGET, encoding="utf-8")
    _register(registered)
    _published_through_now(registered)
    assert new_inbox_files(registered) == []  # what the skip used to look at
    assert pending_files(registered) == ["b.csv"]
    assert nothing_new(registered) is None
    assert any("1 file(s) registered but never loaded (b.csv)" in r for r in reasons_to_run(registered))
    # pending whatever its registration time: its family is in tonight's part
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    _mark_loaded(registered)
    assert pending_files(registered) == []
    assert nothing_new(registered) is not None


def test_planning_shares_one_read_only_connection_and_closes_it(
    registered: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    (registered.inbox_dir / "b.csv").write_text(BUDGET, encoding="utf-8")
    _register(registered)
    _published_through_now(registered)
    opened: list[str] = []
    connect = duckdb.connect

    def counted(database: str, *args, **kwargs):
        opened.append(database)
        return connect(database, *args, **kwargs)

    monkeypatch.setattr("night.state.duckdb.connect", counted)
    with shared_warehouse_reads():
        assert pending_files(registered) == ["b.csv"]
        assert nothing_new(registered) is None
        assert changed_families(registered, read_last_night(registered)) == {"budget"}
    assert opened == [str(registered.database_path)]
    # closed with the block: the night's own (read-write) connection opens in this process
    duckdb.connect(str(registered.database_path)).close()
    # planning itself shares one connection, and the same plan comes out of it
    opened.clear()
    plan = plan_night(registered)
    assert plan.scope is not None and plan.scope.families == {"budget"}
    assert opened == [str(registered.database_path)]
    duckdb.connect(str(registered.database_path)).close()
    # outside a block, each question opens its own connection, as before
    opened.clear()
    assert pending_files(registered) == ["b.csv"]
    assert pending_files(registered) == ["b.csv"]
    assert len(opened) == 2


def test_files_loaded_after_the_published_night_are_published(registered: Settings) -> None:
    (registered.inbox_dir / "b.csv").write_text(BUDGET, encoding="utf-8")
    _register(registered)
    _mark_loaded(registered)  # then the night failed in dbt, or died before publishing
    con = duckdb.connect(str(registered.database_path))
    con.execute("update raw.file_manifest set loaded_at = timestamp '2026-01-02 00:00'")
    con.close()
    record_published_night(registered, "run-1", code_fingerprint(), datetime(2026, 1, 1))
    assert nothing_new(registered) is None
    assert loaded_after(registered, "2026-01-01T00:00:00") == ["b.csv"]
    assert any("loaded after the last published night (b.csv)" in r for r in reasons_to_run(registered))
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    record_published_night(registered, "run-2", code_fingerprint(), datetime(2026, 1, 2))
    assert reasons_to_run(registered) == [] and nothing_new(registered) is not None


def test_a_withdrawal_after_the_published_night_is_a_reason_to_run(registered: Settings) -> None:
    """`parwh withdraw` after the last publication: the published file still counts the
    withdrawn rows, so the next night runs (its family only) and says why; the night
    after it has nothing new again, even with the withdrawn file back in the inbox."""
    from submissions.withdrawal import withdraw

    (registered.inbox_dir / "b.csv").write_text(BUDGET, encoding="utf-8")
    _register(registered)
    _mark_loaded(registered)
    _published_through_now(registered)
    assert nothing_new(registered) is not None
    done = withdraw(registered, "b.csv", "sai đơn vị", user="tester")
    assert done.moved_to == registered.warehouse_dir / "withdrawn" / "b.csv"
    assert nothing_new(registered) is None
    (reason,) = reasons_to_run(registered)
    assert reason.startswith("Rút hồ sơ / Withdrawn: b.csv — 1 submission(s) withdrawn after")
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    assert night_scope(registered).families == {"budget"}

    time.sleep(1.1)  # last_night.json keeps whole seconds: a withdrawal in that second counts
    _published_through_now(registered)  # tonight published without it
    assert reasons_to_run(registered) == [] and nothing_new(registered) is not None
    shutil.copy(done.moved_to, registered.inbox_dir / "b.csv")  # put back by mistake
    assert new_inbox_files(registered) == [] and nothing_new(registered) is not None


def test_file_names_in_the_reasons_are_escaped(registered: Settings) -> None:
    con = duckdb.connect(str(registered.database_path))
    con.execute("update raw.file_manifest set file_name = 'a\nFAKE: all clear.csv', status = 'pending'")
    con.close()
    (reason,) = reasons_to_run(registered)
    assert "\n" not in reason and "a\\nFAKE: all clear.csv" in reason


def _sleeper(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(["sleep", "60"], env={**os.environ, **env})


def test_leftover_children_of_this_warehouse_are_ended(tmp_path) -> None:
    warehouse = tmp_path / "w"
    children = warehouse / CHILDREN_DIR
    children.mkdir(parents=True)
    ours = _sleeper({"PARWH_WAREHOUSE": str(warehouse)})
    other = _sleeper({"PARWH_WAREHOUSE": str(tmp_path / "other")})  # a recorded id reused
    try:
        for process in (ours, other):
            (children / str(process.pid)).touch()
        (children / "999999999").touch()  # long gone
        assert kill_leftover_children(warehouse) == [ours.pid]
        assert ours.wait(timeout=10) == -signal.SIGKILL
        assert other.poll() is None
        assert list(children.iterdir()) == []
    finally:
        for process in (ours, other):
            process.kill()
            process.wait()


def test_dbt_runs_behind_the_wrapper() -> None:
    wrapper = dbt_executable()
    assert wrapper != installed_dbt() and os.access(wrapper, os.X_OK)
    assert installed_dbt() in Path(wrapper).read_text(encoding="utf-8")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init is dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_child_started_through_the_wrapper_dies_with_its_parent(tmp_path) -> None:
    """The wrapper sets the parent death signal and records the process in the warehouse;
    `sleep` stands for dbt (the same wrapper, another program)."""
    warehouse = tmp_path / "w"
    wrapper = child_wrapper(shutil.which("sleep") or "/bin/sleep", tmp_path / "wrapped-sleep")
    # a parent starts the wrapper like dagster-dbt does (Popen), then is killed
    script = (
        "import subprocess, time\n"
        f"p = subprocess.Popen([{str(wrapper)!r}, '120'])\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        env={**os.environ, "PARWH_WAREHOUSE": str(warehouse)},
        text=True,
    )
    child = int(parent.stdout.readline())
    record = warehouse / CHILDREN_DIR / str(child)
    deadline = time.monotonic() + 20
    while not (record.exists() and "sleep" in Path(f"/proc/{child}/cmdline").read_text()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def test_runs_left_started_by_a_killed_night_are_marked_failed(tmp_path) -> None:
    instance = open_instance(tmp_path / "dagster")

    @dg.op
    def noop() -> None:
        pass

    @dg.job
    def night() -> None:
        noop()

    def started(tags: dict[str, str]) -> str:
        run = instance.create_run_for_job(night, tags=tags)
        instance.handle_run_event(
            run.run_id,
            dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name),
        )
        return run.run_id

    killed = started({LAUNCHED_BY_TAG: "cli", PID_TAG: "999999999"})
    daemon = started({})  # launched by the Dagster daemon: its run monitoring decides
    assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.STARTED
    assert fail_abandoned_runs(instance) == [killed]
    assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(daemon).status == dg.DagsterRunStatus.STARTED
    assert fail_abandoned_runs(instance) == []


def test_the_fingerprint_covers_every_package_of_the_pipeline() -> None:
    """A change in any package the night runs (all but the demo's) makes the next night run
    the whole pipeline: its folder is hashed."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])
    assert packages - {"demo"} == set(CODE_FOLDERS) - {"dbt_project"}
