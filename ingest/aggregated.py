"""Turn the data rows of a matched sheet into rows of the aggregated raw tables
(``raw.dossiers``, ``raw.staff``, ``raw.budget``, ``raw.surveys``, ``raw.survey_responses``).

Pure Python, no database: raises :class:`IngestError` naming sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial

from ingest import vocabulary
from ingest.admin_units import UnitResolver, names_a_unit_type
from ingest.context import FileContext, row_text
from ingest.dates import parse_date
from ingest.errors import IngestError, ParseError, PeriodParseError
from ingest.form_checks import (
    DossierFormChecks,
    LoadFinding,
    channel_options,
    check_section,
    rate_finding,
    unmapped_numeric_columns,
)
from ingest.headers import (
    HeaderMatch,
    find_header,
    is_numbering_row,
    is_numeric_cell,
    load_aliases,
    survey_questions,
)
from ingest.numbers import infer_decimal_mark, parse_count, parse_decimal
from ingest.periods import Period, find_authority_level_in_text, find_period_in_text, parse_authority_level
from ingest.text import clean, fold, is_blank

#: the count columns of raw.dossiers (the vocabulary's measures but the combined
#: "early or on time", which is loaded into resolved_on_time)
DOSSIER_COUNTS = tuple(m for m in vocabulary.DOSSIER_MEASURES if m != "resolved_early_or_on_time")
#: every measure a dossier form can state
DOSSIER_MEASURES = vocabulary.DOSSIER_MEASURES
#: the figures of the other families' rows
_FAMILY_MEASURES = ("quota", "actual", "plan_mvnd", "disbursed_mvnd", "forms", "satisfied_forms")
#: unit kind → authority level (dbt_project/seeds/unit_kinds.csv, declared once)
KIND_LEVEL = vocabulary.kind_levels()
_TOTAL_FIRST = ("tong", "total")
_CONG_SECOND = {"chung", "toan", "tat", "so", "cac", "cong"}
_DASHES = {"-", "–", "—", "--"}
_ORDINAL = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[ivxIVX]{1,5}|[a-zA-Z])[.)]?$")
_ROMAN = re.compile(r"^[ivxIVX]{1,5}[.)]?$")
ORDINAL_HEADERS = {"stt", "tt", "so tt", "so thu tu"}


def is_total_label(value: object) -> bool:
    """ "Tổng cộng", "Tổng số", "Cộng", "Total" … (not a unit such as "Cộng Hòa")."""
    words = fold(value).split()
    if not words:
        return False
    if words[0] in _TOTAL_FIRST:
        return True
    # "Cộng", "Cộng chung", "Cộng (I)", "Cộng (I+II)"; not "Cộng Hòa"
    refs = all(_ROMAN.match(w) or w.isdigit() or len(w) == 1 for w in words[1:])
    return words[0] == "cong" and (len(words) == 1 or words[1] in _CONG_SECOND or refs)


def _first_text(cells: tuple) -> object:
    for v in cells:
        if isinstance(v, str) and v.strip():
            return v
    return None


#: columns whose merged cells below the header hold one value for every row they span
LABEL_COLUMNS = ("unit_code", "unit_name", "province", "period", "authority_level", "field", "as_of_date")


def fill_merged_labels(
    rows: list[tuple], merges: Sequence[tuple[int, int, int, int]], match: HeaderMatch
) -> list[tuple]:
    """The sheet's rows with the merged cells of its label columns filled below the header
    (a unit name merged down over its field rows names each of them). Figures are never
    filled: a merged number cell is not a number for every row."""
    columns = {match.columns[c] for c in LABEL_COLUMNS if c in match.columns}
    spans = [m for m in merges if m[0] >= match.first_data_row and m[1] in columns and m[2] > m[0]]
    if not spans:
        return rows
    out = [list(r) for r in rows]
    for top, left, bottom, right in spans:
        value = out[top][left] if left < len(out[top]) else None
        for i in range(top + 1, min(bottom, len(out) - 1) + 1):
            for c in range(left, right + 1):
                if c in columns:
                    out[i].extend([None] * (c + 1 - len(out[i])))
                    if is_blank(out[i][c]):
                        out[i][c] = value
    return [tuple(r) for r in out]


def _is_bulleted(label: str | None, ordinal: str | None) -> bool:
    """ "- Hộ tịch", "+ Đất đai", or a row numbered "-" or "+": an item of the row above."""
    bullets = ("-", "+", "*", "•", "·", "–")
    return (label is not None and label.lstrip()[:1] in bullets) or (
        ordinal is not None and ordinal in bullets
    )


def _is_dash(value: object) -> bool:
    return isinstance(value, str) and value.strip() in _DASHES


@dataclass(frozen=True)
class FormRow:
    """A row under the header: ``data`` (loaded), ``total`` (a stated total, kept for the
    sum-of-parts check), ``section`` (a section or group row: it sets the authority level
    of the rows below and its figures are the section's subtotal, checked, never loaded)."""

    row: int  # 1-based row number in the sheet
    cells: tuple
    kind: str  # data, total, subtotal, section, part
    label: str | None = None
    level: str | None = None
    #: a section row that is itself the data (no row under it): the reporting unit's row
    is_level_row: bool = False
    #: the unit named on a row without figures above this one ("1 | Phường 1" over "- Hộ tịch")
    parent: str | None = None


@dataclass
class ParsedSheet:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    unit_codes: set[str] = field(default_factory=set)
    period_labels: set[str] = field(default_factory=set)
    findings: list[LoadFinding] = field(default_factory=list)


class SheetParser:
    """Parses the data rows of one sheet for one family."""

    def __init__(
        self,
        match: HeaderMatch,
        context: FileContext,
        resolver: UnitResolver,
        file_name: str,
        sheet: str | None,
    ) -> None:
        self.m = match
        self.ctx = context
        self.resolver = resolver
        self.file_name = file_name
        self.sheet = sheet
        self.section_level: str | None = None
        self.out = ParsedSheet()
        #: 0-based index of the closing totals row, when rows follow it
        self.stopped_at: int | None = None
        self.ordinal_idx = next(
            (
                i
                for i in sorted(match.known_ignored)
                if any(fold(p) in ORDINAL_HEADERS for p in match.paths.get(i, ()))
            ),
            None,
        )

    # -- helpers
    def error(self, message: str, message_vi: str, row: int, column: str | None = None) -> IngestError:
        return IngestError(
            message,
            message_vi,
            file_name=self.file_name,
            sheet=self.sheet,
            row=row,
            column=column,
        )

    def cell(self, cells: tuple, canonical: str) -> object:
        idx = self.m.columns.get(canonical)
        if idx is None:
            idx = self.m.rates.get(canonical)
        if idx is None or idx >= len(cells):
            return None
        value = cells[idx]
        return None if is_blank(value) else value

    def parse(self, cells: tuple, canonical: str, fn: Callable, row: int) -> object:
        value = self.cell(cells, canonical)
        if value is None:
            return None
        try:
            return fn(value)
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc,
                file_name=self.file_name,
                sheet=self.sheet,
                row=row,
                column=self.m.column_name(canonical),
            ) from exc

    def resolve_unit(self, code: object, name: object, row: int, on_date: date, column: str | None) -> str:
        province = self.ctx.province
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        try:
            return self.resolver.resolve(
                code=None if code is None else str(code),
                name=None if name is None else str(name),
                province=None if province is None else str(province),
                on_date=on_date,
            )
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc, file_name=self.file_name, sheet=self.sheet, row=row, column=column
            ) from exc

    def resolve_within_reporting_unit(self, name: object, row: int, on_date: date, column: str | None) -> str:
        """A unit named in a row, looked for under the reporting unit of the title block
        first ("Phường 1" of the reporting city, not another city's Phường 1)."""
        reporting = self.ctx.unit_name
        if reporting and fold(reporting) != fold(name):
            try:
                return self.resolve_unit(None, f"{clean(name)}, {reporting}", row, on_date, column)
            except IngestError:
                pass
        return self.resolve_unit(None, name, row, on_date, column)

    def unit(self, cells: tuple, row: int, on_date: date) -> tuple[str, str]:
        code = self.cell(cells, "unit_code")
        name = self.cell(cells, "unit_name")
        column = self.m.column_name("unit_code" if code is not None else "unit_name")
        if code is None and name is None:
            if not self.ctx.unit_name:
                raise self.error(
                    "no unit: the row has neither a unit code nor a unit name, and the title"
                    " rows name no unit ('Đơn vị báo cáo: …')",
                    "không xác định được đơn vị: dòng không có mã đơn vị hoặc tên đơn vị và"
                    " phần tiêu đề không ghi 'Đơn vị báo cáo: …'",
                    row,
                    column,
                )
            name, column = self.ctx.unit_name, "title rows"
        province = self.cell(cells, "province")
        if province is not None and province != self.ctx.province:
            saved, self.ctx = self.ctx, replace(self.ctx, province=str(province))
            try:
                unit_code = self.resolve_unit(code, name, row, on_date, column)
            finally:
                self.ctx = saved
        elif code is None and column != "title rows":
            unit_code = self.resolve_within_reporting_unit(name, row, on_date, column)
        else:
            unit_code = self.resolve_unit(code, name, row, on_date, column)
        submitted = clean(name if name is not None else code)
        return unit_code, submitted

    def period(self, cells: tuple, row: int, required: bool = True) -> Period | None:
        from ingest.periods import parse_period

        value = self.parse(cells, "period", parse_period, row)
        period = value if isinstance(value, Period) else self.ctx.period
        if period is None and required:
            raise self.error(
                "the period cannot be determined: no 'Kỳ báo cáo' column and no period in"
                " the title rows or the file name (e.g. 'Năm 2023', 'Quý III/2023', '2023-H1')",
                "không xác định được kỳ báo cáo: không có cột 'Kỳ báo cáo' và tiêu đề hoặc tên"
                " tệp không ghi kỳ (ví dụ 'Năm 2023', 'Quý III/2023', '2023-H1')",
                row,
                self.m.column_name("period"),
            )
        return period

    def level(self, cells: tuple, row: int, unit_code: str | None) -> str | None:
        value = self.parse(cells, "authority_level", parse_authority_level, row)
        if value:
            return str(value)
        if self.section_level or self.ctx.authority_level:
            return self.section_level or self.ctx.authority_level
        unit = self.resolver.get(unit_code) if unit_code else None
        return KIND_LEVEL.get(unit.unit_kind) if unit else None

    def count(self, cells: tuple, canonical: str, row: int) -> int | None:
        if _is_dash(self.cell(cells, canonical)):
            return 0  # "-" in a form's number cell means none
        return self.parse(cells, canonical, parse_count, row)  # type: ignore[return-value]

    def label_of(self, cells: tuple) -> str | None:
        """The row's label: its field (lĩnh vực) or unit name, else its first text."""
        for canonical in ("field", "unit_name"):
            value = self.cell(cells, canonical)
            if value is not None:
                return clean(value)
        first = _first_text(cells)
        return None if first is None else clean(first)

    def raw_ordinal(self, cells: tuple) -> str | None:
        if self.ordinal_idx is None or self.ordinal_idx >= len(cells) or is_blank(cells[self.ordinal_idx]):
            return None
        return clean(cells[self.ordinal_idx])

    def ordinal(self, cells: tuple) -> str | None:
        if self.ordinal_idx is None or self.ordinal_idx >= len(cells) or is_blank(cells[self.ordinal_idx]):
            return None
        value = cells[self.ordinal_idx]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = clean(value).rstrip(".)")
        return text if _ORDINAL.match(text) else None

    # -- row loop
    def is_total_row(self, cells: tuple, label: str | None) -> bool:
        texts = [label, _first_text(cells), *(self.cell(cells, c) for c in ("category", "programme"))]
        return any(is_total_label(t) for t in texts if t is not None)

    def starts_new_table(self, all_rows: list[tuple], i: int) -> bool:
        """Whether a header of this family starts at row ``i`` (or just below it): a second
        table of the sheet begins."""
        match = find_header(all_rows[: i + 8], (self.m.family,), start=i)
        return match is not None and match.header_rows[0] <= i + 1

    def rows(self, all_rows: list[tuple], measures: tuple[str, ...]) -> list[FormRow]:
        """The rows under the header, classified; blank, numbering, "Trong đó" (and the
        "of which" rows under it) and footer rows are left out. The table ends where a new
        header starts (another table of the sheet)."""
        start = self.m.first_data_row
        measure_idx = [self.m.columns[c] for c in measures if c in self.m.columns]
        measure_idx += list(self.m.questions.values())
        out: list[FormRow] = []
        of_which = False
        heading: str | None = None  # a unit named on a row without figures ("1 | Phường 1")
        leading = 0
        for i in range(start, len(all_rows)):
            cells = all_rows[i]
            row = i + 1
            if all(is_blank(v) for v in cells):
                continue
            leading += 1
            if leading <= 3 and is_numbering_row(cells):
                continue
            label = self.label_of(cells)
            total = self.is_total_row(cells, label)
            has_measure = any(idx < len(cells) and not is_blank(cells[idx]) for idx in measure_idx)
            numeric = any(idx < len(cells) and is_numeric_cell(cells[idx]) for idx in measure_idx)
            after_total = any(r.kind == "total" for r in out)
            level = None if total else vocabulary.section_level(label)
            if after_total and not total and not numeric and level is None:
                if self.starts_new_table(all_rows, i):
                    self.stopped_at = i - 1
                    break
                continue  # signatures and notes under a totals row
            ordinal = self.ordinal(cells)
            if level is None and not has_measure and not total:
                level = find_authority_level_in_text(row_text(cells))
            if level is not None:
                out.append(FormRow(row, cells, "section", label, level))
                of_which, heading = False, None
                continue
            if fold(label).startswith("trong do"):
                of_which = True  # the rows under it are parts of the row above
                continue
            bulleted = _is_bulleted(label, self.raw_ordinal(cells))
            if of_which:
                if bulleted or (ordinal is None and self.ordinal_idx is not None):
                    continue
                of_which = False
            if ordinal is not None and _ROMAN.match(ordinal) and has_measure:
                out.append(FormRow(row, cells, "section", label, None))  # "I", "II" groups
                heading = None
                continue
            if not has_measure:
                if label and not total and not bulleted and names_a_unit_type(label):
                    heading = label  # its fields follow, written "- Hộ tịch"
                continue
            if bulleted and not total:
                if heading is not None:
                    out.append(FormRow(row, cells, "data", label, parent=heading))
                    continue
                if out and out[-1].kind in ("data", "part"):
                    # "- Hộ tịch" under "1 | Phường Lộc Thọ | 30 …": a part of the row above
                    out.append(FormRow(row, cells, "part", label))
                    continue
            heading = None
            out.append(FormRow(row, cells, "total" if total else "data", label))
        return self._resolve_structure(out)

    def data_rows(
        self, all_rows: list[tuple], measures: tuple[str, ...]
    ) -> Iterator[tuple[int, tuple, bool]]:
        """(row number, cells, is_total) of the data and totals rows; a section row sets the
        authority level of the rows below it."""
        for r in self.rows(all_rows, measures):
            if r.kind == "section":
                if r.level:
                    self.section_level = r.level
                continue
            if r.kind == "subtotal":
                continue
            yield r.row, r.cells, r.kind == "total"

    def _resolve_structure(self, rows: list[FormRow]) -> list[FormRow]:
        """A numbered row whose number heads the next rows' ("1" before "1.1", "1.2") is a
        group: its figures are its parts' subtotal. A section or group row with figures and
        no row under it is itself the data ("I | Cấp huyện | 58.053 …" then "II | Cấp xã |
        75.416 …": the reporting unit's figures at each level). Parts ("- Hộ tịch") are
        left out: their row above holds them."""
        ordinals = [self.ordinal(r.cells) if r.kind == "data" else None for r in rows]
        marked: list[FormRow] = []
        for k, r in enumerate(rows):
            o = ordinals[k]
            if o and any(later and later.startswith(o + ".") for later in ordinals[k + 1 :]):
                marked.append(FormRow(r.row, r.cells, "section", r.label, None))
            else:
                marked.append(r)
        totals = [k for k, r in enumerate(marked) if r.kind == "total"]
        data = [k for k, r in enumerate(marked) if r.kind == "data"]
        for k in totals:
            # a totals row with data rows after it ("Cộng (I)" closing a section) is a
            # subtotal; the last one closes the table (unless it opens it: "Tổng số" on top)
            if k != totals[-1] or (data and data[-1] > k and data[0] < k):
                r = marked[k]
                marked[k] = FormRow(r.row, r.cells, "subtotal", r.label)
        out: list[FormRow] = []
        for k, r in enumerate(marked):
            if r.kind == "part":
                continue
            if r.kind == "section" and self._has_figures(r.cells):
                following = next((n for n in marked[k + 1 :] if n.kind != "part"), None)
                if following is None or following.kind in ("section", "total"):
                    out.append(FormRow(r.row, r.cells, "data", r.label, r.level, is_level_row=True))
                    continue
            out.append(r)
        return out

    def _has_figures(self, cells: tuple) -> bool:
        idx = [i for c, i in self.m.columns.items() if c in DOSSIER_MEASURES or c in _FAMILY_MEASURES]
        return any(i < len(cells) and is_numeric_cell(cells[i]) for i in idx)

    def note(self, unit_code: str | None, period: Period | None) -> None:
        if unit_code:
            self.out.unit_codes.add(unit_code)
        if period is not None:
            self.out.period_labels.add(period.label)


def _check_period(parser: SheetParser, period: Period | None, row: int) -> None:
    if period is None:
        return
    try:
        period.label  # noqa: B018 - validates the span
    except PeriodParseError as exc:
        raise IngestError.from_parse_error(
            exc,
            file_name=parser.file_name,
            sheet=parser.sheet,
            row=row,
            column=parser.m.column_name("period"),
        ) from exc


# --- dossiers ------------------------------------------------------------------------------


def _dossier_unit(p: SheetParser, r: FormRow, on_date: date) -> tuple[str, str, str | None]:
    """(unit code, submitted unit, field) of a data row. Without a unit column, the row's
    label is a unit when it names one ("Phường Lộc Thọ"), otherwise a field (lĩnh vực) of
    the reporting unit named in the title block."""
    field_value = p.cell(r.cells, "field")
    field_text = None if field_value is None else clean(field_value)
    if r.parent is not None:  # "- Hộ tịch" under "1 | Phường 1": a field of that unit
        column = p.m.column_name("field") or p.m.column_name("unit_name")
        code = p.resolve_within_reporting_unit(r.parent, r.row, on_date, column)
        return code, r.parent, (r.label or "").lstrip("-+*•·– ").strip() or None
    has_unit_column = "unit_code" in p.m.columns or "unit_name" in p.m.columns
    if has_unit_column or field_text is None or not names_a_unit_type(field_text):
        unit_code, submitted = p.unit(r.cells, r.row, on_date)
        return unit_code, submitted, field_text
    code = p.resolve_within_reporting_unit(field_text, r.row, on_date, p.m.column_name("field"))
    return code, field_text, None


def _stated_counts(p: SheetParser, r: FormRow) -> dict[str, int | None]:
    stated = {m: p.count(r.cells, m, r.row) for m in DOSSIER_MEASURES if m in p.m.columns}
    if any(v is not None for v in stated.values()):
        for m, v in stated.items():
            if v is None and m in LEAF_MEASURES:
                stated[m] = 0  # a blank leaf on a row with figures: none
    return stated


def _channels(stated: dict[str, int | None], cols: dict[str, int]) -> int | None:
    for option in channel_options(cols):
        if any(stated.get(m) is not None for m in option):
            return sum(stated.get(m) or 0 for m in option)
    return None


#: measures that are a form's leaves: a blank cell on a row with figures is none (0); the
#: totals a form states (received for handling, resolved, pending) stay blank when blank
LEAF_MEASURES = frozenset(
    {
        "carried_in",
        "received_online",
        "received_fully_online",
        "received_partly_online",
        "received_in_person",
        "received_postal",
        "received_in_person_or_postal",
        "resolved_early",
        "resolved_on_time",
        "resolved_early_or_on_time",
        "resolved_late",
        "pending_not_due",
        "pending_overdue",
        "waiting_supplement",
        "returned",
        "withdrawn",
        "stopped",
    }
)


def dossier_counts(stated: dict[str, int | None], cols: dict[str, int]) -> dict[str, int | None]:
    """raw.dossiers counts from what a form states: ``received`` is the newly received (the
    channels' sum, or the total for handling less what was carried in, when the form gives
    no such column), "early or on time" goes to resolved_on_time, online is its parts' sum
    when only the parts are given."""
    counts = {m: stated.get(m) for m in DOSSIER_COUNTS}
    eot = stated.get("resolved_early_or_on_time")
    if eot is not None and counts["resolved_on_time"] is None:
        early = counts["resolved_early"]
        counts["resolved_on_time"] = eot - early if early is not None and early <= eot else eot
        if early is not None and early > eot:
            counts["resolved_early"] = None
    if counts["received_online"] is None and (
        stated.get("received_fully_online") is not None or stated.get("received_partly_online") is not None
    ):
        counts["received_online"] = (stated.get("received_fully_online") or 0) + (
            stated.get("received_partly_online") or 0
        )
    if counts["received"] is None:
        total = stated.get("received_total")
        channels = _channels(stated, cols)
        if channels is not None:
            counts["received"] = channels
        elif total is not None:
            counts["received"] = total - (stated.get("carried_in") or 0)
    return counts


def _dossier_rates(p: SheetParser, r: FormRow, stated: dict[str, int | None]) -> list[LoadFinding]:
    found: list[LoadFinding] = []
    resolved = stated.get("resolved")
    if resolved is None and "resolved_late" in p.m.columns:
        parts = [stated.get(m) for m in ("resolved_early", "resolved_on_time", "resolved_early_or_on_time")]
        resolved = sum(v or 0 for v in parts) + (stated.get("resolved_late") or 0)
    on_time = stated.get("resolved_early_or_on_time")
    if on_time is None and "resolved_on_time" in p.m.columns:
        on_time = (stated.get("resolved_early") or 0) + (stated.get("resolved_on_time") or 0)
    handled = stated.get("received_total")
    new = stated.get("received")
    carried = stated.get("carried_in")
    checks = {
        "on_time_rate": (
            on_time,
            [resolved],
            "(early + on time) / resolved",
            "(trước hạn + đúng hạn) / đã giải quyết",
        ),
        "late_rate": (stated.get("resolved_late"), [resolved], "late / resolved", "quá hạn / đã giải quyết"),
        "resolution_rate": (
            resolved,
            [handled, (carried or 0) + (new or 0) if new is not None else None, new],
            "resolved / received",
            "đã giải quyết / tiếp nhận",
        ),
    }
    for rate, (numerator, denominators, en, vi) in checks.items():
        raw = p.cell(r.cells, rate)
        if raw is None or rate not in p.m.rates:
            continue
        f = rate_finding(p.m, p.sheet, r.row, rate, raw, numerator, denominators, en, vi)
        if f:
            found.append(f)
    return found


def parse_dossiers(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    out: list[dict] = []
    checks = DossierFormChecks(p.m, p.sheet)
    form_rows = p.rows(rows, DOSSIER_MEASURES)
    section: tuple[FormRow, dict[str, int | None]] | None = None
    in_section: list[tuple[int, dict[str, int | None]]] = []  # rows since the section row
    since_subtotal: list[tuple[int, dict[str, int | None]]] = []  # rows a subtotal closes
    every_row: list[tuple[int, dict[str, int | None]]] = []
    opening_total: tuple[FormRow, dict[str, int | None]] | None = None

    def close_section() -> None:
        if section is not None:
            srow, sstated = section
            p.out.findings.extend(
                check_section(p.m, p.sheet, srow.row, srow.label or "", sstated, in_section)
            )

    for r in form_rows:
        if r.kind == "section":
            close_section()
            if r.level:
                p.section_level = r.level
            stated = _stated_counts(p, r)
            section = (r, stated) if any(v is not None for v in stated.values()) else None
            in_section, since_subtotal = [], []
            continue
        stated = _stated_counts(p, r)
        if r.kind == "subtotal":  # "Cộng (I)": the rows above it, back to the section row
            p.out.findings.extend(check_section(p.m, p.sheet, r.row, r.label or "", stated, since_subtotal))
            since_subtotal = []
            continue
        total = r.kind == "total"
        period = p.period(r.cells, r.row, required=not total)
        _check_period(p, period, r.row)
        if total:
            unit_code, submitted, field_text = None, clean(_first_text(r.cells)), None
            if not every_row:
                opening_total = (r, stated)  # "Tổng số" above the rows it adds up
        else:
            assert period is not None
            if r.is_level_row:  # the reporting unit's own figures at the row's level
                if r.level:
                    p.section_level = r.level
                unit_code, submitted = p.unit(r.cells, r.row, period.end)
                field_text = None
            else:
                unit_code, submitted, field_text = _dossier_unit(p, r, period.end)
            for collected in (in_section, since_subtotal, every_row):
                collected.append((r.row, stated))
            checks.check_row(r.row, stated, unit_code, period.label)
            p.out.findings.extend(_dossier_rates(p, r, stated))
        out.append(
            {
                "source_row": r.row,
                "unit_code": unit_code,
                "submitted_unit": submitted,
                "authority_level": p.level(r.cells, r.row, unit_code),
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "field": field_text,
                **dossier_counts(stated, p.m.columns),
                "is_total_row": total,
            }
        )
        if not total:
            p.note(unit_code, period)
    close_section()
    if opening_total is not None:
        trow, tstated = opening_total
        p.out.findings.extend(check_section(p.m, p.sheet, trow.row, trow.label or "", tstated, every_row))
    misread = checks.misread_error(p.file_name)
    if misread is not None:
        raise misread
    p.out.findings.extend(checks.findings)
    p.out.findings.extend(
        unmapped_numeric_columns(p.m, p.sheet, [(r.row, r.cells) for r in form_rows if r.kind == "data"])
    )
    p.out.tables["dossiers"] = out
    return p.out


def _as_of(p: SheetParser, cells: tuple, row: int) -> date:
    value = p.parse(cells, "as_of_date", parse_date, row)
    if isinstance(value, date):
        return value
    # "Giải ngân đến 15/8/2023", "Số có mặt đến 30/6/2023": the figures' own date
    for column in ("disbursed_mvnd", "actual"):
        idx = p.m.columns.get(column)
        stated = find_period_in_text(p.m.labels.get(idx, "")) if idx is not None else None
        if stated is not None and stated.kind in ("ytd", "custom", "month", "quarter", "half"):
            return stated.end
    if p.ctx.period is not None:
        return p.ctx.period.end
    raise p.error(
        "the as-of date cannot be determined: no 'Ngày số liệu' column and no date or period"
        " in the title rows or the file name",
        "không xác định được ngày số liệu: không có cột 'Ngày số liệu' và tiêu đề hoặc tên"
        " tệp không ghi ngày hay kỳ báo cáo",
        row,
        p.m.column_name("as_of_date"),
    )


def parse_staff(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    out: list[dict] = []
    if "category" not in p.m.columns:
        raise p.error(
            "missing column 'Loại' (staff category)",
            "thiếu cột 'Loại' (loại biên chế)",
            p.m.header_rows[-1] + 1,
        )
    staff_rows = list(p.data_rows(rows, ("quota", "actual")))
    p.out.findings.extend(unmapped_numeric_columns(p.m, p.sheet, [(r, c) for r, c, t in staff_rows if not t]))
    for row, cells, total in staff_rows:
        as_of = _as_of(p, cells, row)
        raw_category = p.cell(cells, "category")
        category = None if raw_category is None or total else vocabulary.staff_category(raw_category)
        if category is None and not total:
            accepted = ", ".join(t.vi for t in vocabulary.terms("staff_categories").values())
            raise p.error(
                f"unknown staff category {clean(raw_category)!r} (expected one of: {accepted};"
                " e.g. 'Viên chức - Giáo dục và Đào tạo', 'Hợp đồng theo NĐ 111')",
                f"loại biên chế {clean(raw_category)!r} không xác định được (cần một trong:"
                f" {accepted}; ví dụ 'Viên chức - Giáo dục và Đào tạo', 'Hợp đồng theo NĐ 111')",
                row,
                p.m.column_name("category"),
            )
        if total:
            unit_code, submitted = None, clean(_first_text(cells))
        else:
            unit_code, submitted = p.unit(cells, row, as_of)
        out.append(
            {
                "source_row": row,
                "unit_code": unit_code,
                "submitted_unit": submitted,
                "as_of_date": as_of,
                "category": category,
                "quota": p.count(cells, "quota", row),
                "actual": p.count(cells, "actual", row),
                "is_total_row": total,
            }
        )
        if not total:
            p.note(unit_code, Period.ytd(as_of))
    p.out.tables["staff"] = out
    return p.out


def _fiscal_year(p: SheetParser, cells: tuple, row: int, as_of: date) -> int:
    value = p.cell(cells, "fiscal_year")
    if value is None:
        return p.ctx.period.start.year if p.ctx.period else as_of.year
    year = p.parse(cells, "fiscal_year", parse_count, row)
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise p.error(
            f"{clean(value)!r} is not a fiscal year",
            f"{clean(value)!r} không phải năm ngân sách",
            row,
            p.m.column_name("fiscal_year"),
        )
    return year


def _money_scale(p: SheetParser, column: str) -> Decimal:
    """Millions of VND in one unit of an amount column: its header's unit ("(đồng)"), else
    the title block's ("Đơn vị tính: đồng"), else million VND."""
    idx = p.m.columns.get(column)
    stated = vocabulary.money_scale_in_label(p.m.labels.get(idx, "")) if idx is not None else None
    return stated or p.ctx.money_scale or Decimal(1)


def _scaled_amount(value: object, decimal_mark: str | None, scale: Decimal) -> Decimal:
    """An amount in million VND, to the thousand đồng (3 decimals, half up)."""
    number = parse_decimal(value, places=9, decimal_mark=decimal_mark) * scale
    return number.quantize(Decimal("0.001"), rounding="ROUND_HALF_UP")


def parse_budget(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    out: list[dict] = []
    data_rows = list(p.data_rows(rows, ("plan_mvnd", "disbursed_mvnd")))
    p.out.findings.extend(unmapped_numeric_columns(p.m, p.sheet, [(r, c) for r, c, t in data_rows if not t]))
    # one convention per file: "100.000,000" beside "900,000" makes the latter 900
    mark = infer_decimal_mark(
        p.cell(cells, column) for _, cells, _ in data_rows for column in ("plan_mvnd", "disbursed_mvnd")
    )
    money = {
        column: partial(_scaled_amount, decimal_mark=mark, scale=_money_scale(p, column))
        for column in ("plan_mvnd", "disbursed_mvnd")
    }
    for row, cells, total in data_rows:
        as_of = _as_of(p, cells, row)
        year = _fiscal_year(p, cells, row, as_of)
        if total:
            unit_code, submitted = None, clean(_first_text(cells))
        else:
            unit_code, submitted = p.unit(cells, row, as_of)
        programme = p.cell(cells, "programme")
        plan = p.parse(cells, "plan_mvnd", money["plan_mvnd"], row)
        disbursed = p.parse(cells, "disbursed_mvnd", money["disbursed_mvnd"], row)
        rate = p.cell(cells, "disbursement_rate")
        if rate is not None and not total and isinstance(disbursed, Decimal):
            finding = rate_finding(
                p.m,
                p.sheet,
                row,
                "disbursement_rate",
                rate,
                disbursed,
                [plan if isinstance(plan, Decimal) else None],
                "disbursed / plan",
                "giải ngân / kế hoạch vốn",
            )
            if finding:
                p.out.findings.append(finding)
        out.append(
            {
                "source_row": row,
                "unit_code": unit_code,
                "submitted_unit": submitted,
                "fiscal_year": year,
                "as_of_date": as_of,
                "programme": None if programme is None else clean(programme),
                "plan_mvnd": plan if isinstance(plan, Decimal) else None,
                "disbursed_mvnd": disbursed if isinstance(disbursed, Decimal) else None,
                "is_total_row": total,
            }
        )
        if not total:
            p.note(unit_code, Period.ytd(as_of))
    p.out.tables["budget"] = out
    return p.out


def parse_surveys(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    if p.m.questions or "response_id" in p.m.columns:
        return _parse_survey_responses(p, rows)
    out: list[dict] = []
    survey_rows = list(p.data_rows(rows, ("forms", "satisfied_forms")))
    p.out.findings.extend(
        unmapped_numeric_columns(p.m, p.sheet, [(r, c) for r, c, t in survey_rows if not t])
    )
    for row, cells, total in survey_rows:
        period = p.period(cells, row, required=not total)
        _check_period(p, period, row)
        if total:
            unit_code, submitted = None, clean(_first_text(cells))
        else:
            assert period is not None
            unit_code, submitted = p.unit(cells, row, period.end)
        out.append(
            {
                "source_row": row,
                "unit_code": unit_code,
                "submitted_unit": submitted,
                "authority_level": p.level(cells, row, unit_code),
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "forms": p.count(cells, "forms", row),
                "satisfied_forms": p.count(cells, "satisfied_forms", row),
                "is_total_row": total,
            }
        )
        if not total:
            p.note(unit_code, period)
    p.out.tables["surveys"] = out
    return p.out


def _answer(value: object) -> int:
    n = parse_count(value)
    if not 1 <= n <= 5:
        raise ParseError(f"answer {n} is outside the 1–5 scale", f"câu trả lời {n} nằm ngoài thang 1–5")
    return n


def _parse_survey_responses(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    questions = {q.code: q for q in survey_questions().values()}
    out: list[dict] = []
    for row, cells, total in p.data_rows(rows, ("response_id",)):
        if total:
            continue  # a totals row of a per-form sheet carries no form
        value = p.parse(cells, "survey_date", parse_date, row)
        survey_date = value if isinstance(value, date) else (p.ctx.period.end if p.ctx.period else None)
        if survey_date is None:
            raise p.error(
                "the survey date cannot be determined: no 'Ngày khảo sát' value and no"
                " period in the title rows or the file name",
                "không xác định được ngày khảo sát: không có 'Ngày khảo sát' và tiêu đề hoặc"
                " tên tệp không ghi kỳ",
                row,
                p.m.column_name("survey_date"),
            )
        unit_code, _ = p.unit(cells, row, survey_date)
        rid = p.cell(cells, "response_id")
        if isinstance(rid, float) and rid.is_integer():
            rid = int(rid)
        response_id = clean(rid) if rid is not None else f"row-{row}"
        level = p.level(cells, row, unit_code)
        for code, idx in sorted(p.m.questions.items()):
            raw = cells[idx] if idx < len(cells) else None
            if is_blank(raw):
                continue
            try:
                answer = _answer(raw)
            except ParseError as exc:
                raise IngestError.from_parse_error(
                    exc,
                    file_name=p.file_name,
                    sheet=p.sheet,
                    row=row,
                    column=p.m.describe(idx),
                ) from exc
            out.append(
                {
                    "source_row": row,
                    "response_id": response_id,
                    "unit_code": unit_code,
                    "authority_level": level,
                    "survey_date": survey_date,
                    "question_code": code,
                    "answer": answer,
                    "is_overall": questions[code].is_overall,
                }
            )
        p.note(unit_code, Period.ytd(survey_date))
    p.out.tables["survey_responses"] = out
    return p.out


PARSERS: dict[str, Callable[[SheetParser, list[tuple]], ParsedSheet]] = {
    "dossiers": parse_dossiers,
    "staff": parse_staff,
    "budget": parse_budget,
    "surveys": parse_surveys,
}

# Keys that must be unique within one file (duplicate rows are rejected).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "dossiers": ("unit_code", "authority_level", "period_start", "period_end", "field"),
    "staff": ("unit_code", "as_of_date", "category"),
    "budget": ("unit_code", "fiscal_year", "as_of_date", "programme"),
    "surveys": ("unit_code", "authority_level", "period_start", "period_end"),
    "survey_responses": ("response_id", "question_code"),
}


def check_duplicates(
    table: str, rows: list[dict], file_name: str, sheets: dict[int, str | None] | None = None
) -> None:
    """Reject a file with two rows for one key (totals rows excluded)."""
    seen: dict[tuple, int] = {}
    key_cols = UNIQUE_KEYS[table]
    for i, r in enumerate(rows):
        if r.get("is_total_row"):
            continue
        key = tuple(r[c] for c in key_cols)
        if key in seen:
            first = rows[seen[key]]
            if table == "survey_responses" and first["source_row"] == r["source_row"]:
                continue
            shown = ", ".join(f"{c}={r[c]}" for c in key_cols if r[c] is not None)
            raise IngestError(
                f"duplicate row: rows {first['source_row']} and {r['source_row']} have the same"
                f" key ({shown})",
                f"dòng trùng lặp: dòng {first['source_row']} và dòng {r['source_row']} có cùng"
                f" khóa ({shown})",
                file_name=file_name,
                sheet=(sheets or {}).get(i),
                row=r["source_row"],
            )
        seen[key] = i


def family_of_table(table: str) -> str:
    return "surveys" if table in ("surveys", "survey_responses") else table


__all__ = [
    "PARSERS",
    "ParsedSheet",
    "SheetParser",
    "check_duplicates",
    "is_total_label",
    "load_aliases",
]
