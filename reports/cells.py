"""Writing a workbook cell safely: text is always a string cell, never a formula, whatever it
starts with (file names, sheet names and messages come from submitters).

The ranking workbook is written in openpyxl's write-only mode: a sheet's cells are kept in
a :class:`SheetBuffer` and streamed to the file in row order by :meth:`SheetBuffer.flush`,
once the sheet's settings (widths, panes, filter, print setup) are set. Title, header and
note rows are openpyxl cells; the data lines (up to ~1.5M cells in the 766 sheet) are kept
as values (:mod:`reports.lines`) and written as the same XML openpyxl writes for such cells,
without an openpyxl cell each, straight into the sheet's file (:class:`RawWriter`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Fill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import DimensionHolder
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from reports import styles as st
from reports.deflate import Deflater, DeflatingFile
from reports.lines import (
    Column,
    Line,
    StyleKey,
    Value,
    line_columns,
    line_xml,
    make_line,
    safe_text,
)
from reports.widths import ValueColumns

#: the row of a sheet's column headers (title and subtitle above)
HEADER_ROW = 4
WRAP = Alignment(wrap_text=True, vertical="top")
#: data lines written to the stream at once
_CHUNK = 500


class CellHolder(Protocol):
    def cell(self, row: int, column: int, value: object = None) -> Cell: ...


class RawWriter(WorksheetWriter):
    """openpyxl's sheet writer on a file it keeps open (``raw``): rows already serialized
    are written to it as they are, between the elements openpyxl writes (no parse)."""

    raw: DeflatingFile | None = None
    #: the sheet's XML compressed as it is written (reports.deflate)
    deflater: Deflater | None = None

    def get_stream(self):  # type: ignore[no-untyped-def]  # openpyxl's generator protocol
        self.deflater = deflater = Deflater()
        try:
            # the sheet's XML goes to the deflater only (its file, self.out, stays empty)
            self.raw = DeflatingFile(deflater)
            with xmlfile(self.raw) as xf, xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass
        finally:
            deflater.close()


class StreamedSheet(WriteOnlyWorksheet):
    """openpyxl's write-only worksheet fed whole rows: a row of openpyxl cells (written by
    openpyxl's writer) or data lines already serialized as XML (UTF-8, written as they
    are). ``dimension``: the used range, written before the rows (openpyxl's writer reads
    ``calculate_dimension``). Its XML goes to a deflater, not to openpyxl's temporary file:
    save its workbook with ``reports.excel.save`` (openpyxl's own ``save`` would store the
    empty file)."""

    dimension = "A1:A1"

    def calculate_dimension(self) -> str:
        return self.dimension

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = RawWriter(self)
            self._writer.write_top()

    def send(self, item: tuple[int, list[Cell]] | bytes) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(item)

    def _write_rows(self):  # type: ignore[no-untyped-def]  # openpyxl's generator protocol
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    item = yield
                    if isinstance(item, bytes):
                        xf.flush()  # what lxml holds goes first
                        self._writer.raw.write(item)
                    else:
                        row_idx, cells = item
                        self._writer.write_row(xf, cells, row_idx)
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def streamed_sheet(wb: Workbook, title: str) -> StreamedSheet:
    """A new :class:`StreamedSheet` at the end of the write-only workbook ``wb``."""
    sheet = StreamedSheet(parent=wb, title=title)
    wb._add_sheet(sheet)
    return sheet


class SheetBuffer:
    """The cells of one streamed worksheet, kept until :meth:`flush` writes them in row
    order. ``cell`` works as a worksheet's: the cell at (row, column), created empty when
    missing. Sheet settings are set on ``sheet`` before the flush."""

    def __init__(self, sheet: StreamedSheet) -> None:
        self.sheet = sheet
        self.rows: dict[int, dict[int, Cell]] = {}
        #: data lines kept as values
        self.lines: dict[int, Line] = {}
        self.max_row = 0
        self.max_column = 0
        self._styles: dict[StyleKey, StyleArray] = {}
        self._fills: dict[int, Fill] = {}
        self._touched: list[tuple[int, int]] = []

    def coordinate(self, row: int, column: int) -> str:
        """The coordinate of (row, column), counted in the sheet's used range as
        ``ws.cell(row, column).coordinate`` counts it (without a cell)."""
        self._touched.append((row, column))
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)
        return f"{get_column_letter(column)}{row}"

    def used_range(self) -> str:
        """The range of every cell made or counted, as a worksheet's ``calculate_dimension``."""
        rows = [*self.rows, *self.lines, *(r for r, _ in self._touched)]
        if not rows:
            return "A1:A1"
        columns = [c for cells in self.rows.values() for c in cells] + [c for _, c in self._touched]
        if self.lines:
            columns.append(1)
        return (
            f"{get_column_letter(min(columns))}{min(rows)}:{get_column_letter(self.max_column)}{self.max_row}"
        )

    @property
    def row_dimensions(self) -> DimensionHolder:
        return self.sheet.row_dimensions

    def cell(self, row: int, column: int, value: object = None) -> Cell:
        if row in self.lines:
            raise ValueError(f"row {row} holds data lines")
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

    def style(self, key: StyleKey) -> StyleArray:
        """The style array of data cells of ``key``, built once (as openpyxl sets it: number
        format, alignment, fill, border)."""
        found = self._styles.get(key)
        if found is None:
            fmt, wrapped, fill_id, bordered = key
            probe = Cell(self.sheet, row=1, column=1)
            if fmt:
                probe.number_format = fmt
            if wrapped:
                probe.alignment = WRAP
            if fill_id:
                probe.fill = self._fills[fill_id]
            if bordered:
                probe.border = st.BORDER
            found = self._styles[key] = probe._style
        return found

    def add_line(
        self, row: int, values: list[Value], n_cols: int, wrap_long: bool, fill: Fill | None
    ) -> None:
        """A data line at ``row``: its values, each bordered up to column ``n_cols``; text
        longer than 60 characters wrapped with ``wrap_long``; every cell filled with ``fill``."""
        if row in self.rows:
            raise ValueError(f"row {row} holds cells")
        fill_id = 0
        if fill is not None:
            fill_id = id(fill)
            self._fills[fill_id] = fill
        line = self.lines[row] = make_line(values, n_cols, wrap_long, fill_id)
        if row > self.max_row:
            self.max_row = row
        if len(line.values) > self.max_column:
            self.max_column = len(line.values)

    def values(self, min_row: int) -> Iterator[tuple[int, int, object, str]]:
        """(row, column, value, number format) of every cell from ``min_row`` down, in
        row order (a data line's dates count as General: widths only read numbers' formats)."""
        for r in range(min_row, self.max_row + 1):
            line = self.lines.get(r)
            if line is not None:
                for col, (value, fmt) in enumerate(zip(line.values, line.formats, strict=True), start=1):
                    yield r, col, value, fmt or "General"
                continue
            for col, cell in self.rows.get(r, {}).items():
                yield r, col, cell.value, cell.number_format

    def cell_values(self, min_row: int) -> Iterator[tuple[int, int, object, str]]:
        """:meth:`values` of the cells from ``min_row`` down and of a data line at
        ``min_row``, not of the data lines below (:meth:`value_columns`)."""
        for r in range(min_row, self.max_row + 1):
            line = self.lines.get(r)
            if line is not None:
                if r == min_row:
                    for col, (value, fmt) in enumerate(zip(line.values, line.formats, strict=True), start=1):
                        yield r, col, value, fmt or "General"
                continue
            for col, cell in self.rows.get(r, {}).items():
                yield r, col, cell.value, cell.number_format

    def value_columns(self, min_row: int) -> ValueColumns:
        """The data lines from ``min_row`` down, by their number formats: the formats and
        the lines' values a column at a time."""
        by_formats: dict[tuple[str | None, ...], list[list[object]]] = {}
        for r, line in self.lines.items():
            if r >= min_row:
                found = by_formats.get(line.formats)
                if found is None:
                    found = by_formats[line.formats] = []
                found.append(line.values)
        return [(formats, list(zip(*values, strict=True))) for formats, values in by_formats.items()]

    def row_values(self, row: int) -> Iterable[tuple[int, object]]:
        """(column, value) of the cells of ``row``."""
        line = self.lines.get(row)
        if line is not None:
            return enumerate(line.values, start=1)
        return ((col, cell.value) for col, cell in self.rows.get(row, {}).items())

    def flush(self) -> None:
        """Write the cells, row by row (the sheet's settings must be set by now)."""
        self.sheet.dimension = self.used_range()
        kinds: dict[tuple[object, ...], list[Column]] = {}
        pending: list[str] = []
        for r in range(1, self.max_row + 1):
            line = self.lines.get(r)
            xml = None
            if line is not None and r not in self.sheet.row_dimensions:
                columns = kinds.get(line.kind)
                if columns is None:
                    columns = kinds[line.kind] = line_columns(line, self._style_attribute)
                xml = line_xml(r, line, columns)
            if xml is not None:
                pending.append(xml)
                if len(pending) >= _CHUNK:
                    self.sheet.send("".join(pending).encode())
                    pending = []
                continue
            if pending:
                self.sheet.send("".join(pending).encode())
                pending = []
            cells = self._line_cells(r, line) if line is not None else self.rows.get(r, {})
            self.sheet.send((r, [cells[c] for c in sorted(cells)]))
        if pending:
            self.sheet.send("".join(pending).encode())
        self.rows, self.lines = {}, {}

    def _line_cells(self, row: int, line: Line) -> dict[int, Cell]:
        """A data line as openpyxl cells (values the XML path does not write, e.g. dates)."""
        cells = {}
        for index, (value, fmt) in enumerate(zip(line.values, line.formats, strict=True)):
            col = index + 1
            cell = Cell(self.sheet, row=row, column=col, style_array=self.style(line.key(index)))
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never "f": submitted text is not a formula
            elif value is not None:
                cell.value = value
                if fmt and cell.data_type == "d":  # a date keeps the format asked for
                    cell.number_format = fmt
            cells[col] = cell
        return cells

    def _style_attribute(self, key: StyleKey) -> str:
        """`` s="<id>"`` of a styled cell of ``key`` (the id registers its style in the
        workbook, as openpyxl's ``Cell.style_id``); empty when unstyled."""
        array = self.style(key)
        return f' s="{self.sheet.parent._cell_styles.add(array)}"' if any(array) else ""


def put(ws: CellHolder, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell as data: a ``str`` becomes a string cell (``t="s"``) with
    the same text even when it starts with ``=`` (openpyxl would make it a formula); control
    characters a workbook cannot hold are shown as ``\\x1b`` instead of failing the report."""
    if isinstance(value, str):
        cell = ws.cell(row=row, column=column)
        cell.value = safe_text(value)
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
        filled = highlighted is not None and i in highlighted
        ws.add_line(first_row + i, values, n_cols, wrap_long, fill if filled else None)


def title_rows(ws: CellHolder, title: str, subtitle: str) -> None:
    put(ws, 1, 1, title).font = st.TITLE
    put(ws, 2, 1, subtitle)
