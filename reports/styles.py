"""Shared spreadsheet styling: Vietnamese headers, number formats, widths, A4 landscape.

Numbers stay numeric. The format codes use Excel's invariant placeholders (``,`` group,
``.`` decimal), which Excel and LibreOffice render with the reader's locale separators: on a
Vietnamese system (Windows "Vietnamese (Vietnam)", the norm in provincial offices) 58053.5
shows as ``58.053,50``. No text copies of numbers, so sums, sorting and filters keep working.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Protocol

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import DimensionHolder
from openpyxl.worksheet.worksheet import Worksheet

from reports.widths import ValueColumns, widest_display


class BufferedSheet(Protocol):
    """What the header and width helpers need of a sheet being written: the cells kept by
    :class:`reports.cells.SheetBuffer` (declared here as a protocol: cells imports styles)."""

    max_row: int
    max_column: int
    sheet: WriteOnlyWorksheet

    @property
    def row_dimensions(self) -> DimensionHolder: ...

    def cell(self, row: int, column: int, value: object = None) -> Cell: ...

    def values(self, min_row: int) -> Iterator[tuple[int, int, object, str]]: ...

    def cell_values(self, min_row: int) -> Iterator[tuple[int, int, object, str]]: ...

    def value_columns(self, min_row: int) -> ValueColumns: ...


INT = "#,##0"
DEC2 = "#,##0.00"
DEC3 = "#,##0.000"
PCT2 = '#,##0.00" %"'
SIGNED_INT = "+#,##0;-#,##0;0"
SIGNED_DEC2 = "+#,##0.00;-#,##0.00;0.00"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)

INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no []:*?/\\)."""
    base = " ".join(text.translate(INVALID_SHEET_CHARS).split())[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def write_header(ws: BufferedSheet | Worksheet, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
    ws.row_dimensions[row].height = 45


def _display_len(value: object, number_format: str) -> int:
    if value is None:
        return 0
    if isinstance(value, float | int) and not isinstance(value, bool):
        decimals = 2 if "0.00" in number_format else 0
        text = f"{value:,.{decimals}f}"
        return len(text) + (2 if "%" in number_format or "+" in number_format else 0)
    text = unicodedata.normalize("NFC", str(value))
    return max(len(line) for line in text.splitlines()) if text else 0


def fit_columns(ws: BufferedSheet, header_row: int, min_width: int = 6, max_width: int = 60) -> None:
    """Column widths that fit the values (headers wrap, so they count for a third); every
    column of the sheet from the header row down gets one. The data lines below the header
    row are measured a column at a time (:func:`reports.widths.widest_display`)."""
    if ws.max_row < header_row:
        return
    widths = dict.fromkeys(range(1, ws.max_column + 1), 0)
    for r, col, value, number_format in ws.cell_values(header_row):
        n = _display_len(value, number_format)
        if r == header_row:
            n = max(min(n, 14), max((len(w) for w in str(value or "").split()), default=0))
        widths[col] = max(widths[col], n)
    for formats, columns in ws.value_columns(header_row + 1):
        for col, (column, number_format) in enumerate(zip(columns, formats, strict=True), start=1):
            n = widest_display(column, number_format or "General", _display_len)
            widths[col] = max(widths[col], n)
    for col, width in widths.items():
        ws.sheet.column_dimensions[get_column_letter(col)].width = max(min_width, min(max_width, width + 2))


def print_setup(ws: Worksheet | WriteOnlyWorksheet, header_row: int) -> None:
    """A4 landscape, fit to one page wide, header rows repeated on every page."""
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True


#: the field of a cell's style array that holds the workbook's id of each style object
_STYLE_ID_FIELDS = {"border": "borderId", "fill": "fillId", "alignment": "alignmentId", "font": "fontId"}


class StyleIds:
    """Set one style object (a border, fill, alignment or font) on many cells of one
    workbook at the cost of one: openpyxl hashes the object, field by field, on every
    assignment to find its id in the workbook (most of a large sheet's time: about 200 µs
    a cell). The first cell is set as usual; the others get the id it got. One instance per
    workbook; the objects are kept, so their ids stay theirs."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, int], tuple[object, int]] = {}

    def apply(self, cell: Cell, attribute: str, value: object) -> None:
        field = _STYLE_ID_FIELDS[attribute]
        known = self._ids.get((attribute, id(value)))
        if known is None:
            setattr(cell, attribute, value)
            self._ids[(attribute, id(value))] = (value, getattr(cell._style, field))
        else:
            if not cell._style:  # a cell never styled has no style array yet
                cell._style = StyleArray()
            setattr(cell._style, field, known[1])


def grid(ws: Worksheet, first_row: int, last_row: int, n_cols: int) -> None:
    ids = StyleIds()
    for r in range(first_row, last_row + 1):
        for c in range(1, n_cols + 1):
            ids.apply(ws.cell(row=r, column=c), "border", BORDER)
