"""Extract the claims of a narrative report: each figure the text states about a measure the
warehouse knows (narratives/measures.yaml), with its level, period and sentence.

The method is patterns over the sentence structure, transparent and fast:

1. Every number of a sentence is found with its offsets (Vietnamese separators); numbers that
   belong to a date, a document number ("154/QĐ-UBND"), a list mark ("(1)", "2.1/"), a level of
   online service ("mức độ 3, 4"), a period ("năm 2018", "6 tháng") or a footnote marker are
   not figures.
2. What the number counts comes from the word after it ("hồ sơ", "%", "điểm", "triệu đồng",
   "phiếu", "người", "biên chế", "nhiệm vụ") or, failing that, from the words before it in
   its clause ("Tổng số hồ sơ đã tiếp nhận: 58.053").
3. The measure comes from the words between the previous figure and this one (the clause:
   "trong đó số hồ sơ giải quyết sớm hạn và đúng hạn là 56.252 hồ sơ"); a rate with no subject
   of its own ("chiếm tỷ lệ 97,95%") is the rate of the count just before it.
4. Targets and changes are not claims: "chỉ tiêu … (30%)", "dưới 3%", "phấn đấu", "tăng 4,97%
   so với năm 2017".
5. The period is the nearest one the sentence states before the figure, else one it states
   after, else the paragraph's, the list's introduction's, the section's, the report's. The
   level likewise ("UBND cấp xã", "toàn huyện", "UBND thành phố").

A figure about a known measure whose period cannot be determined is kept with status
"unresolved" and the reason."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from narratives.claims import Claim
from narratives.numbers import Number, find_numbers
from narratives.periods import PeriodRef, comparison_spans, find_periods
from narratives.text import fold_same_length, sentence_spans

# --- what a number counts: the word right after it ------------------------------------------

_UNIT_AFTER = [
    ("percent", re.compile(r"\s*%")),
    ("money", re.compile(r"\s*(?:trieu\s+dong|trieu\s+d\b|tr\.?d\b)")),
    ("money_billion", re.compile(r"\s*ty\s+dong")),
    ("points", re.compile(r"\s*diem")),
    ("dossiers", re.compile(r"\s*(?:ho\s+so|hs\b)")),
    ("forms", re.compile(r"\s*phieu")),
    ("quota", re.compile(r"\s*bien\s+che")),
    ("people", re.compile(r"\s*(?:nguoi|can\s+bo|cong\s+chuc|vien\s+chuc|cbccvc|cbcc)\b")),
    ("tasks", re.compile(r"\s*nhiem\s+vu")),
    ("procedures", re.compile(r"\s*(?:thu\s+tuc|tthc|dich\s+vu\s+cong)")),
]
_OTHER_UNIT_AFTER = re.compile(
    r"\s*(?:luot|cuoc|lop|don\s+vi|co\s+quan|xa|phuong|truong|ky|dot|tin|bai|mo\s+hinh|tap\s+the|du\s+an|"
    r"ho\b|chi\s+tieu|tieu\s+chi|linh\s+vuc|van\s+ban|thanh\s+vien|trang|ngay|thang|nam|gio|phut|"
    r"may|goi|lan|ca\s+nhan|doanh\s+nghiep|chuyen\s+de|hoi\s+nghi|phong|ban\b|to\b|kien\s+nghi|"
    r"phan\s+anh|sang\s+kien|truong\s+hop|chuc\s+danh|dang\s+ky|giay|ban\s+sao|m2|km|ha\b|tan)"
)

# --- the measure of a count: the words before it in its clause -------------------------------

_DOSSIER_QUALIFIERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "dossiers_resolved_early_or_on_time",
        re.compile(
            r"(?:som|truoc)\s+(?:han|hen)\s*(?:va|,)\s*dung\s+(?:han|hen)|dung\s+(?:han|hen)?\s*(?:va|,)\s*"
            r"(?:som|truoc)\s+(?:han|hen)|dung\s+va\s+(?:som|truoc)\s+(?:han|hen)"
        ),
    ),
    ("dossiers_pending_overdue", re.compile(r"dang\s+(?:giai\s+quyet|xu\s+ly)\s+(?:qua|tre)\s+(?:han|hen)")),
    ("dossiers_pending_not_due", re.compile(r"chua\s+den\s+(?:han|hen)|trong\s+han")),
    ("dossiers_resolved_late", re.compile(r"(?:tre|qua|cham)\s+(?:han|hen)")),
    ("dossiers_pending", re.compile(r"dang\s+(?:giai\s+quyet|xu\s+ly)|chua\s+giai\s+quyet|ton\s+dong")),
    ("dossiers_resolved_early", re.compile(r"(?:som|truoc)\s+(?:han|hen)")),
    ("dossiers_resolved_on_time", re.compile(r"dung\s+(?:han|hen)")),
    ("dossiers_carried_in", re.compile(r"ky\s+truoc\s+chuyen\s+(?:qua|sang)|chuyen\s+tiep|ton\s+ky\s+truoc")),
    ("dossiers_new", re.compile(r"moi\s+tiep\s+nhan|tiep\s+nhan\s+moi")),
    ("dossiers_received", re.compile(r"tiep\s+nhan\s+va\s+(?:giai\s+quyet|giao\s+tra|tra)")),
    ("dossiers_resolved", re.compile(r"giai\s+quyet|giao\s+tra|tra\s+ket\s+qua")),
    ("dossiers_received", re.compile(r"tiep\s+nhan|phat\s+sinh")),
]
_CHANNELS: list[tuple[str, re.Pattern[str]]] = [
    ("dossiers_online", re.compile(r"truc\s+tuyen|dich\s+vu\s+cong|qua\s+mang")),
    ("dossiers_postal", re.compile(r"buu\s+chinh")),
    ("dossiers_in_person", re.compile(r"truc\s+tiep")),
]
_RATE_OF_COUNT = {
    "dossiers_resolved": "rate_resolved",
    "dossiers_resolved_early_or_on_time": "rate_on_time",
    "dossiers_resolved_on_time": "rate_on_time",
    "dossiers_resolved_late": "rate_late",
    "dossiers_online": "rate_online",
    "dossiers_postal": "rate_postal",
    "survey_satisfied": "satisfaction_rate",
    "disbursed": "disbursement_rate",
    "plan_tasks_done": "plan_tasks_rate",
}
_RATE_SUBJECTS: list[tuple[str, re.Pattern[str]]] = [
    ("satisfaction_index", re.compile(r"chi\s+so\s+(?:muc\s+do\s+)?hai\s+long|sipas")),
    ("par_index", re.compile(r"chi\s+so\s+(?:cai\s+cach\s+hanh\s+chinh|cchc)|par\s+index")),
    ("satisfaction_rate", re.compile(r"(?:rat\s+)?hai\s+long")),
    ("disbursement_rate", re.compile(r"giai\s+ngan")),
    ("rate_late", re.compile(r"ty\s+le\s+(?:ho\s+so\s+)?(?:\w+\s+){0,4}(?:tre|qua)\s+(?:han|hen)")),
    (
        "rate_on_time",
        re.compile(r"ty\s+le\s+(?:ho\s+so\s+)?(?:\w+\s+){0,4}(?:dung|som|truoc)\s+(?:han|hen)"),
    ),
    ("rate_online", re.compile(r"ty\s+le\s+ho\s+so\s+(?:\w+\s+){0,4}truc\s+tuyen")),
    ("rate_postal", re.compile(r"ty\s+le\s+ho\s+so\s+(?:\w+\s+){0,4}buu\s+chinh")),
    ("rate_resolved", re.compile(r"ty\s+le\s+(?:ho\s+so\s+)?(?:\w+\s+){0,3}(?:da\s+)?giai\s+quyet")),
]
# a rate that only continues the count before it: "chiếm tỷ lệ 97,95%", "đạt 36% Kế hoạch"
_RATE_CONTINUES = re.compile(
    r"^[\s,;()]*(?:ho\s+so|phieu|trieu\s+dong|nguoi)?[\s,;()]*(?:chiem|dat|bang|la)?\s*(?:ty\s+le|ti\s+le)?\s*(?:la|dat)?\s*:?\s*$"
)
# what makes a figure a target, a threshold or a change, not a claim
_NOT_A_CLAIM_BEFORE = re.compile(
    r"(?:\b(?:tang|giam|vuot|duoi|tren|hon|khoang|gan|toi\s+thieu|toi\s+da|it\s+nhat|phan\s+dau|"
    r"chi\s+tieu|muc\s+tieu|dinh\s+muc|du\s+kien|uoc\s+tinh\s+tang|lo\s+trinh)\b[^.;:]{0,40}"
    r"|[><≥≤]\s*)$"
)
_NOT_A_CLAIM_AFTER = re.compile(r"^\s*%?\s*(?:\)?\s*so\s+voi|\s*tro\s+len|\s*tro\s+xuong)")
_TARGET_PAREN = re.compile(r"(?:chi\s+tieu|muc\s+tieu|ke\s+hoach)[^()]{0,80}\(\s*$")

_LEVELS: list[tuple[str, re.Pattern[str]]] = [
    (
        "commune",
        re.compile(
            r"\b(?:cap\s+xa|cap\s+phuong|(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:cac\s+)?(?:xa|phuong|thi\s+tran)"
            r"|cac\s+xa|xa,\s*phuong|xa\s+phuong|don\s+vi\s+cap\s+xa)\b"
        ),
    ),
    (
        "district",
        re.compile(
            r"\b(?:cap\s+huyen|cap\s+thanh\s+pho|toan\s+huyen|toan\s+thanh\s+pho|toan\s+thi\s+xa|"
            r"(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:thanh\s+pho|huyen|thi\s+xa|quan)|thanh\s+pho|huyen)\b"
        ),
    ),
    ("province", re.compile(r"\b(?:cap\s+tinh|(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+tinh|toan\s+tinh)\b")),
]
_STAFF_CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    ("can_bo_cong_chuc_vien_chuc", re.compile(r"can\s+bo,?\s+cong\s+chuc,?\s+(?:va\s+)?vien\s+chuc|cbccvc")),
    ("can_bo_cong_chuc", re.compile(r"can\s+bo,?\s+(?:va\s+)?cong\s+chuc|cbcc")),
    ("giao_duc", re.compile(r"gd\s*&\s*dt|giao\s+duc")),
    ("van_hoa", re.compile(r"vh\s*-\s*tt|van\s+hoa")),
    ("su_nghiep_khac", re.compile(r"su\s+nghiep\s+khac")),
    ("vien_chuc", re.compile(r"vien\s+chuc|su\s+nghiep")),
    ("cong_chuc", re.compile(r"cong\s+chuc")),
    ("can_bo", re.compile(r"can\s+bo")),
    ("hop_dong", re.compile(r"hop\s+dong")),
]
_AREA_HEADING = re.compile(r"^\W*(\d)\.(\d)\s*[/.)]")
_AREA_NAMES: list[tuple[str, re.Pattern[str]]] = [
    ("1", re.compile(r"chi\s+dao,?\s+dieu\s+hanh")),
    ("2", re.compile(r"cai\s+cach\s+the\s+che")),
    ("3", re.compile(r"cai\s+cach\s+(?:thu\s+tuc\s+hanh\s+chinh|tthc)")),
    ("4", re.compile(r"cai\s+cach\s+to\s+chuc\s+bo\s+may")),
    ("5", re.compile(r"cai\s+cach\s+che\s+do\s+cong\s+vu|chat\s+luong\s+doi\s+ngu")),
    ("6", re.compile(r"cai\s+cach\s+tai\s+chinh\s+cong")),
    ("7", re.compile(r"chinh\s+quyen\s+(?:dien\s+tu|so)|hien\s+dai\s+hoa")),
    ("8", re.compile(r"tac\s+dong\s+(?:cua\s+)?(?:cai\s+cach|cchc)")),
]


@dataclass
class _Context:
    """What a paragraph inherits: the report's period, the section's PAR area, the period
    and level the paragraph or its list's introduction states."""

    default_period: PeriodRef | None = None
    default_year: int | None = None
    area: str | None = None
    list_intro: int | None = None  # the paragraph that introduces a list ("…, trong đó:")
    section_period: PeriodRef | None = None


_DOC_REF = re.compile(
    r"\d+(?:/\d+)*\s*/\s*[a-z]{1,6}\b|\b(?:so|so\s*:)\s*\d|\d+\s*-\s*[a-z]+/|"
    r"\b(?:nghi\s+dinh|quyet\s+dinh|thong\s+tu|chi\s+thi|nghi\s+quyet|ke\s+hoach|cong\s+van|thong\s+bao|"
    r"bao\s+cao|chuong\s+trinh|luat|iso|tcvn|dieu|khoan|goi\s+thau)\s+(?:so\s+)?\d"
)
_DATE = re.compile(
    r"\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b|\b\d{1,2}\s*/\s*\d{4}\b|\bngay\s+\d{1,2}\s+thang\s+\d{1,2}"
    r"(?:\s+nam\s+\d{4})?|\bthang\s+\d{1,2}\b|\bnam\s+\d{4}\b|\b\d{4}\s*[-–]\s*\d{4}\b|\bngay\s+\d{1,2}\b"
)
_LIST_MARK = re.compile(
    r"\(\s*\d{1,2}\s*\)|^\W*\d+(?:\.\d+)*\s*[./)]|\btieu\s+chi\s+(?:so\s+)?\(?\d+\)?|\bmuc\s+do\s+\d(?:\s*,\s*\d)*"
    r"|\b\d{1,2}\s+thang\b|\blan\s+thu\s+\d|\bquy\s+[1-4]\b|\bthu\s+\d\b|<sup>\s*\d+\s*</sup>|\bkhoa\s+[xvi]+"
)


def _skip_spans(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rx in (_DOC_REF, _DATE, _LIST_MARK):
        spans.extend((m.start(), m.end()) for m in rx.finditer(folded))
    return spans


def _in_spans(a: int, b: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < y and b > x for x, y in spans)


def _unit_after(folded: str, end: int) -> tuple[str | None, int]:
    rest = folded[end : end + 40]
    frac = re.match(r"\s*/\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)", rest)
    if frac:
        after = end + frac.end()
        unit, unit_end = _unit_after(folded, after)
        return (f"fraction:{unit or ''}", unit_end if unit else after)
    for name, rx in _UNIT_AFTER:
        if m := rx.match(rest):
            return name, end + m.end()
    if _OTHER_UNIT_AFTER.match(rest):
        return "other", end
    return None, end


def _last_match(text: str, patterns: Sequence[tuple[str, re.Pattern[str]]]) -> tuple[str | None, int]:
    best: tuple[str | None, int, int] = (None, -1, 0)
    for name, rx in patterns:
        for m in rx.finditer(text):
            if m.end() > best[1] or (m.end() == best[1] and m.end() - m.start() > best[2]):
                best = (name, m.end(), m.end() - m.start())
    return best[0], best[1]


def _level_before(folded: str, pos: int) -> str | None:
    """The level the text names last before ``pos`` ("trên địa bàn thành phố" is a place,
    not a level)."""
    text = re.sub(
        r"(?:dia\s+ban|cua|thuoc)\s+(?:toan\s+)?(?:thanh\s+pho|huyen|thi\s+xa|tinh)",
        lambda m: " " * len(m.group(0)),
        folded[:pos],
    )
    name, _ = _last_match(text, _LEVELS)
    return name


@dataclass
class _Figure:
    number: Number
    unit: str | None
    unit_end: int
    measure: str | None = None
    category: str | None = None
    max_value: Decimal | None = None
    skip: bool = False


def _max_of(folded: str, original: str, number: Number) -> Decimal | None:
    m = re.match(r"\s*(?:diem)?\s*/\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)", folded[number.end :])
    if not m:
        return None
    text = original[number.end + m.start(1) : number.end + m.end(1)]
    return Decimal(text.replace(".", "").replace(",", "."))


def _classify_count(clause: str, unit: str | None, sentence_left: str) -> str | None:
    """The measure of a count from its clause (the words before it since the previous
    figure) and the unit after it."""
    if unit == "dossiers" or (unit is None and re.search(r"\bho\s+so\b", clause)):
        channel, ch_end = _last_match(clause, _CHANNELS)
        qualifier, q_end = _last_match(clause, _DOSSIER_QUALIFIERS)
        if qualifier is None:
            qualifier, _ = _last_match(sentence_left, _DOSSIER_QUALIFIERS)
        if channel and (qualifier is None or qualifier in ("dossiers_received", "dossiers_resolved")):
            return channel
        return qualifier
    if unit == "forms" or (unit is None and re.search(r"\bphieu\b", clause)):
        if re.search(r"hai\s+long", clause) and not re.search(
            r"khong\s+hai\s+long|chua\s+hai\s+long", clause
        ):
            return "survey_satisfied"
        if re.search(r"khao\s+sat|phat\s+ra|thu\s+ve|tong\s+so|lay\s+y\s+kien|danh\s+gia", clause):
            return "survey_forms"
        return None
    if unit == "tasks" or (unit is None and re.search(r"\bnhiem\s+vu\b", clause)):
        if re.search(r"hoan\s+thanh", clause) and re.search(
            r"ke\s+hoach|cchc|cai\s+cach|de\s+ra", sentence_left
        ):
            return "plan_tasks_done"
        return None
    return None


def _classify_money(clause: str) -> str | None:
    if re.search(r"giai\s+ngan", clause):
        return "disbursed"
    if re.search(
        r"ke\s+hoach(?:\s+von)?\s*(?:giao|duoc\s+giao|dau\s+tu)?|von\s+(?:dau\s+tu\s+cong\s+)?(?:duoc\s+)?giao",
        clause,
    ):
        return "disbursement_plan"
    return None


def _classify_staff(clause: str, unit: str | None, sentence: str) -> tuple[str | None, str | None]:
    if unit == "quota" or re.search(r"bien\s+che", clause):
        if re.search(r"\b(?:giam|tang|tinh\s+gian|con)\b", sentence):
            return None, None
        category, _ = _last_match(clause, _STAFF_CATEGORIES)
        return "staff_quota", category
    if unit == "people" and re.search(r"hien\s+co|co\s+mat|tong\s+so\s+can\s+bo", sentence):
        category, _ = _last_match(clause, _STAFF_CATEGORIES)
        return "staff_actual", category
    return None, None


def _area_of(paragraph_folded: str) -> str | None:
    if m := _AREA_HEADING.match(paragraph_folded):
        return m.group(2) if m.group(1) in ("2",) else None
    return None


def _heading_area(paragraph_folded: str) -> str | None:
    """The PAR area a heading names ("2.3/ Cải cách thủ tục hành chính")."""
    if len(paragraph_folded) > 160:
        return None
    if not re.match(r"^[\W_]*(?:\d+(?:\.\d+)*\s*[./)]|[ivx]+\.|[a-z]\))", paragraph_folded):
        return None
    name, _ = _last_match(paragraph_folded, _AREA_NAMES)
    return name


def extract_claims(paragraphs: list[str], header: object | None = None) -> list[Claim]:
    """Every figure about a known measure in ``paragraphs`` (see the module docstring).
    ``header`` (a :class:`narratives.reader.ReportHeader`) gives the report's period when a
    sentence does not state one; without it the report's title is searched in the text."""
    default = _default_period(paragraphs, header)
    ctx = _Context(default_period=default, default_year=default.year if default else None)
    claims: list[Claim] = []
    paragraph_periods: list[PeriodRef | None] = []
    for index, paragraph in enumerate(paragraphs):
        folded = fold_same_length(paragraph)
        area = _heading_area(folded)
        if area is not None:
            ctx.area = area
            ctx.section_period = None
        is_item = bool(re.match(r"^[\W_]*[-+•–]\s", paragraph)) or bool(re.match(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]", paragraph))
        if not is_item:
            ctx.list_intro = index if paragraph.rstrip(" *_").endswith(":") else None
        elif ctx.list_intro is not None and not paragraph.rstrip(" *_").endswith((":", ";", ".")):
            pass
        own = _paragraph_claims(index, paragraph, folded, ctx, paragraphs, paragraph_periods)
        claims.extend(own)
        found = find_periods(paragraph, ctx.default_year)
        paragraph_periods.append(found[-1][2] if found else None)
    return claims


def _default_period(paragraphs: list[str], header: object | None) -> PeriodRef | None:
    if header is not None and getattr(header, "period_kind", None):
        return PeriodRef(header.period_kind, header.period_year, header.period_end)  # type: ignore[attr-defined]
    from narratives.reader import parse_header

    head = parse_header(paragraphs)
    if head.period_kind and head.period_year and head.period_end:
        return PeriodRef(head.period_kind, head.period_year, head.period_end)
    year = head.report_date.year if head.report_date else None
    return PeriodRef("year", year, date(year, 12, 31)) if year else None


def _inherited_period(
    index: int, ctx: _Context, paragraph_periods: list[PeriodRef | None]
) -> tuple[PeriodRef | None, str]:
    if ctx.list_intro is not None and ctx.list_intro < index and paragraph_periods[ctx.list_intro]:
        return paragraph_periods[ctx.list_intro], "list"
    if ctx.default_period is not None:
        return ctx.default_period, "report"
    return None, "none"


def _paragraph_claims(
    index: int,
    paragraph: str,
    folded: str,
    ctx: _Context,
    paragraphs: list[str],
    paragraph_periods: list[PeriodRef | None],
) -> list[Claim]:
    skip = _skip_spans(folded)
    comparisons = comparison_spans(paragraph)
    intro_folded = fold_same_length(paragraphs[ctx.list_intro]) if ctx.list_intro is not None else ""
    claims: list[Claim] = []
    paragraph_period: PeriodRef | None = None
    paragraph_level: str | None = None
    for s_start, s_end in sentence_spans(paragraph):
        sentence = paragraph[s_start:s_end]
        s_folded = folded[s_start:s_end]
        periods = [(a + s_start, b + s_start, p) for a, b, p in find_periods(sentence, ctx.default_year)]
        periods = [t for t in periods if not _in_spans(t[0], t[1], comparisons)]
        figures: list[_Figure] = []
        for number in find_numbers(sentence):
            start, end = number.start + s_start, number.end + s_start
            number = Number(start, end, number.text, number.value)
            if _in_spans(start, end, skip) or _in_spans(start, end, [(a, b) for a, b, _ in periods]):
                continue
            if start > 0 and folded[start - 1] == "/":
                continue  # the maximum of an "x/y" figure, read with x
            unit, unit_end = _unit_after(folded, end)
            figures.append(_Figure(number, unit, unit_end))
        prev_end = s_start
        previous: list[tuple[_Figure, str | None]] = []
        for fig in figures:
            n = fig.number
            clause = folded[prev_end : n.start]
            sentence_left = folded[s_start : n.start]
            before = folded[max(s_start, n.start - 60) : n.start]
            after = folded[n.end : n.end + 30]
            measure: str | None = None
            category: str | None = None
            max_value: Decimal | None = None
            target = bool(_NOT_A_CLAIM_BEFORE.search(clause)) or bool(_NOT_A_CLAIM_AFTER.match(after))
            target = target or bool(_TARGET_PAREN.search(before)) or _in_spans(n.start, n.end, comparisons)
            unit = fig.unit or ""
            if target:
                pass
            elif unit == "percent":
                measure = _classify_rate(clause, previous, s_folded, n.start - s_start)
            elif unit.startswith("fraction"):
                max_value = _max_of(folded, paragraph, n)
                measure, category = _classify_fraction(unit, clause, sentence_left, ctx)
            elif unit == "points":
                max_value = _max_of(folded, paragraph, n)
                measure, category = _classify_points(clause, sentence_left, ctx, max_value)
            elif unit in ("money", "money_billion"):
                measure = _classify_money(clause if clause.strip(" ,;:") else sentence_left)
            elif unit in ("quota", "people") or (not unit and re.search(r"bien\s+che", clause)):
                measure, category = _classify_staff(
                    clause + " " + intro_folded[-200:], unit, s_folded + " " + intro_folded
                )
            elif unit in ("dossiers", "forms", "tasks", ""):
                measure = _classify_count(clause, unit or None, sentence_left)
                if unit == "dossiers" and measure in ("dossiers_received", "dossiers_resolved", None):
                    channel, _ = _last_match(folded[fig.unit_end : fig.unit_end + 25], _CHANNELS)
                    measure = channel or measure
            if measure is None:
                previous.append((fig, None))
                prev_end = max(fig.unit_end, n.end)
                continue
            # the period: the nearest stated before the figure in the sentence, else after it,
            # else the paragraph's, the list introduction's, the report's
            before_p = [p for a, b, p in periods if b <= n.start]
            after_p = [p for a, b, p in periods if a >= n.end]
            status, reason = "resolved", None
            if before_p:
                period = before_p[-1]
            elif after_p:
                period = after_p[0]
            elif paragraph_period is not None:
                period = paragraph_period
            else:
                period, _how = _inherited_period(index, ctx, paragraph_periods)
                if period is None:
                    status, reason = "unresolved", "không xác định được kỳ báo cáo của số liệu"
            level = _level_before(folded[s_start:], n.start - s_start) or paragraph_level
            if level is None and intro_folded:
                level = _level_before(intro_folded, len(intro_folded))
            value = n.value * 1000 if unit == "money_billion" else n.value
            value_text = paragraph[n.start : fig.unit_end].strip() if unit == "percent" else n.text
            if unit == "percent":
                value_text = re.sub(r"\s+%", "%", paragraph[n.start : fig.unit_end].strip())
            claims.append(
                Claim(
                    measure=measure,
                    value=value,
                    value_text=value_text,
                    paragraph=index,
                    char_start=n.start,
                    char_end=n.end,
                    quote=sentence.strip(),
                    level=level,
                    category=category,
                    max_value=max_value,
                    period_kind=period.kind if period else None,
                    period_year=period.year if period else None,
                    period_end=period.end if period else None,
                    status=status,
                    reason=reason,
                )
            )
            previous.append((fig, measure))
            prev_end = max(fig.unit_end, n.end)
        if periods:
            paragraph_period = periods[-1][2]
        lv = _level_before(s_folded, len(s_folded))
        paragraph_level = lv or paragraph_level
    return claims


def _classify_rate(
    clause: str, previous: list[tuple[_Figure, str | None]], sentence: str, pos: int
) -> str | None:
    if _RATE_CONTINUES.match(clause) and previous:
        fig, measure = previous[-1]
        if measure in _RATE_OF_COUNT:
            return _RATE_OF_COUNT[measure]
        return None
    subject, _ = _last_match(clause, _RATE_SUBJECTS)
    if subject in ("rate_online", "rate_postal") and not re.search(r"ho\s+so", clause):
        return None
    return subject


def _classify_fraction(
    unit: str, clause: str, sentence_left: str, ctx: _Context
) -> tuple[str | None, str | None]:
    inner = unit.split(":", 1)[1]
    if inner == "tasks" or (not inner and re.search(r"nhiem\s+vu", clause[-40:])):
        if re.search(r"hoan\s+thanh", clause):
            return "plan_tasks_done", None
        return None, None
    if inner == "points" or (not inner and re.search(r"diem", clause)):
        return _classify_points(clause, sentence_left, ctx, None)
    if (
        not inner
        and re.search(r"\(\s*$", clause)
        and ctx.area
        and re.search(r"ty\s+le|tieu\s+chi", sentence_left)
    ):
        return _criterion_points(ctx)
    return None, None


def _criterion_points(ctx: _Context) -> tuple[str | None, str | None]:
    return "par_points", ctx.area


def _classify_points(
    clause: str, sentence_left: str, ctx: _Context, max_value: Decimal | None
) -> tuple[str | None, str | None]:
    if re.search(r"tong\s+(?:so\s+)?diem|tu\s+danh\s+gia\s+dat|tong\s+cong", sentence_left):
        return "par_points_total", None
    if (
        re.search(r"chi\s+so\s+(?:nay|thanh\s+phan|linh\s+vuc)|linh\s+vuc\s+nay|dat\s+$", sentence_left)
        and ctx.area
    ):
        return "par_points", ctx.area
    if ctx.area and re.search(r"tieu\s+chi", sentence_left):
        return "par_points", ctx.area
    return None, None


__all__ = ["extract_claims", "replace"]
