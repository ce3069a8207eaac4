"""Turn the data rows of a matched sheet into rows of the aggregated raw tables
(``raw.dossiers``, ``raw.staff``, ``raw.budget``, ``raw.surveys``, ``raw.survey_responses``).

Pure Python, no database: raises :class:`IngestError` naming sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from ingest.admin_units import UnitResolver
from ingest.context import FileContext, row_text
from ingest.dates import parse_date
from ingest.errors import IngestError, ParseError, PeriodParseError
from ingest.headers import HeaderMatch, load_aliases, lookup_value, survey_questions
from ingest.numbers import infer_decimal_mark, parse_count, parse_decimal
from ingest.periods import Period, find_authority_level_in_text, parse_authority_level
from ingest.text import clean, fold, is_blank

DOSSIER_COUNTS = (
    "carried_in",
    "received",
    "received_online",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_not_due",
    "pending_overdue",
)
KIND_LEVEL = {"province": "tinh", "district": "huyen", "commune": "xa"}
_TOTAL_FIRST = ("tong", "total")
_CONG_SECOND = {"chung", "toan", "tat", "so", "cac", "cong"}
_NUMBERING = re.compile(r"^\(?([0-9]{1,3}|[a-zA-Z])\)?$")


def is_total_label(value: object) -> bool:
    """ "Tổng cộng", "Tổng số", "Cộng", "Total" … (not a unit such as "Cộng Hòa")."""
    words = fold(value).split()
    if not words:
        return False
    if words[0] in _TOTAL_FIRST:
        return True
    return words[0] == "cong" and (len(words) == 1 or words[1] in _CONG_SECOND)


def _first_text(cells: tuple) -> object:
    for v in cells:
        if isinstance(v, str) and v.strip():
            return v
    return None


def _is_numbering_row(cells: tuple) -> bool:
    """The "(1) (2) (3)" or "A B 1 2 3" row that forms often put under the header."""
    tokens = [str(v).strip() for v in cells if not is_blank(v)]
    if len(tokens) < 3:
        return False
    nums: list[int] = []
    for t in tokens:
        m = _NUMBERING.match(t)
        if not m:
            return False
        if m.group(1).isdigit():
            nums.append(int(m.group(1)))
        elif nums:
            return False
    return len(nums) >= 2 and nums == list(range(nums[0], nums[0] + len(nums)))


@dataclass
class ParsedSheet:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    unit_codes: set[str] = field(default_factory=set)
    period_labels: set[str] = field(default_factory=set)


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

    def unit(self, cells: tuple, row: int, on_date: date) -> tuple[str, str]:
        code = self.cell(cells, "unit_code")
        name = self.cell(cells, "unit_name")
        province = self.cell(cells, "province") or self.ctx.province
        column = self.m.column_name("unit_code" if code is not None else "unit_name")
        if code is None and name is None:
            if not self.ctx.unit_name:
                raise self.error(
                    "no unit: the row has neither a unit code nor a unit name, and the title"
                    " rows name no unit ('Đơn vị: …')",
                    "không xác định được đơn vị: dòng không có mã đơn vị hoặc tên đơn vị và"
                    " phần tiêu đề không ghi 'Đơn vị: …'",
                    row,
                    column,
                )
            name, column = self.ctx.unit_name, "title rows"
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        try:
            unit_code = self.resolver.resolve(
                code=None if code is None else str(code),
                name=None if name is None else str(name),
                province=None if province is None else str(province),
                on_date=on_date,
            )
        except ParseError as exc:
            raise IngestError.from_parse_error(
                exc, file_name=self.file_name, sheet=self.sheet, row=row, column=column
            ) from exc
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
        return self.parse(cells, canonical, parse_count, row)  # type: ignore[return-value]

    # -- row loop
    def rows(self, all_rows: list[tuple], measures: tuple[str, ...]):
        """Yield (row number, cells, is_total) for data rows; skips blank, numbering,
        section and footer rows."""
        start = self.m.first_data_row
        measure_idx = [self.m.columns[c] for c in measures if c in self.m.columns]
        measure_idx += list(self.m.questions.values())
        for i in range(start, len(all_rows)):
            cells = all_rows[i]
            row = i + 1
            if all(is_blank(v) for v in cells):
                continue
            if i == start and _is_numbering_row(cells):
                continue
            total = is_total_label(_first_text(cells))
            has_measure = any(idx < len(cells) and not is_blank(cells[idx]) for idx in measure_idx)
            if not has_measure:
                level = find_authority_level_in_text(row_text(cells))
                if level:
                    self.section_level = level  # a section heading such as "II. Cấp xã"
                continue
            yield row, cells, total
            if total:
                return  # what follows a totals row is a footer

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


def parse_dossiers(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    out: list[dict] = []
    for row, cells, total in p.rows(rows, DOSSIER_COUNTS):
        counts = {c: p.count(cells, c, row) for c in DOSSIER_COUNTS}
        period = p.period(cells, row, required=not total)
        _check_period(p, period, row)
        if total:
            unit_code, submitted = None, clean(_first_text(cells))
        else:
            assert period is not None
            unit_code, submitted = p.unit(cells, row, period.end)
        field_value = p.cell(cells, "field")
        out.append(
            {
                "source_row": row,
                "unit_code": unit_code,
                "submitted_unit": submitted,
                "authority_level": p.level(cells, row, unit_code),
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "field": None if field_value is None else clean(field_value),
                **counts,
                "is_total_row": total,
            }
        )
        if not total:
            p.note(unit_code, period)
    p.out.tables["dossiers"] = out
    return p.out


def _as_of(p: SheetParser, cells: tuple, row: int) -> date:
    value = p.parse(cells, "as_of_date", parse_date, row)
    if isinstance(value, date):
        return value
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
    for row, cells, total in p.rows(rows, ("quota", "actual")):
        as_of = _as_of(p, cells, row)
        raw_category = p.cell(cells, "category")
        category = lookup_value("staff", "category", raw_category)
        if category is None and not (total and raw_category is None):
            raise p.error(
                f"unknown staff category {clean(raw_category)!r} (expected Cán bộ, Công chức,"
                " Viên chức giáo dục, Viên chức y tế, Viên chức khác, Hợp đồng)",
                f"loại biên chế {clean(raw_category)!r} không hợp lệ (cần: Cán bộ, Công chức,"
                " Viên chức giáo dục, Viên chức y tế, Viên chức khác, Hợp đồng)",
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


def parse_budget(p: SheetParser, rows: list[tuple]) -> ParsedSheet:
    out: list[dict] = []
    data_rows = list(p.rows(rows, ("plan_mvnd", "disbursed_mvnd")))
    # one convention per file: "100.000,000" beside "900,000" makes the latter 900
    mark = infer_decimal_mark(
        p.cell(cells, column) for _, cells, _ in data_rows for column in ("plan_mvnd", "disbursed_mvnd")
    )
    money = partial(parse_decimal, decimal_mark=mark)
    for row, cells, total in data_rows:
        as_of = _as_of(p, cells, row)
        year = _fiscal_year(p, cells, row, as_of)
        if total:
            unit_code, submitted = None, clean(_first_text(cells))
        else:
            unit_code, submitted = p.unit(cells, row, as_of)
        programme = p.cell(cells, "programme")
        plan = p.parse(cells, "plan_mvnd", money, row)
        disbursed = p.parse(cells, "disbursed_mvnd", money, row)
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
    for row, cells, total in p.rows(rows, ("forms", "satisfied_forms")):
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
    for row, cells, total in p.rows(rows, ("response_id",)):
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
