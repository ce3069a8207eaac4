"""The HTML report, and the workbooks after the first, written by a second process while
the first writes the first workbook (:func:`reports.writer.write_reports`): it runs
:func:`main`, which reads its arguments pickled on standard input and answers, pickled on
standard output, the files written (the page, then the workbooks), None (the file holds
another publication than the first process read: nothing written), or the exception that
stopped it (raised again by :func:`finish`, the same).

At 100 million records the first workbook (with the PAR INDEX and 766 sheets) takes about
4 s, the HTML report 2.6 s and the 766 rubric's workbook 1.25 s: the page and that
workbook in the second process end about when the first workbook does."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import duckdb

from engines.heap import without_cyclic_gc
from reports import queries as q
from reports.html import write_html_report

if TYPE_CHECKING:
    from reports.excel import PlannedWorkbook


def start(
    published_db: Path,
    publication: q.Publication,
    out_dir: Path,
    rubric: str,
    period: str,
    province_code: str | None,
    workbooks: Sequence[PlannedWorkbook] = (),
) -> subprocess.Popen[bytes]:
    """The second process, writing the HTML report of ``publication`` and then
    ``workbooks`` (its own read-only connection to ``published_db``)."""
    command = [sys.executable, "-c", f"from {__name__} import main; main()"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None
    arguments = (published_db, publication, out_dir, rubric, period, province_code, tuple(workbooks))
    process.stdin.write(pickle.dumps(arguments))
    process.stdin.close()
    return process


def finish(process: subprocess.Popen[bytes]) -> list[Path] | None:
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
    workbooks: tuple[PlannedWorkbook, ...],
) -> list[Path] | None:
    with q.connect(published_db) as con:
        if q.publication(con) != publication:
            return None
        written = [write_html(con, out_dir, rubric, period, province_code)]
        if workbooks:  # openpyxl is imported only then (a third of this process's start-up)
            from reports.excel import write_planned_workbook

            written += [write_planned_workbook(con, planned) for planned in workbooks]
        return written


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
