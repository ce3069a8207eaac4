"""A dbt process kept warm for the night's `dbt build` (issue 21: an increment that pays for
the day, not for the machinery).

A dbt command started cold spends about 3 s before its first model: the interpreter imports
dbt (1.5–1.8 s) and parses the project from its partial-parse state (1.4 s). The night's
build cannot start before its files are loaded, but that start-up does not depend on them.
So ``parwh run`` starts this process when the night starts (:func:`start`): it imports dbt
and parses the project while the CLI loads the Dagster definitions and the loads run, on the
other core, and then waits for one dbt command on a Unix socket.

The night's dbt command still goes through dagster-dbt as before: dagster-dbt starts the
wrapper ``dbt_project/target/parwh-dbt`` with the dbt arguments, the environment and a pipe
for its output. When ``PARWH_WARM_DBT_SOCKET`` names this process's socket, the wrapper
hands the command over (:func:`hand_over`): the arguments, the environment, the working
directory and its own standard input, output and error (file descriptors passed over the
socket), and then waits for the exit code, which it exits with. This process runs the command
with ``dbtRunner`` on the manifest it parsed, writing dbt's JSON log lines to the wrapper's
output, which dagster-dbt reads as it reads any dbt process. A signal the wrapper gets
(dagster-dbt's interrupt) is passed on to this process.

One command per process: after it, the process ends. A second dbt command of the night (the
docs page) finds no socket and runs dbt the usual way; so does every command when the warm
process refused (below), died, or was never started (scheduled Dagster runs, Spark).

It refuses a command, and the wrapper then runs dbt itself, when its parse could differ from
the parse the command would make: the project failed to parse here, the command's environment
differs from the one it parsed with in anything but the variables a night sets for its dbt
command (:data:`RUNTIME_ONLY_ENV`), or the command passes what a parse reads (``--vars``,
``--target``, ``--profile``, another project or profiles folder). What it did is written to
``<warehouse>/dbt/logs/warm_dbt.json`` (:func:`read_outcome`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from engines.heap import paused_until_frozen
from settings import environment, environment_replaced

#: the variable that names the socket of the night's warm dbt (set by the CLI for the run)
SOCKET_ENV = "PARWH_WARM_DBT_SOCKET"
#: what the warm process wrote about the night's command, under <warehouse>/dbt/logs
OUTCOME_FILE = "warm_dbt.json"
#: its standard error (a traceback, should it fail), under <warehouse>/dbt/logs
ERROR_LOG = "warm_dbt.log"

#: the variables that may differ between the warm parse and the command: where dagster-dbt
#: puts this command's artifacts and log, its markers, the socket, and the one variable the
#: night sets for the build that dbt reads as models run, never as it parses
#: (engines.dbt.RECORDS_ONLY_ENV, dbt_project/macros/rebuilt_by_period.sql)
RUNTIME_ONLY_ENV = frozenset(
    {
        "DBT_TARGET_PATH",
        "DBT_LOG_PATH",
        "DBT_PROJECT_DIR",
        "DBT_PROFILES_DIR",
        "DBT_INDIRECT_SELECTION",
        "DBT_LOG_FORMAT",
        "DBT_SEND_ANONYMOUS_USAGE_STATS",
        "DAGSTER_DBT_CLI",
        "PYTHONUNBUFFERED",
        "PYTHONLEGACYWINDOWSSTDIO",
        "PARWH_NIGHT_RECORDS_ONLY",
        SOCKET_ENV,
    }
)
#: dbt options that change what a parse makes: such a command is run by dbt itself
PARSE_OPTIONS = ("--vars", "--target", "-t", "--profile", "--project-dir", "--profiles-dir")

#: the exit code dbt gives an unhandled error; the wrapper's when the warm process vanished
UNHANDLED = 2
#: the warm process's first answer when it refuses a command (else its process id)
REFUSED_PID = 0
_HEADER = struct.Struct("!I")
_STATUS = struct.Struct("!i")
_STDIO = (0, 1, 2)
#: the checkout (the folder of the `engines` package)
CODE_ROOT = Path(__file__).resolve().parent.parent


# --- the wrapper's side -------------------------------------------------------------------


def hand_over(socket_path: str, argv: Sequence[str]) -> int | None:
    """Run the dbt command ``argv`` in the warm process at ``socket_path``; its exit code, or
    None when there is no warm process to take it or it refused (run dbt yourself)."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(socket_path)
    except OSError:
        client.close()
        return None
    with client:
        request = json.dumps({"argv": list(argv), "env": dict(environment()), "cwd": os.getcwd()}).encode()
        try:
            socket.send_fds(client, [_HEADER.pack(len(request))], list(_STDIO))
            client.sendall(request)
        except OSError:
            return None
        # the process that runs the command says its id first (0: it refused the command);
        # none: it ended before taking the command, which dbt itself then runs
        started = _receive_exactly(client, _STATUS.size)
        if started is None or _STATUS.unpack(started)[0] == REFUSED_PID:
            return None
        forwarded = _forward_signals(_STATUS.unpack(started)[0])
        try:
            status = _receive_exactly(client, _STATUS.size)
        finally:
            for signum, previous in forwarded.items():
                signal.signal(signum, previous)
    if status is None:
        sys.stderr.write(
            "parwh: the warm dbt process ended without an exit code (killed?); see"
            f" {ERROR_LOG} under <warehouse>/dbt/logs\n"
        )
        return UNHANDLED
    return _STATUS.unpack(status)[0]


def _forward_signals(pid: int | None) -> dict[int, object]:
    """Pass SIGINT and SIGTERM on to the warm process (dagster-dbt interrupts dbt so)."""
    if not pid:
        return {}

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    return {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)}


def _receive_exactly(conn: socket.socket, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        try:
            chunk = conn.recv(size)
        except OSError:  # the other end died (connection reset)
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# --- what the warm process accepts ---------------------------------------------------------


def refusal(
    parsed_env: Mapping[str, str], command_env: Mapping[str, str], argv: Sequence[str], project_dir: Path
) -> str | None:
    """Why a command may not run on the manifest of ``project_dir`` parsed with ``parsed_env``;
    None when it may.

    The environment may differ only in :data:`RUNTIME_ONLY_ENV`, and those of them that name
    the project or its profile must name ``project_dir`` (dagster-dbt sets both); the
    arguments may not name what a parse reads (:data:`PARSE_OPTIONS`)."""
    for option in PARSE_OPTIONS:
        if any(arg == option or arg.startswith(option + "=") for arg in argv):
            return f"the command passes {option}, which the parse reads"
    for name in ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR"):
        named = command_env.get(name)
        if named and Path(named).resolve() != project_dir.resolve():
            return f"{name} names another folder than the project parsed ({named})"
    changed = sorted(
        name
        for name in set(parsed_env) | set(command_env)
        if name not in RUNTIME_ONLY_ENV and parsed_env.get(name) != command_env.get(name)
    )
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        return f"the environment changed since the parse: {shown}"
    return None


# --- the warm process ----------------------------------------------------------------------


def _die_with_parent() -> None:
    """End with the night that started this process (Linux parent-death signal)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _record_child(children_dir: str) -> None:
    """Recorded as a process of the night (engines.run_children.kill_leftover_children ends leftovers)."""
    os.makedirs(children_dir, exist_ok=True)
    Path(children_dir, str(os.getpid())).touch()


def _parse(project_dir: Path, partial_parse: Path, scratch: Path):  # noqa: ANN202 - dbt's Manifest
    """The project parsed as the night's dbt would parse it, from the warehouse's partial-parse
    state (copied: the warehouse's own state is left as it is); (manifest, None) or
    (None, why not)."""
    from dbt.cli.main import dbtRunner

    target = scratch / "target"
    target.mkdir()
    if partial_parse.exists():
        (target / partial_parse.name).write_bytes(partial_parse.read_bytes())
    args = ["parse", "--quiet", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    args += ["--target-path", str(target), "--log-path", str(scratch)]
    result = dbtRunner().invoke(args)
    if not result.success or result.result is None:
        return None, f"the project did not parse here: {result.exception or 'dbt parse failed'}"
    return result.result, None


@dataclass
class _Outcome:
    path: Path
    started: float
    facts: dict

    def write(self, **facts: object) -> None:
        self.facts.update(facts)
        self.facts["seconds_since_start"] = round(time.monotonic() - self.started, 2)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(self.facts, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


def serve(
    listener: socket.socket, socket_path: str, project_dir: Path, partial_parse: Path, log_dir: Path
) -> int:
    """The warm process: import and parse, then run the one command handed over on
    ``listener`` (bound and listening since before this process started: a wrapper that
    comes early waits in its backlog)."""
    started = time.monotonic()
    outcome = _Outcome(log_dir / OUTCOME_FILE, started, {"pid": os.getpid(), "served": False})
    parsed_env = dict(environment())
    # dbt and the parsed project live as long as this process: the garbage collector is off
    # while they are made, then stops walking them (engines/heap.py)
    with paused_until_frozen() as parsed:
        with tempfile.TemporaryDirectory(prefix="parwh-warm-dbt-") as scratch:
            try:
                manifest, why_not = _parse(project_dir, partial_parse, Path(scratch))
            except Exception as exc:  # noqa: BLE001 - any failure here means: run dbt cold
                manifest, why_not = None, f"the project did not parse here: {exc}"
        parsed()
        return _serve_parsed(listener, socket_path, project_dir, outcome, parsed_env, manifest, why_not)


def _serve_parsed(
    listener: socket.socket,
    socket_path: str,
    project_dir: Path,
    outcome: _Outcome,
    parsed_env: Mapping[str, str],
    manifest,  # noqa: ANN001 - dbt's Manifest
    why_not: str | None,
) -> int:
    """The rest of :func:`serve`, once the project is parsed: wait for the command, run it."""
    outcome.write(ready_after_seconds=round(time.monotonic() - outcome.started, 2), refused=why_not)
    conn, _ = listener.accept()
    listener.close()
    with contextlib.suppress(OSError):
        os.unlink(socket_path)  # one command: the next one runs dbt the usual way
    with conn:
        header, fds, _flags, _addr = socket.recv_fds(conn, _HEADER.size, len(_STDIO))
        body = _receive_exactly(conn, _HEADER.unpack(header)[0]) if len(header) == _HEADER.size else None
        if body is None or len(fds) != len(_STDIO):
            outcome.write(refused="the wrapper's request was incomplete")
            return 1
        request = json.loads(body)
        why_not = why_not or refusal(parsed_env, request["env"], request["argv"], project_dir)
        if why_not is not None:
            outcome.write(refused=why_not, argv=request["argv"][:1])
            conn.sendall(_STATUS.pack(REFUSED_PID))
            return 0
        # the wrapper passes its signals on to this process (not to the listener's creator,
        # the night, which the socket's peer credentials would name)
        conn.sendall(_STATUS.pack(os.getpid()))
        code = _run(manifest, request, fds)
        _release_streams()  # the wrapper's reader sees the end of dbt's output now
        outcome.write(served=True, exit_code=code, command=request["argv"][:1])
        conn.sendall(_STATUS.pack(code))
    return 0


def _run(manifest, request: Mapping, fds: Sequence[int]) -> int:  # noqa: ANN001 - dbt's Manifest
    """Run the command as the wrapper would have run dbt: its directory, its environment, its
    standard streams; dbt's exit code (0 success, 1 a model or test failed, 2 an error)."""
    from dbt.cli.main import dbtRunner

    os.chdir(request["cwd"])
    environment_replaced(request["env"])
    sys.stdout.flush()
    sys.stderr.flush()
    for fd, target in zip(fds, _STDIO, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    try:
        result = dbtRunner(manifest=manifest).invoke(list(request["argv"]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        _close_database()
    if result.success:
        return 0
    return UNHANDLED if result.exception is not None else 1


def _close_database() -> None:
    """Close dbt-duckdb's database now (it would at exit): the night's next step opens it."""
    import gc

    with contextlib.suppress(ImportError):
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager.close_all_connections()
    gc.collect()


def _release_streams() -> None:
    """Point this process's standard streams away from the wrapper's."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for target in _STDIO:
        os.dup2(devnull, target)
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    listener_fd, socket_path, project_dir, partial_parse, log_dir, children_dir = argv or sys.argv[1:]
    _die_with_parent()
    _record_child(children_dir)
    listener = socket.socket(fileno=int(listener_fd))
    return serve(listener, socket_path, Path(project_dir), Path(partial_parse), Path(log_dir))


# --- the night's side ----------------------------------------------------------------------


@dataclass
class WarmDbt:
    """The night's warm dbt process (:func:`start`); :meth:`close` ends it if it is unused."""

    process: subprocess.Popen
    socket_dir: Path
    socket_path: Path
    outcome_path: Path

    def close(self) -> dict:
        """End the process (it ends by itself after its command) and say what it did: its
        outcome file, with ``exit_status`` (the process's; negative: ended by that signal,
        ``ended_unused`` when this call ended it)."""
        unused = self.process.poll() is None
        if unused:
            self.process.kill()
        status = self.process.wait()
        with contextlib.suppress(OSError):
            self.socket_path.unlink()
        with contextlib.suppress(OSError):
            self.socket_dir.rmdir()
        return {**read_outcome(self.outcome_path.parent), "exit_status": status, "ended_unused": unused}


def cold_reason(outcome: Mapping[str, object]) -> str | None:
    """Why the night's dbt command ran without the warm process (slower, same result), from
    :meth:`WarmDbt.close`'s outcome; ``None`` when the process served it, or ended unused
    (a night without a dbt step)."""
    if outcome.get("served") or outcome.get("ended_unused"):
        return None
    if outcome.get("argv") and outcome.get("refused"):
        return str(outcome["refused"])
    if outcome.get("exit_status"):  # ended by itself before any command: it failed
        return f"the warm dbt process ended with status {outcome['exit_status']} before the build"
    return None


def read_outcome(log_dir: Path) -> dict:
    """What the last warm dbt process of a warehouse wrote (empty when none ran)."""
    path = log_dir / OUTCOME_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def start(
    project_dir: Path, dbt_target_dir: Path, log_dir: Path, children_dir: Path, env: Mapping[str, str]
) -> WarmDbt:
    """Start the warm dbt process of a night, with the environment dbt's command will have
    (``env``: this process's, with what dagster-dbt adds to every dbt command)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / OUTCOME_FILE).unlink(missing_ok=True)
    # a short path: a Unix socket's path is limited to about 100 bytes
    socket_dir = Path(tempfile.mkdtemp(prefix="parwh-dbt-"))
    socket_path = socket_dir / "dbt.sock"
    # bound and listening here, before the process starts: a dbt command never finds no socket
    # while the warm process is still starting
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(1)
    command = [
        sys.executable,
        "-m",
        "engines.warm_dbt",
        str(listener.fileno()),
        str(socket_path),
        str(project_dir),
        str(dbt_target_dir / "partial_parse.msgpack"),
        str(log_dir),
        str(children_dir),
    ]
    with listener, (log_dir / ERROR_LOG).open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            command,
            pass_fds=(listener.fileno(),),
            cwd=CODE_ROOT,  # where `-m engines.warm_dbt` is found; dbt is given the project folder
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    return WarmDbt(process, socket_dir, socket_path, log_dir / OUTCOME_FILE)


def dagster_dbt_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the variables dagster-dbt sets for every dbt command it starts
    (dagster_dbt/core/resource.py, DbtCliResource.cli), so that the parse sees what the
    command will see."""
    return {
        "PYTHONLEGACYWINDOWSSTDIO": "1",
        **environ,
        "DAGSTER_DBT_CLI": "true",
        "PYTHONUNBUFFERED": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_FORMAT": "json",
    }


if __name__ == "__main__":
    sys.exit(main())
