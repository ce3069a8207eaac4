"""What people read: ranking workbooks, an HTML report with charts, submission templates.

Everything is read from the published marts (``published/latest.duckdb``, opened
read-only), never from the working database.

The names below are imported when first used (PEP 562): the HTML report's second process
(:mod:`reports.html_process`) imports this package without the workbooks' modules and
openpyxl (a third of its start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.excel import write_ranking_workbooks
    from reports.html import write_html_report
    from reports.templates import TEMPLATE_SOURCES, write_template
    from reports.writer import write_reports

__all__ = [
    "TEMPLATE_SOURCES",
    "write_html_report",
    "write_ranking_workbooks",
    "write_reports",
    "write_template",
]


def __getattr__(name: str) -> Any:
    if name == "write_reports":
        from reports.writer import write_reports

        return write_reports
    if name == "write_ranking_workbooks":
        from reports.excel import write_ranking_workbooks

        return write_ranking_workbooks
    if name == "write_html_report":
        from reports.html import write_html_report

        return write_html_report
    if name == "TEMPLATE_SOURCES":
        from reports.templates import TEMPLATE_SOURCES

        return TEMPLATE_SOURCES
    if name == "write_template":
        from reports.templates import write_template

        return write_template
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
