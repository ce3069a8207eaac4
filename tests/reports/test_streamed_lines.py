"""The ranking workbook's data lines, written as XML without openpyxl cells
(reports.cells.SheetBuffer), read back the same as the cells openpyxl writes for them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.reports_speed import compare_workbooks
from reports import styles as st
from reports.cells import WRAP, SheetBuffer, Value, put, streamed_sheet, write_lines
from reports.excel import save
from reports.excel_index import DIFFERENCE_FILL

TEXTS = [
    '=HYPERLINK("http://evil.example","x")',
    "<script>alert('x')</script> & <b>bold</b> &amp;",
    "  leading and trailing  ",
    "line\r\nbreaks\rand\ttabs\n",
    "",
    "control \x1b[31m \x07 text",
    "#N/A",
    "Thành phố Sa Đéc — " + "x" * 70,
    "y" * 40_000,
]
NUMBERS: list[Value] = [
    (42, st.INT),
    (10**17, st.INT),
    (-7, st.SIGNED_INT),
    (Decimal("12.345"), st.DEC2),
    (Decimal("-0.00"), st.SIGNED_DEC2),
    (Decimal("123456789012.123456789"), st.PCT2),
    (1.5, st.DEC3),
    (None, st.DEC2),
    (None, None),
]
#: a line of plain values (written as XML) and one with a date and a bool (openpyxl cells)
LINES: list[list[Value]] = [
    [(text, None) for text in TEXTS] + NUMBERS,
    [(datetime(2026, 12, 6, 3, 4), st.DATETIME), (datetime(2026, 1, 2), None), (True, None), ("z", None)],
    [(1, None), ("short", None)],
]
N_COLS = len(LINES[0]) + 1  # one bordered empty cell past the first line


def _streamed(path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = SheetBuffer(streamed_sheet(wb, "S"))
    put(ws, 1, 1, "title").font = st.TITLE
    write_lines(ws, 2, LINES, N_COLS, wrap_long=True, highlighted={1}, fill=DIFFERENCE_FILL)
    ws.flush()
    save(wb, path)  # the workbook's writer: the streamed sheet's XML is in its deflater only


def _cells(path: Path) -> None:
    """The same lines the way the workbook wrote them before: a cell each, styled after."""
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    put(ws, 1, 1, "title").font = st.TITLE
    for i, values in enumerate(LINES):
        for col, (value, fmt) in enumerate(values, start=1):
            cell = put(ws, 2 + i, col, value)
            if fmt:
                cell.number_format = fmt
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = WRAP
            if i == 1:
                cell.fill = DIFFERENCE_FILL
        for col in range(1, N_COLS + 1):
            ws.cell(row=2 + i, column=col).border = st.BORDER
    wb.save(path)


def test_streamed_lines_read_back_as_openpyxl_cells(tmp_path: Path) -> None:
    _streamed(tmp_path / "streamed.xlsx")
    _cells(tmp_path / "cells.xlsx")
    assert list(compare_workbooks(tmp_path / "cells.xlsx", tmp_path / "streamed.xlsx")) == []


def test_a_text_xml_cannot_hold_fails_the_sheet_instead_of_writing_it(tmp_path: Path) -> None:
    """U+FFFE and U+FFFF are no XML characters: the line goes to openpyxl, which refuses it
    (no workbook that Excel would call damaged)."""
    wb = Workbook(write_only=True)
    ws = SheetBuffer(streamed_sheet(wb, "S"))
    write_lines(ws, 1, [[("a\uffffb", None)]], 1)
    with pytest.raises(ValueError, match="XML compatible"):
        ws.flush()
