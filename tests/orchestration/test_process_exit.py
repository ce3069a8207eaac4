"""`parwh` ends its process without the interpreter's teardown (cli/process_exit.py), yet
as a normal exit would: exit code, the other threads joined, atexit handlers, streams."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import atexit, concurrent.futures, sys, threading, time
from pathlib import Path

import typer

from cli.process_exit import run_then_exit

out = Path(sys.argv[1])


class Teardown:
    def __del__(self):
        (out / "teardown").write_text("ran")


kept_until_teardown = Teardown()
app = typer.Typer()


@app.command()
def go(how: str) -> None:
    atexit.register(lambda: (out / "atexit").write_text("ran"))

    def late() -> None:
        time.sleep(0.3)
        (out / "thread").write_text("joined")

    threading.Thread(target=late).start()
    # a thread pool never shut down: its idle worker (not a daemon) is told to stop at exit
    pool = concurrent.futures.ThreadPoolExecutor(1)
    assert pool.submit(lambda: 1).result() == 1
    sys.stdout.write("no newline")  # left in the buffer
    if how == "fail":
        raise RuntimeError("boom")
    if how == "message":
        sys.exit("a message")
    raise typer.Exit(int(how))


if sys.argv[2] == "quick":
    sys.argv[1:] = sys.argv[3:]
    run_then_exit(app)
else:
    sys.argv[1:] = sys.argv[3:]
    app()
"""


def _run(tmp_path: Path, way: str, how: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "command.py"
    script.write_text(SCRIPT, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path), way, how],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
        timeout=60,  # a process waiting on a thread that never ends fails here
        check=False,
    )


@pytest.mark.parametrize(("how", "code"), [("0", 0), ("3", 3), ("message", 1)])
def test_a_quick_exit_keeps_what_a_normal_exit_does(tmp_path: Path, how: str, code: int) -> None:
    done = _run(tmp_path, "quick", how)
    assert done.returncode == code, done.stderr
    assert done.stdout == "no newline"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert (tmp_path / "thread").read_text() == "joined"
    if how == "message":
        assert "a message" in done.stderr
    assert not (tmp_path / "teardown").exists()  # the teardown was skipped


def test_the_teardown_skipped_is_one_a_normal_exit_runs(tmp_path: Path) -> None:
    done = _run(tmp_path, "normal", "3")
    assert done.returncode == 3, done.stderr
    assert (tmp_path / "teardown").read_text() == "ran"


def test_an_error_ends_the_process_as_python_does(tmp_path: Path) -> None:
    done = _run(tmp_path, "quick", "fail")
    assert done.returncode == 1
    assert "RuntimeError: boom" in done.stderr
    assert (tmp_path / "atexit").read_text() == "ran"


def test_the_parwh_command_exits_with_its_code(tmp_path: Path) -> None:
    parwh = Path(sys.executable).with_name("parwh")
    done = subprocess.run(
        [str(parwh), "run", "--inbox", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "wh")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Inbox not found" in done.stdout
