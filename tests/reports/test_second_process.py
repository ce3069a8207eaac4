"""The HTML report written by a second process (reports.html_process) while the workbooks
are written: the same files as written by one process, its errors raised the same, and
nothing written by it when the file holds another publication."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.reports_speed import compare_dirs
from reports import html_process, write_reports, writer
from reports import queries as q


def test_the_second_process_writes_the_same_reports(
    published_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = write_reports(published_db, tmp_path / "one")
    monkeypatch.setattr(writer, "SECOND_PROCESS_FROM_BYTES", 0)
    started: list[tuple] = []
    start = html_process.start
    monkeypatch.setattr(html_process, "start", lambda *args: started.append(args) or start(*args))
    both = write_reports(published_db, tmp_path / "two")
    assert [p.relative_to(tmp_path / "two") for p in both] == [p.relative_to(tmp_path / "one") for p in alone]
    assert compare_dirs(tmp_path / "one", tmp_path / "two") == []
    # the workbooks after the first (with the index sheets) were the second process's
    (*_, there) = started[0]
    workbooks = [p.name for p in alone if p.suffix == ".xlsx"]
    assert workbooks[0] == "xep_hang_par_basic_2023.xlsx"
    assert len(workbooks) >= 2
    assert [w.path.name for w in there] == workbooks[1:]
    assert not any(w.with_index for w in there)


def test_the_second_process_raises_its_error_here(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    process = html_process.start(missing, q.Publication(None, None), tmp_path, "par_basic", "2023", None)
    with pytest.raises(FileNotFoundError, match=f"no publication at {missing}"):
        html_process.finish(process)


def test_another_publication_is_not_written_by_the_second_process(published_db: Path, tmp_path: Path) -> None:
    other = q.Publication("another-run", None)
    process = html_process.start(published_db, other, tmp_path, "par_basic", "2023", None)
    assert html_process.finish(process) is None
    assert list(tmp_path.iterdir()) == []


def test_what_else_goes_to_standard_output_does_not_spoil_the_answer() -> None:
    """DuckDB writes its progress bar to file descriptor 1 when a query runs for more than
    2 s (a busy machine): the second process's answer stays alone on its standard output."""
    code = (
        "import os\n"
        "from reports.html_process import answer_stream\n"
        "answer = answer_stream()\n"
        "os.write(1, b'\\r[progress bar]')\n"
        "print('printed')\n"
        "answer.write(b'the answer')\n"
        "answer.flush()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=120)
    assert done.stdout == b"the answer"
    assert b"[progress bar]" in done.stderr
    assert b"printed" in done.stderr
