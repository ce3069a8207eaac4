"""The night's warm dbt process (engines/warm_dbt.py): real processes, the real wrapper that
dagster-dbt starts, real dbt. A command handed over gives what dbt started cold gives: its
output lines, its exit code, a database free when it ends; a command whose parse could
differ runs dbt cold; the process dies with the night that started it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from engines import warm_dbt
from engines.dbt import CHILDREN_DIR, DBT_PROJECT_DIR, dbt_executable, prepare_manifest
from settings import Settings


@dataclass(frozen=True)
class Warehouse:
    settings: Settings
    env: Mapping[str, str]  # what a night's dbt command gets (dagster-dbt's additions included)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """One warehouse whose dbt partial-parse state is prepared (a warm parse then takes about a
    second, as in a night), with the environment the CLI exports for it."""
    root = tmp_path_factory.mktemp("warm") / "warehouse"
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ("PARWH_INBOX", "PARWH_DBT_TARGET", "PARWH_SPARK_DIR", "DAGSTER_HOME"):
            monkeypatch.delenv(name, raising=False)
        settings = Settings.from_env({"PARWH_WAREHOUSE": str(root), "PARWH_DUCKDB_MEMORY_LIMIT": "1GB"})
        for name in (*settings.as_environ(), "DAGSTER_HOME", "DBT_TARGET_PATH", "DBT_LOG_PATH"):
            monkeypatch.setenv(name, "")
        settings.export()
        prepare_manifest(target=settings.dbt_target_dir)
        env = warm_dbt.dagster_dbt_environment(os.environ)
    yield Warehouse(settings, env)


def _start(wh: Warehouse, env: Mapping[str, str] | None = None) -> warm_dbt.WarmDbt:
    return warm_dbt.start(
        DBT_PROJECT_DIR,
        wh.settings.dbt_target_dir,
        wh.settings.dbt_log_dir,
        wh.settings.warehouse_dir / CHILDREN_DIR,
        env or wh.env,
    )


def _command(
    wh: Warehouse, args: list[str], tmp_path: Path, warm: warm_dbt.WarmDbt | None, **changed: str
) -> dict:
    """The dbt command as dagster-dbt starts it (Popen's arguments): the wrapper, the project
    folder, a target folder of its own, stdout and stderr on one pipe."""
    target = tmp_path / f"target-{time.monotonic_ns()}"
    env = {**wh.env, "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target), **changed}
    if warm is not None:
        env[warm_dbt.SOCKET_ENV] = str(warm.socket_path)
    return {
        "args": [dbt_executable(), *args],
        "cwd": DBT_PROJECT_DIR,
        "env": env,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.STDOUT,
    }


def _dbt(wh: Warehouse, args: list[str], tmp_path: Path, warm: warm_dbt.WarmDbt | None, **changed: str):
    """The dbt command run to its end: its exit code and its JSON lines."""
    done = subprocess.run(**_command(wh, args, tmp_path, warm, **changed), timeout=300, check=False)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.startswith("{")]
    return done.returncode, lines


def _messages(lines: list[dict]) -> list[str]:
    return [line["info"]["msg"] for line in lines]


def test_only_what_the_night_sets_for_its_build_may_differ_from_the_parse() -> None:
    parsed = {"PARWH_WAREHOUSE": "/w", "DBT_TARGET_PATH": "/w/dbt/target", "PATH": "/bin"}
    command = {
        **parsed,
        "DBT_TARGET_PATH": "/w/dbt/target/x",
        "PARWH_NIGHT_RECORDS_ONLY": "true",
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR / "models" / ".."),
    }

    def refusal(env: Mapping[str, str], args: list[str]) -> str:
        return warm_dbt.refusal(parsed, env, args, DBT_PROJECT_DIR) or ""

    assert warm_dbt.refusal(parsed, command, ["build", "--select", "a b"], DBT_PROJECT_DIR) is None
    assert "PARWH_WAREHOUSE" in refusal({**command, "PARWH_WAREHOUSE": "/elsewhere"}, ["build"])
    assert "PARWH_LATEST_DATE_MARGIN_DAYS" in refusal(
        {**command, "PARWH_LATEST_DATE_MARGIN_DAYS": "30"}, ["build"]
    )
    assert "PATH" in refusal({name: value for name, value in command.items() if name != "PATH"}, ["build"])
    for name in ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR"):
        assert name in refusal({**command, name: "/another/project"}, ["build"])
    for args in (["build", "--vars", "{a: 1}"], ["build", "--target=spark"], ["build", "-t", "x"]):
        assert "parse reads" in refusal(command, args), args


def test_a_command_handed_over_gives_dbts_lines_and_the_next_runs_cold(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    warm = _start(warehouse)
    try:
        ls = ["ls", "--resource-type", "model", "--select", "stg_raw__dossier_records", "--output", "name"]
        code, lines = _dbt(warehouse, ls, tmp_path, warm)
        assert code == 0
        assert "stg_raw__dossier_records" in _messages(lines)
        said = warm_dbt.read_outcome(warehouse.settings.dbt_log_dir)
        assert said["served"] is True and said["exit_code"] == 0 and said["refused"] is None
        assert said["pid"] == warm.process.pid and lines[0]["info"]["pid"] == warm.process.pid
        warm.process.wait(timeout=30)  # one command, then it ends
        assert not warm.socket_path.exists()
        # the socket is gone: the next command is dbt started by the wrapper, with the same lines
        code, cold_lines = _dbt(warehouse, ls, tmp_path, warm)
        assert code == 0 and "stg_raw__dossier_records" in _messages(cold_lines)
        assert cold_lines[0]["info"]["pid"] != warm.process.pid
    finally:
        closed = warm.close()
    assert warm_dbt.cold_reason(closed) is None  # it served the command: the night says nothing


def test_a_failing_command_exits_as_dbt_started_cold_does(warehouse: Warehouse, tmp_path: Path) -> None:
    failing = ["run-operation", "no_such_macro_anywhere"]
    cold_code, cold_lines = _dbt(warehouse, failing, tmp_path, None)
    warm = _start(warehouse)
    try:
        code, lines = _dbt(warehouse, failing, tmp_path, warm)
    finally:
        warm.close()
    assert cold_code != 0
    assert code == cold_code
    assert warm_dbt.read_outcome(warehouse.settings.dbt_log_dir)["exit_code"] == cold_code
    assert any("no_such_macro_anywhere" in message for message in _messages(lines))
    assert [line["info"]["level"] for line in lines if line["info"]["level"] == "error"] == [
        line["info"]["level"] for line in cold_lines if line["info"]["level"] == "error"
    ]


def test_a_command_whose_parse_could_differ_runs_dbt_cold(warehouse: Warehouse, tmp_path: Path) -> None:
    warm = _start(warehouse)
    try:
        ls = ["ls", "--resource-type", "model", "--select", "rankings", "--output", "name"]
        code, lines = _dbt(warehouse, ls, tmp_path, warm, PARWH_DUCKDB_MEMORY_LIMIT="3GB")
        assert code == 0 and "rankings" in _messages(lines)
        assert lines[0]["info"]["pid"] != warm.process.pid  # dbt itself answered
        warm.process.wait(timeout=30)
    finally:
        closed = warm.close()
    said = warm_dbt.read_outcome(warehouse.settings.dbt_log_dir)
    assert said["served"] is False
    assert "PARWH_DUCKDB_MEMORY_LIMIT" in said["refused"]
    # what the night prints after it (cli/main.py: _warm_dbt)
    assert "PARWH_DUCKDB_MEMORY_LIMIT" in (warm_dbt.cold_reason(closed) or "")


def test_a_warm_process_left_unused_is_not_a_cold_build(warehouse: Warehouse) -> None:
    warm = _start(warehouse)
    closed = warm.close()
    assert closed["ended_unused"] is True and closed["exit_status"] < 0
    assert warm_dbt.cold_reason(closed) is None  # a night without a dbt step
    assert warm_dbt.cold_reason({**closed, "ended_unused": False, "exit_status": 1}) == (
        "the warm dbt process ended with status 1 before the build"
    )


def test_the_database_is_free_when_the_command_has_ended(warehouse: Warehouse, tmp_path: Path) -> None:
    warm = _start(warehouse)
    try:
        show = ["show", "--inline", "select 42 as answer", "--output", "json"]
        code, lines = _dbt(warehouse, show, tmp_path, warm)
        assert code == 0
        assert any('"answer": 42' in message for message in _messages(lines))
        # the night's next step writes the database at once, the warm process may still be
        # ending: it must have closed the file before answering
        con = duckdb.connect(str(warehouse.settings.database_path))
        con.execute("create or replace table main.written_after_warm_dbt as select 1 as x")
        con.close()
    finally:
        warm.close()
    assert warm_dbt.read_outcome(warehouse.settings.dbt_log_dir)["served"] is True


def test_the_warm_process_dies_with_the_night_that_started_it(warehouse: Warehouse, tmp_path: Path) -> None:
    night = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import json, sys, time\n"
            "from pathlib import Path\n"
            "from engines import warm_dbt\n"
            "args = json.loads(sys.argv[1])\n"
            "warm = warm_dbt.start(*map(Path, args[:4]), args[4])\n"
            "print(warm.process.pid, flush=True)\n"
            "time.sleep(300)\n",
            json.dumps(
                [
                    str(DBT_PROJECT_DIR),
                    str(warehouse.settings.dbt_target_dir),
                    str(tmp_path / "logs"),
                    str(tmp_path / "children"),
                    dict(warehouse.env),
                ]
            ),
        ],
        cwd=warm_dbt.CODE_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    warm_pid = int(night.stdout.readline())
    recorded = tmp_path / "children" / str(warm_pid)
    deadline = time.monotonic() + 60
    while not recorded.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert recorded.exists()  # the next night's start can end it if it outlives its night
    night.send_signal(signal.SIGKILL)
    night.wait()
    deadline = time.monotonic() + 30
    while _alive(warm_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(warm_pid)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_a_signal_to_the_wrapper_reaches_the_warm_process_not_the_night(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """dagster-dbt interrupts dbt by signalling the process it started (the wrapper): the
    signal goes on to the process running the command. The socket's listener was made by
    the night (this test process here), which must not get it."""
    warm = _start(warehouse)
    endless = ["show", "--inline", "select count(*) as n from range(1000000000000)", "--limit", "1"]
    wrapper = subprocess.Popen(**_command(warehouse, endless, tmp_path, warm), text=True)
    try:
        first = wrapper.stdout.readline()  # dbt runs: the wrapper knows whom to pass signals to
        assert json.loads(first)["info"]["pid"] == warm.process.pid
        time.sleep(1)
        wrapper.send_signal(signal.SIGTERM)
        rest = wrapper.communicate(timeout=60)[0]
        assert warm.process.wait(timeout=30) == -signal.SIGTERM
        assert wrapper.returncode == warm_dbt.UNHANDLED
        assert "ended without an exit code" in rest
    finally:
        if wrapper.poll() is None:
            wrapper.kill()
        warm.close()
