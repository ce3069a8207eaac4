"""The published reports' speed and sameness: time ``write_reports`` on a published
warehouse, and compare two report directories (the workbooks' parts unzipped byte for byte,
and where they differ as openpyxl reads them back, sheet by sheet and cell by cell; the HTML
byte for byte).

    uv run python -m bench.reports_speed time /tmp/uwh/published/latest.duckdb /tmp/rep-new
    uv run python -m bench.reports_speed compare /tmp/rep-old /tmp/rep-new

Measured 2026-12-06 on the 1M-record warehouse (2 cores, shared machine, load ~3; CPU
seconds ≈ wall), two runs each: before (openpyxl normal mode, a cell object per cell)
30.9 / 31.2 s (workbook 28.1 / 28.4 s, HTML 2.7 / 2.9 s); after (write-only mode, data
lines serialized as openpyxl writes them) 11.6 / 11.9 s (workbook 9.5 / 9.7 s, HTML
2.2 / 2.1 s). ``compare`` of the two outputs: identical, on that warehouse and on the
tests' demo warehouse (all provinces and province 87).

Measured again 2026-12-06 07:18 UTC on the 1M-record warehouse (3,321 communes), runs of
the code before and after interleaved, load average 2.5–3.1 on the 2 cores (another
session building): before 10.66 / 10.67 / 10.24 s wall (median 10.66 s; 10.3 s CPU);
after (data lines written to the sheet file as they are, not parsed again by lxml; their
XML from column templates per kind of line; the 766 sheet's widths a column at a time;
the HTML report written by a second process while the workbooks are) 8.40 / 5.86 / 5.42 s
(median 5.86 s; 8.1 s CPU, both processes; the 8.4 s run had no second core free). On a
quieter machine (load 1.2–2.2) after: 4.86 / 4.84 / 4.87 s. ``compare``: identical on
that warehouse and on the demo warehouse (all provinces and province 87); the HTML byte
for byte.

Measured again 2026-12-06 09:45-10:05 UTC on the 1M-record publication of the increment
sandbox (80 MB of XML in the 766 sheet), the machine shared (load 5-14: wall times
meaningless), CPU seconds per process, runs of the code before and after interleaved:
the first process (the workbooks) 4.15 / 4.22 / 4.23 / 4.38 s before, its main thread
2.50 / 2.58 s after (+0.5 s of compression on a thread of its own); the HTML report's
process 2.45 s before, 2.09 s after. What changed: no cyclic garbage collection while the
reports are written (engines.heap); the parts deflated at level 5 (+1.7 % of bytes), the
sheets while they are written (reports.deflate); a number's and a text's XML kept once
made; the HTML report's process no longer imports openpyxl, pandas and the workbooks'
modules (reports.labels, a lazy reports/__init__); its answer alone on its standard output
(DuckDB's progress bar, written to it when a query runs for more than 2 s on a busy
machine, had made the answer unreadable). ``compare``: identical on that publication and
on the demo (all provinces and province 87).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from zipfile import ZipFile

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

StyleKey = tuple[int, ...]


def _tree(obj: object) -> str:
    """An openpyxl object as its XML (``""`` when it has none)."""
    from openpyxl.xml.functions import tostring

    to_tree = getattr(obj, "to_tree", None)
    if to_tree is None:
        return repr(obj)
    tree = to_tree()
    return "" if tree is None else tostring(tree).decode()


def _styles(wb: Workbook) -> dict[StyleKey, tuple[str, ...]]:
    """A resolver of a cell's style array to its style objects (as XML), cached per array."""
    cache: dict[StyleKey, tuple[str, ...]] = {}

    def resolve(key: StyleKey) -> tuple[str, ...]:
        found = cache.get(key)
        if found is None:
            probe = Cell(wb.worksheets[0], row=1, column=1)  # not added to the sheet
            probe._style = StyleArray(key)
            found = (
                probe.number_format,
                _tree(probe.font),
                _tree(probe.fill),
                _tree(probe.border),
                _tree(probe.alignment),
                _tree(probe.protection),
                str(probe.quotePrefix),
                str(probe.pivotButton),
            )
            cache[key] = found
        return found

    return resolve  # type: ignore[return-value]


def _sheet_settings(ws: Worksheet) -> dict[str, object]:
    cols = {
        k: (d.width, d.hidden, d.min, d.max, d.customWidth, d.bestFit, d.outlineLevel, d.collapsed, d.style)
        for k, d in ws.column_dimensions.items()
    }
    rows = {
        k: (d.height, d.hidden, d.customHeight, d.outlineLevel, d.s) for k, d in ws.row_dimensions.items()
    }
    return {
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "columns": cols,
        "rows": rows,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": _tree(ws.auto_filter),
        "data_validations": _tree(ws.data_validations),
        "conditional_formatting": [_tree(cf) for cf in ws.conditional_formatting],
        "print_title_rows": ws.print_title_rows,
        "print_title_cols": ws.print_title_cols,
        "print_area": ws.print_area,
        "page_setup": _tree(ws.page_setup),
        "print_options": _tree(ws.print_options),
        "page_margins": _tree(ws.page_margins),
        "sheet_properties": _tree(ws.sheet_properties),
        "sheet_format": _tree(ws.sheet_format),
        "views": _tree(ws.views),
        "sheet_state": ws.sheet_state,
        "protection": _tree(ws.protection),
        "defined_names": {k: _tree(v) for k, v in ws.defined_names.items()},
        "header_footer": _tree(ws.HeaderFooter),
        "row_breaks": _tree(ws.row_breaks),
        "col_breaks": _tree(ws.col_breaks),
    }


def compare_workbooks(old: Path, new: Path) -> Iterator[str]:
    """Every difference the reader of ``new`` could see against ``old``."""
    a, b = load_workbook(old), load_workbook(new)
    if a.sheetnames != b.sheetnames:
        yield f"sheet names: {a.sheetnames} != {b.sheetnames}"
        return
    wb_a = {k: _tree(v) for k, v in a.defined_names.items()}
    wb_b = {k: _tree(v) for k, v in b.defined_names.items()}
    if wb_a != wb_b:
        yield f"workbook defined names: {wb_a} != {wb_b}"
    if [_tree(v) for v in a.views] != [_tree(v) for v in b.views]:
        yield "workbook views differ"
    if _tree(a.calculation) != _tree(b.calculation):
        yield "calculation properties differ"
    style_a, style_b = _styles(a), _styles(b)
    for name in a.sheetnames:
        wa, wb = a[name], b[name]
        sa, sb = _sheet_settings(wa), _sheet_settings(wb)
        for key in sa:
            if sa[key] != sb[key]:
                yield f"{name}: {key}: {sa[key]!r} != {sb[key]!r}"
        cells_a, cells_b = wa._cells, wb._cells
        keys = sorted(set(cells_a) | set(cells_b))
        shown = 0
        for key in keys:
            ca, cb = cells_a.get(key), cells_b.get(key)
            if ca is None or cb is None:
                diff = f"cell only in {'new' if ca is None else 'old'}"
            else:
                va = (ca.value, type(ca.value).__name__, ca.data_type, style_a(tuple(ca._style)))
                vb = (cb.value, type(cb.value).__name__, cb.data_type, style_b(tuple(cb._style)))
                if va == vb:
                    continue
                diff = f"{va!r} != {vb!r}"
            shown += 1
            if shown <= 20:
                yield f"{name}!R{key[0]}C{key[1]}: {diff}"
        if shown > 20:
            yield f"{name}: {shown} cells differ in all"


#: the workbook's times of creation and saving (docProps/core.xml), the one part that differs
#: between two runs of the same code
_SAVED_AT = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def compare_parts(old: Path, new: Path) -> Iterator[str]:
    """Every part (file) of the workbook ``new`` whose bytes, unzipped, differ from ``old``'s,
    the times of creation and saving aside; the parts' order counts."""
    with ZipFile(old) as a, ZipFile(new) as b:
        if a.namelist() != b.namelist():
            yield f"parts: {a.namelist()} != {b.namelist()}"
            return
        for name in a.namelist():
            part_a, part_b = a.read(name), b.read(name)
            if name == "docProps/core.xml":
                part_a, part_b = _SAVED_AT.sub(rb"\1\2", part_a), _SAVED_AT.sub(rb"\1\2", part_b)
            if part_a != part_b:
                yield f"part {name} differs"


def compare_dirs(old: Path, new: Path) -> list[str]:
    """Differences between two report directories (empty: the same reports): a workbook's
    parts byte for byte (:func:`compare_parts`), and where they differ what a reader could
    see (:func:`compare_workbooks`); any other file byte for byte."""
    names_old = sorted(p.name for p in old.iterdir() if p.is_file())
    names_new = sorted(p.name for p in new.iterdir() if p.is_file())
    if names_old != names_new:
        return [f"files: {names_old} != {names_new}"]
    found: list[str] = []
    for name in names_old:
        if name.endswith(".xlsx"):
            parts = [f"{name}: {d}" for d in compare_parts(old / name, new / name)]
            if parts:
                found += parts
                found += [f"{name}: {d}" for d in compare_workbooks(old / name, new / name)]
        elif (old / name).read_bytes() != (new / name).read_bytes():
            found.append(f"{name}: bytes differ")
    return found


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the HTML report's
    process)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def time_reports(published_db: Path, out_dir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``write_reports`` (the CPU time is the figure to trust on a
    shared machine; with the second process it is more than the wall time)."""
    from reports import write_reports

    start, cpu = time.perf_counter(), _cpu_seconds()
    write_reports(published_db, out_dir)
    return time.perf_counter() - start, _cpu_seconds() - cpu


def main(argv: list[str]) -> int:
    command, first, second = argv
    if command == "time":
        wall, cpu = time_reports(Path(first), Path(second))
        print(f"write_reports: {wall:.1f} s wall, {cpu:.1f} s CPU")
        return 0
    differences = compare_dirs(Path(first), Path(second))
    for line in differences:
        print(line)
    print("identical" if not differences else f"{len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
