"""Write one grid of cells with merged ranges as .xlsx, .xls, .ods or .docx fixture files.

A grid is a list of rows (``None`` = empty cell); merges are 0-based inclusive
``(first_row, first_col, last_row, last_col)``, the value of a range in its top-left cell.
Spreadsheets put the grid at ``origin`` (0-based row, column); a Word document writes
``titles`` as paragraphs, then the grid as a table.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

Merge = tuple[int, int, int, int]


def _covered(merges: list[Merge]) -> dict[tuple[int, int], Merge]:
    """Every cell of a merged range but its top-left one → the range."""
    out = {}
    for m in merges:
        r0, c0, r1, c1 = m
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = m
    return out


def write_xlsx_grid(
    path: Path,
    grid: list[list],
    merges: list[Merge] = (),  # type: ignore[assignment]
    origin: tuple[int, int] = (0, 0),
    sheet: str = "Biểu 1",
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    dr, dc = origin
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(row=r + dr + 1, column=c + dc + 1, value=value)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(
            start_row=r0 + dr + 1, start_column=c0 + dc + 1, end_row=r1 + dr + 1, end_column=c1 + dc + 1
        )
    wb.save(path)
    return path


def write_xls_grid(
    path: Path,
    grid: list[list],
    merges: list[Merge] = (),  # type: ignore[assignment]
    origin: tuple[int, int] = (0, 0),
    sheet: str = "Biểu 1",
    covered_values: bool = False,
) -> Path:
    """``covered_values``: also write the values found in covered cells (``write_merge``
    would refuse them), as some tools do; the merge is then only recorded."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet, cell_overwrite_ok=True)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    datetime_style = xlwt.easyxf(num_format_str="DD/MM/YYYY hh:mm")
    dr, dc = origin
    covered = _covered(list(merges))
    tops = {(m[0], m[1]): m for m in merges}

    def style(value: object) -> xlwt.XFStyle:
        if isinstance(value, datetime):
            return datetime_style
        if isinstance(value, date):
            return date_style
        return xlwt.Style.default_style

    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) in tops and not covered_values:
                r0, c0, r1, c1 = tops[(r, c)]
                ws.write_merge(r0 + dr, r1 + dr, c0 + dc, c1 + dc, value, style(value))
            elif value is not None and ((r, c) not in covered or covered_values):
                ws.write(r + dr, c + dc, value, style(value))
    if covered_values:
        for r0, c0, r1, c1 in merges:
            ws.merge(r0 + dr, r1 + dr, c0 + dc, c1 + dc)
    wb.save(str(path))
    return path


def write_ods_grid(
    path: Path,
    grid: list[list],
    merges: list[Merge] = (),  # type: ignore[assignment]
    origin: tuple[int, int] = (0, 0),
    sheet: str = "Biểu 1",
    header_rows: tuple[int, int] | None = None,
    covered_values: bool = False,
) -> Path:
    """``header_rows`` (first, last grid row): wrap those rows in ``table:table-header-rows``
    as LibreOffice does for repeated print rows. ``covered_values``: keep the values of
    covered cells inside ``table:covered-table-cell`` (LibreOffice keeps hidden contents)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableHeaderRows, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    dr, dc = origin
    covered = _covered(list(merges))
    tops = {(m[0], m[1]): m for m in merges}

    def cell(value: object, kind: type = TableCell, **attrs: object) -> object:
        if value is None:
            return kind(**attrs)
        if isinstance(value, bool):
            el = kind(valuetype="boolean", booleanvalue="true" if value else "false", **attrs)
        elif isinstance(value, int | float):
            el = kind(valuetype="float", value=str(value), **attrs)
        elif isinstance(value, date):  # datetimes too
            el = kind(valuetype="date", datevalue=value.isoformat(), **attrs)
        else:
            el = kind(valuetype="string", **attrs)
        el.addElement(P(text=str(value)))
        return el

    if dr:
        blank = TableRow(numberrowsrepeated=dr)
        blank.addElement(TableCell())
        table.addElement(blank)
    group = None
    for r, row in enumerate(grid):
        tr = TableRow()
        if dc:
            tr.addElement(TableCell(numbercolumnsrepeated=dc))
        width = max([len(row)] + [m[3] + 1 for m in merges if m[0] <= r <= m[2]])
        for c in range(width):
            value = row[c] if c < len(row) else None
            if (r, c) in covered:
                tr.addElement(cell(value if covered_values else None, CoveredTableCell))
            elif (r, c) in tops:
                r0, c0, r1, c1 = tops[(r, c)]
                tr.addElement(cell(value, numbercolumnsspanned=c1 - c0 + 1, numberrowsspanned=r1 - r0 + 1))
            else:
                tr.addElement(cell(value))
        if header_rows and header_rows[0] <= r <= header_rows[1]:
            if group is None:
                group = TableHeaderRows()
                table.addElement(group)
            group.addElement(tr)
        else:
            table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_docx_grid(
    path: Path,
    grid: list[list],
    merges: list[Merge] = (),  # type: ignore[assignment]
    titles: list[str] = (),  # type: ignore[assignment]
) -> Path:
    """Paragraphs ``titles``, then a table of the grid (every value written as text);
    merged with python-docx's ``cell.merge`` (``w:gridSpan`` and ``w:vMerge``)."""
    import docx

    document = docx.Document()
    for title in titles:
        document.add_paragraph(title)
    add_docx_table(document, grid, merges)
    document.save(str(path))
    return path


def add_docx_table(document: object, grid: list[list], merges: list[Merge] = ()) -> object:  # type: ignore[assignment]
    width = max([len(row) for row in grid] + [m[3] + 1 for m in merges])
    table = document.add_table(rows=len(grid), cols=width)  # type: ignore[attr-defined]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    return table
