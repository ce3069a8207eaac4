"""Read a self-assessment table (Biểu tự đánh giá, chấm điểm Chỉ số CCHC).

A unit scores itself against the province's rubric, criterion by criterion: rows numbered
as the rubric numbers them (``I``, ``1``, ``1.1``, ``a``, ``-``; ingest/hierarchy.py), with
the maximum, the unit's own score, the evidence documents, its explanation and, once the
province has appraised it, the appraised score and the reason for a change. Area and
criterion rows state the sum of their parts: a stated sum that differs from its parts is
a finding (:class:`SumMismatch`), never silently believed or corrected. The unit and year
come from the title block (ingest/context.py), as in the other submissions.

The header is found like every submission's (ingest/headers.py, aliases in
``ingest/aliases/self_assessment.yaml``): one to four header rows, merged group labels
("Điểm" over "Tối đa | Tự đánh giá | Thẩm định"), columns in any order, a numbering row
(1, 2, 3 …) under the header skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ingest.admin_units import UnitResolver
from ingest.context import FileContext, extract_context, reporting_unit_name
from ingest.errors import IngestError, NumberParseError, ParseError
from ingest.headers import HeaderMatch, find_header, is_numbering_row
from ingest.hierarchy import Level, Ordinal, Outline, is_total_label, read_ordinal
from ingest.numbers import format_vi, parse_number
from ingest.periods import find_period_in_text
from ingest.readers import Sheet, read_sheets
from ingest.text import clean, fold

FAMILY = "self_assessment"
#: score cells that say "not known yet" (a survey criterion, a result due at year end)
PENDING_WORDS = (
    "chua xac dinh",
    "chua xac dinh duoc",
    "chua co",
    "chua co ket qua",
    "chua cham",
    "chua danh gia",
    "dtxhh",
    "dieu tra xa hoi hoc",
    "cho ket qua",
    "x",
    "-",
)
#: score cells written with a mark instead of words: not known yet
_PENDING_MARKS = ("-", "–", "—", "x", "X")
#: score cells saying the criterion does not apply: refused (the raw table has no place for it)
NOT_APPLICABLE_WORDS = (
    "khong ap dung",
    "khong cham",
    "khong cham diem",
    "khong danh gia",
    "khong phat sinh",
    "kad",
    "kpd",
)
#: the whole index is 100 points: no points cell states more
MAX_INDEX_POINTS = Decimal(100)
_POINTS_PLACES = 4  # raw.self_assessment_rows holds decimal(9, 4)
_SCORE_OVER_MAX = re.compile(r"^\s*\d[\d.,]*\s*/\s*\d")  # "1,6/2,0"
_UNIT_KIND = re.compile(r"^(?:huyện|thành phố|thị xã|quận|xã|phường|thị trấn)\s+\S", re.IGNORECASE)
#: where a unit's name ends in a title line ("… huyện Tháp Mười năm 2024", "… tỉnh Đồng Tháp")
_TITLE_UNIT_END = re.compile(r"\s+(?:năm|tỉnh|thành phố trực thuộc|kỳ|đến|từ)\s", re.IGNORECASE)
_TITLE_UNIT = re.compile(
    r"\b(?:UBND|[UỦ]Y BAN NHÂN DÂN)\s+((?:huyện|thành phố|thị xã|quận|xã|phường|thị trấn)\s+[^,;()]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AssessedRow:
    """One numbered row of a self-assessment table."""

    code: str
    parent_code: str | None
    level: int
    ordinal: str
    name_vi: str
    max_points: Decimal | None  # as stated
    self_score: Decimal | None  # as stated; None when blank or pending
    self_score_pending: bool  # the cell says the score is not known yet ("chưa xác định")
    appraised_score: Decimal | None
    evidence: str | None
    explanation: str | None
    appraisal_reason: str | None
    source_row: int


@dataclass(frozen=True)
class SumMismatch:
    """A row whose stated figure differs from the sum of its parts' (or the total row's
    from the areas')."""

    code: str  # the row's code ("total" for the total row)
    name_vi: str
    source_row: int
    column: str  # the header of the column as written
    measure: str  # max_points, self_score or appraised_score
    stated: Decimal
    parts: Decimal

    def message_vi(self) -> str:
        return (
            f"{self.code} {self.name_vi!r}: ghi {format_vi(self.stated, 2)} nhưng các nội dung thành phần"
            f" cộng lại là {format_vi(self.parts, 2)}"
        )

    def message_en(self) -> str:
        return (
            f"{self.code} {self.name_vi!r}: states {format_vi(self.stated, 2)} but its parts add up to"
            f" {format_vi(self.parts, 2)}"
        )


@dataclass(frozen=True)
class SelfAssessment:
    file_name: str
    sheet: str | None
    unit_name: str | None  # as the title block writes it
    province: str | None
    year: int
    rows: tuple[AssessedRow, ...]
    mismatches: tuple[SumMismatch, ...]
    unit_code: str | None = None  # when a resolver was given

    def row(self, code: str) -> AssessedRow:
        for candidate in self.rows:
            if candidate.code == code:
                return candidate
        raise KeyError(code)

    @property
    def areas(self) -> list[AssessedRow]:
        return [r for r in self.rows if r.parent_code is None]

    def children(self, code: str) -> list[AssessedRow]:
        return [r for r in self.rows if r.parent_code == code]

    def leaves(self) -> list[AssessedRow]:
        parents = {r.parent_code for r in self.rows}
        return [r for r in self.rows if r.code not in parents]


def _shown(points: Decimal) -> str:
    """Points as written the Vietnamese way, with the decimals they have (0,775; 2; 1,5)."""
    exponent = points.normalize().as_tuple().exponent
    return format_vi(points, max(0, -exponent) if isinstance(exponent, int) else 0)


def _points_error(cell: object, why_en: str, why_vi: str) -> NumberParseError:
    text = clean(cell)
    return NumberParseError(
        f"cannot read {text!r} as points: {why_en}", f"không đọc được {text!r} thành điểm: {why_vi}"
    )


def _points_text(cell: object, text: str) -> Decimal:
    """Points written as text: one separator, ``,`` or ``.``, is the decimal mark (points
    never have thousands: ``1.6`` and ``1,6`` are 1,6, ``1.000`` is 1)."""
    if "%" in text:
        raise _points_error(cell, "points are not a percent", "điểm không ghi theo phần trăm (%)")
    if _SCORE_OVER_MAX.match(text):
        raise _points_error(
            cell,
            "write the score and the maximum in their own columns",
            "ghi điểm và điểm tối đa ở hai cột riêng",
        )
    marks = [m for m in ",." if m in text]
    if len(marks) > 1 or (marks and text.count(marks[0]) > 1):
        raise _points_error(
            cell, "points have no thousands separator", "điểm không có dấu phân cách hàng nghìn"
        )
    return parse_number(text, decimal_mark=marks[0] if marks else None)


def _checked_points(cell: object, value: Decimal) -> Decimal:
    """Points the index can hold: not negative, at most 100 (the whole index), at most
    four decimals (the warehouse's precision: more would be rounded silently)."""
    if value < 0:
        raise _points_error(cell, "points cannot be negative", "điểm không được âm")
    if value > MAX_INDEX_POINTS:
        raise _points_error(
            cell,
            f"more than the whole index's {MAX_INDEX_POINTS} points",
            f"lớn hơn {MAX_INDEX_POINTS} điểm của cả bộ chỉ số",
        )
    if value.normalize().as_tuple().exponent < -_POINTS_PLACES:  # type: ignore[operator]
        raise _points_error(
            cell,
            f"more than {_POINTS_PLACES} decimals: round it as the rubric says",
            f"quá {_POINTS_PLACES} chữ số thập phân: làm tròn theo bộ tiêu chí",
        )
    return value


def _score(cell: object) -> tuple[Decimal | None, bool]:
    """(value, pending) of a points cell: a number, blank, or words saying it is not known
    yet. "Không áp dụng" / "Không chấm" is refused: the table has no place for a criterion
    that does not apply (the rubric says what it earns then)."""
    text = clean(cell)
    if text == "":
        return None, False
    if isinstance(cell, str):
        folded = fold(text)
        if text in _PENDING_MARKS or folded in PENDING_WORDS or folded.startswith("chua "):
            return None, True
        if folded in NOT_APPLICABLE_WORDS or folded.startswith("khong "):
            raise _points_error(
                cell,
                "a criterion that is not applicable (không áp dụng) cannot be loaded: write the"
                " points the rubric gives it in that case and the reason under 'Ghi chú'",
                "tiêu chí không áp dụng chưa nạp được: ghi số điểm bộ tiêu chí cho trong trường"
                " hợp đó và nêu lý do ở cột 'Ghi chú'",
            )
        value = _points_text(cell, text)
    else:
        value = parse_number(cell)
        if isinstance(cell, float):  # binary noise of a computed cell (0.1 + 0.2)
            value = Decimal(repr(round(cell, 9)))
    return _checked_points(cell, value), False


def _located(error: ParseError, path: Path, sheet: Sheet, row: int, column: str | None) -> IngestError:
    return IngestError.from_parse_error(error, file_name=path.name, sheet=sheet.name, row=row, column=column)


def _parts_sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def read_self_assessment(path: Path, resolver: UnitResolver | None = None) -> SelfAssessment:
    """The self-assessment table of a file. Raises :class:`IngestError` naming the file,
    sheet, row and column of what cannot be read (no table, no year, a score that is not a
    number, a number that belongs to no row above)."""
    path = Path(path)
    try:
        sheets = read_sheets(path)
    except ParseError as exc:
        raise IngestError.from_parse_error(exc, file_name=path.name) from exc
    for sheet in sheets:
        match = find_header(sheet.rows, (FAMILY,), sheet.merges)
        if match is not None and all(c in match.columns for c in ("ordinal", "criterion_name", "self_score")):
            return _read_sheet(path, sheet, match, resolver)
    raise IngestError(
        "no sheet has a self-assessment table (columns STT, the criteria, 'Điểm tự đánh giá')",
        "không trang tính nào có bảng tự đánh giá (các cột STT, tiêu chí, 'Điểm tự đánh giá')",
        file_name=path.name,
    )


def _title_unit(title_rows: list[tuple]) -> str | None:
    """The unit a title block names when no "Đơn vị:" line or one-line letterhead does: a
    letterhead on two lines ("ỦY BAN NHÂN DÂN" over "HUYỆN THÁP MƯỜI") or a title ending
    "… của UBND huyện Tháp Mười"."""
    cells = [[clean(c) for c in row] for row in title_rows]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            if fold(text) in ("uy ban nhan dan", "ubnd") and i + 1 < len(cells) and j < len(cells[i + 1]):
                below = cells[i + 1][j]
                if _UNIT_KIND.match(below):
                    return reporting_unit_name(below)
            found = _TITLE_UNIT.search(text)
            if found:
                name = _TITLE_UNIT_END.split(found[1], maxsplit=1)[0]
                return reporting_unit_name(name.strip(" .:-"))
    return None


def _context(path: Path, sheet: Sheet, match: HeaderMatch, resolver: UnitResolver) -> FileContext:
    """The title block's unit, province and period; the year in the sheet's name ("TDG năm
    2023") when the title states none."""
    title_rows = list(sheet.rows[: match.header_rows[0]])
    context = extract_context(title_rows, path.name, resolver)
    if context.period is None and sheet.name:
        context = replace(context, period=find_period_in_text(sheet.name))
    if context.unit_name is None:
        context = replace(context, unit_name=_title_unit(title_rows))
    if context.period is None:
        raise IngestError(
            "the title block names no year (e.g. 'năm 2023', 'Kỳ đánh giá: năm 2023')",
            "phần đầu biểu không ghi năm đánh giá (ví dụ 'năm 2023')",
            file_name=path.name,
            sheet=sheet.name,
        )
    return context


def _resolve(context: FileContext, resolver: UnitResolver) -> str | None:
    if not context.unit_name or context.period is None:
        return None
    try:
        return resolver.resolve(name=context.unit_name, province=context.province, on_date=context.period.end)
    except ParseError:
        return None  # the loader names the unit it cannot resolve; reading goes on


_MEASURES = ("max_points", "self_score", "appraised_score")
_TEXTS = ("name_vi", "evidence", "explanation", "appraisal_reason")


@dataclass
class _Table:
    """What has been read of a sheet so far."""

    path: Path
    sheet: Sheet
    match: HeaderMatch
    header: dict[str, str]
    rows: list[AssessedRow]
    totals: list[tuple[int, dict[str, Decimal | None]]]

    def cell(self, row: tuple, canonical: str) -> object:
        j = self.match.columns.get(canonical)
        return row[j] if j is not None and j < len(row) else None

    def error(self, row_no: int, canonical: str | None, en: str, vi: str) -> IngestError:
        column = self.header.get(canonical) if canonical else None
        return IngestError(en, vi, file_name=self.path.name, sheet=self.sheet.name, row=row_no, column=column)

    def figures(self, row: tuple, row_no: int) -> tuple[dict[str, Decimal | None], bool]:
        """The row's points by measure, and whether its self-score is pending."""
        figures: dict[str, Decimal | None] = {}
        pending = False
        for canonical in _MEASURES:
            if canonical not in self.match.columns:
                figures[canonical] = None
                continue
            try:
                value, is_pending = _score(self.cell(row, canonical))
            except ParseError as exc:
                raise _located(exc, self.path, self.sheet, row_no, self.header[canonical]) from exc
            figures[canonical] = value
            pending = pending or (canonical == "self_score" and is_pending)
        return figures, pending

    def texts(self, row: tuple) -> dict[str, str | None]:
        named = {"name_vi": "criterion_name"}
        return {field: clean(self.cell(row, named.get(field, field))) or None for field in _TEXTS}

    def check_within_max(self, assessed: AssessedRow, row_no: int) -> None:
        """A score above its own row's maximum is refused (a typing error: "16" for "1,6")."""
        top = assessed.max_points
        for measure, label_vi, label_en in (
            ("self_score", "điểm tự đánh giá", "the self-score"),
            ("appraised_score", "điểm thẩm định", "the appraised score"),
        ):
            value = getattr(assessed, measure)
            if top is None or value is None or value <= top:
                continue
            shown, top_shown = _shown(value), _shown(top)
            raise self.error(
                row_no,
                measure,
                f"{assessed.code} {assessed.name_vi!r}: {label_en} {shown} is above its maximum {top_shown}",
                f"{assessed.code} {assessed.name_vi!r}: {label_vi} {shown} lớn hơn điểm tối đa {top_shown}",
            )

    def continue_row(
        self, row_no: int, figures: dict[str, Decimal | None], pending: bool, texts: dict
    ) -> None:
        """A row without a number under a numbered one: its text continues that row's
        (wrapped text, merged cells); a figure fills that row's empty cell, and is refused
        where the row states its own (which one would be the criterion's?)."""
        last = self.rows[-1]
        changes: dict[str, object] = {}
        for field, text in texts.items():
            if text:
                before = getattr(last, field)
                changes[field] = f"{before} {text}".strip() if before else text
        for measure, value in figures.items():
            if value is None and not (measure == "self_score" and pending):
                continue
            if getattr(last, measure) is not None or (measure == "self_score" and last.self_score_pending):
                raise self.error(
                    row_no,
                    measure,
                    f"points in a row with no number (STT), under {last.code} which states its own:"
                    " number the row or move the figure to its criterion's row",
                    f"có điểm ở dòng không có số thứ tự, dưới dòng {last.code} đã ghi điểm: đánh số"
                    " dòng này hoặc chuyển điểm về dòng của tiêu chí",
                )
            changes[measure] = value
            if measure == "self_score":
                changes["self_score_pending"] = pending
        self.rows[-1] = replace(last, **changes)  # type: ignore[arg-type]
        self.check_within_max(self.rows[-1], row_no)


def _read_sheet(
    path: Path, sheet: Sheet, match: HeaderMatch, resolver: UnitResolver | None
) -> SelfAssessment:
    resolver = resolver or UnitResolver.default()
    context = _context(path, sheet, match, resolver)
    assert context.period is not None
    header = {canonical: match.column_name(canonical) or canonical for canonical in match.columns}
    table = _Table(path, sheet, match, header, [], [])
    data = list(enumerate(sheet.rows[match.first_data_row :], start=match.first_data_row + 1))
    ordinals = [read_ordinal(table.cell(row, "ordinal")) for _, row in data]
    _read_rows(table, data, ordinals)
    if not table.rows:
        raise IngestError(
            "the self-assessment table has no numbered rows (I, 1, 1.1 …)",
            "bảng tự đánh giá không có dòng nào được đánh số (I, 1, 1.1 …)",
            file_name=path.name,
            sheet=sheet.name,
            row=match.first_data_row + 1,
        )
    return SelfAssessment(
        file_name=path.name,
        sheet=sheet.name,
        unit_name=context.unit_name,
        province=context.province,
        year=context.period.end.year,
        rows=tuple(table.rows),
        mismatches=tuple(_mismatches(table.rows, table.totals, header)),
        unit_code=_resolve(context, resolver),
    )


def _read_rows(table: _Table, data: list[tuple[int, tuple]], ordinals: list[Ordinal]) -> None:
    """Place the numbered rows, join the continuation rows to theirs, keep the total rows.
    The table ends at a total row below numbered rows: what follows (signatures, notes) is
    not read, and a numbered row with points there is refused."""
    outline = Outline(ordinals)
    first = table.match.first_data_row + 1
    ended = False
    joins = False  # whether an unnumbered row continues the last numbered one
    for (row_no, row), ordinal in zip(data, ordinals, strict=True):
        if row_no == first and is_numbering_row(row):
            continue  # the numbering row under the header (1, 2, 3 …)
        texts = table.texts(row)
        if ended:
            _after_the_end(table, row, row_no, ordinal)
            continue
        figures, pending = table.figures(row, row_no)
        stated = any(v is not None for v in figures.values()) or pending
        if ordinal.is_total or (not ordinal.is_node and is_total_label(texts["name_vi"])):
            table.totals.append((row_no, figures))
            ended, joins = bool(table.rows), False
            continue
        if not ordinal.is_node:
            if joins and (stated or any(texts.values())):
                table.continue_row(row_no, figures, pending, texts)
            elif stated:
                raise table.error(
                    row_no,
                    next(m for m in _MEASURES if figures[m] is not None or m == "self_score"),
                    "points in a row with no number (STT) and no numbered row above it",
                    "có điểm ở dòng không có số thứ tự và không thuộc dòng nào ở trên",
                )
            else:
                joins = joins and any(texts.values())  # a blank row ends the wrapped text
            continue
        if ordinal.level == Level.COMPONENT and not stated:
            joins = False
            continue  # a bullet that describes its row, without points
        _place(table, outline, row_no, ordinal, figures, pending, texts)
        joins = True


def _after_the_end(table: _Table, row: tuple, row_no: int, ordinal: Ordinal) -> None:
    if not ordinal.is_node or ordinal.level == Level.COMPONENT:
        return
    if any(clean(table.cell(row, m)) for m in _MEASURES):
        raise table.error(
            row_no,
            "ordinal",
            f"numbered row {ordinal.label!r} with points below the total row: the table ends at its total",
            f"dòng số {ordinal.label!r} có điểm nằm dưới dòng tổng cộng: bảng kết thúc ở dòng tổng",
        )


def _place(
    table: _Table,
    outline: Outline,
    row_no: int,
    ordinal: Ordinal,
    figures: dict[str, Decimal | None],
    pending: bool,
    texts: dict[str, str | None],
) -> None:
    placed = outline.place(ordinal)
    if placed is None:
        raise table.error(
            row_no,
            "ordinal",
            f"number {ordinal.label!r} has no row above it to belong to",
            f"số thứ tự {ordinal.label!r} không thuộc dòng nào ở trên",
        )
    assessed = AssessedRow(
        code=placed.code,
        parent_code=placed.parent_code,
        level=placed.level,
        ordinal=ordinal.label,
        name_vi=texts["name_vi"] or "",
        max_points=figures["max_points"],
        self_score=figures["self_score"],
        self_score_pending=pending,
        appraised_score=figures["appraised_score"],
        evidence=texts["evidence"],
        explanation=texts["explanation"],
        appraisal_reason=texts["appraisal_reason"],
        source_row=row_no,
    )
    table.check_within_max(assessed, row_no)
    table.rows.append(assessed)


def _value(row: AssessedRow, measure: str) -> Decimal | None:
    """A row's figure for a sum; a part the appraisal left unchanged keeps its self-score."""
    value = getattr(row, measure)
    if measure == "appraised_score" and value is None:
        return row.self_score
    return value


def _mismatches(
    rows: list[AssessedRow],
    totals: list[tuple[int, dict[str, Decimal | None]]],
    header: dict[str, str],
) -> list[SumMismatch]:
    """Stated sums that differ from their parts: each parent row against its children
    (a pending part counts 0: the stated sum leaves it out; a part not appraised counts its
    self-score in the appraised sum), the total row against the areas."""
    found: list[SumMismatch] = []
    children: dict[str | None, list[AssessedRow]] = {}
    for row in rows:
        children.setdefault(row.parent_code, []).append(row)
    measures = [m for m in ("max_points", "self_score", "appraised_score") if m in header]
    for row in rows:
        parts = children.get(row.code)
        if not parts:
            continue
        for measure in measures:
            stated = getattr(row, measure)
            values = [_value(part, measure) for part in parts]
            if stated is None or all(v is None for v in values):
                continue
            summed = _parts_sum(values)
            if summed != stated:
                found.append(
                    SumMismatch(
                        row.code, row.name_vi, row.source_row, header[measure], measure, stated, summed
                    )
                )
    areas = children.get(None, [])
    for row_no, figures in totals:
        for measure in measures:
            stated = figures.get(measure)
            values = [_value(area, measure) for area in areas]
            if stated is None or all(v is None for v in values):
                continue
            summed = _parts_sum(values)
            if summed != stated:
                found.append(
                    SumMismatch("total", "Tổng cộng", row_no, header[measure], measure, stated, summed)
                )
    return sorted(found, key=lambda m: m.source_row)
