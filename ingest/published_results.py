"""Read published index results: the PAR INDEX and SIPAS tables as they are published.

For comparison only (never an input to scores): the national tables by province
(Ban Chỉ đạo CCHC của Chính phủ) and the same tables a province publishes for its districts
or departments. One row per unit: "STT | Tỉnh, thành phố | Chỉ số CCHC (%) | Xếp hạng",
optionally "Nhóm" (A/B), the rank out of ("10/63" in the rank cell, a column of its own, or
the number of ranked rows), and component columns: the four components of Decision 876
("Điểm tự đánh giá được thẩm định", "SIPAS", "Điều tra xã hội học", "Tác động") written as
points ("57,04" or "57,04/61,5"), or one "Chỉ số thành phần" per area in %. The title block
says which index (PAR INDEX or SIPAS), the year, and the source ("Kèm theo Quyết định số
…/QĐ-BCĐCCHC ngày …") whose date is the figures' as-of date.

The header is found like every submission's (ingest/headers.py, aliases in
``ingest/aliases/published_index_results.yaml``). Units are resolved like the other
families' (:class:`ingest.admin_units.UnitResolver`): a province's name when the title
names no province, else a unit of that province. Values are exact decimals; a value that
is not a percentage (``9049``: a decimal comma lost) rejects the file, naming the row and
column. A stated total that differs from the sum of its point components is a
:class:`TotalMismatch` (a load finding), never silently believed or corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ingest.admin_units import UnitResolver
from ingest.context import extract_context
from ingest.errors import IngestError, ParseError
from ingest.headers import HeaderMatch, find_header, is_numbering_row
from ingest.numbers import format_vi, parse_count, parse_number
from ingest.readers import Sheet, read_sheets
from ingest.text import clean, fold, fold_keep_punct, is_blank

FAMILY = "published_index_results"
INDEX_KINDS = ("par_index", "sipas")
#: canonical component columns (ingest/aliases/published_index_results.yaml): points
COMPONENT_COLUMNS = ("component_appraised_self", "component_sipas", "component_survey", "component_impact")
#: group labels over one component column per area ("Chỉ số thành phần" / area names)
COMPONENT_GROUPS = re.compile(
    r"^(?:cac )?(?:chi so|diem|ket qua)? ?thanh phan\b|^cac linh vuc\b|^chi so linh vuc\b"
)
_PLACES = Decimal("0.0001")
_HUNDRED = Decimal(100)
_SIPAS_WORDS = re.compile(r"\bsipas\b|\bchi so hai long\b|\bsu hai long\b")
_PAR_WORDS = re.compile(r"\bpar ?index\b|\bchi so cai cach hanh chinh\b|\bchi so cchc\b")
_LEGAL = re.compile(r"\b(?:quyet dinh|cong van|thong bao|ke hoach|kem theo|nghi quyet)\b")
_SOURCE = re.compile(r"\b(?:quyet dinh so|kem theo|nguon)\b")
_YEAR_WORDS = re.compile(r"\bnam (\d{4})\b")
_YEAR = re.compile(r"\b(20\d{2})\b")
_DATE_WORDS = re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})\b")
_DATE_NUMERIC = re.compile(r"\bngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_RANK_OUT_OF = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_POINTS_OF = re.compile(r"^\s*([^/]+?)\s*/\s*([^/]+?)\s*$")
_HEADER_MAX = re.compile(
    r"\(\s*(?:toi da|max)?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:diem)?\s*\)|/\s*(\d+(?:[.,]\d+)?)\s*$"
)
_GROUP_HEADING = re.compile(r"^(?:[ivx]+\.?\s*|[a-d]\.\s*)?nhom\s+([a-d])\b|^([a-d])\.?\s+nhom\b")
_NOT_UNITS = re.compile(r"\bbo,? (?:co quan ngang bo|nganh)\b|^(?:[ivx]+\.?\s*)?cac bo\b")
_SUMMARY_ROW = re.compile(
    r"^(?:tong|tong cong|trung binh|gia tri trung binh|binh quan|ca nuoc|chi so trung binh)\b"
)
#: an agency's name (folded), not an administrative unit: its rows are left out (also the
#: portal's 766 tables, ingest/inbox.py)
AGENCY_NAME = re.compile(
    r"^(?:so|bo|ban|van phong|thanh tra|co quan|ngan hang|uy ban dan toc|cuc|chi cuc|kho bac|"
    r"bao hiem|bhxh|cong an|truong|trung tam|dai|vien|hoi dong)\b"
)


@dataclass(frozen=True)
class PublishedComponent:
    """One component of a published figure: points (of ``max_points`` when known) for the
    components of Decision 876, a value in % for the components per area."""

    name_vi: str
    points: Decimal | None
    max_points: Decimal | None
    value_percent: Decimal | None


@dataclass(frozen=True)
class PublishedRow:
    source_row: int
    unit_name: str  # as written
    unit_code: str
    year: int
    value_percent: Decimal
    rank: int | None
    rank_out_of: int | None
    group_label: str | None
    components: tuple[PublishedComponent, ...]


@dataclass(frozen=True)
class TotalMismatch:
    """A row whose stated total differs from the sum of its point components."""

    file_name: str
    sheet: str | None
    source_row: int
    unit_name: str
    unit_code: str
    column: str  # the header of the total column as written
    stated: Decimal
    parts: Decimal
    part_values: tuple[Decimal, ...]

    def _parts_text(self) -> str:
        return " + ".join(format_vi(v, 2) for v in self.part_values)

    def message_vi(self) -> str:
        return (
            f"Tệp {self.file_name}, dòng {self.source_row}, {self.unit_name} ({self.unit_code}):"
            f" tổng ghi {format_vi(self.stated, 2)} nhưng các thành phần cộng lại là"
            f" {format_vi(self.parts, 2)} ({self._parts_text()}); chênh lệch"
            f" {format_vi(self.stated - self.parts, 2)}"
        )

    def message_en(self) -> str:
        return (
            f"File {self.file_name}, row {self.source_row}, {self.unit_name} ({self.unit_code}):"
            f" states a total of {format_vi(self.stated, 2)} but its components add up to"
            f" {format_vi(self.parts, 2)} ({self._parts_text()}); difference"
            f" {format_vi(self.stated - self.parts, 2)}"
        )


@dataclass(frozen=True)
class PublishedTable:
    """The published table of one sheet."""

    file_name: str
    sheet: str | None
    index_kind: str  # par_index or sipas
    year: int
    source_text: str | None
    as_of_date: date | None
    rows: tuple[PublishedRow, ...]
    mismatches: tuple[TotalMismatch, ...]
    #: rows naming an agency, not an administrative unit (Sở Nội vụ, Bộ Tư pháp): not loaded
    left_out: tuple[str, ...] = ()

    def row(self, unit_code: str) -> PublishedRow:
        for candidate in self.rows:
            if candidate.unit_code == unit_code:
                return candidate
        raise KeyError(unit_code)


@dataclass(frozen=True)
class PublishedResults:
    file_name: str
    tables: tuple[PublishedTable, ...]
    skipped_sheets: tuple[str, ...] = ()


def read_published_results(
    path: Path, resolver: UnitResolver | None = None, sheets: list[Sheet] | None = None
) -> PublishedResults:
    """The published tables of a file (one per sheet that has one). Raises
    :class:`IngestError` naming the file, sheet, row and column of what cannot be read."""
    path = Path(path)
    resolver = resolver or UnitResolver.default()
    if sheets is None:
        try:
            sheets = read_sheets(path)
        except ParseError as exc:
            raise IngestError.from_parse_error(exc, file_name=path.name) from exc
    tables: list[PublishedTable] = []
    skipped: list[str] = []
    seen: dict[tuple[str, int, str], tuple[str, int]] = {}
    for sheet in sheets:
        match = find_header(sheet.rows, (FAMILY,), sheet.merges)
        if match is None or not all(c in match.columns for c in ("unit_name", "value_percent")):
            skipped.append(sheet.name or "")
            continue
        table = _Reading(path.name, sheet, match, resolver).table()
        for row in table.rows:
            twice = seen.get((table.index_kind, row.year, row.unit_code))
            if twice is not None:
                raise IngestError(
                    f"{row.unit_name!r} is listed twice for the same index and year (also sheet"
                    f" {twice[0]}, row {twice[1]})",
                    f"{row.unit_name!r} có hai lần trong cùng chỉ số và năm (cả trang tính {twice[0]},"
                    f" dòng {twice[1]})",
                    file_name=path.name,
                    sheet=table.sheet,
                    row=row.source_row,
                )
            seen[(table.index_kind, row.year, row.unit_code)] = (table.sheet or "", row.source_row)
        tables.append(table)
    if not tables:
        raise IngestError(
            "no sheet has a published index table (columns for the units, the index value in %"
            " and its rank, e.g. 'Tỉnh, thành phố | Chỉ số CCHC (%) | Xếp hạng')",
            "không trang tính nào có bảng kết quả chỉ số đã công bố (các cột đơn vị, giá trị chỉ số"
            " (%) và xếp hạng, ví dụ 'Tỉnh, thành phố | Chỉ số CCHC (%) | Xếp hạng')",
            file_name=path.name,
        )
    return PublishedResults(path.name, tuple(tables), tuple(s for s in skipped if s))


def _to_places(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def _header_max(label: str) -> Decimal | None:
    """The maximum a component's header states: "SIPAS (10)", "Tác động (tối đa 6,5 điểm)"."""
    found = _HEADER_MAX.search(fold_keep_punct(label))
    if not found:
        return None
    return parse_number(found.group(1) or found.group(2))


def _strip_max(label: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip() or label


@dataclass(frozen=True)
class _ComponentColumn:
    index: int
    name_vi: str
    header: str  # as the column's description (letter and labels)
    is_points: bool  # points (Decision 876) or a value in % (per area)
    max_points: Decimal | None


class _Reading:
    """One sheet's table being read."""

    def __init__(self, file_name: str, sheet: Sheet, match: HeaderMatch, resolver: UnitResolver) -> None:
        self.file_name = file_name
        self.sheet = sheet
        self.match = match
        self.resolver = resolver

    # -- errors
    def _error(self, en: str, vi: str, row: int | None = None, column: str | None = None) -> IngestError:
        return IngestError(en, vi, file_name=self.file_name, sheet=self.sheet.name, row=row, column=column)

    def _column(self, canonical: str) -> str:
        return self.match.column_name(canonical) or canonical

    # -- the title block
    def _title_texts(self) -> list[str]:
        texts = [
            clean(v) for row in self.sheet.rows[: self.match.header_rows[0]] for v in row if not is_blank(v)
        ]
        return [t for t in texts if t]

    def _footer_texts(self) -> list[str]:
        found = []
        for row in self.sheet.rows[self.match.first_data_row :]:
            for value in row:
                text = clean(value)
                if text and fold(text).startswith(("nguon", "ghi chu")):
                    found.append(text)
        return found

    def _index_kind(self, texts: list[str]) -> str:
        for text in [
            " ".join(texts),
            self.match.labels.get(self.match.columns["value_percent"], ""),
            self.file_name,
        ]:
            folded = fold(text.replace("_", " "))
            par, sipas = _PAR_WORDS.search(folded), _SIPAS_WORDS.search(folded)
            if par and sipas:
                return "par_index" if par.start() < sipas.start() else "sipas"
            if par or sipas:
                return "par_index" if par else "sipas"
        raise self._error(
            "the title block does not say which index the table publishes (PAR INDEX / Chỉ số CCHC,"
            " or SIPAS / Chỉ số hài lòng)",
            "phần đầu biểu không ghi bảng công bố chỉ số nào (PAR INDEX / Chỉ số CCHC, hay SIPAS /"
            " Chỉ số hài lòng)",
        )

    def _year(self, texts: list[str]) -> int | None:
        for text in texts:
            folded = fold(text)
            if _LEGAL.search(folded):
                continue  # "Quyết định … ngày … năm 2025" is the decision's year, not the index's
            found = _YEAR_WORDS.search(folded)
            if found is None and (_PAR_WORDS.search(folded) or _SIPAS_WORDS.search(folded)):
                found = _YEAR.search(folded)
            if found:
                return int(found.group(1))
        context = extract_context(
            list(self.sheet.rows[: self.match.header_rows[0]]), self.file_name, self.resolver
        )
        if context.period is not None:
            return context.period.end.year
        found = _YEAR.search(self.file_name)
        return int(found.group(1)) if found else None

    @staticmethod
    def _source(texts: list[str]) -> tuple[str | None, date | None]:
        for text in texts:
            folded = fold(text)
            if not _SOURCE.search(folded):
                continue
            source = text.strip("()[] ")
            kept = fold_keep_punct(text)
            when = _DATE_WORDS.search(folded) or _DATE_NUMERIC.search(kept)
            as_of = None
            if when:
                day, month, year = (int(g) for g in when.groups())
                try:
                    as_of = date(year, month, day)
                except ValueError:
                    as_of = None
            return source, as_of
        return None, None

    # -- components
    def _component_columns(self) -> list[_ComponentColumn]:
        found: list[_ComponentColumn] = []
        for canonical in COMPONENT_COLUMNS:
            index = self.match.columns.get(canonical)
            if index is None:
                continue
            path = self.match.paths.get(index, (canonical,))
            name = _strip_max(path[-1])
            found.append(
                _ComponentColumn(index, name, self.match.describe(index), True, _header_max(path[-1]))
            )
        for index, path in sorted(self.match.paths.items()):
            if index in self.match.columns.values() or len(path) < 2:
                continue
            if any(COMPONENT_GROUPS.match(fold(p)) for p in path[:-1]):
                cap = _header_max(path[-1])
                found.append(
                    _ComponentColumn(
                        index, _strip_max(path[-1]), self.match.describe(index), cap is not None, cap
                    )
                )
        return sorted(found, key=lambda c: c.index)

    def _component(self, column: _ComponentColumn, value: object, row_no: int) -> PublishedComponent | None:
        text = clean(value)
        if text in ("", "-", "–", "—"):
            return None
        try:
            slashed = _POINTS_OF.match(text) if isinstance(value, str) else None
            if slashed:  # "57,04/61,5": points of the maximum
                points, top = parse_number(slashed.group(1)), parse_number(slashed.group(2))
                if points > top or points < 0:
                    raise ParseError(
                        f"{text!r}: the points exceed the maximum",
                        f"{text!r}: số điểm lớn hơn điểm tối đa",
                    )
                return PublishedComponent(column.name_vi, _to_places(points), _to_places(top), None)
            number = parse_number(value)
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc, file_name=self.file_name, sheet=self.sheet.name, row=row_no, column=column.header
            ) from exc
        if column.is_points:
            if number < 0 or (column.max_points is not None and number > column.max_points):
                raise self._error(
                    f"{text!r} is not within 0 and the component's maximum"
                    f" {format_vi(column.max_points or 0, 2)}",
                    f"{text!r} không nằm trong khoảng từ 0 đến điểm tối đa của thành phần"
                    f" {format_vi(column.max_points or 0, 2)}",
                    row_no,
                    column.header,
                )
            return PublishedComponent(column.name_vi, _to_places(number), column.max_points, None)
        return PublishedComponent(column.name_vi, None, None, self._percent(value, row_no, column.header))

    # -- cells
    def _percent(self, value: object, row_no: int, column: str, *, index_value: bool = False) -> Decimal:
        """A percentage 0–100. An index value strictly between 0 and 1 is rejected: no
        published PAR INDEX or SIPAS is below 1 %, while a cell formatted as a percentage
        stores 90.49 % as 0.9049 (the reader sees the stored number, not the format)."""
        try:
            number = parse_number(value)
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc, file_name=self.file_name, sheet=self.sheet.name, row=row_no, column=column
            ) from exc
        if not Decimal(0) <= number <= _HUNDRED:
            raise self._error(
                f"{clean(value)!r} is not a percentage between 0 and 100 (a decimal comma lost? write 90,49)",
                f"{clean(value)!r} không phải giá trị phần trăm từ 0 đến 100 (thiếu dấu thập phân?"
                " ghi 90,49)",
                row_no,
                column,
            )
        if index_value and Decimal(0) < number < Decimal(1):
            raise self._error(
                f"{clean(value)!r} reads as {number} %, below 1 %: a cell formatted as a percentage"
                " stores 90.49 % as 0.9049; write the value in percent (90,49)",
                f"{clean(value)!r} được đọc là {number} %, dưới 1 %: ô định dạng phần trăm lưu"
                " 90,49 % thành 0,9049; ghi giá trị theo phần trăm (90,49)",
                row_no,
                column,
            )
        return _to_places(number)

    def _rank(self, value: object, row_no: int) -> tuple[int | None, int | None]:
        text = clean(value)
        if text in ("", "-", "–", "—"):
            return None, None
        column = self._column("rank")
        slashed = _RANK_OUT_OF.match(text)
        try:
            if slashed:
                rank, out_of = int(slashed.group(1)), int(slashed.group(2))
            else:
                rank, out_of = parse_count(value), None
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc, file_name=self.file_name, sheet=self.sheet.name, row=row_no, column=column
            ) from exc
        if rank < 1 or (out_of is not None and rank > out_of):
            raise self._error(
                f"{text!r} is not a rank (1 or more, at most the number ranked)",
                f"{text!r} không phải thứ hạng (từ 1, không quá số đơn vị được xếp hạng)",
                row_no,
                column,
            )
        return rank, out_of

    def _count(self, value: object, row_no: int, canonical: str) -> int | None:
        if clean(value) in ("", "-"):
            return None
        try:
            return parse_count(value)
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc,
                file_name=self.file_name,
                sheet=self.sheet.name,
                row=row_no,
                column=self._column(canonical),
            ) from exc

    def _unit(self, name: str, province: str | None, year: int, row_no: int) -> str | None:
        """The unit's code; None for an agency (not an administrative unit)."""
        on = date(year, 12, 31)
        name = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", name, flags=re.IGNORECASE).strip()
        if province is None:
            try:
                return self.resolver.resolve_province(name, on)
            except ParseError:
                pass
        try:
            return self.resolver.resolve(name=name, province=province, on_date=on)
        except ParseError as exc:
            if AGENCY_NAME.match(fold(name)):
                return None
            raise IngestError.from_parse_error(
                exc,
                file_name=self.file_name,
                sheet=self.sheet.name,
                row=row_no,
                column=self._column("unit_name"),
            ) from exc

    # -- the table
    def table(self) -> PublishedTable:
        texts = self._title_texts()
        index_kind = self._index_kind(texts)
        title_year = self._year(texts)
        source_text, as_of = self._source(texts + self._footer_texts())
        context = extract_context(
            list(self.sheet.rows[: self.match.header_rows[0]]), self.file_name, self.resolver
        )
        province = context.province
        columns = self.match.columns
        if title_year is None and "year" not in columns:
            raise self._error(
                "the title block names no year (e.g. 'Chỉ số CCHC năm 2024')",
                "phần đầu biểu không ghi năm của chỉ số (ví dụ 'Chỉ số CCHC năm 2024')",
            )
        components = self._component_columns()

        def cell(row: tuple, canonical: str) -> object:
            j = columns.get(canonical)
            return row[j] if j is not None and j < len(row) else None

        rows: list[PublishedRow] = []
        left_out: list[str] = []
        mismatches: list[TotalMismatch] = []
        group: str | None = None
        outside = False  # a section of ministries (not units of the warehouse)
        value_column = self._column("value_percent")
        first = self.match.first_data_row
        for row_no, row in enumerate(self.sheet.rows[first:], start=first + 1):
            if row_no == first + 1 and is_numbering_row(row):
                continue
            name = clean(cell(row, "unit_name"))
            value = cell(row, "value_percent")
            ordinal = clean(cell(row, "ordinal"))
            if is_blank(value) or clean(value) in ("-", "–"):
                heading = fold(
                    f"{ordinal} {name}".strip() or " ".join(clean(v) for v in row if not is_blank(v))
                )
                grouped = _GROUP_HEADING.match(heading)
                if grouped:
                    group = (grouped.group(1) or grouped.group(2)).upper()
                    outside = False
                elif heading:
                    outside = bool(_NOT_UNITS.search(heading))
                continue  # a heading, a note or a blank row
            if not name:
                if _SUMMARY_ROW.match(fold(ordinal)):
                    continue
                raise self._error(
                    "a value without a unit name",
                    "có giá trị nhưng không ghi tên đơn vị",
                    row_no,
                    value_column,
                )
            if _SUMMARY_ROW.match(fold(name)) or outside:
                continue
            year = title_year
            if "year" in columns and not is_blank(cell(row, "year")):
                year = self._count(cell(row, "year"), row_no, "year")
            if year is None or not 2000 <= year <= 2100:
                raise self._error(
                    f"no plausible year for {name!r}",
                    f"không có năm hợp lệ cho {name!r}",
                    row_no,
                    self._column("year"),
                )
            unit_code = self._unit(name, province, year, row_no)
            if unit_code is None:
                left_out.append(name)
                continue
            percent = self._percent(value, row_no, value_column, index_value=True)
            rank, out_of = self._rank(cell(row, "rank"), row_no) if "rank" in columns else (None, None)
            stated_out_of = self._count(cell(row, "rank_out_of"), row_no, "rank_out_of")
            out_of = out_of or stated_out_of
            group_label = clean(cell(row, "group_label")) or group
            parts = [
                c
                for c in (
                    self._component(column, row[column.index] if column.index < len(row) else None, row_no)
                    for column in components
                )
                if c is not None
            ]
            rows.append(
                PublishedRow(
                    row_no, name, unit_code, year, percent, rank, out_of, group_label or None, tuple(parts)
                )
            )
            point_parts = [p.points for p in parts if p.points is not None]
            if len(point_parts) >= 2 and len(point_parts) == len(components):
                summed = sum(point_parts, Decimal(0))
                if summed != percent:
                    mismatches.append(
                        TotalMismatch(
                            self.file_name,
                            self.sheet.name,
                            row_no,
                            name,
                            unit_code,
                            value_column,
                            percent,
                            summed,
                            tuple(point_parts),
                        )
                    )
        if not rows:
            raise self._error(
                "the published table has no unit with a value",
                "bảng kết quả không có đơn vị nào có giá trị chỉ số",
                first + 1,
            )
        return PublishedTable(
            self.file_name,
            self.sheet.name,
            index_kind,
            rows[0].year if title_year is None else title_year,
            source_text,
            as_of,
            tuple(_with_rank_out_of(rows)),
            tuple(mismatches),
            tuple(left_out),
        )


def _with_rank_out_of(rows: list[PublishedRow]) -> list[PublishedRow]:
    """Ranks without a stated "out of" are out of the ranked rows of their year (of their
    group when the groups rank apart: a rank repeated across groups); left unknown when the
    table lists fewer rows than its ranks (an extract)."""

    def key(r: PublishedRow) -> tuple:
        return (r.year, r.group_label) if by_group else (r.year,)

    ranked = [r for r in rows if r.rank is not None]
    ranks_by_group: dict[tuple, set[int]] = {}
    for r in ranked:
        ranks_by_group.setdefault((r.year, r.group_label), set()).add(r.rank or 0)
    by_group = len(ranks_by_group) > 1 and any(
        a & b for i, a in enumerate(ranks_by_group.values()) for b in list(ranks_by_group.values())[i + 1 :]
    )
    counts: dict[tuple, int] = {}
    top: dict[tuple, int] = {}
    for r in ranked:
        counts[key(r)] = counts.get(key(r), 0) + 1
        top[key(r)] = max(top.get(key(r), 0), r.rank or 0)
    out = []
    for r in rows:
        if r.rank is not None and r.rank_out_of is None and top[key(r)] <= counts[key(r)]:
            r = replace(r, rank_out_of=counts[key(r)])
        out.append(r)
    return out
