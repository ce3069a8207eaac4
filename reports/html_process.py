"""The HTML report written by a second process while the first writes the workbooks
(:func:`reports.writer.write_reports`): it runs :func:`main`, which reads its
arguments pickled on standard input and answers, pickled on standard output, the page
written, None (the file holds another publication than the first process read: nothing
written), or the exception that stopped it (raised again by :func:`finish`, the same)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import duckdb

from engines.heap import without_cyclic_gc
from reports import queries as q
from reports.html import write_html_report


def start(
    published_db: Path,
    publication: q.Publication,
    out_dir: Path,
    rubric: str,
    period: str,
    province_code: str | None,
) -> subprocess.Popen[bytes]:
    """The second process, writing the report of ``publication`` (its own read-only
    connection to ``published_db``)."""
    command = [sys.executable, "-c", f"from {__name__} import main; main()"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(pickle.dumps((published_db, publication, out_dir, rubric, period, province_code)))
    process.stdin.close()
    return process


def finish(process: subprocess.Popen[bytes]) -> Path | None:
    """What the second process answers, once it has ended (its exception raised here)."""
    assert process.stdout is not None
    answer = process.stdout.read()
    process.stdout.close()
    code = process.wait()
    if not answer:
        raise RuntimeError(f"the HTML report's process ended with code {code} and no answer")
    ok, result = pickle.loads(answer)
    if not ok:
        raise result
    return result


def wait(process: subprocess.Popen[bytes]) -> None:
    """Let the second process end, whatever it answers (the first failed)."""
    assert process.stdout is not None
    process.stdout.read()
    process.stdout.close()
    process.wait()


def _write(
    published_db: Path,
    publication: q.Publication,
    out_dir: Path,
    rubric: str,
    period: str,
    province_code: str | None,
) -> Path | None:
    with q.connect(published_db) as con:
        if q.publication(con) != publication:
            return None
        return write_html(con, out_dir, rubric, period, province_code)


def write_html(
    con: duckdb.DuckDBPyConnection, out_dir: Path, rubric: str, period: str, province_code: str | None
) -> Path:
    """The HTML report, written by this process."""
    return write_html_report(con, out_dir, rubric=rubric, period=period, province_code=province_code)


def answer_stream() -> BinaryIO:
    """The standard output, kept for the answer alone: from now on anything else written to
    it goes to standard error, ``print`` and file descriptor 1 both (DuckDB's progress bar,
    written there by its C++ code when a query runs for more than 2 s, as on a busy machine,
    made the answer unreadable)."""
    sys.stdout.flush()
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return answer


def main() -> None:
    answer = answer_stream()
    try:
        with without_cyclic_gc():
            result: tuple[bool, object] = (True, _write(*pickle.loads(sys.stdin.buffer.read())))
    except Exception as exc:  # noqa: BLE001  # handed to the first process, raised there
        result = (False, exc)
    try:
        payload = pickle.dumps(result)
    except Exception:  # noqa: BLE001  # an exception that does not pickle: its message
        payload = pickle.dumps((False, RuntimeError(f"{type(result[1]).__name__}: {result[1]}")))
    answer.write(payload)
    answer.flush()
