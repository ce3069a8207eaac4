"""Submitted text in the published reports is data: workbook cells are strings, never
formulas, and the HTML report escapes it (issue 15, item 5)."""

from __future__ import annotations

import re
import shutil
import zipfile
from html import escape
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from reports import write_reports
from reports.excel import put

HYPERLINK = '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"evil.example","click me")'
DDE = '=cmd|" calc"!A0'
PLUS = "+1+cmd|' /C calc'!A0"
SCRIPT = "<script>alert('x')</script> & <b>bold</b>"
ESCAPED = "bao_cao\\n\\x1b[31m.xlsx"  # what ingest stores for a name with a newline and ESC


@pytest.fixture(scope="module")
def hostile_publication(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo publication with open findings whose file names and messages are
    hostile, as a night that rejected such files would publish them."""
    path = tmp_path_factory.mktemp("hostile_publication") / "latest.duckdb"
    shutil.copyfile(published_db, path)
    con = duckdb.connect(str(path))
    try:
        (run_id,) = con.execute("select run_id from meta.publication").fetchone()  # type: ignore[misc]
        rows = [
            (HYPERLINK, f"the file is empty: {HYPERLINK}", DDE),
            (DDE, DDE, f"tệp rỗng {HYPERLINK}"),
            (PLUS, SCRIPT, SCRIPT),
            (ESCAPED, "control \x1b[31m text", "ký tự điều khiển \x07"),
        ]
        for i, (source_file, message, message_vi) in enumerate(rows):
            con.execute(
                "insert into marts.data_quality_finding_status by name select ? as run_id,"
                " ? as fingerprint, 'new' as status, 'error' as severity, 'file_rejected' as rule,"
                " null as unit_code, null as period_label, ? as source_file, 1 as source_row,"
                " ? as message, ? as message_vi, now()::timestamp as first_seen_at",
                [run_id, f"hostile-{i}", source_file, message, message_vi],
            )
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def written(hostile_publication: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_reports(hostile_publication, tmp_path_factory.mktemp("hostile_reports"))


def _sheet_xml(workbook: Path) -> dict[str, str]:
    with zipfile.ZipFile(workbook) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}


def test_workbook_cells_are_strings_with_the_exact_text(written: list[Path]) -> None:
    workbooks = [p for p in written if p.suffix == ".xlsx"]
    assert len(workbooks) >= 2  # every rubric's workbook has the findings sheet
    for workbook in workbooks:
        xml = "".join(_sheet_xml(workbook).values())
        assert "<f>" not in xml and "<f " not in xml, workbook.name  # the project writes no formula
        for text in (HYPERLINK, DDE, PLUS):
            assert f"<t>{escape(text, quote=False)}</t>" in xml.replace('<t xml:space="preserve">', "<t>")
        wb = load_workbook(workbook)
        ws = wb["Chất lượng dữ liệu"]
        cells = {c.value: c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str)}
        for text in (HYPERLINK, DDE, PLUS, ESCAPED, f"tệp rỗng {HYPERLINK}"):
            assert text in cells, (workbook.name, text)
            assert cells[text].data_type == "s"
        # control characters a workbook cannot hold are shown escaped, the report still written
        assert "control \\x1b[31m text" in cells and "ký tự điều khiển \\x07" in cells


def test_html_report_escapes_submitted_text(written: list[Path]) -> None:
    (html,) = [p for p in written if p.suffix == ".html"]
    text = html.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>bold</b>" not in text
    assert escape(SCRIPT) in text
    assert escape(HYPERLINK) in text
    assert not re.search(r"<a [^>]*evil\.example", text)


def test_put_keeps_numbers_and_dates_and_writes_text_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, "=1+1")
    put(ws, 2, 1, 42)
    put(ws, 3, 1, "Thành phố Sa Đéc")
    put(ws, 4, 1, None)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    xml = next(iter(_sheet_xml(path).values()))
    assert "<f>" not in xml
    assert '<c r="A1" t="inlineStr"><is><t>=1+1</t></is></c>' in xml
    assert '<c r="A2" t="n"><v>42</v></c>' in xml
    back = load_workbook(path).active
    assert [back.cell(row=r, column=1).value for r in (1, 2, 3)] == ["=1+1", 42, "Thành phố Sa Đéc"]
    assert back.cell(row=1, column=1).data_type == "s"
