"""``write_reports``: every report of a publication into one directory (the reports' writer;
not the gate, ``orchestration/assets/publication.py``, nor the file swap, ``publication/``).

The HTML report and the workbooks after the first are written by a second process
(:mod:`reports.html_process`) while this one writes the first workbook (with the PAR INDEX
and 766 sheets), each with its own read-only connection to the file. When the second
process finds another publication in the file (a night replaced it meanwhile), its files
are written here afterwards, from this process's connection, as before. A small
publication's reports are all written here: the second process would take longer to start
(about a second: its imports) than the HTML report takes to write."""

from __future__ import annotations

from pathlib import Path

from engines.heap import without_cyclic_gc
from reports import html_process
from reports import queries as q
from reports.excel import planned_workbooks, write_planned_workbook

DEFAULT_RUBRIC = "par_basic"
#: the size of a publication from which the HTML report is written by a second process (a
#: demo's file is 12 MB, its HTML report 0.2 s; 1M records' 74 MB, 2 s)
SECOND_PROCESS_FROM_BYTES = 32 * 2**20


def write_reports(
    published_db: Path, out_dir: Path, *, period: str | None = None, province: str | None = None
) -> list[Path]:
    """Write the ranking workbooks (one per rubric present) and the HTML report (default
    rubric ``par_basic``) of ``period`` (default: the latest year ranked) into ``out_dir``.
    ``province``: a code (``L87``, ``87``) or a name; limits the reports to that province.
    Reads ``published_db`` read-only. Returns the files written."""
    with without_cyclic_gc():
        return _write_reports(Path(published_db), Path(out_dir), period, province)


def _write_reports(published_db: Path, out_dir: Path, period: str | None, province: str | None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with q.connect(published_db) as con:
        province_code = q.resolve_province(con, province, "legacy")["unit_code"] if province else None
        present = q.rubrics(con)
        rubric = DEFAULT_RUBRIC if DEFAULT_RUBRIC in present else (present[0] if present else None)
        html_period = (period or q.latest_year(con, rubric)) if rubric is not None else None
        workbooks = planned_workbooks(con, out_dir, period, province_code)
        if rubric is None or html_period is None:
            return [write_planned_workbook(con, planned) for planned in workbooks]
        html_args = (rubric, html_period, province_code)
        here, there = workbooks, []
        html = None
        if published_db.stat().st_size >= SECOND_PROCESS_FROM_BYTES:
            here, there = workbooks[:1], workbooks[1:]
            where = (published_db.resolve(), q.publication(con), out_dir.resolve())
            html = html_process.start(*where, *html_args, there)
        try:
            written = [write_planned_workbook(con, planned) for planned in here]
        except BaseException:
            if html is not None:
                html_process.wait(html)  # the workbooks' error is the one raised
            raise
        written_there = html_process.finish(html) if html is not None else None
        if written_there is None:  # a small publication, or the file was replaced meanwhile
            written += [write_planned_workbook(con, planned) for planned in there]
            return [*written, html_process.write_html(con, out_dir, *html_args)]
    page, *later = (out_dir / path.name for path in written_there)
    return [*written, *later, page]
