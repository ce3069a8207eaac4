"""Writing a workbook cell safely: text is always a string cell, never a formula, whatever it
starts with (file names, sheet names and messages come from submitters)."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as _ILLEGAL_CHARACTERS
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from reports import styles as st

#: the row of a sheet's column headers (title and subtitle above)
HEADER_ROW = 4
WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell as data: a ``str`` becomes a string cell (``t="s"``) with
    the same text even when it starts with ``=`` (openpyxl would make it a formula); control
    characters a workbook cannot hold are shown as ``\\x1b`` instead of failing the report."""
    if isinstance(value, str):
        text = _ILLEGAL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
        cell = ws.cell(row=row, column=column)
        cell.value = text
        cell.data_type = "s"  # never "f": submitted text is not a formula
        return cell
    return ws.cell(row=row, column=column, value=value)


def title_rows(ws: Worksheet, title: str, subtitle: str) -> None:
    put(ws, 1, 1, title).font = st.TITLE
    put(ws, 2, 1, subtitle)
