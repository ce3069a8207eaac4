"""``write_reports``: every report of a publication into one directory (the reports' writer;
not the gate, ``orchestration/assets/publication.py``, nor the file swap, ``publication/``)."""

from __future__ import annotations

from pathlib import Path

from reports import queries as q
from reports.excel import write_ranking_workbooks
from reports.html import write_html_report

DEFAULT_RUBRIC = "par_basic"


def write_reports(
    published_db: Path, out_dir: Path, *, period: str | None = None, province: str | None = None
) -> list[Path]:
    """Write the ranking workbooks (one per rubric present) and the HTML report (default
    rubric ``par_basic``) of ``period`` (default: the latest year ranked) into ``out_dir``.
    ``province``: a code (``L87``, ``87``) or a name; limits the reports to that province.
    Reads ``published_db`` read-only. Returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with q.connect(Path(published_db)) as con:
        province_code = q.resolve_province(con, province, "legacy")["unit_code"] if province else None
        written = write_ranking_workbooks(con, out_dir, period, province_code)
        present = q.rubrics(con)
        rubric = DEFAULT_RUBRIC if DEFAULT_RUBRIC in present else (present[0] if present else None)
        if rubric is not None:
            p = period or q.latest_year(con, rubric)
            if p is not None:
                written.append(
                    write_html_report(con, out_dir, rubric=rubric, period=p, province_code=province_code)
                )
    return written
