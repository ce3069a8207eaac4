"""Tables written across: the measures down the first column(s) and the units or levels
along the top (the annex tables of narrative reports often look like this):

    | Chỉ tiêu                 | Cấp huyện | Cấp xã |
    | Tổng số hồ sơ tiếp nhận  | 58.053    | 75.416 |
    | Đã giải quyết            | 56.863    | 75.384 |

When no header is found in a sheet the usual way, the table under its title rows is turned
(rows become columns) and read like any other. Its title rows stay title rows. Row numbers
in messages about a turned table are the original columns: the sheet is named
"<sheet> (bảng xoay: dòng ↔ cột)" so that a reader of a message knows.
"""

from __future__ import annotations

from ingest.headers import HEADER_SCAN_ROWS, HeaderMatch, Merge, find_header
from ingest.readers import Sheet
from ingest.text import is_blank

TURNED_SUFFIX = " (bảng xoay: dòng ↔ cột)"
#: the turned reading must map at least this many family-specific columns
MIN_TURNED_SPECIFIC = 3


def _turn(rows: list[tuple], merges: list[Merge], start: int) -> tuple[list[tuple], list[Merge]]:
    body = rows[start:]
    width = max((len(r) for r in body), default=0)
    turned = [tuple(body[r][c] if c < len(body[r]) else None for r in range(len(body))) for c in range(width)]
    turned_merges = [
        (left, top - start, right, bottom - start) for top, left, bottom, right in merges if top >= start
    ]
    return turned, turned_merges


def turned_table(sheet: Sheet, families: tuple[str, ...]) -> tuple[Sheet, list[tuple], HeaderMatch] | None:
    """(the turned table as a sheet, the title rows above it, its header) when the sheet has
    no header the usual way but reads turned; ``None`` otherwise."""
    merges = list(getattr(sheet, "merges", ()))
    if find_header(sheet.rows, families, merges=merges) is not None:
        return None
    for start in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        row = sheet.rows[start]
        if sum(1 for v in row if not is_blank(v)) < 2:
            continue  # a table's first row spans its columns; title rows hold one cell
        rows, turned_merges = _turn(sheet.rows, merges, start)
        match = find_header(rows, families, merges=turned_merges)
        if match is None or match.specific < MIN_TURNED_SPECIFIC:
            continue
        # the first row a turned header is found from is the table's first row
        return Sheet((sheet.name or "") + TURNED_SUFFIX, rows, turned_merges), list(sheet.rows[:start]), match
    return None
