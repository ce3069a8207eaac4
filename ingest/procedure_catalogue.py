"""Read a unit's procedure catalogue (danh mục thủ tục hành chính, TTHC).

One row per procedure a unit handles: its code in the national database
(``1.004227.000.00.00.H17``), name, level, field, online level (toàn trình / một phần /
none), fee (whether there is one, and the amount in VND), whether it returns a paper
result, the decision that published it (``1234/QĐ-UBND``) and its date, the date the legal
basis took effect, the date it was updated on the national database and whether it is
published complete. The publicity indicators of Decision 766 (1.1–1.3) and its online
rule (3.3: where a procedure returns a paper result, an online dossier counts only with an
electronic result) read it.

The header is found like every submission's (ingest/headers.py, aliases in
``ingest/aliases/procedure_catalogue.yaml``); a catalogue is told apart from record exports
(which have Mã TTHC too) by the procedures' names with a procedure-level column and no
dossier id or received date. The unit is a column (code, or name with the province), else
the title block ("Đơn vị: UBND huyện Lấp Vò", "… của UBND huyện Lấp Vò", a letterhead), else
the unit's GSO code in the file name. The catalogue's date (as-of) is a column, else the
title ("Danh mục TTHC … (cập nhật đến ngày 30/6/2024)"), else the place-and-date line; a
catalogue without one is refused. Heading rows ("A. TTHC CẤP HUYỆN", "I. Lĩnh vực Tư pháp")
set the level and field of the rows below them.

Every value that cannot be read refuses the file, naming file, sheet, row and column
(:class:`ingest.errors.IngestError`, in Vietnamese and English): a date, a yes/no, an online
level or a level not understood, a fee with a decimal part or words, a procedure code
Excel turned into a number, a procedure listed twice for one unit (both rows named).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yamlfiles
from ingest import vocabulary
from ingest.admin_units import UnitResolver
from ingest.context import extract_context, reporting_unit_name, submission_date
from ingest.dates import parse_date
from ingest.errors import IngestError, ParseError
from ingest.headers import ALIAS_DIR, KNOWN_IGNORED, HeaderMatch, find_header, is_numbering_row
from ingest.numbers import parse_number
from ingest.periods import find_authority_level_in_text
from ingest.readers import Sheet, read_sheets
from ingest.text import clean, fold, fold_keep_punct, is_blank

FAMILY = "procedure_catalogue"
#: the largest fee stored (decimal(18,2) in raw.procedure_catalogue)
MAX_FEE = Decimal(10) ** 15
_MARKS = {"x", "✓", "✔", "v"}
_DATE_NUMERIC = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_DATE_WORDS = r"(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})"
#: the catalogue's date in its title: "(cập nhật đến ngày 30/6/2024)", "Ngày cập nhật: …"
_AS_OF = re.compile(
    r"\b(?:den ngay|ngay cap nhat|cap nhat ngay|ngay trich xuat|trich xuat ngay|ngay xuat du lieu)"
    rf"\s*:?\s*(?:{_DATE_NUMERIC}|{_DATE_WORDS})"
)
#: a date in a decision's text: "Quyết định số 1234/QĐ-UBND ngày 15/3/2024"
_DECISION_DATE = re.compile(rf"\bngay\s*(?:{_DATE_NUMERIC}|{_DATE_WORDS})")
_UNIT_LINE = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong)(?: bao cao| thuc hien| cong bo)?$")
_KINDS = r"(?:tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)"
#: "… thuộc thẩm quyền giải quyết của UBND huyện Lấp Vò (cập nhật …)"
_TITLE_UNIT = re.compile(rf"\bcủa\s+(?:UBND|[UỦ]Y BAN NHÂN DÂN)\s+({_KINDS}\s+[^,;()]+)", re.IGNORECASE)
_TITLE_UNIT_END = re.compile(r"\s+(?:năm|cập nhật|kỳ|đến|từ|tính|tại|ngày)(?:\s|$)", re.IGNORECASE)
_PROVINCE_NAME = re.compile(r"^(?:tinh|thanh pho truc thuoc trung uong)\b")
_FIELD_HEADING = re.compile(
    r"^\s*(?:[IVXLC]+|[A-Za-z]|\d+)?\s*[.)\-:]?\s*lĩnh vực\s*:?\s*(.+)$", re.IGNORECASE
)
_SUMMARY = re.compile(r"^(?:tong|tong cong|tong so|cong)\b")
_FILE_TOKEN = re.compile(r"[a-z]*\d+|[a-z]+")
_ONLINE_PREFIX = re.compile(r"^(?:dich vu cong truc tuyen|dvc truc tuyen|dvctt|dvc|muc do dvc|muc do)\s+")
#: the columns holding a procedure-level value (a row with one is a procedure, not a heading)
_VALUE_COLUMNS = (
    "online_level",
    "online_full_mark",
    "online_partial_mark",
    "has_fee",
    "fee_amount",
    "returns_paper_result",
    "publication_decision",
    "published_on",
    "legal_basis_effective_on",
    "updated_on",
    "is_published_complete",
)


@cache
def _values() -> dict[str, frozenset[str]]:
    """The cell words the alias file declares besides the vocabulary (``values``), folded."""
    with open(ALIAS_DIR / f"{FAMILY}.yaml", encoding="utf-8") as fh:
        spec = yamlfiles.load(fh) or {}
    return {name: frozenset(fold(w) for w in words) for name, words in (spec.get("values") or {}).items()}


@dataclass(frozen=True)
class CatalogueRow:
    """One procedure of a unit's catalogue, as ``raw.procedure_catalogue`` holds it."""

    source_row: int
    unit_code: str
    as_of_date: date
    procedure_code: str
    procedure_name: str
    authority_level: str | None
    field: str | None
    online_level: str | None
    has_fee: bool | None
    fee_amount: Decimal | None
    returns_paper_result: bool | None
    publication_decision: str | None
    published_on: date | None
    legal_basis_effective_on: date | None
    updated_on: date | None
    is_published_complete: bool | None

    def record(self) -> dict[str, object]:
        """The row for ``raw.procedure_catalogue`` (file_id and loaded_at added by the loader)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class CatalogueTable:
    """The catalogue of one sheet."""

    sheet: str | None
    rows: tuple[CatalogueRow, ...]
    #: header columns not loaded: (English, Vietnamese) descriptions
    ignored: tuple[tuple[str, str], ...] = ()
    column_map: str = ""


@dataclass(frozen=True)
class Catalogue:
    file_name: str
    tables: tuple[CatalogueTable, ...]
    skipped_sheets: tuple[str, ...] = ()

    @property
    def rows(self) -> list[CatalogueRow]:
        return [row for table in self.tables for row in table.rows]


def read_procedure_catalogue(
    path: Path, resolver: UnitResolver | None = None, sheets: list[Sheet] | None = None
) -> Catalogue:
    """The catalogue of a file (one table per sheet that has one). Raises
    :class:`IngestError` naming the file, sheet, row and column of what cannot be read."""
    path = Path(path)
    resolver = resolver or UnitResolver.default()
    if sheets is None:
        try:
            sheets = read_sheets(path)
        except ParseError as exc:
            raise IngestError.from_parse_error(exc, file_name=path.name) from exc
    tables: list[CatalogueTable] = []
    skipped: list[str] = []
    seen: dict[tuple[str, str], tuple[str | None, int]] = {}
    for sheet in sheets:
        match = find_header(sheet.rows, (FAMILY,), sheet.merges)
        if match is None:
            skipped.append(sheet.name or "")
            continue
        table = _Reading(path.name, sheet, match, resolver).table()
        for row in table.rows:
            key = (row.unit_code, row.procedure_code)
            first = seen.get(key)
            if first is not None:
                same = first[0] == table.sheet
                where_en = f"row {first[1]}" if same else f"sheet {first[0]}, row {first[1]}"
                where_vi = f"dòng {first[1]}" if same else f"trang tính {first[0]}, dòng {first[1]}"
                raise IngestError(
                    f"procedure {row.procedure_code} is listed twice for unit {row.unit_code}"
                    f" ({where_en} and row {row.source_row}): a catalogue lists each procedure once",
                    f"thủ tục {row.procedure_code} có hai lần trong danh mục của đơn vị {row.unit_code}"
                    f" ({where_vi} và dòng {row.source_row}): mỗi thủ tục chỉ ghi một lần",
                    file_name=path.name,
                    sheet=table.sheet,
                    row=row.source_row,
                    column=match.column_name("procedure_code"),
                )
            seen[key] = (table.sheet, row.source_row)
        tables.append(table)
    if not tables:
        raise IngestError(
            "no sheet has a procedure catalogue (columns 'Mã TTHC', 'Tên TTHC' and one of"
            " 'Quyết định công bố', 'Ngày công bố', 'Mức độ DVC')",
            "không trang tính nào có danh mục thủ tục hành chính (các cột 'Mã TTHC', 'Tên TTHC' và"
            " một trong các cột 'Quyết định công bố', 'Ngày công bố', 'Mức độ DVC')",
            file_name=path.name,
        )
    return Catalogue(path.name, tuple(tables), tuple(s for s in skipped if s))


def _date_in(found: re.Match[str]) -> date | None:
    groups = [g for g in found.groups() if g is not None]
    day, month, year = (int(g) for g in groups[:3])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _decision_date(text: str) -> date | None:
    """The date a decision's text states ("1234/QĐ-UBND ngày 15/3/2024")."""
    found = _DECISION_DATE.search(fold_keep_punct(text))
    return _date_in(found) if found else None


def _file_name_tokens(file_name: str) -> list[str]:
    """GSO codes a file name may hold (2, 3 or 5 digits, optionally ``L``-prefixed); a
    two-digit number right after a year (``2024_06``) is a month."""
    tokens = _FILE_TOKEN.findall(Path(file_name).stem.lower())
    found = []
    for i, token in enumerate(tokens):
        digits = token[1:] if token.startswith("l") else token
        if not digits.isdigit() or len(digits) not in (2, 3, 5):
            continue
        previous = tokens[i - 1] if i else ""
        if len(digits) == 2 and previous.isdigit() and len(previous) == 4:
            continue
        found.append(token.upper() if token.startswith("l") else token)
    return found


@dataclass
class _Section:
    """What heading rows above a procedure say: its level and field."""

    level: str | None = None
    field: str | None = None


@dataclass
class _Unit:
    """The unit of the rows without a unit column (the title block or the file name)."""

    code: str | None = None
    why_en: str = ""
    why_vi: str = ""


class _Reading:
    """One sheet's catalogue being read."""

    def __init__(self, file_name: str, sheet: Sheet, match: HeaderMatch, resolver: UnitResolver) -> None:
        self.file_name = file_name
        self.sheet = sheet
        self.match = match
        self.resolver = resolver
        self.columns = match.columns
        self.first = match.first_data_row
        self.title_rows = list(sheet.rows[: match.header_rows[0]])
        self.context = extract_context(self.title_rows, file_name, resolver)
        self._merged = self._merged_cells()
        self._unit_of_file: _Unit | None = None

    # -- errors and cells
    def _error(self, en: str, vi: str, row: int | None = None, canonical: str | None = None) -> IngestError:
        column = (self.match.column_name(canonical) or canonical) if canonical else None
        return IngestError(en, vi, file_name=self.file_name, sheet=self.sheet.name, row=row, column=column)

    def _located(self, exc: ParseError, row: int, canonical: str) -> IngestError:
        return IngestError.from_parse_error(
            exc,
            file_name=self.file_name,
            sheet=self.sheet.name,
            row=row,
            column=self.match.column_name(canonical) or canonical,
        )

    def _merged_cells(self) -> dict[tuple[int, int], object]:
        """Cells covered by a merged range below the header → the range's value (a field
        written once over the rows of its procedures)."""
        out: dict[tuple[int, int], object] = {}
        for top, left, bottom, right in self.sheet.merges:
            if top < self.first or top >= len(self.sheet.rows):
                continue
            row = self.sheet.rows[top]
            value = row[left] if left < len(row) else None
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    if (r, c) != (top, left):
                        out[(r, c)] = value
        return out

    def cell(self, row: tuple, index: int, canonical: str) -> object:
        j = self.columns.get(canonical)
        if j is None:
            return None
        value = row[j] if j < len(row) else None
        if is_blank(value):
            value = self._merged.get((index, j))
        return None if is_blank(value) else value

    # -- the title block
    def _title_texts(self) -> list[str]:
        return [clean(v) for row in self.title_rows for v in row if not is_blank(v) and clean(v)]

    def _title_as_of(self) -> date | None:
        for text in self._title_texts():
            found = _AS_OF.search(fold_keep_punct(text))
            if found:
                when = _date_in(found)
                if when is None:
                    raise self._error(
                        f"the catalogue's date in the title is not a date: {text!r}",
                        f"ngày của danh mục ghi ở phần đầu không phải ngày hợp lệ: {text!r}",
                    )
                return when
        return submission_date(self.title_rows)

    def _title_unit(self) -> str | None:
        """The unit the title block names: a "Đơn vị:" line, "… của UBND huyện Lấp Vò", else
        the letterhead."""
        for row in self.title_rows:
            for value in row:
                head, colon, tail = clean(value).strip("()[] ").partition(":")
                if colon and tail.strip() and _UNIT_LINE.match(fold(head)):
                    return reporting_unit_name(tail)
        for text in self._title_texts():
            found = _TITLE_UNIT.search(text)
            if found:
                return reporting_unit_name(_TITLE_UNIT_END.split(found[1], maxsplit=1)[0].strip(" .:-"))
        return self.context.unit_name

    def _resolve_name(self, name: str, province: str | None, on: date) -> str:
        """A unit's name → its code; a province's name when it names one ("tỉnh Đồng Tháp")."""
        if _PROVINCE_NAME.match(fold(name)) or province is None:
            try:
                return self.resolver.resolve_province(name, on)
            except ParseError:
                if _PROVINCE_NAME.match(fold(name)):
                    raise
        return self.resolver.resolve(name=name, province=province, on_date=on)

    def _file_unit(self, as_of: date) -> _Unit:
        name = self._title_unit()
        if name:
            try:
                return _Unit(self._resolve_name(name, self.context.province, as_of))
            except ParseError as exc:
                raise IngestError.from_parse_error(
                    exc, file_name=self.file_name, sheet=self.sheet.name
                ) from exc
        codes = []
        for token in _file_name_tokens(self.file_name):
            try:
                codes.append(self.resolver.resolve(code=token, on_date=as_of))
            except ParseError:
                continue
        codes = list(dict.fromkeys(codes))
        if len(codes) == 1:
            return _Unit(codes[0])
        return _Unit(
            None,
            "no unit: the table has no unit column (Mã đơn vị, Đơn vị), its title names none"
            " ('Đơn vị: UBND huyện …', '… của UBND huyện …') and its file name holds "
            + ("several units' codes (" + ", ".join(codes) + ")" if codes else "no unit's code")
            + " (e.g. danh_muc_tthc_867.xlsx)",
            "không xác định được đơn vị: bảng không có cột đơn vị (Mã đơn vị, Đơn vị), phần đầu"
            " không ghi đơn vị ('Đơn vị: UBND huyện …', '… của UBND huyện …') và tên tệp "
            + ("chứa mã của nhiều đơn vị (" + ", ".join(codes) + ")" if codes else "không chứa mã đơn vị")
            + " (ví dụ danh_muc_tthc_867.xlsx)",
        )

    def _row_unit(self, row: tuple, index: int, row_no: int, as_of: date) -> str:
        code = self.cell(row, index, "unit_code")
        name = self.cell(row, index, "unit_name")
        try:
            if code is not None:
                return self.resolver.resolve(code=clean(code), on_date=as_of)
            if name is not None:
                province = self.cell(row, index, "province")
                return self._resolve_name(
                    clean(name), clean(province) if province is not None else self.context.province, as_of
                )
        except ParseError as exc:
            raise self._located(exc, row_no, "unit_code" if code is not None else "unit_name") from exc
        if self._unit_of_file is None:  # read once, for the first row without a unit cell
            self._unit_of_file = self._file_unit(as_of)
        file_unit = self._unit_of_file
        if file_unit.code is None:
            raise self._error(file_unit.why_en, file_unit.why_vi, row_no)
        return file_unit.code

    # -- values
    def _date(self, value: object, row_no: int, canonical: str) -> date | None:
        if value is None or clean(value) in ("-", "–"):
            return None
        try:
            return parse_date(value.strip() if isinstance(value, str) else value)
        except ParseError as exc:
            raise self._located(exc, row_no, canonical) from exc

    def _boolean(self, value: object, row_no: int, canonical: str, marks: bool) -> bool | None:
        if value is None:
            return False if marks else None
        if isinstance(value, bool):
            return value
        code = vocabulary.lookup("booleans", value)
        if code is None and fold(value) in _MARKS:
            code = "true"
        if code is None:
            raise self._error(
                f"{clean(value)[:40]!r} is not yes or no (Có/Không, x, 1/0)",
                f"{clean(value)[:40]!r} không phải có/không (Có/Không, x, 1/0)",
                row_no,
                canonical,
            )
        return code == "true"

    def _has_fee(self, value: object, row_no: int) -> bool | None:
        if value is not None and fold(value) in _values()["no_fee"]:
            return False
        if value is not None and fold(value) in _values()["has_fee"]:
            return True
        return self._boolean(value, row_no, "has_fee", marks=False)

    def _fee_amount(self, value: object, row_no: int) -> Decimal | None:
        """A fee in VND: "50.000", "50.000 đồng/hồ sơ", an Excel number; "Miễn phí" is 0. A
        unit in the header ("(nghìn đồng)") scales it; a decimal part is refused."""
        if value is None:
            return None
        if fold(value) in _values()["no_fee"] or clean(value) in ("-", "–"):
            return Decimal("0.00")
        shown = clean(value)[:40]
        try:
            number = parse_number(value)
        except ParseError as exc:
            raise self._error(
                f"{shown!r} is not a fee in VND (write the amount, e.g. '50.000', or 'Miễn phí')",
                f"{shown!r} không phải mức phí bằng đồng (ghi số tiền, ví dụ '50.000', hoặc 'Miễn phí')",
                row_no,
                "fee_amount",
            ) from exc
        label = self.match.labels.get(self.columns["fee_amount"], "")
        scale = vocabulary.money_scale_in_label(label)
        amount = number * scale * 1_000_000 if scale is not None else number
        if amount != amount.to_integral_value() or amount < 0 or amount >= MAX_FEE:
            raise self._error(
                f"{shown!r} is not a fee in whole VND (no decimal part, not negative)",
                f"{shown!r} không phải mức phí bằng số đồng nguyên (không có phần thập phân, không âm)",
                row_no,
                "fee_amount",
            )
        return amount.quantize(Decimal("0.01"))

    def _online_level(self, row: tuple, index: int, row_no: int) -> str | None:
        if "online_level" in self.columns:
            value = self.cell(row, index, "online_level")
            if value is None:
                return None
            folded = fold(value)
            code = vocabulary.lookup("online_levels", value)
            if code is None:
                code = vocabulary.lookup("online_levels", _ONLINE_PREFIX.sub("", folded))
            if code is None and folded in _values()["online_none"]:
                code = "none"
            if code is None:
                labels = ", ".join(t.vi for t in vocabulary.terms("online_levels").values())
                raise self._error(
                    f"{clean(value)[:40]!r} is not an online level ({labels})",
                    f"{clean(value)[:40]!r} không phải mức độ dịch vụ công trực tuyến ({labels})",
                    row_no,
                    "online_level",
                )
            return code
        if "online_full_mark" not in self.columns and "online_partial_mark" not in self.columns:
            return None
        full = self._boolean(self.cell(row, index, "online_full_mark"), row_no, "online_full_mark", True)
        partial = self._boolean(
            self.cell(row, index, "online_partial_mark"), row_no, "online_partial_mark", True
        )
        if full and partial:
            raise self._error(
                "the procedure is marked both fully and partly online",
                "thủ tục được đánh dấu cả toàn trình và một phần",
                row_no,
                "online_full_mark" if "online_full_mark" in self.columns else "online_partial_mark",
            )
        return "toan_trinh" if full else "mot_phan" if partial else "none"

    def _level(self, value: object, row_no: int, unit_code: str, section: _Section) -> str | None:
        """The level of a procedure: one level, or the unit's own among several ("Cấp tỉnh,
        Cấp huyện" in a district's catalogue)."""
        if value is None:
            return section.level
        levels = []
        for part in re.split(r"[,;/+]|\bva\b", fold_keep_punct(value)):
            part = re.sub(r"^cap\s+", "", fold(part))
            if part:
                code = vocabulary.lookup("authority_levels", part)
                if code is None:
                    levels = []
                    break
                levels.append(code)
        unit = self.resolver.get(unit_code)
        own = vocabulary.kind_levels().get(unit.unit_kind) if unit else None
        if len(set(levels)) == 1:
            return levels[0]
        if own in levels:
            return own
        raise self._error(
            f"{clean(value)[:40]!r} is not a level of this unit (Cấp tỉnh, Cấp huyện, Cấp xã)",
            f"{clean(value)[:40]!r} không phải cấp thực hiện của đơn vị (Cấp tỉnh, Cấp huyện, Cấp xã)",
            row_no,
            "authority_level",
        )

    def _procedure_code(self, value: object, row_no: int) -> str:
        if isinstance(value, float):
            raise self._error(
                f"the procedure code {value!r} was stored as a number (Excel drops its trailing"
                " zeros): format the column as text and write the code as published"
                " (1.004227.000.00.00.H17)",
                f"mã thủ tục {value!r} bị lưu thành số (Excel bỏ các số 0 ở cuối): định dạng cột là"
                " văn bản và ghi mã như đã công bố (1.004227.000.00.00.H17)",
                row_no,
                "procedure_code",
            )
        return re.sub(r"\s+", "", clean(value))

    def _mark_columns(self, data: list[tuple[int, tuple]]) -> set[str]:
        """Boolean columns written as marks ("x" or blank): a blank is no."""
        marked = set()
        for canonical in ("returns_paper_result", "is_published_complete", "has_fee"):
            values = [self.cell(row, i, canonical) for i, row in data]
            filled = [fold(v) for v in values if v is not None]
            if filled and all(v in _MARKS for v in filled):
                marked.add(canonical)
        return marked

    def _as_of(self, row: tuple, index: int, row_no: int, title_as_of: date | None) -> date:
        if "as_of_date" in self.columns:
            stated = self._date(self.cell(row, index, "as_of_date"), row_no, "as_of_date")
            if stated is not None:
                return stated
        if title_as_of is None:
            raise self._error(
                "the catalogue states no date: write it in the title ('Danh mục TTHC … (cập nhật đến"
                " ngày 30/6/2024)') or in a column 'Ngày trích xuất'",
                "danh mục không ghi ngày: ghi ở tiêu đề ('Danh mục TTHC … (cập nhật đến ngày"
                " 30/6/2024)') hoặc ở cột 'Ngày trích xuất'",
                row_no if "as_of_date" in self.columns else None,
                "as_of_date" if "as_of_date" in self.columns else None,
            )
        return title_as_of

    # -- rows
    def _heading(self, row: tuple, section: _Section) -> None:
        """A heading row sets the level ("A. THỦ TỤC HÀNH CHÍNH CẤP HUYỆN") or the field
        ("I. Lĩnh vực Tư pháp") of the rows below."""
        texts = [clean(v) for v in row if not is_blank(v)]
        text = " ".join(texts)
        level = vocabulary.section_level(text) or find_authority_level_in_text(text)
        if level:
            section.level, section.field = level, None
            return
        found = _FIELD_HEADING.match(text)
        if found:
            section.field = found[1].strip(" .:-")

    def _is_value_row(self, row: tuple, index: int) -> bool:
        return any(self.cell(row, index, c) is not None for c in _VALUE_COLUMNS)

    def table(self) -> CatalogueTable:
        missing = [c for c in ("procedure_code", "procedure_name") if c not in self.columns]
        if missing:
            wanted = {"procedure_code": "Mã TTHC", "procedure_name": "Tên TTHC"}
            shown = ", ".join(wanted[c] for c in missing)
            raise self._error(
                f"the catalogue has no column {shown}",
                f"danh mục không có cột {shown}",
                self.match.header_rows[-1] + 1,
            )
        data = [
            (i, row)
            for i, row in enumerate(self.sheet.rows[self.first :], start=self.first)
            if not all(is_blank(v) for v in row) and not (i == self.first and is_numbering_row(row))
        ]
        marks = self._mark_columns(data)
        title_as_of = self._title_as_of()
        section = _Section(level=self.context.authority_level)
        rows: list[CatalogueRow] = []
        as_of_by_unit: dict[str, tuple[date, int]] = {}
        for index, row in data:
            row_no = index + 1
            code = self.cell(row, index, "procedure_code")
            name = self.cell(row, index, "procedure_name")
            if code is None or name is None:
                # a heading ("I. Lĩnh vực Tư pháp", in whichever column it starts), a total
                label = fold(name or code) or fold(self.cell(row, index, "ordinal"))
                if _SUMMARY.match(label) or not self._is_value_row(row, index):
                    self._heading(row, section)
                    continue
            if code is None:
                raise self._error(
                    "a procedure without its code (Mã TTHC)",
                    "thủ tục không ghi mã (Mã TTHC)",
                    row_no,
                    "procedure_code",
                )
            if name is None:
                raise self._error(
                    "a procedure code without the procedure's name (Tên TTHC)",
                    "có mã thủ tục nhưng không ghi tên thủ tục (Tên TTHC)",
                    row_no,
                    "procedure_name",
                )
            as_of = self._as_of(row, index, row_no, title_as_of)
            unit_code = self._row_unit(row, index, row_no, as_of)
            earlier = as_of_by_unit.setdefault(unit_code, (as_of, row_no))
            if earlier[0] != as_of:
                raise self._error(
                    f"two dates for one unit's catalogue: {earlier[0]:%d/%m/%Y} (row {earlier[1]})"
                    f" and {as_of:%d/%m/%Y}",
                    f"danh mục của một đơn vị có hai ngày: {earlier[0]:%d/%m/%Y} (dòng {earlier[1]})"
                    f" và {as_of:%d/%m/%Y}",
                    row_no,
                    "as_of_date",
                )
            rows.append(self._row(row, index, row_no, unit_code, as_of, clean(name), code, section, marks))
        if not rows:
            raise self._error(
                "the catalogue lists no procedure (no row with a code under the header)",
                "danh mục không có thủ tục nào (không dòng nào dưới tiêu đề có mã thủ tục)",
                self.first + 1,
            )
        return CatalogueTable(self.sheet.name, tuple(rows), tuple(self._ignored()), self.match.column_map())

    def _row(
        self,
        row: tuple,
        index: int,
        row_no: int,
        unit_code: str,
        as_of: date,
        name: str,
        code: object,
        section: _Section,
        marks: set[str],
    ) -> CatalogueRow:
        def text(canonical: str) -> str | None:
            value = self.cell(row, index, canonical)
            return clean(value) or None if value is not None else None

        fee_amount = self._fee_amount(self.cell(row, index, "fee_amount"), row_no)
        has_fee = (
            self._boolean(self.cell(row, index, "has_fee"), row_no, "has_fee", True)
            if "has_fee" in marks
            else self._has_fee(self.cell(row, index, "has_fee"), row_no)
        )
        if has_fee is None and fee_amount is not None:
            has_fee = fee_amount > 0
        if has_fee is False and fee_amount:
            raise self._error(
                f"the procedure has no fee but a fee of {fee_amount:,.0f} VND",
                f"thủ tục ghi không thu phí nhưng có mức phí {fee_amount:,.0f} đồng".replace(",", "."),
                row_no,
                "fee_amount",
            )
        decision = text("publication_decision")
        published_on = self._date(self.cell(row, index, "published_on"), row_no, "published_on")
        if published_on is None and decision:
            published_on = _decision_date(decision)
        return CatalogueRow(
            source_row=row_no,
            unit_code=unit_code,
            as_of_date=as_of,
            procedure_code=self._procedure_code(code, row_no),
            procedure_name=name,
            authority_level=self._level(self.cell(row, index, "authority_level"), row_no, unit_code, section),
            field=text("field") or section.field,
            online_level=self._online_level(row, index, row_no),
            has_fee=has_fee,
            fee_amount=fee_amount,
            returns_paper_result=self._boolean(
                self.cell(row, index, "returns_paper_result"),
                row_no,
                "returns_paper_result",
                "returns_paper_result" in marks,
            ),
            publication_decision=decision,
            published_on=published_on,
            legal_basis_effective_on=self._date(
                self.cell(row, index, "legal_basis_effective_on"), row_no, "legal_basis_effective_on"
            ),
            updated_on=self._date(self.cell(row, index, "updated_on"), row_no, "updated_on"),
            is_published_complete=self._boolean(
                self.cell(row, index, "is_published_complete"),
                row_no,
                "is_published_complete",
                "is_published_complete" in marks,
            ),
        )

    def _ignored(self) -> Iterable[tuple[str, str]]:
        """The header's columns not loaded (personal ones included, never read)."""
        for i, (en, vi) in sorted(self.match.ignored.items()):
            if (en, vi) != KNOWN_IGNORED:
                yield f"{self.match.describe(i)} ({en})", f"{self.match.describe(i)} ({vi})"
        for i in self.match.personal:
            yield (
                f"{self.match.describe(i)} (personal data, not read)",
                f"{self.match.describe(i)} (dữ liệu cá nhân, không đọc)",
            )
