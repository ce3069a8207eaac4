"""End the `parwh` process without tearing its interpreter down.

A night imports Dagster, dbt, Great Expectations, pandas and pyarrow; at exit the
interpreter then frees every module and object one by one, which took about 1.9 s on the
bench machine (issue 21: the increment's fixed costs), with nothing left to do for the
user. `exit_process` ends the process as a normal exit would (thread pools stopped and the
other non-daemon threads joined, the `atexit` handlers run: logging's flush, temporary
directories' cleanup, the streams flushed) and then skips the teardown (`os._exit`).
Every database the command opened is closed by its own `with` block before this point.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn


def exit_code_of(exc: SystemExit) -> int:
    """The process exit code of a ``SystemExit``, as the interpreter would set it: 0 for
    None, the number itself, 1 for anything else (whose text is printed to stderr)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_process(code: int) -> NoReturn:
    """End the process with ``code``: a normal exit without the interpreter's teardown.

    What a normal exit does first is done here with the interpreter's own functions:
    ``threading._shutdown`` (the thread pools told to stop, then every other non-daemon
    thread joined: the step the interpreter takes at exit) and ``atexit._run_exitfuncs``.
    Where either is missing (another Python) or this is not the main thread, the process
    exits the normal way."""
    shutdown_threads = getattr(threading, "_shutdown", None)
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if (
        shutdown_threads is None
        or run_exit_functions is None
        or threading.current_thread() is not threading.main_thread()
    ):
        sys.exit(code)
    shutdown_threads()
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def run_then_exit(command: Callable[[], object]) -> NoReturn:
    """Run a console command (a Click/Typer app in standalone mode, which ends by raising
    ``SystemExit``) and end the process with its exit code. Any other exception propagates
    and the process ends as Python ends it (traceback, teardown)."""
    try:
        command()
    except SystemExit as exc:
        exit_process(exit_code_of(exc))
    exit_process(0)
