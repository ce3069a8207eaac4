"""What people read: ranking workbooks, an HTML report with charts, submission templates.

Everything is read from the published marts (``published/latest.duckdb``, opened
read-only), never from the working database.
"""

from __future__ import annotations

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
