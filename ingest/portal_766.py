"""Read the national public service portal's published 766 scores (a pure reader).

Decision 766/QĐ-TTg ("Bộ chỉ số phục vụ người dân, doanh nghiệp"): the portal scores every
province (since July 2025 also its departments and communes) per month, quarter and year in
six groups: publicity "Công khai, minh bạch" (18), progress "Tiến độ giải quyết" (20),
online service "Dịch vụ trực tuyến" (12), online payment "Thanh toán trực tuyến" (10),
satisfaction "Mức độ hài lòng" (18) and digitisation "Số hóa hồ sơ" (22), 100 in all.

Inputs: exports of the portal's ranking table (.xlsx/.xls/.csv; title rows, a header
"STT | Tên đơn vị | Công khai, minh bạch (18 điểm) | … | Tổng điểm | Xếp hạng", the maxima in
the headings or in a second header row) and the JSON responses of the old API (a list of
flat objects ``TEN, TONG_SCORE, CKMB, TDGQ, TTTT, CLGQ, MDHL, MDSH``) and the new one
(``{"data": {"evaluation": [{departmentName, totalScore, groupScores: {…}}]}}``); the shapes
and their sources are recorded in ``ingest/aliases/portal_766_scores.yaml``.

The two versions use the codes of the online service and online payment groups the other
way round, so **a group is placed by the maximum the file states for it**, never by its
code: 20 → progress, 12 → online service, 10 → online payment, 22 → digitisation, and 18 →
publicity or satisfaction by its words (công khai / minh bạch, hài lòng). A group without a
stated maximum is placed by its heading or name words; a group known only by a code, or an
18-point group whose words do not say which, rejects the file with a message saying why.

Values are exact decimals (JSON numbers read with ``parse_float=Decimal``, text read as
text). A group score outside 0 … its maximum, or a total outside 0 … 100, rejects the file
naming the row and column; a stated total differing from the sum of the six groups by more
than 0.05 is a :class:`Portal766Finding` (a load finding), not a rejection.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yamlfiles
from ingest.errors import IngestError, ParseError
from ingest.headers import ALIAS_DIR, HEADER_SCAN_ROWS, HeaderMatch, find_header, is_numbering_row
from ingest.limits import human_bytes, limits
from ingest.numbers import format_vi, infer_decimal_mark, parse_count, parse_number
from ingest.periods import Period, find_period_in_text
from ingest.readers import Sheet, read_sheets
from ingest.text import clean, fold, fold_keep_punct, is_blank, nfc

FAMILY = "portal_766_scores"
GROUPS = ("publicity", "progress", "online_service", "online_payment", "satisfaction", "digitisation")
GROUP_MAXIMA: dict[str, Decimal] = {
    "publicity": Decimal(18),
    "progress": Decimal(20),
    "online_service": Decimal(12),
    "online_payment": Decimal(10),
    "satisfaction": Decimal(18),
    "digitisation": Decimal(22),
}
GROUP_NAMES_VI = {
    "publicity": "Công khai, minh bạch",
    "progress": "Tiến độ giải quyết",
    "online_service": "Dịch vụ trực tuyến",
    "online_payment": "Thanh toán trực tuyến",
    "satisfaction": "Mức độ hài lòng",
    "digitisation": "Số hóa hồ sơ",
}
TOTAL_MAXIMUM = Decimal(100)
#: a stated total further than this from the sum of the six groups is a finding
TOTAL_TOLERANCE = Decimal("0.05")
#: group headings (of six) that make a table a 766 scores table
MIN_GROUP_HEADINGS = 4
#: nesting of a JSON response (a portal answer nests 3–4 levels); deeper is refused before
#: parsing (Python's parser recurses). Sizes are bounded by ingest/limits.py
MAX_JSON_DEPTH = 64
FINDING_RULE = "form_portal_766_total_matches_groups"
LAYOUT_EXPORT = "export"
LAYOUT_JSON_FLAT = "json_flat"  # old API (rest.jsp, report_tinh_766_service)
LAYOUT_JSON_NESTED = "json_nested"  # new API (reporting/evaluation/service-results)
JSON_SUFFIXES = (".json",)

_HEADINGS = tuple(f"heading_{g}" for g in GROUPS)
_MAX_IN_LABEL = re.compile(
    r"\(\s*(?:toi da|max|thang diem|diem toi da)?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:diem|d)?\s*\)"
    r"|(\d+(?:[.,]\d+)?)\s*diem\b|/\s*(\d+(?:[.,]\d+)?)\s*$"
)
_PUBLICITY_WORDS = re.compile(r"\bcong khai\b|\bminh bach\b")
_SATISFACTION_WORDS = re.compile(r"\bhai long\b")
_GROUP_WORDS = (
    ("online_payment", re.compile(r"\bthanh toan\b")),
    ("online_service", re.compile(r"\bdich vu\b.*\btruc tuyen\b|\bdvc ?tt\b|\bdvc truc tuyen\b")),
    ("progress", re.compile(r"\btien do\b")),
    ("digitisation", re.compile(r"\bso hoa\b")),
)
_SUMMARY = re.compile(
    r"^(?:tong|tong cong|trung binh|trung binh cong|binh quan|ca nuoc|gia tri trung binh|toan quoc"
    r"|diem trung binh|diem binh quan|diem tb)\b"
)
#: a group heading's numbering or prefix: "1. ", "1) ", "I. ", "Nhóm 1: ", "Nhóm I - ", "Điểm "
_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:nhóm|nhom)\s*)?(?:\d{1,2}|[ivx]{1,4})\s*[.):\-–—]\s*|^\s*(?:nhóm|nhom)\s+(?:\d{1,2}|[ivx]{1,4})\s+",
    re.IGNORECASE,
)
_HEADING_POINTS = re.compile(r"^\s*(?:điểm|diem)\s+", re.IGNORECASE)
_MAXIMA_ROW = re.compile(r"\b(?:diem toi da|toi da|thang diem|diem chuan)\b")
_LEGAL = re.compile(r"\b(?:quyet dinh|cong van|thong bao|ke hoach|kem theo|nghi quyet|chi thi)\b")
_DASHES = ("", "-", "–", "—")
#: an accounting negative "(1,5)": refused as a negative score, never read as 1.5
_BRACKETED_NUMBER = re.compile(r"^\(\s*[-+]?[\d.,\s]*\d[\d.,\s]*\)$")
#: a group heading stating percentages, not points: "(%)", "tỷ lệ", "tỉ lệ"
_PERCENT_HEADING = re.compile(r"%|\bt[yi] le\b|\bphan tram\b")
_RANK_OUT_OF = re.compile(r"^\s*(\d+)\s*/\s*\d+\s*$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portal766Row:
    """One unit's published scores for one period (``None`` where the file gives none)."""

    source_row: int  # the sheet row, or the unit's place (1-based) in a JSON list
    unit_name: str
    unit_code: str | None
    period_kind: str  # month, quarter, half, year (ingest.periods)
    period_start: date
    period_end: date
    period_label: str  # 2024, 2025-Q3, 2025-10
    rank: int | None
    publicity: Decimal | None
    progress: Decimal | None
    online_service: Decimal | None
    online_payment: Decimal | None
    satisfaction: Decimal | None
    digitisation: Decimal | None
    total: Decimal | None
    band_label: str | None  # "Xếp loại" as written (Xuất sắc, Tốt, Khá …)
    sheet: str | None = None

    def group(self, name: str) -> Decimal | None:
        return getattr(self, name)


@dataclass(frozen=True)
class Portal766Finding:
    """A row whose stated total differs from the sum of its six groups by more than 0.05."""

    rule: str
    file_name: str
    sheet: str | None
    source_row: int
    unit_name: str
    column: str  # the total's column or field as written
    stated: Decimal
    parts: Decimal
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class Portal766Scores:
    file_name: str
    source_layout: str  # export, json_flat (old API) or json_nested (new API)
    api_version: str | None  # "old", "new", or None for an export
    #: group -> the column or field it was read from, and why (its maximum or its words)
    group_sources: Mapping[str, str]
    rows: tuple[Portal766Row, ...]
    findings: tuple[Portal766Finding, ...]

    def row(self, unit_name: str) -> Portal766Row:
        for candidate in self.rows:
            if fold(candidate.unit_name) == fold(unit_name):
                return candidate
        raise KeyError(unit_name)


# --- configuration -----------------------------------------------------------------------------


@cache
def _json_fields() -> dict[str, tuple[str, ...]]:
    with open(ALIAS_DIR / f"{FAMILY}.yaml", encoding="utf-8") as fh:
        spec = yamlfiles.load(fh) or {}
    return {k: tuple(str(x) for x in v or ()) for k, v in (spec.get("json_fields") or {}).items()}


def _key_of(obj: Mapping, field: str) -> str | None:
    """The key of ``obj`` for a declared JSON field: the first alias present (exactly, then
    folded), so the declaration's order is the precedence."""
    names = _json_fields().get(field, ())
    for name in names:
        if name in obj:
            return name
    folded = {fold(k): k for k in obj if isinstance(k, str)}
    for name in names:
        if fold(name) in folded:
            return folded[fold(name)]
    return None


def _value_of(obj: Mapping, field: str) -> tuple[str | None, object]:
    key = _key_of(obj, field)
    return key, (obj.get(key) if key is not None else None)


# --- placing the groups ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """A column or field of group scores: where it is, its words, its stated maximum."""

    where: str
    words: str
    maximum: Decimal | None


def _eighteen(words: str) -> str | None:
    folded = fold(words)
    publicity, satisfaction = _PUBLICITY_WORDS.search(folded), _SATISFACTION_WORDS.search(folded)
    if bool(publicity) == bool(satisfaction):
        return None
    return "publicity" if publicity else "satisfaction"


def _group_by_words(words: str) -> str | None:
    folded = fold(words)
    found = {g for g, rx in _GROUP_WORDS if rx.search(folded)}
    if "online_payment" in found:
        found.discard("online_service")  # "Thanh toán trực tuyến dịch vụ công": payment
    eighteen = _eighteen(words)
    if eighteen:
        found.add(eighteen)
    return found.pop() if len(found) == 1 else None


def _label_maximum(label: str) -> Decimal | None:
    """The maximum a heading states: "(18 điểm)", "(tối đa 18)", "18 điểm", "/18"."""
    found = _MAX_IN_LABEL.search(fold_keep_punct(label))
    if not found:
        return None
    return parse_number(next(g for g in found.groups() if g))


_Error = Callable[[str, str, str | None], IngestError]


def _place(source: _Source, error: _Error) -> tuple[str, str]:
    """(group, why) of a column or field of group scores."""
    if source.maximum is not None:
        fitting = [g for g, top in GROUP_MAXIMA.items() if top == source.maximum]
        shown = format_vi(source.maximum, 0 if source.maximum == source.maximum.to_integral() else 2)
        if not fitting:
            raise error(
                f"the group's stated maximum {shown} is none of the 766 groups' maxima (18, 20, 12,"
                " 10, 18, 22)",
                f"điểm tối đa ghi cho nhóm là {shown}, không trùng điểm tối đa của nhóm nào trong"
                " Bộ chỉ số 766 (18, 20, 12, 10, 18, 22)",
                source.where,
            )
        if len(fitting) == 1:
            return fitting[0], f"{source.where}: tối đa {shown} điểm / maximum {shown}"
        group = _eighteen(source.words)
        if group is None:
            raise error(
                f"the group states 18 points, the maximum of both publicity ('Công khai, minh"
                f" bạch') and satisfaction ('Mức độ hài lòng'), and its name {source.words!r} does"
                " not say which (công khai / minh bạch, or hài lòng)",
                f"nhóm ghi tối đa 18 điểm, là điểm tối đa của cả nhóm 'Công khai, minh bạch' và"
                f" nhóm 'Mức độ hài lòng', nhưng tên {source.words!r} không cho biết là nhóm nào"
                " (công khai / minh bạch, hay hài lòng)",
                source.where,
            )
        return group, f"{source.where}: tối đa 18 điểm, tên nhóm / maximum 18 and its name"
    group = _group_by_words(source.words)
    if group is None:
        raise error(
            f"{source.words!r}: the file states no maximum for this group and its name does not"
            " say which group it is; the portal's old and new API versions use the codes TTTT and"
            " CLGQ the other way round, so a group is placed by the maximum the file states"
            " (18/20/12/10/22), never by its code",
            f"{source.words!r}: tệp không ghi điểm tối đa của nhóm này và tên nhóm không cho biết"
            " là nhóm nào; phiên bản API cũ và mới của Cổng dùng mã TTTT và CLGQ ngược nhau, nên"
            " nhóm được xác định theo điểm tối đa ghi trong tệp (18/20/12/10/22), không theo mã",
            source.where,
        )
    return group, f"{source.where}: tên nhóm / its name"


def _place_all(sources: list[_Source], error: _Error) -> dict[str, tuple[_Source, str]]:
    placed: dict[str, tuple[_Source, str]] = {}
    for source in sources:
        group, why = _place(source, error)
        if group in placed:
            other = placed[group][0].where
            raise error(
                f"{source.where} and {other} both read as the group {GROUP_NAMES_VI[group]!r} ({group})",
                f"{source.where} và {other} cùng được đọc là nhóm {GROUP_NAMES_VI[group]!r}",
                source.where,
            )
        placed[group] = (source, why)
    return placed


# --- values ------------------------------------------------------------------------------------


def _is_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and clean(value) in _DASHES)


def _number(value: object, decimal_mark: str | None = None) -> Decimal:
    if isinstance(value, str):
        value = clean(value).strip("()")
    return parse_number(value, decimal_mark)


def _score(
    value: object, top: Decimal, where: str, row: int, error: Callable[..., IngestError], mark: str | None
) -> Decimal | None:
    if _is_none(value):
        return None
    text = clean(value) if isinstance(value, str) else ""
    if _BRACKETED_NUMBER.match(text):
        raise error(
            f"{text!r} is a negative number written in brackets, not a score between 0 and the"
            f" maximum {format_vi(top)}",
            f"{text!r} là số âm ghi trong ngoặc đơn, không phải số điểm trong khoảng từ 0 đến điểm"
            f" tối đa {format_vi(top)}",
            where,
            row,
        )
    if "%" in text:
        raise error(
            f"{text!r} is a percentage; the portal publishes points (0 to the maximum"
            f" {format_vi(top)}), not percentages",
            f"{text!r} là tỷ lệ phần trăm; Cổng công bố số điểm (từ 0 đến điểm tối đa"
            f" {format_vi(top)}), không công bố tỷ lệ phần trăm",
            where,
            row,
        )
    try:
        number = _number(value, mark)
    except ParseError as exc:
        raise error(exc.message_en, exc.message_vi, where, row) from exc
    if not Decimal(0) <= number <= top:
        shown = format_vi(top)
        raise error(
            f"{clean(value)!r} is not a score between 0 and the maximum {shown}",
            f"{clean(value)!r} không phải số điểm trong khoảng từ 0 đến điểm tối đa {shown}",
            where,
            row,
        )
    return number


def _rank(value: object, where: str, row: int, error: Callable[..., IngestError]) -> int | None:
    if _is_none(value):
        return None
    text = clean(value)
    slashed = _RANK_OUT_OF.match(text) if isinstance(value, str) else None
    try:
        rank = int(slashed.group(1)) if slashed else parse_count(value)
    except ParseError as exc:
        raise error(exc.message_en, exc.message_vi, where, row) from exc
    if rank < 1:
        raise error(f"{text!r} is not a rank (1 or more)", f"{text!r} không phải thứ hạng (từ 1)", where, row)
    return rank


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = clean(value)
    return text or None


def _finding(
    file_name: str,
    sheet: str | None,
    row: int,
    unit: str,
    column: str,
    total: Decimal | None,
    groups: list[Decimal | None],
) -> Portal766Finding | None:
    if total is None or any(g is None for g in groups):
        return None
    parts = [g for g in groups if g is not None]
    summed = sum(parts, Decimal(0))
    if abs(total - summed) <= TOTAL_TOLERANCE:
        return None
    terms = " + ".join(format_vi(p, 2) for p in parts)
    diff = format_vi(total - summed, 2)
    return Portal766Finding(
        FINDING_RULE,
        file_name,
        sheet,
        row,
        unit,
        column,
        total,
        summed,
        f"Tệp {file_name}, dòng {row}, {unit}: tổng điểm ghi {format_vi(total, 2)} nhưng sáu nhóm"
        f" cộng lại là {format_vi(summed, 2)} ({terms}); chênh lệch {diff}",
        f"File {file_name}, row {row}, {unit}: states a total of {format_vi(total, 2)} but its six"
        f" groups add up to {format_vi(summed, 2)} ({terms}); difference {diff}",
    )


def _check_total(
    value: object, where: str, row: int, error: Callable[..., IngestError], mark: str | None = None
) -> Decimal | None:
    return _score(value, TOTAL_MAXIMUM, where, row, error, mark)


def _period_error(file_name: str) -> IngestError:
    return IngestError(
        "no period found: neither the title nor the file's fields give the year (and quarter or"
        " month) of the scores, e.g. 'Năm 2024', 'Quý III/2025', 'Tháng 10/2025'",
        "không xác định được kỳ: tiêu đề và các trường của tệp không ghi năm (và quý hoặc tháng)"
        " của số liệu, ví dụ 'Năm 2024', 'Quý III/2025', 'Tháng 10/2025'",
        file_name=file_name,
    )


#: a note giving the data's cut-off, not the period ("(số liệu cập nhật đến tháng 10/2025)",
#: "Dữ liệu tính đến ngày 31/10/2025", "Ngày trích xuất: 05/11/2025"): from its words to the
#: closing bracket or the end of the line
_CUTOFF = re.compile(
    r"\(?\s*(?:(?:du lieu|so lieu|ket qua)\s+)?(?:duoc\s+)?"
    r"(?:(?:cap nhat|tinh|chot|lay)(?:\s+(?:du lieu|so lieu))?|so lieu|du lieu)\s+(?:den|toi)\b[^)]*\)?"
    r"|\(?\s*(?:ngay|thoi diem|thoi gian)\s+(?:trich xuat|xuat|in|cap nhat|tai)\b[^)]*\)?"
)
_MONTH_RANGE = re.compile(
    r"\btu\s+thang\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4})|\s+nam\s+(\d{4}))?\s*"
    r"(?:den|toi|-|–)\s*(?:het\s+)?thang\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4})|\s+nam\s+(\d{4}))?"
)
#: the periods the portal publishes its scores for
PORTAL_PERIOD_KINDS = ("month", "quarter", "half", "year")


def _without_cutoff(text: str) -> str:
    """A title line without its cut-off note (accent-free lowercase, punctuation kept)."""
    return _CUTOFF.sub(" ", fold_keep_punct(text)).strip(" ,;-–:")


def _month_range(text: str, written: str) -> Period | None:
    """ "từ tháng 01/2025 đến tháng 09/2025" as the months it spans, when they make a period
    the portal publishes (a quarter, a half, a year); other spans raise :class:`ParseError`."""
    found = _MONTH_RANGE.search(text)
    if not found:
        return None
    first, y1a, y1b, last, y2a, y2b = found.groups()
    year_word = re.search(r"\bnam\s+(\d{4})\b", text)
    years = {int(y) for y in (y1a, y1b, y2a, y2b) if y} or ({int(year_word.group(1))} if year_word else set())
    shown = clean(written)
    if len(years) != 1:
        raise ParseError(
            f"{shown!r}: a range of months that does not lie within one stated year is not a period"
            " the portal publishes (a month, a quarter, a half or a year)",
            f"{shown!r}: khoảng tháng không nằm trong một năm được ghi rõ nên không phải kỳ mà Cổng"
            " công bố (tháng, quý, sáu tháng hoặc năm)",
        )
    year = years.pop()
    a, b = int(first), int(last)
    period = None
    if 1 <= a <= b <= 12:
        last_day = _month_days(year, b)
        period = find_period_in_text(f"tu ngay 01/{a:02d}/{year} den ngay {last_day}/{b:02d}/{year}")
    if period is None or period.kind not in PORTAL_PERIOD_KINDS:
        raise ParseError(
            f"{shown!r}: the range of months {a} to {b} of {year} is not a period the portal"
            " publishes its scores for (a month, a quarter, a half or a year)",
            f"{shown!r}: khoảng từ tháng {a} đến tháng {b} năm {year} không phải kỳ mà Cổng công bố"
            " điểm (tháng, quý, sáu tháng hoặc năm)",
        )
    return period


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _stated_period(text: object) -> Period | None:
    """The period a title line or a period field states, its cut-off note left out; a
    range of months is read as the range (never as its first month)."""
    if _is_none(text):
        return None
    line = _without_cutoff(clean(text))
    return _month_range(line, clean(text)) or find_period_in_text(line)


def _title_period(texts: list[str], file_name: str, sheet_name: str | None = None) -> Period | None:
    """The period the title lines state, else the sheet name's, else the file name's. A line
    citing a decision is tried only when no other line states a period; a cut-off note
    ("số liệu cập nhật đến tháng 10/2025", a line "Dữ liệu tính đến ngày 31/10/2025") never
    overrides the title and is read only when nothing else states a period. Two title lines
    stating different periods, or a sheet name stating a period that does not contain the
    title's, reject the file."""

    def read(text: str, how: Callable[[object], Period | None]) -> Period | None:
        try:
            return how(text)
        except ParseError as exc:
            raise IngestError(
                exc.message_en,
                exc.message_vi,
                file_name=file_name,
                sheet=sheet_name,
            ) from exc

    plain = [t for t in texts if not _LEGAL.search(fold(t))]
    legal = [t for t in texts if _LEGAL.search(fold(t))]
    stated: list[tuple[str, Period]] = []
    cutoffs: list[Period] = []
    for text in plain:
        found = read(text, _stated_period)
        if found is not None:
            stated.append((text, found))
        elif (cut := read(text, find_period_in_text)) is not None:
            cutoffs.append(cut)
    for other, other_found in stated[1:]:
        text, found = stated[0]
        if found != other_found:
            raise IngestError(
                f"ambiguous period: the title line {text!r} states {found.label} and the line"
                f" {other!r} states {other_found.label}",
                f"không rõ kỳ của số liệu: dòng tiêu đề {text!r} ghi kỳ {found.label} còn dòng"
                f" {other!r} ghi kỳ {other_found.label}",
                file_name=file_name,
                sheet=sheet_name,
            )
    title = (
        stated[0][1]
        if stated
        else next((p for p in (read(t, _stated_period) for t in legal) if p is not None), None)
    )
    in_sheet = read(sheet_name, _stated_period) if sheet_name else None
    if (
        title is not None
        and in_sheet is not None
        and not (in_sheet.start <= title.start and title.end <= in_sheet.end)
    ):
        raise IngestError(
            f"ambiguous period: the sheet name {sheet_name!r} states {in_sheet.label} and the title"
            f" states {title.label}",
            f"không rõ kỳ của số liệu: tên trang tính {sheet_name!r} ghi kỳ {in_sheet.label} còn tiêu"
            f" đề ghi kỳ {title.label}",
            file_name=file_name,
            sheet=sheet_name,
        )
    found = title or in_sheet or (cutoffs[0] if cutoffs else None)
    return found or read(Path(file_name).stem, _stated_period)


def _period_of(
    year: object, quarter: object, month: object, half: object, time_type: object, text: object
) -> Period | None:
    """A period from fields: a label text, or a year with a month, quarter or half (0 or blank
    for none, as the old API sends them)."""
    found = _stated_period(text)
    if found is not None:
        return found

    def number(value: object) -> int:
        return 0 if _is_none(value) else parse_count(value)

    y = number(year)
    if y == 0:
        return None
    m, q, h = number(month), number(quarter), number(half)
    kind = fold(time_type) if not _is_none(time_type) else ""
    if m and kind not in ("year", "quarter", "nam", "quy"):
        if not 1 <= m <= 12:
            raise ParseError(f"month {m} does not exist", f"không có tháng {m}")
        return find_period_in_text(f"{y}-{m:02d}")
    if q and kind not in ("year", "month", "nam", "thang"):
        if not 1 <= q <= 4:
            raise ParseError(f"quarter {q} does not exist", f"không có quý {q}")
        return find_period_in_text(f"{y}-Q{q}")
    if h and kind in ("", "half", "6thang"):
        if h not in (1, 2):
            raise ParseError(f"half {h} does not exist", f"không có 6 tháng thứ {h}")
        return find_period_in_text(f"{y}-H{h}")
    if kind in ("month", "quarter", "thang", "quy"):
        return None  # a monthly or quarterly answer whose month or quarter is not given
    return Period.year(y)


# --- exports (.xlsx, .xls, .csv) ---------------------------------------------------------------


def _headings(match: HeaderMatch) -> dict[str, int]:
    return {c: i for c, i in match.columns.items() if c in _HEADINGS}


def _group_columns(match: HeaderMatch) -> list[int]:
    """The columns of group scores: the recognised headings, and a heading the aliases do
    not list whose words name a group ("Mức độ hài lòng của người dân (18 điểm)")."""
    found = set(_headings(match).values())
    for index, path in match.paths.items():
        unread = index in match.ignored and index not in match.known_ignored
        if unread and index not in match.personal and _group_by_words(" ".join(path)) is not None:
            found.add(index)
    return sorted(found)


def _group_heading(value: object) -> object:
    """A group heading without its numbering or prefix ("1. Công khai, minh bạch (18đ)",
    "Nhóm 1: …", "I. …", "Điểm công khai, minh bạch (18)" → "Công khai, minh bạch (18đ)");
    any other cell as it is."""
    if not isinstance(value, str):
        return value
    text = nfc(value)
    stripped = _HEADING_POINTS.sub("", _HEADING_PREFIX.sub("", text, count=1), count=1)
    if stripped == text or _group_by_words(stripped) is None:
        return value
    return stripped[:1].upper() + stripped[1:]


def _header_sheet(sheet: Sheet) -> Sheet:
    """The sheet with its group headings (in the rows a header is looked for in) stripped of
    their numbering or prefix, so the aliases recognise them."""
    rows = list(sheet.rows)
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        rows[r] = tuple(_group_heading(v) for v in rows[r])
    return Sheet(sheet.name, rows, list(sheet.merges))


def is_portal_766_sheet(sheet: Sheet) -> bool:
    """Whether a sheet is the portal's 766 ranking table: at least four of the six group
    headings (what tells it from a published PAR INDEX table, which also has "Tổng điểm")."""
    sheet = _header_sheet(sheet)
    match = find_header(sheet.rows, (FAMILY,), sheet.merges)
    return match is not None and len(_headings(match)) >= MIN_GROUP_HEADINGS


class _SheetReading:
    def __init__(self, file_name: str, sheet: Sheet, match: HeaderMatch) -> None:
        self.file_name = file_name
        self.sheet = sheet
        self.match = match

    def error(self, en: str, vi: str, column: str | None = None, row: int | None = None) -> IngestError:
        return IngestError(en, vi, file_name=self.file_name, sheet=self.sheet.name, row=row, column=column)

    def cell(self, row: tuple, index: int | None) -> object:
        return row[index] if index is not None and index < len(row) else None

    def _maxima_row(self, start: int, headings: dict[str, int]) -> tuple[int | None, dict[int, Decimal]]:
        """A row of maxima under the header ("18 | 20 | 12 | 10 | 18 | 22"): its index and
        the maximum per column; (None, {}) when there is none."""
        name_index = self.match.columns.get("unit_name")
        for r in range(start, min(start + 3, len(self.sheet.rows))):
            row = self.sheet.rows[r]
            if all(is_blank(v) for v in row) or is_numbering_row(row):
                continue
            name = fold(self.cell(row, name_index))
            if name and not _MAXIMA_ROW.search(name):
                return None, {}
            maxima: dict[int, Decimal] = {}
            for index in headings.values():
                value = self.cell(row, index)
                try:
                    maxima[index] = _number(value)
                except ParseError:
                    return None, {}
            if set(maxima.values()) <= set(GROUP_MAXIMA.values()):
                return r, maxima
            return None, {}
        return None, {}

    def read(self) -> tuple[list[Portal766Row], list[Portal766Finding], dict[str, str]]:
        match = self.match
        headings = {str(i): i for i in _group_columns(match)}
        first = match.first_data_row
        maxima_at, row_maxima = self._maxima_row(first, headings)
        sources: list[_Source] = []
        index_of: dict[str, int] = {}
        for index in sorted(headings.values()):
            path = match.paths.get(index, ())
            stated = next((m for m in (_label_maximum(p) for p in path) if m is not None), None)
            index_of[match.describe(index)] = index
            if stated is None:
                stated = row_maxima.get(index)
            sources.append(_Source(match.describe(index), " ".join(path), stated))
        for source in sources:
            if _PERCENT_HEADING.search(fold_keep_punct(source.words)):
                raise self.error(
                    f"the heading {source.words!r} gives percentages, not points: the portal"
                    " publishes each group's score in points (0 to its maximum 18, 20, 12, 10,"
                    " 18, 22)",
                    f"tiêu đề cột {source.words!r} ghi tỷ lệ phần trăm, không phải số điểm: Cổng công"
                    " bố điểm của mỗi nhóm (từ 0 đến điểm tối đa 18, 20, 12, 10, 18, 22)",
                    source.where,
                )
        placed = _place_all(sources, lambda en, vi, col: self.error(en, vi, col))
        columns = {g: index_of[s.where] for g, (s, _) in placed.items()}
        titles = [clean(v) for row in self.sheet.rows[: match.header_rows[0]] for v in row if not is_blank(v)]
        period = _title_period([t for t in titles if t], self.file_name, self.sheet.name)
        per_row = any(c in match.columns for c in ("year", "quarter", "month"))
        if period is None and not per_row:
            raise _period_error(self.file_name)
        body_start = first if maxima_at is None else maxima_at + 1
        body = self.sheet.rows[body_start:]
        marks = {
            i: infer_decimal_mark(self.cell(r, i) for r in body)
            for i in [*columns.values(), match.columns.get("total")]
            if i is not None
        }
        rows: list[Portal766Row] = []
        findings: list[Portal766Finding] = []
        c = match.columns
        total_where = match.column_name("total") or "total"
        for row_no, row in enumerate(body, start=body_start + 1):
            if all(is_blank(v) for v in row) or is_numbering_row(row):
                continue
            name = clean(self.cell(row, c.get("unit_name")))
            ordinal = fold(self.cell(row, c.get("ordinal")))
            values = [self.cell(row, i) for i in [*columns.values(), c.get("total")] if i is not None]
            if all(_is_none(v) for v in values):
                continue  # a section heading ("I. Sở, ban, ngành"), a note
            if _SUMMARY.match(fold(name)) or (not name and _SUMMARY.match(ordinal)):
                continue
            if not name:
                raise self.error(
                    "scores without a unit name",
                    "có số điểm nhưng không ghi tên đơn vị",
                    match.column_name("unit_name"),
                    row_no,
                )
            row_period = period
            if per_row and not _is_none(self.cell(row, c.get("year"))):
                try:
                    row_period = _period_of(
                        self.cell(row, c.get("year")),
                        self.cell(row, c.get("quarter")),
                        self.cell(row, c.get("month")),
                        None,
                        None,
                        None,
                    )
                except ParseError as exc:
                    raise self.error(
                        exc.message_en, exc.message_vi, match.column_name("year"), row_no
                    ) from exc
            if row_period is None:
                raise _period_error(self.file_name)
            scores = {
                g: _score(
                    self.cell(row, columns[g]),
                    GROUP_MAXIMA[g],
                    match.describe(columns[g]),
                    row_no,
                    self.error,
                    marks.get(columns[g]),
                )
                if g in columns
                else None
                for g in GROUPS
            }
            total = _check_total(
                self.cell(row, c.get("total")), total_where, row_no, self.error, marks.get(c.get("total"))
            )
            rank = _rank(
                self.cell(row, c.get("rank")), match.column_name("rank") or "rank", row_no, self.error
            )
            rows.append(
                _row(
                    row_no,
                    name,
                    _text(self.cell(row, c.get("unit_code"))),
                    row_period,
                    rank,
                    scores,
                    total,
                    _text(self.cell(row, c.get("band_label"))),
                    self.sheet.name,
                )
            )
            found = _finding(
                self.file_name, self.sheet.name, row_no, name, total_where, total, list(scores.values())
            )
            if found:
                findings.append(found)
        return rows, findings, {g: why for g, (_, why) in placed.items()}


def _row(
    source_row: int,
    name: str,
    code: str | None,
    period: Period,
    rank: int | None,
    scores: Mapping[str, Decimal | None],
    total: Decimal | None,
    band: str | None,
    sheet: str | None,
) -> Portal766Row:
    return Portal766Row(
        source_row,
        name,
        code,
        period.kind,
        period.start,
        period.end,
        period.label,
        rank,
        scores["publicity"],
        scores["progress"],
        scores["online_service"],
        scores["online_payment"],
        scores["satisfaction"],
        scores["digitisation"],
        total,
        band,
        sheet,
    )


def _read_export(path: Path, sheets: list[Sheet]) -> Portal766Scores:
    rows: list[Portal766Row] = []
    findings: list[Portal766Finding] = []
    sources: dict[str, str] = {}
    seen: dict[tuple, Portal766Row] = {}
    for sheet in map(_header_sheet, sheets):
        match = find_header(sheet.rows, (FAMILY,), sheet.merges)
        if match is None or len(_headings(match)) < MIN_GROUP_HEADINGS or "unit_name" not in match.columns:
            continue
        got, found, placed = _SheetReading(path.name, sheet, match).read()
        for row in got:
            key = (row.unit_code or fold(row.unit_name), row.period_start, row.period_end)
            twice = seen.get(key)
            if twice is not None:
                raise IngestError(
                    f"{row.unit_name!r} is listed twice for the same period (also sheet"
                    f" {twice.sheet}, row {twice.source_row})",
                    f"{row.unit_name!r} có hai lần trong cùng kỳ (cả trang tính {twice.sheet},"
                    f" dòng {twice.source_row})",
                    file_name=path.name,
                    sheet=sheet.name,
                    row=row.source_row,
                    column=match.column_name("unit_name"),
                )
            seen[key] = row
        rows.extend(got)
        findings.extend(found)
        sources = sources or placed
    if not rows:
        raise IngestError(
            "no sheet has the portal's 766 ranking table (a unit column and at least four of the"
            " six group headings, e.g. 'Tên đơn vị | Công khai, minh bạch (18 điểm) | Tiến độ giải"
            " quyết (20 điểm) | …') with a unit's scores",
            "không trang tính nào có bảng xếp hạng Bộ chỉ số 766 của Cổng (cột đơn vị và ít nhất bốn"
            " trong sáu nhóm, ví dụ 'Tên đơn vị | Công khai, minh bạch (18 điểm) | Tiến độ giải quyết"
            " (20 điểm) | …') có số điểm của đơn vị",
            file_name=path.name,
        )
    return Portal766Scores(path.name, LAYOUT_EXPORT, None, sources, tuple(rows), tuple(findings))


# --- JSON responses ----------------------------------------------------------------------------


def _json_error(file_name: str, en: str, vi: str) -> IngestError:
    return IngestError(en, vi, file_name=file_name)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")


def load_json_document(path: Path) -> object:
    """A JSON file read within the limits (size: ``max_table_text_bytes``; nesting:
    :data:`MAX_JSON_DEPTH`), numbers as exact :class:`Decimal`. Raises :class:`IngestError`."""
    path = Path(path)
    lim = limits()
    size = path.stat().st_size
    if size > lim.max_table_text_bytes:
        top = human_bytes(lim.max_table_text_bytes)
        raise _json_error(
            path.name,
            f"the JSON file is {human_bytes(size)}, more than the {top} allowed"
            " (PARWH_LIMIT_MAX_TABLE_TEXT_BYTES)",
            f"tệp JSON có dung lượng {human_bytes(size)}, vượt quá mức cho phép {top}"
            " (PARWH_LIMIT_MAX_TABLE_TEXT_BYTES)",
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _json_error(
            path.name, "the JSON file is not UTF-8 text", "tệp JSON không phải văn bản UTF-8"
        ) from exc
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise _json_error(
                path.name,
                f"the JSON nests more than {MAX_JSON_DEPTH} levels deep",
                f"tệp JSON lồng nhau quá {MAX_JSON_DEPTH} cấp",
            )
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        where_vi = f" (dòng {exc.lineno}, cột {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise _json_error(
            path.name, f"the file is not valid JSON{where}", f"tệp không phải JSON hợp lệ{where_vi}"
        ) from exc


def _unit_rows(document: object, depth: int = 0) -> list | None:
    """The list of units: the document itself, or under data / result / evaluation …"""
    if isinstance(document, list):
        return document if document and all(isinstance(x, dict) for x in document) else None
    if not isinstance(document, dict) or depth > 4:
        return None
    folded = {fold(k): k for k in document if isinstance(k, str)}
    for name in _json_fields().get("row_lists", ()):
        key = name if name in document else folded.get(fold(name))
        if key is None:
            continue
        found = _unit_rows(document[key], depth + 1)
        if found is not None:
            return found
    return None


def _walk(node: object, skip: object, depth: int = 0) -> Iterator[dict]:
    """Every object of the document outside the list of units (parameters, catalogues)."""
    if node is skip or depth > 8:
        return
    if isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, str) and value.strip().startswith("{") and len(value) < 4096:
                try:  # the old API's request: {"params": "{\"p_nam\":\"2025\", …}"}
                    value = json.loads(value, parse_float=Decimal)
                except ValueError:
                    continue
            yield from _walk(value, skip, depth + 1)
    elif isinstance(node, list):
        for value in node[:200]:
            yield from _walk(value, skip, depth + 1)


def _catalogue(
    document: object, units: list, file_name: str = ""
) -> dict[str, tuple[str | None, Decimal | None]]:
    """Group code -> (name, maximum) stated once for the file (a list of groups with their
    maxima, or a {code: maximum} object). Two catalogues stating different maxima for one
    code reject the file (naming both): which one is right cannot be told."""
    found: dict[str, tuple[str | None, Decimal | None]] = {}
    said: dict[str, str] = {}  # code -> where its maximum was stated

    def note(code: str, name: str | None, top: Decimal | None, where: str) -> None:
        old_name, old_top = found.get(code, (None, None))
        if top is not None and old_top is not None and top != old_top:
            first, second = (format_vi(x, 0 if x == x.to_integral() else 2) for x in (old_top, top))
            raise _json_error(
                file_name,
                f"the group {code!r} is given two different maxima: {first} ({said[code]}) and"
                f" {second} ({where}); the group cannot be placed",
                f"nhóm {code!r} được ghi hai điểm tối đa khác nhau: {first} ({said[code]}) và"
                f" {second} ({where}); không xác định được nhóm",
            )
        if top is not None and old_top is None:
            said[code] = where
        found[code] = (old_name or name, old_top if old_top is not None else top)

    for obj in _walk(document, units):
        code_key = _key_of(obj, "group_code")
        max_key = _key_of(obj, "group_maximum")
        name_key = _key_of(obj, "group_name")
        if code_key is not None and (max_key is not None or name_key is not None):
            code = clean(obj[code_key])
            top = _maybe_number(obj.get(max_key)) if max_key else None
            name = _text(obj.get(name_key)) if name_key else None
            note(code, name, top, f"{{{code_key}: {code}, {max_key}: {obj.get(max_key)}}}")
        for key, value in obj.items():
            if fold(key) in {fold(n) for n in _json_fields().get("maxima_maps", ())} and isinstance(
                value, dict
            ):
                for code, top in value.items():
                    note(str(code), None, _maybe_number(top), f"{key}.{code}: {top}")
    return found


def _maybe_number(value: object) -> Decimal | None:
    if _is_none(value) or isinstance(value, dict | list):
        return None
    try:
        return _number(value)
    except ParseError:
        return None


def _file_fields(document: object, units: list) -> dict[str, object]:
    """The period fields stated for the whole file (first found)."""
    fields: dict[str, object] = {}
    for obj in _walk(document, units):
        for field in ("year", "quarter", "month", "half", "time_type", "period_text"):
            key = _key_of(obj, field)
            if field not in fields and key is not None and not isinstance(obj[key], dict | list):
                fields[field] = obj[key]
    return fields


_JsonValue = tuple[_Source, object]


def _json_groups(unit: dict, catalogue: Mapping[str, tuple[str | None, Decimal | None]]) -> list[_JsonValue]:
    """The unit's group scores with what the file says of each (name, maximum)."""
    codes = {c.upper() for c in _json_fields().get("group_codes", ())}
    out: list[_JsonValue] = []

    def source(where: str, code: str, name: str | None, top: Decimal | None) -> _Source:
        known_name, known_top = catalogue.get(code, (None, None))
        words = " ".join(x for x in (name or known_name, code) if x)
        return _Source(where, words, top if top is not None else known_top or _label_maximum(code))

    container_key, container = _value_of(unit, "group_scores")
    if isinstance(container, dict):
        for code, value in container.items():
            where = f"{container_key}.{code}"
            if isinstance(value, dict):
                _, score = _value_of(value, "group_score")
                name = _text(_value_of(value, "group_name")[1])
                out.append(
                    (
                        source(where, str(code), name, _maybe_number(_value_of(value, "group_maximum")[1])),
                        score,
                    )
                )
            else:
                out.append((source(where, str(code), None, None), value))
    elif isinstance(container, list):
        for n, item in enumerate(container):
            if not isinstance(item, dict):
                continue
            code = clean(_value_of(item, "group_code")[1]) or str(n + 1)
            name = _text(_value_of(item, "group_name")[1])
            top = _maybe_number(_value_of(item, "group_maximum")[1])
            out.append(
                (source(f"{container_key}[{n}] {code}", code, name, top), _value_of(item, "group_score")[1])
            )
    for key, value in unit.items():
        if key == container_key or not isinstance(key, str) or isinstance(value, dict | list):
            continue
        if key.upper() in codes or (key in catalogue and key not in _identity_keys(unit)):
            top = next(
                (
                    _maybe_number(unit[k])
                    for k in (f"{key}_MAX", f"MAX_{key}", f"{key}_TOI_DA", f"{key}_MAX_SCORE")
                    if k in unit
                ),
                None,
            )
            out.append((source(key, key, None, top), value))
        elif _group_by_words(key) is not None and key not in _identity_keys(unit):
            out.append((_Source(key, key, _label_maximum(key)), value))
    return out


def _identity_keys(unit: dict) -> set[str]:
    fields = ("unit_name", "unit_code", "rank", "total", "band_label")
    return {k for k in (_key_of(unit, f) for f in fields) if k is not None}


def is_portal_766_document(document: object) -> bool:
    """Whether a JSON response is a 766 scores list: its first unit carries at least four
    group scores (by the groups' codes or names)."""
    units = _unit_rows(document)
    if not units:
        return False
    try:
        catalogue = _catalogue(document, units)
    except IngestError:
        return True  # group catalogues that disagree: the reader refuses the file, saying why
    return len(_json_groups(units[0], catalogue)) >= MIN_GROUP_HEADINGS


def _read_json(path: Path, document: object) -> Portal766Scores:
    name = path.name
    units = _unit_rows(document)
    if not units:
        raise _json_error(
            name,
            "no list of units found (a JSON list of objects, or one under 'data', 'result' or"
            " 'data.evaluation')",
            "không tìm thấy danh sách đơn vị (một danh sách JSON các đối tượng, hoặc danh sách trong"
            " 'data', 'result' hay 'data.evaluation')",
        )
    lim = limits()
    if len(units) > lim.max_sheet_rows:
        raise _json_error(
            name,
            f"{len(units)} units, more than the {lim.max_sheet_rows} allowed (PARWH_LIMIT_MAX_SHEET_ROWS)",
            f"{len(units)} đơn vị, vượt quá mức cho phép {lim.max_sheet_rows} (PARWH_LIMIT_MAX_SHEET_ROWS)",
        )
    catalogue = _catalogue(document, units, name)
    file_fields = _file_fields(document, units)
    nested = any(_key_of(u, "group_scores") is not None for u in units[:10])

    def error(en: str, vi: str, column: str | None = None, row: int | None = None) -> IngestError:
        return IngestError(en, vi, file_name=name, row=row, column=column)

    rows: list[Portal766Row] = []
    findings: list[Portal766Finding] = []
    placements: dict[tuple, dict[str, tuple[_Source, str]]] = {}
    sources: dict[str, str] = {}
    seen: dict[tuple, int] = {}
    for row_no, unit in enumerate(units, start=1):
        if len(unit) > lim.max_columns:
            raise error(
                f"{len(unit)} fields, more than the {lim.max_columns} allowed",
                f"{len(unit)} trường, vượt quá mức cho phép {lim.max_columns}",
                None,
                row_no,
            )
        name_key, unit_name = _value_of(unit, "unit_name")
        unit_name = _text(unit_name) or ""
        if _SUMMARY.match(fold(unit_name)):
            continue
        groups = _json_groups(unit, catalogue)
        if len(groups) < MIN_GROUP_HEADINGS:
            raise error(
                f"the unit has {len(groups)} group scores; a 766 scores list gives the six groups",
                f"đơn vị chỉ có {len(groups)} nhóm điểm; danh sách điểm 766 ghi đủ sáu nhóm",
                None,
                row_no,
            )
        if not unit_name:
            raise error(
                "scores without a unit name",
                "có số điểm nhưng không ghi tên đơn vị",
                name_key or "TEN",
                row_no,
            )
        signature = tuple((s.where, s.words, s.maximum) for s, _ in groups)
        if signature not in placements:
            placements[signature] = _place_all(
                [s for s, _ in groups], lambda en, vi, col, r=row_no: error(en, vi, col, r)
            )
        placed = placements[signature]
        sources = sources or {g: why for g, (_, why) in placed.items()}
        value_of = {s.where: v for s, v in groups}
        scores = {
            g: _score(value_of[placed[g][0].where], GROUP_MAXIMA[g], placed[g][0].where, row_no, error, None)
            if g in placed
            else None
            for g in GROUPS
        }
        total_key, total_value = _value_of(unit, "total")
        total = _check_total(total_value, total_key or "total", row_no, error)
        rank_key, rank_value = _value_of(unit, "rank")
        rank = _rank(rank_value, rank_key or "rank", row_no, error)
        fields = dict(file_fields)
        for field in ("year", "quarter", "month", "half", "time_type", "period_text"):
            key = _key_of(unit, field)
            if key is not None and not _is_none(unit[key]):
                fields[field] = unit[key]
        try:
            period = _period_of(
                *(fields.get(f) for f in ("year", "quarter", "month", "half", "time_type", "period_text"))
            ) or find_period_in_text(path.stem)
        except ParseError as exc:
            raise error(exc.message_en, exc.message_vi, None, row_no) from exc
        if period is None:
            raise _period_error(name)
        code = _text(_value_of(unit, "unit_code")[1])
        key = (code or fold(unit_name), period.start, period.end)
        if key in seen:
            raise error(
                f"{unit_name!r} is listed twice for the same period (also unit {seen[key]})",
                f"{unit_name!r} có hai lần trong cùng kỳ (cả đơn vị thứ {seen[key]})",
                name_key,
                row_no,
            )
        seen[key] = row_no
        rows.append(
            _row(
                row_no,
                unit_name,
                code,
                period,
                rank,
                scores,
                total,
                _text(_value_of(unit, "band_label")[1]),
                None,
            )
        )
        found = _finding(name, None, row_no, unit_name, total_key or "total", total, list(scores.values()))
        if found:
            findings.append(found)
    if not rows:
        raise _json_error(
            name, "the list has no unit with scores", "danh sách không có đơn vị nào có số điểm"
        )
    layout = LAYOUT_JSON_NESTED if nested else LAYOUT_JSON_FLAT
    return Portal766Scores(name, layout, "new" if nested else "old", sources, tuple(rows), tuple(findings))


# --- entry points ------------------------------------------------------------------------------


def is_json_file(path: Path | str) -> bool:
    return str(path).lower().endswith(JSON_SUFFIXES)


def is_portal_766_file(path: Path, sheets: list[Sheet] | None = None) -> bool:
    """Whether a file is the portal's 766 scores (an export with at least four of the six
    group headings, or a JSON response whose units carry them): the inbox routes such files
    to this reader before ``published_index_results``, which would misread the table."""
    path = Path(path)
    try:
        if is_json_file(path):
            return is_portal_766_document(load_json_document(path))
        if sheets is None:
            sheets = read_sheets(path, max_rows=HEADER_SCAN_ROWS + 5)
    except (IngestError, ParseError, OSError):
        return False
    return any(is_portal_766_sheet(sheet) for sheet in sheets)


def read_portal_766(path: Path, sheets: list[Sheet] | None = None) -> Portal766Scores:
    """The published 766 scores of an export or a JSON response. Raises :class:`IngestError`
    naming the file (and the row and column) of what cannot be read."""
    path = Path(path)
    if is_json_file(path):
        return _read_json(path, load_json_document(path))
    if sheets is None:
        try:
            sheets = read_sheets(path)
        except ParseError as exc:
            raise IngestError.from_parse_error(exc, file_name=path.name) from exc
    return _read_export(path, sheets)
