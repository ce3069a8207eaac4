"""Read every table of one aggregated submission (all sheets, several tables per sheet,
tables written across) into rows of the raw tables, with what the reader left out and what
the forms' own checks found. Pure Python: the caller writes the rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.admin_units import UnitResolver
from ingest.aggregated import PARSERS, ParsedSheet, SheetParser, check_duplicates, fill_merged_labels
from ingest.context import FileContext, extract_context
from ingest.errors import IngestError
from ingest.form_checks import LoadFinding
from ingest.headers import AGGREGATED_FAMILIES, HeaderMatch, Merge, find_header
from ingest.readers import Sheet
from ingest.turned import turned_table


@dataclass
class ReadFile:
    """What one file gave: rows per raw table (with their sheet), and the load report."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    sheet_of: dict[str, dict[int, str | None]] = field(default_factory=dict)
    unit_codes: set[str] = field(default_factory=set)
    period_labels: set[str] = field(default_factory=set)
    sheets: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[LoadFinding] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    ignored_vi: list[str] = field(default_factory=list)
    column_maps: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(r) for r in self.tables.values())

    def add(self, parsed: ParsedSheet, match: HeaderMatch, sheet: str | None) -> None:
        self.findings.extend(parsed.findings)
        self.ignored.extend(ignored_columns(match, sheet))
        self.ignored_vi.extend(ignored_columns(match, sheet, "vi"))
        self.column_maps.append((f"{sheet}: " if sheet else "") + match.column_map())
        for table, rows in parsed.tables.items():
            offset = len(self.tables.setdefault(table, []))
            self.tables[table].extend(rows)
            self.sheet_of.setdefault(table, {}).update({offset + i: sheet for i in range(len(rows))})
        self.unit_codes |= parsed.unit_codes
        self.period_labels |= parsed.period_labels


def ignored_columns(match: HeaderMatch, sheet: str | None, lang: str = "en") -> list[str]:
    """ "K (Ghi chú): recognised, holds no data" for every header column not loaded."""
    where = f"{sheet}!" if sheet else ""
    return [
        f"{where}{match.describe(i)}: {why_en if lang == 'en' else why_vi}"
        for i, (why_en, why_vi) in sorted(match.ignored.items())
    ]


def _parse(
    family: str,
    rows: list[tuple],
    merges: Sequence[Merge],
    match: HeaderMatch,
    context: FileContext,
    resolver: UnitResolver,
    file_name: str,
    sheet: str | None,
) -> tuple[ParsedSheet, SheetParser]:
    parser = SheetParser(match, context, resolver, file_name, sheet)
    return PARSERS[family](parser, fill_merged_labels(rows, merges, match)), parser


def _read_sheet(sheet: Sheet, family: str, file_name: str, resolver: UnitResolver, out: ReadFile) -> int:
    """The tables of ``family`` in one sheet, each under its own header; the number read."""
    merges = getattr(sheet, "merges", ())
    start, blocks, first_context = 0, 0, None
    while True:
        match = find_header(sheet.rows, AGGREGATED_FAMILIES, merges=merges, start=start)
        if match is None or match.family != family:
            break
        context = extract_context(sheet.rows[start : match.header_rows[0]], file_name, resolver)
        if first_context is not None:  # a later table keeps the first one's title block
            context = context.filled_from(first_context)
        first_context = first_context or context
        parsed, parser = _parse(family, sheet.rows, merges, match, context, resolver, file_name, sheet.name)
        out.add(parsed, match, sheet.name)
        blocks += 1
        if parser.stopped_at is None:
            break
        start = parser.stopped_at + 1
    if blocks == 0:
        turned = turned_table(sheet, AGGREGATED_FAMILIES)
        if turned is not None and turned[2].family == family:
            table, title_rows, match = turned
            context = extract_context(title_rows, file_name, resolver)
            parsed, _ = _parse(
                family, table.rows, table.merges, match, context, resolver, file_name, table.name
            )
            out.add(parsed, match, table.name)
            blocks = 1
    return blocks


def read_aggregated_file(
    sheets: list[Sheet], family: str, file_name: str, resolver: UnitResolver
) -> ReadFile:
    """Every table of ``family`` in the file's sheets. Raises :class:`IngestError` when the
    file gives no data row or two rows for one key."""
    out = ReadFile()
    for sheet in sheets:
        if _read_sheet(sheet, family, file_name, resolver, out):
            if sheet.name:
                out.sheets.append(sheet.name)
        elif sheet.name:
            out.skipped.append(sheet.name)
    if out.rows == 0:
        raise IngestError(
            "empty: the header was found but there are no data rows under it",
            "tệp rỗng: có dòng tiêu đề cột nhưng không có dòng dữ liệu nào",
            file_name=file_name,
            sheet=out.sheets[0] if out.sheets else None,
        )
    for table, rows in out.tables.items():
        check_duplicates(table, rows, file_name, out.sheet_of.get(table))
    return out
