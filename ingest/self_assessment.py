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
from ingest.context import extract_context
from ingest.errors import IngestError, ParseError
from ingest.headers import HeaderMatch, find_header, is_numbering_row
from ingest.hierarchy import Level, Outline, read_ordinal
from ingest.numbers import format_vi, parse_number
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
_POINTS_PLACES = 4


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


def _score(cell: object) -> tuple[Decimal | None, bool]:
    """(value, pending) of a score cell: a number, blank, or words saying it is not known."""
    text = clean(cell)
    if text == "":
        return None, False
    if fold(text) in PENDING_WORDS or fold(text).startswith("chua "):
        return None, True
    return parse_number(cell), False


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


def _read_sheet(
    path: Path, sheet: Sheet, match: HeaderMatch, resolver: UnitResolver | None
) -> SelfAssessment:
    resolver = resolver or UnitResolver.default()
    title_rows = list(sheet.rows[: match.header_rows[0]])
    context = extract_context(title_rows, path.name, resolver)
    if context.period is None:
        raise IngestError(
            "the title block names no year (e.g. 'năm 2023', 'Kỳ đánh giá: năm 2023')",
            "phần đầu biểu không ghi năm đánh giá (ví dụ 'năm 2023')",
            file_name=path.name,
            sheet=sheet.name,
        )
    year = context.period.end.year
    unit_code = None
    if context.unit_name:
        try:
            unit_code = resolver.resolve(
                name=context.unit_name, province=context.province, on_date=context.period.end
            )
        except ParseError:
            unit_code = None  # the loader names the unit it cannot resolve; reading goes on
    columns = match.columns
    header = {canonical: match.column_name(canonical) or canonical for canonical in columns}

    def cell(row: tuple, canonical: str) -> object:
        j = columns.get(canonical)
        return row[j] if j is not None and j < len(row) else None

    data = list(enumerate(sheet.rows[match.first_data_row :], start=match.first_data_row + 1))
    ordinals = [read_ordinal(cell(row, "ordinal")) for _, row in data]
    outline = Outline(ordinals)
    rows: list[AssessedRow] = []
    by_code: dict[str, int] = {}
    total: tuple[int, dict[str, Decimal | None]] | None = None
    for (row_no, row), ordinal in zip(data, ordinals, strict=True):
        if row_no == match.first_data_row + 1 and is_numbering_row(row):
            continue  # the numbering row under the header (1, 2, 3 …)
        name = clean(cell(row, "criterion_name"))
        figures: dict[str, Decimal | None] = {}
        pending = False
        for canonical in ("max_points", "self_score", "appraised_score"):
            if canonical not in columns:
                figures[canonical] = None
                continue
            try:
                value, is_pending = _score(cell(row, canonical))
            except ParseError as exc:
                raise _located(exc, path, sheet, row_no, header[canonical]) from exc
            figures[canonical] = value
            pending = pending or (canonical == "self_score" and is_pending)
        if ordinal.is_total or (not ordinal.is_node and re.match(r"^tong\b", fold(name))):
            total = (row_no, figures)
            continue
        if not ordinal.is_node:
            if rows and name and not any(figures.values()):
                last = rows[-1]  # the name of the row above, wrapped onto this one
                rows[-1] = replace(last, name_vi=f"{last.name_vi} {name}".strip())
            continue
        if (
            ordinal.level == Level.COMPONENT
            and not any(v is not None for v in figures.values())
            and not pending
        ):
            continue  # a bullet that describes its row, without points
        placed = outline.place(ordinal)
        if placed is None:
            raise IngestError(
                f"number {ordinal.label!r} has no row above it to belong to",
                f"số thứ tự {ordinal.label!r} không thuộc dòng nào ở trên",
                file_name=path.name,
                sheet=sheet.name,
                row=row_no,
                column=header.get("ordinal"),
            )
        by_code.setdefault(placed.code, len(rows))
        rows.append(
            AssessedRow(
                code=placed.code,
                parent_code=placed.parent_code,
                level=placed.level,
                ordinal=ordinal.label,
                name_vi=name,
                max_points=figures["max_points"],
                self_score=figures["self_score"],
                self_score_pending=pending,
                appraised_score=figures["appraised_score"],
                evidence=clean(cell(row, "evidence")) or None,
                explanation=clean(cell(row, "explanation")) or None,
                appraisal_reason=clean(cell(row, "appraisal_reason")) or None,
                source_row=row_no,
            )
        )
    if not rows:
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
        year=year,
        rows=tuple(rows),
        mismatches=tuple(_mismatches(rows, total, header)),
        unit_code=unit_code,
    )


def _value(row: AssessedRow, measure: str) -> Decimal | None:
    """A row's figure for a sum; a part the appraisal left unchanged keeps its self-score."""
    value = getattr(row, measure)
    if measure == "appraised_score" and value is None:
        return row.self_score
    return value


def _mismatches(
    rows: list[AssessedRow],
    total: tuple[int, dict[str, Decimal | None]] | None,
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
    if total is not None:
        row_no, figures = total
        areas = children.get(None, [])
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
