"""Writing a workbook cell safely: text is always a string cell, never a formula, whatever it
starts with (file names, sheet names and messages come from submitters).

The ranking workbook is written in openpyxl's write-only mode: a sheet's cells are kept in
a :class:`SheetBuffer` (the same cells a normal worksheet would hold) and streamed to the
file in row order by :meth:`SheetBuffer.flush`, once the sheet's settings (widths, panes,
filter, print setup) are set."""

from __future__ import annotations

from typing import Protocol

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as _ILLEGAL_CHARACTERS
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Fill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import DimensionHolder

from reports import styles as st

#: the row of a sheet's column headers (title and subtitle above)
HEADER_ROW = 4
WRAP = Alignment(wrap_text=True, vertical="top")
#: a value and its number format (None: General)
Value = tuple[object, str | None]
#: a style of data cells: number format, wrapped, filled, bordered
StyleKey = tuple[str | None, bool, bool, bool]


class CellHolder(Protocol):
    def cell(self, row: int, column: int, value: object = None) -> Cell: ...


class SheetBuffer:
    """The cells of one write-only worksheet, kept until :meth:`flush` writes them in row
    order. ``cell`` works as a worksheet's: the cell at (row, column), created empty when
    missing. Sheet settings are set on ``sheet`` before the flush."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.rows: dict[int, dict[int, Cell]] = {}
        self.max_row = 0
        self.max_column = 0
        self._styles: dict[tuple[StyleKey, int], StyleArray] = {}

    @property
    def row_dimensions(self) -> DimensionHolder:
        return self.sheet.row_dimensions

    def cell(self, row: int, column: int, value: object = None) -> Cell:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        cell = cells.get(column)
        if cell is None:
            cell = cells[column] = Cell(self.sheet, row=row, column=column)
            self.max_row = max(self.max_row, row)
            self.max_column = max(self.max_column, column)
        if value is not None:
            cell.value = value
        return cell

    def style(self, key: StyleKey, fill: Fill) -> StyleArray:
        """The style array of data cells of ``key`` (``fill`` for the filled ones), built once."""
        found = self._styles.get((key, id(fill)))
        if found is None:
            fmt, wrapped, filled, bordered = key
            probe = Cell(self.sheet, row=1, column=1)
            if fmt:
                probe.number_format = fmt
            if wrapped:
                probe.alignment = WRAP
            if filled:
                probe.fill = fill
            if bordered:
                probe.border = st.BORDER
            found = self._styles[(key, id(fill))] = probe._style
        return found

    def put_styled(self, row: int, column: int, value: object, style: StyleArray, fmt: str | None) -> None:
        """:func:`put` of a new cell with a prepared style (``fmt``: its number format)."""
        cell = Cell(self.sheet, row=row, column=column, style_array=style)
        if isinstance(value, str):
            cell.value = _text(value)
            cell.data_type = "s"  # never "f": submitted text is not a formula
        elif value is not None:
            cell.value = value
            if fmt and cell.data_type == "d":  # a date keeps the format asked for
                cell.number_format = fmt
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        cells[column] = cell
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)

    def flush(self) -> None:
        """Write the cells, row by row (the sheet's settings must be set by now)."""
        for r in range(1, self.max_row + 1):
            cells = self.rows.get(r)
            if not cells:
                self.sheet.append([])
                continue
            self.sheet.append([cells.get(c) for c in range(1, max(cells) + 1)])
        self.rows = {}


def _text(value: str) -> str:
    return _ILLEGAL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def put(ws: CellHolder, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell as data: a ``str`` becomes a string cell (``t="s"``) with
    the same text even when it starts with ``=`` (openpyxl would make it a formula); control
    characters a workbook cannot hold are shown as ``\\x1b`` instead of failing the report."""
    if isinstance(value, str):
        cell = ws.cell(row=row, column=column)
        cell.value = _text(value)
        cell.data_type = "s"  # never "f": submitted text is not a formula
        return cell
    return ws.cell(row=row, column=column, value=value)


def write_lines(
    ws: SheetBuffer,
    first_row: int,
    lines: list[list[Value]],
    n_cols: int,
    *,
    wrap_long: bool = False,
    highlighted: set[int] | None = None,
    fill: Fill = st.TOTAL_FILL,
) -> None:
    """Data lines (value, number format) from ``first_row``, each cell bordered up to
    column ``n_cols`` (empty bordered cells where a line is shorter); with ``wrap_long``
    text longer than 60 characters wraps; lines whose index is in ``highlighted`` get
    ``fill``."""
    for i, values in enumerate(lines):
        row = first_row + i
        filled = bool(highlighted) and i in highlighted  # type: ignore[operator]
        for col, (value, fmt) in enumerate(values, start=1):
            wrapped = wrap_long and isinstance(value, str) and len(value) > 60
            style = ws.style((fmt, wrapped, filled, col <= n_cols), fill)
            ws.put_styled(row, col, value, style, fmt)
        for col in range(len(values) + 1, n_cols + 1):
            ws.put_styled(row, col, None, ws.style((None, False, False, True), fill), None)


def title_rows(ws: CellHolder, title: str, subtitle: str) -> None:
    put(ws, 1, 1, title).font = st.TITLE
    put(ws, 2, 1, subtitle)
