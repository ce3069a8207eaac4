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
   so với năm 2017"; nor is anything in a "Phương hướng, nhiệm vụ" section, a list that a
   "Chỉ tiêu …:" sentence introduces, or a plan for a year after the report's.
5. The period is the nearest one the sentence states before the figure, else one it states
   after, else the paragraph's, the list's introduction's, the section's, the report's. The
   level likewise ("UBND cấp xã", "toàn huyện", "UBND thành phố").

6. A table flattened into lines ("Cấp | Tiếp nhận | Đã giải quyết | Tỷ lệ", then "Cấp xã |
   21.538 | 21.402 | 99,37%", or tab-separated) is read row by row: each figure takes its
   column's measure from the header row and the row's level (or unit) from its label; a row
   with no header row before it keeps its figures unresolved, with no measure guessed.
7. In a report about PAR, "đã hoàn thành 38/40 nhiệm vụ" counts the PAR plan's tasks; survey
   respondents ("1.206 lượt tổ chức, cá nhân tham gia đánh giá") are forms; the plan's parts by
   funding source ("vốn ngân sách tỉnh …") are plan figures labelled by their source (category)
   and linked to the plan total; a count in parentheses after a rate ("98,5% (1.970/2.000 hồ
   sơ)") is the rate's numerator with its base as the maximum.

A figure about a known measure whose period cannot be determined, or that its clause gives to
another unit ("… của tỉnh là 6.452.318 triệu đồng" in a district's report), is kept with status
"unresolved" and the reason. Staff categories come out in the warehouse's codes (cong_chuc,
can_bo, vien_chuc, hop_dong) so that the claims mart compares them with the staffing data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from narratives.claims import Claim
from narratives.numbers import Number, find_numbers, read_vi_number
from narratives.periods import PeriodRef, comparison_periods_of, comparison_spans, find_periods
from narratives.text import fold_same_length, sentence_spans

# --- what a number counts: the word right after it ------------------------------------------

_UNIT_AFTER = [
    ("percent", re.compile(r"\s*%")),
    ("money", re.compile(r"\s*(?:trieu\s+dong|trieu\s+d\b|tr\.?d\b)")),
    ("money_billion", re.compile(r"\s*ty\s+dong")),
    ("points", re.compile(r"\s*diem")),
    ("dossiers", re.compile(r"\s*(?:ho\s+so|hs\b|ket\s+qua\s+giai\s+quyet\s+(?:tthc|thu\s+tuc|ho\s+so))")),
    ("forms", re.compile(r"\s*phieu")),
    ("quota", re.compile(r"\s*(?:bien\s+che|so\s+luong\s+nguoi\s+lam\s+viec)")),
    (
        "people",
        re.compile(r"\s*(?:nguoi|can\s+bo|cong\s+chuc|vien\s+chuc|cbccvc|cbcc|hop\s+dong\s+lao\s+dong)\b"),
    ),
    ("tasks", re.compile(r"\s*nhiem\s+vu")),
    ("cases", re.compile(r"\s*(?:luot|truong\s+hop|doi\s+tuong)\b")),
    ("procedures", re.compile(r"\s*(?:thu\s+tuc|tthc|dich\s+vu\s+cong)")),
]
_OTHER_UNIT_AFTER = re.compile(
    r"\s*(?:luot|cuoc|lop|don\s+vi|co\s+quan|xa|phuong|truong|ky|dot|tin|bai|mo\s+hinh|tap\s+the|du\s+an|"
    r"ho\b|chi\s+tieu|muc\s+tieu|chi\s+so|tieu\s+chi|linh\s+vuc|van\s+ban|thanh\s+vien|trang|ngay|thang|nam|gio|phut|"
    r"may|goi|lan|ca\s+nhan|doanh\s+nghiep|chuyen\s+de|hoi\s+nghi|phong|ban\b|to\b|kien\s+nghi|"
    r"phan\s+anh|sang\s+kien|truong\s+hop|chuc\s+danh|dang\s+ky|giay|ban\s+sao|m2|km|ha\b|tan)"
)

# --- the measure of a count: the words before it in its clause -------------------------------

_DOSSIER_QUALIFIERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "dossiers_resolved_early_or_on_time",
        re.compile(
            r"(?:som|truoc)\s+(?:han|hen)\s*(?:va|,)\s*dung\s+(?:han|hen)|dung\s+(?:han|hen)?\s*(?:va|,)\s*"
            r"(?:som|truoc)\s+(?:han|hen)|dung\s+va\s+(?:som|truoc)\s+(?:han|hen)|(?:som|truoc)\s+va\s+dung\s+(?:han|hen)"
        ),
    ),
    ("dossiers_pending_overdue", re.compile(r"dang\s+(?:giai\s+quyet|xu\s+ly)\s+(?:qua|tre)\s+(?:han|hen)")),
    (
        "dossiers_pending_not_due",
        re.compile(r"(?:chua\s+den|(?:dang\s+)?trong\s+(?:thoi\s+)?)\s*(?:han|hen)(?:\s+giai\s+quyet)?"),
    ),
    ("dossiers_resolved_late", re.compile(r"(?:tre|qua|cham)\s+(?:han|hen)")),
    ("dossiers_pending", re.compile(r"dang\s+(?:giai\s+quyet|xu\s+ly)|chua\s+giai\s+quyet|ton\s+dong")),
    ("dossiers_resolved_early", re.compile(r"(?:som|truoc)\s+(?:han|hen)")),
    ("dossiers_resolved_on_time", re.compile(r"dung\s+(?:han|hen)")),
    ("dossiers_carried_in", re.compile(r"ky\s+truoc\s+chuyen\s+(?:qua|sang)|chuyen\s+tiep|ton\s+ky\s+truoc")),
    (
        "dossiers_new",
        re.compile(
            r"moi\s+tiep\s+nhan|tiep\s+nhan\s+moi|phat\s+sinh\s+(?:moi\s+)?trong\s+ky"
            r"|(?:^|[,;(:])\s*(?:so\s+)?(?:ho\s+so\s+)?trong\s+ky\s*:?\s*$"
        ),
    ),
    (
        "dossiers_received",
        re.compile(r"tiep\s+nhan\s+va\s+(?:giai\s+quyet|giao\s+tra|tra)|phai\s+giai\s+quyet"),
    ),
    ("dossiers_resolved", re.compile(r"giai\s+quyet|giao\s+tra|(?<!han\s)(?<!hen\s)tra\s+ket\s+qua")),
    ("dossiers_received", re.compile(r"tiep\s+nhan|phat\s+sinh")),
]
_CHANNELS: list[tuple[str, re.Pattern[str]]] = [
    ("dossiers_online", re.compile(r"truc\s+tuyen|dich\s+vu\s+cong|qua\s+mang")),
    ("dossiers_postal", re.compile(r"buu\s+chinh|bcci")),
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
    "training_done": "training_rate",
    "budget_revenue": "budget_revenue_rate",
}
RATE_OF_COUNT = _RATE_OF_COUNT  # the rate each count is the numerator of (narratives.consistency)
_TY_LE = r"t[yi]\s+le"
_RATE_SUBJECTS: list[tuple[str, re.Pattern[str]]] = [
    ("satisfaction_index", re.compile(r"chi\s+so\s+(?:muc\s+do\s+)?hai\s+long|sipas")),
    ("par_index", re.compile(r"chi\s+so\s+(?:cai\s+cach\s+hanh\s+chinh|cchc)|par\s+index")),
    ("satisfaction_rate", re.compile(r"(?:rat\s+)?hai\s+long")),
    ("disbursement_rate", re.compile(r"giai\s+ngan")),
    ("rate_late", re.compile(_TY_LE + r"\s+(?:\w+\s+){0,6}(?:tre|qua)\s+(?:han|hen)")),
    ("rate_on_time", re.compile(_TY_LE + r"\s+(?:\w+\s+){0,6}(?:dung|som|truoc)\s+(?:han|hen)")),
    ("rate_online", re.compile(_TY_LE + r"\s+ho\s+so\s+(?:\w+\s+){0,4}truc\s+tuyen")),
    ("rate_postal", re.compile(_TY_LE + r"\s+ho\s+so\s+(?:\w+\s+){0,4}buu\s+chinh")),
    ("rate_resolved", re.compile(_TY_LE + r"\s+(?:ho\s+so\s+)?(?:\w+\s+){0,3}(?:da\s+)?giai\s+quyet")),
    ("plan_tasks_rate", re.compile(r"ke\s+hoach\s+(?:cai\s+cach\s+hanh\s+chinh|cchc)")),
    ("training_rate", re.compile(r"ke\s+hoach\s+dao\s+tao|ke\s+hoach\s+boi\s+duong")),
    ("e_documents_signed_rate", re.compile(r"van\s+ban\s+(?:\w+\s+){0,3}dien\s+tu\W+(?:\w+\W+){0,3}ky\s+so")),
]
# a rate that only continues the count before it: "chiếm tỷ lệ 97,95%", ", đạt tỷ lệ 44,96%"
_RATE_CONTINUES = re.compile(
    r"(?:^|[,;(]|\b(?:phieu|ho\s+so|trieu\s+dong|nguoi|thu\s+tuc|nhiem\s+vu)\b)[^,;()]{0,40}?\s*"
    r"(?:chiem|dat|bang|tuong\s+duong)\s*(?:" + _TY_LE + r")?\s*(?:la)?\s*:?\s*$"
    r"|^[\s,;()]*(?:" + _TY_LE + r")?\s*:?\s*$"
)
# what makes a figure a change, a threshold or a target, not a claim
_CHANGE_BEFORE = re.compile(
    r"\b(?:tang|giam|vuot|cao\s+hon|thap\s+hon|nhieu\s+hon|it\s+hon)\s+(?:duoc\s+|them\s+|hon\s+|khoang\s+)?$"
)
_THRESHOLD_BEFORE = re.compile(
    r"(?:\b(?:duoi|tren|hon|khoang|gan|toi\s+thieu|toi\s+da|it\s+nhat|tu|den|muc)\s*|[><≥≤]\s*)$"
)
_TARGET_BEFORE = re.compile(
    r"\b(?:chi\s+tieu|(?<!co\s)muc\s+tieu|phan\s+dau|dinh\s+muc|du\s+kien|lo\s+trinh|yeu\s+cau|giao\s+chi\s+tieu)\b"
    r"[^.;:]{0,60}$"
)
_NOT_A_CLAIM_AFTER = re.compile(
    r"^\s*%?\s*\)?\s*(?:so\s+voi\s+(?:cung\s+ky|nam|ky|thang|quy|dau\s+nam|\d)|tro\s+len|tro\s+xuong|tro\s+di)"
    r"|^\s*(?:%|diem)?\s*\(?\s*(?:chua\s+xac\s+dinh|chua\s+co\s+ket\s+qua)"
    r"|^\s*(?:%|diem)?\s*(?:\(\s*)?(?:dtxhh|dieu\s+tra\s+xa\s+hoi\s+hoc)"
)
_TARGET_PAREN = re.compile(r"(?:chi\s+tieu|muc\s+tieu|ke\s+hoach)[^()]{0,80}\(\s*$")

_LEVELS: list[tuple[str, re.Pattern[str]]] = [
    (
        "commune",
        re.compile(
            r"\b(?:cap\s+xa|cap\s+phuong|(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:cac\s+|\d+\s+)?(?:xa|phuong|thi\s+tran)"
            r"|cac\s+xa|xa,\s*(?:phuong|thi\s+tran)|xa\s+phuong|don\s+vi\s+cap\s+xa)\b"
        ),
    ),
    (
        "district",
        re.compile(
            r"\b(?:cap\s+huyen|cap\s+thanh\s+pho|cap\s+thi\s+xa|toan\s+huyen|toan\s+thanh\s+pho|toan\s+thi\s+xa|thi\s+xa|"
            r"(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:thanh\s+pho|huyen|thi\s+xa|quan)|thanh\s+pho|huyen)\b"
        ),
    ),
    ("province", re.compile(r"\b(?:cap\s+tinh|(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+tinh|toan\s+tinh)\b")),
]
# staff categories as the text names them; a figure about several at once has none
_STAFF_CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    ("can_bo", re.compile(r"\bcan\s+bo\b")),
    ("cong_chuc", re.compile(r"\bcong\s+chuc\b")),
    ("vien_chuc", re.compile(r"\bvien\s+chuc\b|\bnguoi\s+lam\s+viec\b|don\s+vi\s+su\s+nghiep")),
    ("hop_dong", re.compile(r"\bhop\s+dong\b")),
]
_AREA_HEADING = re.compile(r"^\W*(\d)\.(\d)\s*[/.)]")
_AREA_NAMES: list[tuple[str, re.Pattern[str]]] = [
    ("1", re.compile(r"chi\s+dao,?\s+dieu\s+hanh")),
    (
        "2",
        re.compile(
            r"cai\s+cach\s+the\s+che|(?:xay\s+dung|thuc\s+hien)\s+(?:\w+\s+){0,5}van\s+ban\s+quy\s+pham|vbqppl"
        ),
    ),
    ("3", re.compile(r"cai\s+cach\s+(?:thu\s+tuc\s+hanh\s+chinh|tthc)")),
    ("4", re.compile(r"cai\s+cach\s+to\s+chuc\s+bo\s+may")),
    ("5", re.compile(r"cai\s+cach\s+che\s+do\s+cong\s+vu|chat\s+luong\s+doi\s+ngu")),
    ("6", re.compile(r"cai\s+cach\s+tai\s+chinh\s+cong")),
    ("7", re.compile(r"chinh\s+(?:quyen|phu)\s+(?:dien\s+tu|so)|hien\s+dai\s+hoa")),
    ("8", re.compile(r"tac\s+dong\s+(?:cua\s+)?(?:cai\s+cach|cchc)")),
]


@dataclass
class _TableHeader:
    """A flattened table's header row: each column's measure ("label" for the column naming
    the row, ``None`` for a column of no known measure), and the table's period."""

    columns: list[str | None]
    period: PeriodRef | None
    by_rows: bool = False  # a two-column table "Chỉ tiêu | Quý I năm 2024": each row names its measure


@dataclass
class _Context:
    """What a paragraph inherits: the report's period, the section's PAR area, the period
    and level the paragraph or its list's introduction states."""

    default_period: PeriodRef | None = None
    default_year: int | None = None
    report_level: str | None = None  # the report's own unit's level (its header)
    area: str | None = None
    list_intro: int | None = None  # the paragraph that introduces a list ("…, trong đó:")
    section_period: PeriodRef | None = None
    target_section: str | None = None  # the heading mark of a "Phương hướng, nhiệm vụ" section
    par_report: bool = False  # the report is about PAR (its title or opening names it)
    table: _TableHeader | None = None  # the header row of the table being read


# a document's number has the shape "số 45/KH-UBND", "154/QĐ-UBND", "61/2018/NĐ-CP", or follows
# the document's kind ("Quyết định số 1234", "Tờ trình số 12"); "Tổng số hồ sơ: 500" and "tổng
# số 5.820 hồ sơ" are figures
_DOC_REF = re.compile(
    r"\d+(?:/\d+)*\s*/\s*[a-z]{1,6}\b|\d+\s*-\s*[a-z]+/|"
    r"\b(?:nghi\s+dinh|quyet\s+dinh|thong\s+tu|chi\s+thi|nghi\s+quyet|ke\s+hoach|cong\s+van|thong\s+bao|"
    r"bao\s+cao|chuong\s+trinh|luat|iso|tcvn|dieu|khoan|goi\s+thau)\s+(?:so\s*:?\s*)?\d|"
    r"\b(?:to\s+trinh|van\s+ban|hop\s+dong|giay\s+phep|ket\s+luan|bien\s+ban|phieu\s+chuyen|ma\s+ho\s+so)"
    r"\s+so\s*:?\s*\d|^\W*so\s*:\s*\d+\W*$"
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
    if m := re.match(r"(?:\^+|<sup>\s*\d+\s*</sup>)", folded[end:]):
        end += m.end()  # a footnote marker right after the number
    rest = folded[end : end + 40]
    frac = re.match(r"\s*/\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)", rest)
    if frac:
        after = end + frac.end()
        unit, unit_end = _unit_after(folded, after)
        return (f"fraction:{unit or ''}", unit_end if unit else after)
    for name, rx in _UNIT_AFTER:
        if m := rx.match(rest):
            return name, end + m.end()
    if m := _OTHER_UNIT_AFTER.match(rest):
        return "other", end + m.end()
    return None, end


def _last_match(text: str, patterns: Sequence[tuple[str, re.Pattern[str]]]) -> tuple[str | None, int]:
    best: tuple[str | None, int, int] = (None, -1, 0)
    for name, rx in patterns:
        for m in rx.finditer(text):
            if m.end() > best[1] or (m.end() == best[1] and m.end() - m.start() > best[2]):
                best = (name, m.end(), m.end() - m.start())
    return best[0], best[1]


_LEVEL_OF_CAP = {
    "huyen": "district",
    "thanh pho": "district",
    "thi xa": "district",
    "xa": "commune",
    "phuong": "commune",
    "tinh": "province",
}


def _level_before(folded: str, pos: int) -> str | None:
    """The level the text names last before ``pos`` ("trên địa bàn thành phố" is a place,
    "vốn ngân sách huyện" a funding source, not a level)."""
    text = re.sub(
        r"dia\s+ban\s+(?:toan\s+)?(?:thanh\s+pho|huyen|thi\s+xa|tinh)"
        r"|(?:ngan\s+sach|von)\s+(?:cap\s+)?(?:thanh\s+pho|huyen|thi\s+xa|tinh|xa|trung\s+uong)\b",
        lambda m: " " * len(m.group(0)),
        folded[:pos],
    )
    name, _ = _last_match(text, _LEVELS)
    return name


def _level_of_other_parts(left: str) -> bool:
    """The level named last labels a part of another split, closed by "trong đó" before the
    figure ("398 thủ tục (cấp huyện 283, cấp xã 115); trong đó 176 thủ tục …", "gồm: cấp tỉnh
    84 thủ tục, cấp xã 05 thủ tục; trong đó 61 thủ tục …"): the figure is of the whole."""
    name, end = _last_match(left, _LEVELS)
    if name is None:
        return False
    rest = left[end:]
    return bool(re.match(r"\s*:?\s*\d", rest)) and bool(re.search(r"[;)]\s*trong\s+do\b[^;]*$", rest))


def _online_category(unit_after: str) -> str | None:
    """Fully or partly online, where the text says it after the count ("176 thủ tục cung cấp
    dịch vụ công trực tuyến toàn trình", "37 thủ tục trực tuyến một phần")."""
    own = re.split(r"[,;:.()]|\d|\bva\b", unit_after)[0]
    if re.search(r"toan\s+trinh", own):
        return "toàn trình"
    if re.search(r"mot\s+phan", own):
        return "một phần"
    return None


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


_SURVEY_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "survey_forms",
        re.compile(
            r"khao\s+sat\s+(?:duoc|tren|voi|tai|\d)|khao\s+sat\s*$|phat\s+ra|thu\s+ve|tong\s+so|lay\s+y\s+kien"
            r"|\b(?:phat|phat\s+hanh|gui)\s*$"
        ),
    ),
    ("survey_satisfied", re.compile(r"(?<!su\s)(?<!do\s)(?<!chi\s\sso\s)(?<!khong\s)(?<!chua\s)hai\s+long")),
]
# survey respondents counted as people or "lượt" ("1.206 lượt tổ chức, cá nhân tham gia đánh giá",
# "lấy ý kiến 850 người dân", "946 lượt đánh giá") in a sentence about a survey: forms
_RESPONDENTS = re.compile(
    r"\s*(?:/\s*[\d.,]+\s*)?(?:(?:luot\s+)?(?:(?:nguoi\s+dan|cong\s+dan|to\s+chuc|ca\s+nhan|doanh\s+nghiep|"
    r"khach\s+hang|nguoi(?!\s+lam\s+viec))\b\s*(?:,|va|/)?\s*)+"
    r"|luot\b(?!\s+(?:can\s+bo|cong\s+chuc|vien\s+chuc|cbcc|hoc\s+vien|nguoi\s+tham\s+gia\s+(?:lop|tap\s+huan))))"
)
_SURVEY_CONTEXT = re.compile(
    r"khao\s+sat|lay\s+y\s+kien|hai\s+long|tham\s+gia\s+danh\s+gia|luot\s+danh\s+gia|"
    r"he\s+thong\s+danh\s+gia|do\s+luong|phieu\s+danh\s+gia"
)


def _survey_respondents(folded: str, fig: _Figure, sentence: str, clause: str) -> str | None:
    """Respondents of a survey as the text counts them: forms (DOMAIN.md: a form is one
    respondent); satisfied ones when the words after them say so, none when not satisfied."""
    m = _RESPONDENTS.match(folded, fig.number.end)
    if not m or not _SURVEY_CONTEXT.search(sentence) or _TRAINING.search(_own_clause(clause)):
        return None
    if re.search(r"\b(?:tuyen\s+truyen|tap\s+huan|hoi\s+nghi|tiep\s+cong\s+dan|doi\s+thoai)\b", sentence):
        return None
    own_after = re.split(r"\d|trong\s+do|[;(,]", folded[m.end() : m.end() + 60])[0]
    if re.search(r"(?:khong|chua)\s+(?:\w+\s+){0,2}hai\s+long", own_after):
        return None
    # "404 lượt hài lòng", "2.288 lượt đánh giá hài lòng"; "… về sự hài lòng" is the topic
    if re.match(r"\s*(?:(?!su\b|ve\b|muc\b|do\b)\w+\s+){0,3}?(?:rat\s+)?hai\s+long", own_after):
        return "survey_satisfied"
    return "survey_forms"


_STAFF_CHANGE = re.compile(
    r"\b(?:giam|tang|tinh\s+gian|tuyen\s+dung|bo\s+sung|dieu\s+dong|nghi\s+huu|thoi\s+viec)\b"
)
_PROCEDURE_ACTION = re.compile(
    r"\b(?:sua\s+doi|bai\s+bo|don\s+gian\s+hoa|rut\s+ngan|ra\s+soat|kien\s+nghi|cat\s+giam|thay\s+the|"
    r"moi\s+ban\s+hanh|cong\s+bo\s+moi|phat\s+sinh\s+ho\s+so|khong\s+phat\s+sinh|con\s+lai|nhom)\b"
)

_PROCEDURE_ACTION_SENTENCE = re.compile(
    r"\b(?:sua\s+doi|bai\s+bo|don\s+gian\s+hoa|rut\s+ngan|kien\s+nghi|cat\s+giam|thay\s+the)\b"
)


def _classify_count(
    clause: str,
    unit: str | None,
    sentence_left: str,
    after: str,
    paragraph_left: str = "",
    par_report: bool = False,
) -> str | None:
    """The measure of a count from its clause (the words before it since the previous
    figure), the unit after it and the words right after the unit."""
    implied = unit is None and _last_match(clause, _DOSSIER_QUALIFIERS)[0] is not None
    implied = implied and bool(re.search(r"\bho\s+so\b", sentence_left))
    if unit == "dossiers" or (unit is None and re.search(r"\bho\s+so\b", clause)) or implied:
        if re.search(
            r"\b(?:de\s+nghi|tinh\s+gian|thi\s+dua|khen\s+thuong|ky\s+luat|luu\s+tru)\b", clause + after[:30]
        ):
            return None  # dossiers of another kind (proposals, archives), not one-stop dossiers
        own = re.split(r"[;(]", clause)[-1]
        named = {name for name, rx in _CHANNELS if rx.search(own)}
        if len(named) > 1:
            return None  # "trực tiếp và qua bưu chính": channels together, no measure
        channel = named.pop() if named else None
        qualifier, _ = _last_match(clause, _DOSSIER_QUALIFIERS)
        head = re.split(r"[();:.]", after[:60])[0]
        segments = re.split(r",", re.split(r"\d", head)[0])
        own_after = segments[0]
        if (
            len(segments) > 1
            and not re.search(r"\d", head)
            and re.match(r"\s*(?:chua\s+den|qua|tre|dung|som|truoc)\s+(?:han|hen)", segments[1])
        ):
            own_after += " " + segments[1]  # "220 hồ sơ đang giải quyết, chưa đến hạn"
        after_qualifier, _ = _last_match(own_after, _DOSSIER_QUALIFIERS)
        if after_qualifier and after_qualifier not in ("dossiers_received", "dossiers_resolved"):
            qualifier = (
                after_qualifier  # "6.610 hồ sơ trước và đúng hạn", "220 hồ sơ đang giải quyết, chưa đến hạn"
            )
        own_words = re.split(r"[;:(]", clause.rstrip(" :"))[-1]
        unqualified = _last_match(own_words, _DOSSIER_QUALIFIERS)[0] is None
        if unqualified and re.search(r"\btong\s+(?:so|cong)\b", own_words):
            # "Kết quả giải quyết TTHC: Tổng số hồ sơ: 4.213 hồ sơ": the total received, unless
            # the words after it say otherwise ("tổng số 5.820 hồ sơ đã giải quyết")
            qualifier = after_qualifier or "dossiers_received"
        if qualifier is None and after_qualifier is not None:
            qualifier = after_qualifier  # "5.820 hồ sơ được tiếp nhận"
        if qualifier is None:
            qualifier, _ = _last_match(sentence_left, _DOSSIER_QUALIFIERS)
        if qualifier in ("dossiers_received", "dossiers_resolved", "dossiers_new", None):
            # "2.996 hồ sơ trực tuyến": the channel right after the unit, before any punctuation
            words_after = re.split(r"[(),;:.]|\d", after[:70])[0]
            returned = re.search(r"\btra\s*$", clause) and re.match(r"\s*ket\s+qua", words_after)
            if not returned and not re.match(
                r"\s*(?:ho\s+so|hs)?\s*(?:duoc\s+)?(?:nop|gui|tiep\s+nhan)\b", words_after
            ):
                words_after = words_after[:30]  # "hồ sơ nộp và nhận kết quả qua … bưu chính": the channel
            after_channel, _ = _last_match(words_after, _CHANNELS)
            channel = after_channel or channel
        if channel and qualifier in ("dossiers_received", "dossiers_resolved", "dossiers_new", None):
            return channel
        return qualifier
    if unit == "forms" or (unit is None and re.search(r"\bphieu\b", clause)):
        own_after = re.split(r"\d|trong\s+do|[;(,]", after[:50])[0]
        if re.search(r"(?:khong|chua)\s+hai\s+long", own_after):
            return None  # "03 phiếu chưa hài lòng"
        if re.search(r"(?<!khong\s)(?<!chua\s)hai\s+long", own_after):
            return "survey_satisfied"
        name, _ = _last_match(clause, _SURVEY_WORDS)
        return name
    if unit == "tasks" or (unit is None and re.search(r"\bnhiem\s+vu\b", clause[-30:])):
        scope = paragraph_left + " " + after[:40]
        plan = re.search(r"ke\s+hoach", scope) and re.search(r"cai\s+cach\s+hanh\s+chinh|cchc", scope)
        plan = plan or re.search(r"de\s+ra", sentence_left + after[:20])
        if re.search(r"hoan\s+thanh|thuc\s+hien\s+xong|da\s+thuc\s+hien", clause):
            # in a PAR report, tasks done are the PAR plan's ("đã hoàn thành 38/40 nhiệm vụ")
            # unless the sentence names tasks of another kind
            own_plan = par_report and not _OTHER_TASKS.search(sentence_left + " " + after[:50])
            return "plan_tasks_done" if plan or own_plan else None
        if plan and re.match(r"\s*(?:\w+\s+){0,2}chua\s+(?:thuc\s+hien|hoan\s+thanh|trien\s+khai)", after):
            return "plan_tasks_not_done"  # "còn 04 nhiệm vụ chưa thực hiện"
        if plan and not re.search(
            r"\b(?:con|chua|dang|tre|qua|chuyen\s+sang|chuyen\s+tiep)\b", clause[-25:] + " " + after[:25]
        ):
            return "plan_tasks_total"
        return None
    if unit == "procedures":
        acted = _PROCEDURE_ACTION.search(clause) or _PROCEDURE_ACTION_SENTENCE.search(sentence_left)
        if acted or re.match(r"\s*(?:thuoc\s+nhom|cua\s+bo)", after):
            return None
        own = re.split(r"[;(]", clause)[-1]
        own_after = re.split(r"[(),;:.]|\d", after[:60])[0]
        if re.search(r"truc\s+tuyen|dich\s+vu\s+cong|mot\s+phan|toan\s+trinh", own + " " + own_after):
            return "online_services_count"
        return "procedures_count"
    return None


# tasks that are not the PAR plan's: a unit's own work, the socio-economic plan, tasks a higher
# authority assigned by a document of its own
_OTHER_TASKS = re.compile(
    r"nhiem\s+vu\s+(?:chuyen\s+mon|thuong\s+xuyen|kinh\s+te|phat\s+trien|quoc\s+phong|an\s+ninh)"
    r"|kinh\s+te\s*-?\s*xa\s+hoi|(?:ubnd|uy\s+ban\s+nhan\s+dan|chu\s+tich)\s+(?:ubnd\s+)?tinh\s+giao"
    r"|cap\s+tren\s+giao|ket\s+luan|nghi\s+quyet|chuong\s+trinh\s+cong\s+tac|chuyen\s+doi\s+so"
)

_TRAINING = re.compile(r"\b(?:dao\s+tao|boi\s+duong|tap\s+huan)\b")


def _classify_training(clause: str, sentence_left: str, after: str) -> str | None:
    """People trained: "Cử 421 lượt cán bộ … tham gia các lớp đào tạo", "Bồi dưỡng lãnh đạo cấp
    huyện: 04/04 trường hợp", "mở 01 lớp bồi dưỡng … cho 40 đối tượng" (courses are not)."""
    own = re.sub(r"giao\s+duc\s+va\s+dao\s+tao", " ", _own_clause(clause))  # a field or a unit's name
    sent = re.search(r"\bcu\s*$", clause)  # "Cử 421 lượt …"
    if sent and (
        _TRAINING.search(after[:80])
        or re.match(r"\W*(?:\w+\W+){0,6}?(?:hoc|tham\s+gia\s+(?:cac\s+)?lop)\b", after)
    ):
        return "training_done"
    if re.match(r"[\W_]*(?:\w+[\s,]+){0,2}?(?:dao\s+tao|boi\s+duong|tap\s+huan)\b", own) and re.search(
        r":\s*$", clause
    ):
        return "training_done"  # "+ Bồi dưỡng lãnh đạo cấp huyện: 04/04 trường hợp"
    if _TRAINING.search(own) and re.search(r"\bcho\s*$", clause):
        return "training_done"  # "mở 01 lớp bồi dưỡng … cho 40 đối tượng"
    return None


_INSPECTED = re.compile(r"^\s*(?:xa|phuong|thi\s+tran|phong|co\s+quan|don\s+vi)\b")


def _classify_inspection(sentence_left: str, folded: str, fig: _Figure) -> str | None:
    """Units inspected for CCHC ("kiểm tra cải cách hành chính tại 15/15 xã, phường và 08 phòng
    chuyên môn"): a count of units after "kiểm tra … tại" in a sentence about CCHC, public
    service or the one-stop shop; not rounds, not IT or ISO audits."""
    if not _INSPECTED.match(folded[fig.number.end :].lstrip(" /0123456789.,")):
        return None
    if not re.search(r"kiem\s+tra[^.;]*\btai\b[^.;]*$", sentence_left):
        return None
    if not re.search(r"cai\s+cach\s+hanh\s+chinh|cchc|cong\s+vu|mot\s+cua", sentence_left):
        return None
    if re.search(r"cntt|cong\s+nghe\s+thong\s+tin|\biso\b|danh\s+gia\s+noi\s+bo", sentence_left):
        return None
    return "inspections_done"


_MONEY: list[tuple[str, re.Pattern[str]]] = [
    ("disbursed", re.compile(r"giai\s+ngan")),
    (
        "disbursement_plan",
        re.compile(
            r"ke\s+hoach\s+(?:von\s+)?(?:giao|duoc\s+giao|dau\s+tu)|ke\s+hoach\s+von|von\s+(?:\w+\s+){0,3}giao"
        ),
    ),
]


# a part of the plan by funding source: "vốn ngân sách tỉnh", "vốn cân đối ngân sách thị xã",
# "vốn tỉnh hỗ trợ có mục tiêu", "nguồn vốn ODA", "vốn trung ương"
_PLAN_SOURCE = re.compile(
    r"^[\s(,;:]*(?:(?:gom|bao\s+gom|trong\s+do|cu\s+the)\b[\s,:]*)?(?:va\s+)?"
    r"((?:nguon\s+)?von\s+(?:(?!giai\s+ngan|da\s+|thanh\s+toan)[a-z]+\s*){1,8}?)\s*(?:la|:)?\s*$"
)


def _plan_source(
    clause: str, paragraph: str, start: int, previous: list[tuple[_Figure, str | None]]
) -> str | None:
    """The funding source that labels a part of the plan stated just before ("Kế hoạch vốn …
    là 312.645,8 triệu đồng (vốn ngân sách tỉnh 198.420 triệu đồng, vốn ngân sách huyện …)"):
    the source as written, or ``None`` when the figure is no such part."""
    if not previous or previous[-1][1] != "disbursement_plan":
        return None
    m = _PLAN_SOURCE.match(clause)
    if not m:
        return None
    at = start - len(clause) + m.start(1)
    return " ".join(paragraph[at : at + len(m.group(1))].split()) or None


_REVENUE = re.compile(r"\b(?:thu\s+ngan\s+sach|thu\s+nsnn|tong\s+thu)\b")


def _classify_money(clause: str, sentence_left: str = "") -> str | None:
    """Disbursement plan or disbursed; budget revenue ("tổng thu NSNN … là 298.781 triệu đồng",
    and its parts "thu từ khu vực ngoài quốc doanh: …"); an estimate or spending is none."""
    own = _own_clause(clause)
    if not re.search(r"\b(?:du\s+toan|chi\s+ngan\s+sach|giai\s+ngan)\b", own) and (
        _REVENUE.search(clause[-80:])
        or (_REVENUE.search(sentence_left) and re.search(r"\bthu\s+(?:tu|o|cua)\b", own))
    ):
        return "budget_revenue"
    if re.search(
        r"\b(?:thu\s+ngan\s+sach|thu\s+nsnn|tong\s+thu|du\s+toan|chi\s+ngan\s+sach)\b", clause[-80:]
    ):
        return None
    name, _ = _last_match(clause, _MONEY)
    return name


_PUBLIC_EMPLOYEE_KINDS = [
    ("vien_chuc_giao_duc", re.compile(r"vien\s+chuc\s+(?:nganh\s+|su\s+nghiep\s+)?giao\s+duc")),
    ("vien_chuc_y_te", re.compile(r"vien\s+chuc\s+(?:nganh\s+|su\s+nghiep\s+)?y\s+te")),
    ("vien_chuc_khac", re.compile(r"vien\s+chuc\s+(?:su\s+nghiep\s+)?khac")),
]


def _staff_category(clause: str) -> str | None:
    """The category in the warehouse's codes; public employees of one sector by their sector
    ("viên chức giáo dục và đào tạo" → vien_chuc_giao_duc), as the staffing data keeps them."""
    named = {name for name, rx in _STAFF_CATEGORIES if rx.search(clause)}
    if named == {"vien_chuc"}:
        kinds = {kind for kind, rx in _PUBLIC_EMPLOYEE_KINDS if rx.search(clause)}
        if len(kinds) == 1:
            return kinds.pop()
    return named.pop() if len(named) == 1 else None


# a staff figure with no unit after it: "… biên chế: 120", "số lượng người làm việc được giao 1.862"
_QUOTA_BEFORE = re.compile(
    r"(?:bien\s+che|so\s+luong\s+nguoi\s+lam\s+viec(?:\s+(?:duoc\s+giao|hien\s+co|co\s+mat))?)\W*(?:la)?\W*$"
)
_QUOTA_WORDS = re.compile(
    r"\b(?:duoc\s+giao|giao(?!\s+(?:duc|thong|dich|luu|ban|tiep|tra))|phan\s+bo|bien\s+che\s+duoc)\b"
)
_ACTUAL_WORDS = re.compile(r"\b(?:hien\s+co|co\s+mat|dang\s+cong\s+tac|tong\s+so\s+can\s+bo)\b")


def _classify_staff(
    clause: str, unit: str | None, sentence: str, intro: str, paragraph_left: str, unit_text: str = ""
) -> tuple[str | None, str | None]:
    """Staff: a quota ("được giao 96 biên chế công chức") or staff in post ("hiện có 91 công
    chức"), by the nearest of the words before it; the category from the unit's own words
    ("biên chế công chức", "viên chức") or the clause."""
    if _CHANGE_BEFORE.search(clause) or re.search(r"\b(?:tinh\s+gian|tuyen\s+dung)\b", clause[-40:]):
        return None, None
    own = _own_clause(clause)
    category = _staff_category(unit_text) or _staff_category(own)
    left = sentence
    quota_at = max((m.end() for m in _QUOTA_WORDS.finditer(left)), default=-1)
    actual_at = max((m.end() for m in _ACTUAL_WORDS.finditer(left)), default=-1)
    if unit == "quota" or (unit is None and _QUOTA_BEFORE.search(clause)):
        if actual_at > quota_at and actual_at > len(left) - 40:
            return "staff_actual", category
        if category is None and not re.search(
            r"[a-z]{2,}", re.sub(r"bien\s+che|giam|tang|con|xuong|len", "", own)
        ):
            # "(76 biên chế giảm còn 75 …)": the category the paragraph names for its quota
            named = re.findall(r"bien\s+che\s+(can\s+bo|cong\s+chuc|vien\s+chuc)", paragraph_left)
            category = _staff_category(named[-1]) if named else None
        return "staff_quota", category
    if unit == "people":
        if _STAFF_CHANGE.search(sentence) and not (quota_at >= 0 or actual_at >= 0):
            return None, None
        if quota_at > actual_at:
            return "staff_quota", category
        if actual_at >= 0 or _ACTUAL_WORDS.search(intro):
            return "staff_actual", category
    return None, None


def _unit_words(folded: str, start: int, unit_end: int) -> str:
    """The unit's own words, with a staff category right after it ("biên chế công chức")."""
    m = re.match(r"\s*(?:can\s+bo|cong\s+chuc|vien\s+chuc|lam\s+viec)\b", folded[unit_end : unit_end + 15])
    return folded[start:unit_end] + (m.group(0) if m else "")


def sentence_left_of(sentence: str, clause: str) -> str:
    """The sentence up to the clause's end (the words before the figure)."""
    at = sentence.find(clause) if clause else -1
    return sentence[: at + len(clause)] if at >= 0 else sentence


def _own_clause(clause: str) -> str:
    """The clause's own words: what follows its last separator or "trong đó"."""
    parts = re.split(r"[;(]|trong\s+do|,\s+(?=[a-z]+\s*:)", clause)
    return parts[-1]


def _heading_area(paragraph_folded: str) -> str | None:
    """The PAR area a heading names ("2.3/ Cải cách thủ tục hành chính", "1. Cải cách thể
    chế"); list items ("+ (6) …", "- …") are not headings."""
    if len(paragraph_folded) > 160:
        return None
    if not re.match(r"^[#*_\s]*(?:\d+(?:\.\d+)*\s*[./)]|[ivx]+\.|[a-z]\))", paragraph_folded):
        return None
    name, _ = _last_match(paragraph_folded, _AREA_NAMES)
    return name


def _is_heading(paragraph_folded: str) -> bool:
    return len(paragraph_folded) <= 160 and bool(
        re.match(r"^[#*_\s]*(?:\d+(?:\.\d+)*\s*[./)]|[ivx]+\.|[a-z]\))", paragraph_folded)
    )


def _is_list_item(paragraph: str) -> bool:
    return bool(re.match(r"^[\W_]*[-+•–]\s", paragraph))


# --- flattened tables: "Cấp | Tiếp nhận | Đã giải quyết | Tỷ lệ" then one line per row ----------

_NUMBER_CELL = re.compile(r"\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(%?)\s*")
_LABEL_COLUMN = re.compile(
    r"^\W*(?:stt|tt|cap|don\s+vi|co\s+quan|noi\s+dung|chi\s+tieu|ten\b|dia\s+ban|khoi|nhom)"
)
_TOTAL_ROW = re.compile(
    r"^\W*(?:tong(?:\s+(?:so|cong))?|cong(?!\s+chuc)|toan\s+(?:huyen|thanh\s+pho|thi\s+xa|tinh|so|nganh))\b"
)  # "Cộng" is a total row, "Công chức" (folded alike) a staff category
_UNIT_ROW = re.compile(r"^\W*(xa|phuong|thi\s+tran|huyen|thi\s+xa|thanh\s+pho|quan)\s+\S")


def table_cells(paragraph: str) -> list[tuple[int, int]] | None:
    """The cells of a table row flattened into a line ("Cấp xã | 21.538 | 21.402 | 99,37%",
    or tab-separated): their offsets, stripped; ``None`` for a line that is no table row (fewer
    than three cells). A markdown rule line ("|---|---|") has no cells."""
    if paragraph.count("|") < 2 and paragraph.count("\t") < 2:
        return None
    pieces = []  # every piece between separators, empty cells too (they keep the columns)
    start = 0
    for m in re.finditer(r"\||\t", paragraph):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(paragraph)))
    if pieces and not paragraph[pieces[0][0] : pieces[0][1]].strip():
        pieces = pieces[1:]  # "| a | b |": the edges' pipes
    if pieces and not paragraph[pieces[-1][0] : pieces[-1][1]].strip():
        pieces = pieces[:-1]
    cells = []
    for a, b in pieces:
        text = paragraph[a:b]
        a += len(text) - len(text.lstrip())
        cells.append((a, a + len(text.strip())))
    if all(re.fullmatch(r"[\s:\-]*", paragraph[a:b]) for a, b in cells):
        return []
    return cells if len(cells) >= 3 else None


def _is_header_row(cells: list[tuple[int, int]], folded: str) -> bool:
    filled = [(a, b) for a, b in cells if b > a]
    return bool(filled) and not any(_NUMBER_CELL.fullmatch(folded[a:b]) for a, b in filled)


def _column_measure(cell: str) -> str | None:
    """The measure of a header cell's column ("Tiếp nhận", "Đã giải quyết", "Trễ hạn", "Tỷ lệ
    đúng hạn (%)", "Số phiếu", "Biên chế được giao", "Kế hoạch vốn"), "label" for the column
    naming the rows."""
    if _LABEL_COLUMN.match(cell):
        return "label"
    if re.search(r"t[yi]\s+le|%", cell):
        subject, _ = _last_match(cell, _RATE_SUBJECTS)
        if subject is None:
            channel, _ = _last_match(cell, _CHANNELS)
            subject = {"dossiers_online": "rate_online", "dossiers_postal": "rate_postal"}.get(channel or "")
        return subject
    if re.search(r"bien\s+che|nguoi\s+lam\s+viec", cell) or re.fullmatch(
        r"\W*(?:so\s+)?(?:hien\s+co|co\s+mat)\W*", cell
    ):
        if _ACTUAL_WORDS.search(cell):
            return "staff_actual"  # "Có mặt", "Biên chế hiện có"
        return "staff_quota" if _QUOTA_WORDS.search(cell) else None
    if re.search(r"\bphieu\b|hai\s+long", cell):
        if re.search(r"(?:khong|chua)\s+hai\s+long", cell):
            return None
        return "survey_satisfied" if re.search(r"hai\s+long", cell) else "survey_forms"
    if re.search(r"giai\s+ngan", cell):
        return "disbursed"
    if re.search(r"ke\s+hoach\s+von|von\s+(?:\w+\s+){0,2}giao", cell):
        return "disbursement_plan"
    qualifier, _ = _last_match(cell, _DOSSIER_QUALIFIERS)
    channel, _ = _last_match(cell, _CHANNELS)
    if channel and qualifier in (None, "dossiers_received"):
        return channel
    if qualifier is None and re.fullmatch(r"\W*(?:tong\s+so\s+)?(?:ho\s+so|tong\s+so)\W*", cell):
        return "dossiers_received"
    return qualifier


def _label_value_row(
    paragraph: str, folded: str
) -> tuple[tuple[int, int], tuple[int, int, re.Match[str]] | None] | None:
    """A line of a two-column table, "label | value" ("Đã giải quyết | 1.211"): the label's
    offsets and the value cell (``None`` when the right cell is not a number, as in a header)."""
    if paragraph.count("|") != 1:
        return None
    bar = paragraph.index("|")
    left = paragraph[:bar]
    a, b = len(left) - len(left.lstrip()), len(left.rstrip())
    if b <= a or _NUMBER_CELL.fullmatch(folded[a:b]):
        return None
    m = _NUMBER_CELL.fullmatch(folded, bar + 1)
    return (a, b), ((bar + 1, len(paragraph), m) if m else None)


def _label_value_claim(
    index: int,
    paragraph: str,
    folded: str,
    pair: tuple[tuple[int, int], tuple[int, int, re.Match[str]] | None],
    header: _TableHeader,
) -> Claim | None:
    """The figure of a two-column table's row, its measure named by the row's label ("- Trước
    hạn | 806", "Tỷ lệ giải quyết đúng hạn (%) | 99,75"), its period the header row's."""
    (a, b), value_cell = pair
    if value_cell is None:
        return None
    measure = _column_measure(folded[a:b])
    m = value_cell[2]
    text = paragraph[m.start(1) : m.end(1)]
    value = read_vi_number(text)
    if measure in (None, "label") or (_is_count(measure) and value != value.to_integral_value()):
        return None
    period = header.period
    return Claim(
        measure=measure,
        value=value,
        value_text=text + ("%" if m.group(2) else ""),
        paragraph=index,
        char_start=m.start(1),
        char_end=m.end(1),
        quote=paragraph.strip(),
        period_kind=period.kind if period else None,
        period_year=period.year if period else None,
        period_end=period.end if period else None,
        status="resolved" if period else "unresolved",
        reason=None if period else "không xác định được kỳ báo cáo của số liệu",
    )


def _row_place(label: str, folded_label: str) -> tuple[str | None, str | None, str | None]:
    """The level, the unit as written, and the reason a row cannot be placed, from the row's
    label ("Cấp xã", "Tổng cộng", "Phường Chánh Phú Hòa")."""
    if _TOTAL_ROW.match(folded_label):
        return None, None, None
    level = _level_before(folded_label, len(folded_label))
    if level is not None:
        return level, None, None
    if m := _UNIT_ROW.match(folded_label):
        return _LEVEL_OF_CAP.get(" ".join(m.group(1).split()), "district"), label.strip(" *_"), None
    return None, None, f"dòng bảng “{label.strip()}”: không xác định được đơn vị hoặc cấp của số liệu"


def _table_row_claims(
    index: int, paragraph: str, folded: str, cells: list[tuple[int, int]], ctx: _Context
) -> list[Claim]:
    """The figures of a flattened table row, each with its column's measure and the row's
    level. A row with no header row before it (or not as many cells as the header) is kept
    unresolved with the reason, its figures not guessed."""
    if not cells:
        return []
    header = ctx.table
    numbers = [(a, b, m) for a, b in cells if (m := _NUMBER_CELL.fullmatch(folded[a:b]))]
    if not numbers:
        return []
    labels = [(a, b) for a, b in cells if b > a and not _NUMBER_CELL.fullmatch(folded[a:b])]
    label = " ".join(paragraph[a:b] for a, b in labels)
    level, unit_name, reason = _row_place(label, fold_same_length(label))
    place_reason = reason
    # a staff table with categories as rows ("Công chức | 118 | 112"): the report's own unit
    staff_category = _staff_category(fold_same_length(label).lower()) if reason else None
    if header is None:
        reason = "dòng bảng không có dòng tiêu đề cột: không xác định được chỉ tiêu của số liệu"
    elif len(header.columns) != len(cells):
        reason = "dòng bảng không khớp số cột với dòng tiêu đề: không xác định được chỉ tiêu của số liệu"
    period = header.period if header else None
    if period is None and reason is None:
        reason = "không xác định được kỳ báo cáo của số liệu"
    claims = []
    for a, b, m in numbers:
        measure = (
            header.columns[cells.index((a, b))] if header and len(header.columns) == len(cells) else None
        )
        if measure == "label":
            measure = None
        start, end = a + m.start(1), a + m.end(1)
        text = paragraph[start:end]
        value = read_vi_number(text)
        if measure is not None and _is_count(measure) and value != value.to_integral_value():
            measure = None
        if measure is None and header is not None and len(header.columns) == len(cells):
            continue  # a column of no known measure (STT, another figure)
        category, claim_reason = None, reason
        if staff_category and measure is not None and measure.startswith("staff_"):
            category = staff_category
            if claim_reason == place_reason:
                claim_reason = None if period else "không xác định được kỳ báo cáo của số liệu"
        claims.append(
            Claim(
                measure=measure,
                value=value,
                value_text=text + ("%" if m.group(2) else ""),
                paragraph=index,
                char_start=start,
                char_end=end,
                quote=paragraph.strip(),
                unit_name=unit_name,
                level=level,
                category=category,
                period_kind=period.kind if period else None,
                period_year=period.year if period else None,
                period_end=period.end if period else None,
                status="unresolved" if claim_reason else "resolved",
                reason=claim_reason,
            )
        )
    return claims


def extract_claims(paragraphs: list[str], header: object | None = None) -> list[Claim]:
    """Every figure about a known measure in ``paragraphs`` (see the module docstring).
    ``header`` (a :class:`narratives.reader.ReportHeader`) gives the report's period when a
    sentence does not state one; without it the report's title is searched in the text."""
    default = _default_period(paragraphs, header)
    ctx = _Context(default_period=default, default_year=default.year if default else None)
    ctx.report_level = _report_level(paragraphs, header)
    ctx.par_report = _is_par_report(paragraphs, header)
    claims: list[Claim] = []
    paragraph_periods: list[PeriodRef | None] = []
    for index, paragraph in enumerate(paragraphs):
        folded = fold_same_length(paragraph)
        if _is_heading(folded):
            _enter_section(ctx, folded)
            area = _heading_area(folded)
            if area is not None or re.match(r"^[#*_\s]*(?:[ivx]+\.|\d+\.\s)", folded):
                ctx.area = area
        if not _is_list_item(paragraph):
            ctx.list_intro = index if re.search(r"(?::|trong\s+do\W*)$", folded.rstrip(" *_")) else None
        found = find_periods(paragraph, ctx.default_year)
        cells = table_cells(paragraph)
        pair = _label_value_row(paragraph, folded) if cells is None else None
        if pair is not None and pair[1] is None and _LABEL_COLUMN.match(folded[pair[0][0] : pair[0][1]]):
            # "Chỉ tiêu | Quý I năm 2024": the header of a table of one figure per row
            before = paragraph_periods[-1] if paragraph_periods else None
            period = found[-1][2] if found else before or _inherited_period(index, ctx, paragraph_periods)
            ctx.table = _TableHeader(["label", None], period, by_rows=True)
        elif (
            pair is not None
            and pair[1] is not None
            and ctx.table is not None
            and ctx.table.by_rows
            and (row := _label_value_claim(index, paragraph, folded, pair, ctx.table))
        ):
            claims.append(row)
        elif cells is None:
            ctx.table = None
            claims.extend(_paragraph_claims(index, paragraph, folded, ctx, paragraphs, paragraph_periods))
        elif _is_header_row(cells, folded):
            # a table's header row: the column's measures; its period the caption's or its own
            before = paragraph_periods[-1] if paragraph_periods else None
            period = found[-1][2] if found else before or _inherited_period(index, ctx, paragraph_periods)
            ctx.table = _TableHeader([_column_measure(folded[a:b]) for a, b in cells], period)
        else:
            claims.extend(_table_row_claims(index, paragraph, folded, cells, ctx))
        paragraph_periods.append(found[-1][2] if found else None)
        if _is_list_item(paragraph) and re.search(r"(?::|trong\s+do\W*)$", folded.rstrip(" *_")):
            ctx.list_intro = index
    return link_parts(paragraphs, claims)


def _is_par_report(paragraphs: list[str], header: object | None) -> bool:
    """A report about PAR: its title or one of its opening paragraphs names cải cách hành
    chính / CCHC (a PAR report's plan tasks are the PAR plan's)."""
    title = getattr(header, "title", None) or ""
    opening = " ".join([title, *paragraphs[:12]])
    return bool(re.search(r"cai\s+cach\s+hanh\s+chinh|\bcchc\b", fold_same_length(opening)))


_TARGET_HEADING = re.compile(
    r"phuong\s+huong|nhiem\s+vu\s+(?:\w+\s+){0,3}(?:thoi\s+gian|nam|quy|thang)\s+(?:toi|sau)|"
    r"ke\s+hoach\s+(?:\w+\s+){0,3}(?:nam|quy)\s+(?:toi|sau)|chi\s+tieu|muc\s+tieu"
)
# a sentence or list that states goals: "Phấn đấu …", "Chỉ tiêu: …", "Mục tiêu …"
_TARGET_START = re.compile(r"^[\W_]*(?:\w+\s+){0,2}?(?:chi\s+tieu|muc\s+tieu|phan\s+dau|phuong\s+huong)\b")


def _heading_mark(folded: str) -> str:
    """The kind of a heading's number: roman ("III."), arabic ("2."), sub ("2.1."), letter."""
    if re.match(r"^[#*_\s]*[ivx]+\.", folded):
        return "roman"
    if re.match(r"^[#*_\s]*\d+\.\d", folded):
        return "sub"
    if re.match(r"^[#*_\s]*\d+\s*[./)]", folded):
        return "arabic"
    return "letter"


def _enter_section(ctx: _Context, folded: str) -> None:
    """A "Phương hướng, nhiệm vụ …" heading opens a section of goals; a heading of the same or
    a higher rank closes it."""
    mark = _heading_mark(folded)
    if _TARGET_HEADING.search(folded):
        ctx.target_section = mark
        return
    ranks = ["roman", "arabic", "sub", "letter"]
    if ctx.target_section is not None and ranks.index(mark) <= ranks.index(ctx.target_section):
        ctx.target_section = None


def _is_target_sentence(sentence_folded: str, intro_folded: str, ctx: _Context) -> bool:
    """Goals, not results: a sentence that opens with "chỉ tiêu", "mục tiêu", "phấn đấu", an
    item of a list that such a sentence introduces, a plan for a year after the report's."""
    if ctx.target_section is not None or _TARGET_START.search(sentence_folded):
        return True
    if intro_folded and _TARGET_START.search(intro_folded):
        return True
    m = re.match(r"^[\W_]*(?:ke\s+hoach|du\s+kien)\s+(?:\w+\s+){0,2}nam\s+(\d{4})", sentence_folded)
    return bool(m and ctx.default_year is not None and int(m.group(1)) > ctx.default_year)


def _report_level(paragraphs: list[str], header: object | None) -> str | None:
    if header is None:
        from narratives.reader import parse_header

        header = parse_header(paragraphs)
    return getattr(header, "level", None)


_OTHER_UNIT = re.compile(r"\bcua\s+(?:toan\s+)?(tinh|ca\s+nuoc|trung\s+uong)\b(?!\s+giao)")
_OTHER_UNIT_NAMES = {"tinh": "tỉnh", "ca nuoc": "cả nước", "trung uong": "trung ương"}


def _other_unit(clause: str, ctx: _Context) -> str | None:
    """A figure of a unit above the report's own ("giải ngân … của tỉnh là 6.452.318 triệu
    đồng" in a department's or district's report): its own clause says so."""
    own = re.split(r"[;(]|,\s", clause)[-1]
    m = _OTHER_UNIT.search(own)
    if not m:
        return None
    name = " ".join(m.group(1).split())
    if name == "tinh" and ctx.report_level == "province":
        return None
    return _OTHER_UNIT_NAMES[name]


_DEFAULT_KINDS = ("nine_months", "half", "quarter", "to_date", "month")


def _default_period(paragraphs: list[str], header: object | None) -> PeriodRef | None:
    """The report's period: the header's, else the first period of a "N tháng đầu năm",
    quarter or to-date kind the opening paragraphs state (outside document references),
    else the year of the report's date."""
    if header is None:
        from narratives.reader import parse_header

        header = parse_header(paragraphs)
    kind = getattr(header, "period_kind", None)
    if kind:
        return PeriodRef(kind, header.period_year, header.period_end)  # type: ignore[attr-defined]
    for paragraph in paragraphs[:12]:
        for _a, _b, ref in find_periods(paragraph):
            if ref.kind in _DEFAULT_KINDS:
                return ref
    report_date = getattr(header, "report_date", None)
    if report_date is not None:
        year = report_date.year if report_date.month > 3 else report_date.year - 1
        return PeriodRef("year", year, date(year, 12, 31))
    return None


def _inherited_period(
    index: int, ctx: _Context, paragraph_periods: list[PeriodRef | None]
) -> PeriodRef | None:
    if ctx.list_intro is not None and ctx.list_intro < index and paragraph_periods[ctx.list_intro]:
        return paragraph_periods[ctx.list_intro]
    return ctx.default_period


def _is_claim_position(clause: str, before: str, after: str) -> bool:
    """False for a change ("tăng 4,97% so với năm 2017"), a threshold ("dưới 3%", ">60%"),
    a target ("chỉ tiêu … (30%)", "phấn đấu …") or points not yet known ("02 điểm chưa xác
    định", "0/30 điểm ĐTXHH")."""
    if _CHANGE_BEFORE.search(clause) or _THRESHOLD_BEFORE.search(clause):
        return False
    nouns = re.sub(r"\d+\s+(?:chi\s+tieu|muc\s+tieu)", " ", clause)
    if _TARGET_BEFORE.search(nouns) or _TARGET_PAREN.search(before):
        return False
    return not _NOT_A_CLAIM_AFTER.match(after)


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
    comparison_periods = comparison_periods_of(paragraph)
    intro = paragraphs[ctx.list_intro] if ctx.list_intro is not None and ctx.list_intro < index else ""
    intro_folded = fold_same_length(intro)
    claims: list[Claim] = []
    paragraph_period: PeriodRef | None = None
    paragraph_level: str | None = None
    for s_start, s_end in sentence_spans(paragraph):
        sentence = paragraph[s_start:s_end]
        s_folded = folded[s_start:s_end]
        if _is_target_sentence(s_folded, intro_folded, ctx):
            continue
        all_periods = [(a + s_start, b + s_start, p) for a, b, p in find_periods(sentence, ctx.default_year)]
        periods = [t for t in all_periods if not _in_spans(t[0], t[1], comparisons)]
        figures: list[_Figure] = []
        for number in find_numbers(sentence):
            start, end = number.start + s_start, number.end + s_start
            number = Number(start, end, number.text, number.value)
            if _in_spans(start, end, skip) or _in_spans(start, end, [(a, b) for a, b, _ in all_periods]):
                continue
            if re.search(r"/\s*$", folded[max(0, start - 3) : start]):
                continue  # the maximum of an "x/y" figure, read with x
            unit, unit_end = _unit_after(folded, end)
            figures.append(_Figure(number, unit, unit_end))
        prev_end = s_start
        previous: list[tuple[_Figure, str | None]] = []
        sentence_other: str | None = None  # another unit the sentence's figures are about
        for fig in figures:
            n = fig.number
            clause = folded[prev_end : n.start]
            sentence_left = folded[s_start : n.start]
            before = folded[max(s_start, n.start - 60) : n.start]
            after = folded[n.end : n.end + 60]
            unit_after = folded[fig.unit_end : fig.unit_end + 60]
            measure, category, max_value = _classify(
                fig,
                clause,
                sentence_left,
                s_folded,
                after,
                unit_after,
                intro_folded,
                previous,
                ctx,
                folded,
                paragraph,
            )
            if measure is not None and category is None and family(measure) == "dossiers":
                category = _field_of(clause, paragraph[prev_end : n.start])
            if re.search(r"\bphan\s+dau\b", sentence_left):
                measure = None  # "Năm 2025, thành phố phấn đấu … đạt 80%": a goal
            points = (fig.unit or "").endswith("points")  # "kế hoạch CCHC (1,6/ 2,0 điểm)" is no target
            if measure is not None and not _is_claim_position(clause, "" if points else before, after):
                measure = None
            if measure is not None and re.match(
                r"\W*(?:\(\s*)?(?:dtxhh|dieu\s+tra\s+xa\s+hoi\s+hoc|chua\s+xac\s+dinh)", unit_after
            ):
                measure = None
            if measure is None:
                previous.append((fig, None))
                prev_end = max(fig.unit_end, n.end)
                continue
            period = _figure_period(
                n,
                periods,
                comparison_periods,
                all_periods,
                paragraph_period,
                index,
                ctx,
                paragraph_periods,
                folded,
                fig,
            )
            level = _level_before(folded[s_start:], n.start - s_start) or paragraph_level
            if _level_of_other_parts(folded[s_start : n.start]):
                level = None  # "(cấp huyện 283, cấp xã 115); trong đó 176 thủ tục …": another split
            if measure == "online_services_count" and category is None:
                category = _online_category(folded[fig.unit_end : fig.unit_end + 60])
            if m_level := re.match(
                r"(?:\s*,?\s*(?:can\s+bo|cong\s+chuc|vien\s+chuc))*\s*cap\s+(huyen|xa|tinh|thanh\s+pho|thi\s+xa|phuong)\b",
                folded[fig.unit_end : fig.unit_end + 50],
            ):
                level = _LEVEL_OF_CAP[
                    m_level.group(1)
                ]  # "272 thủ tục cấp huyện", "117 cán bộ, công chức cấp xã"
            if measure == "inspections_done" and re.match(
                r"[\s/\d.,]*(?:xa|phuong|thi\s+tran)\b", folded[n.end :]
            ):
                level = "commune"  # "tại 15/15 xã, phường": the units counted are communes
            elif measure == "inspections_done" and not m_level:
                level = None  # departments, agencies: the level is the unit counted, not the text's
            if fig.unit == "percent" and re.search(_RESPECTIVELY, folded[s_start : n.start]):
                order = list(dict.fromkeys(c.level for c in claims if c.char_start >= s_start and c.level))
                if len(order) < 2:  # "tỷ lệ … cấp huyện và cấp xã lần lượt là 93,18% và 99,20%"
                    order = _levels_in_order(folded[s_start : n.start])
                done = sum(
                    1
                    for c in claims
                    if c.char_start >= s_start
                    and c.measure == measure
                    and re.search(_RESPECTIVELY, folded[s_start : c.char_start])
                )
                if done < len(order):
                    level = order[done]  # "tỷ lệ quá hạn tương ứng là 0,76% và 0,06%": respectively
            if level is None and intro_folded:
                level = _level_before(intro_folded, len(intro_folded))
            counted = _counted_claim(claims, previous, measure)
            status_of_count: tuple[str, str | None] | None = None
            if counted is not None:  # "…, chiếm tỷ lệ 97,95%": the rate of the count before it
                level = counted.level
                if counted.reason and counted.reason.startswith("số liệu của đơn vị khác"):
                    status_of_count = (counted.status, counted.reason)
                if counted.period_kind and counted.period_year and counted.period_end:
                    period = PeriodRef(counted.period_kind, counted.period_year, counted.period_end)
            status, reason = "resolved", None
            if period is None:
                status, reason = "unresolved", "không xác định được kỳ báo cáo của số liệu"
            other = _other_unit(clause, ctx)
            if other is None and sentence_other and _level_before(clause, len(clause)) is None:
                other = sentence_other  # "… của tỉnh là 6.452.318 triệu đồng; đã giải ngân …"
            if other:
                status, reason = "unresolved", f"số liệu của đơn vị khác ({other})"
                level = "province" if other == "tỉnh" else None
                sentence_other = other
            if status_of_count is not None:
                status, reason = status_of_count
            unit = fig.unit or ""
            value = n.value * 1000 if unit == "money_billion" else n.value
            if _is_count(measure) and value != value.to_integral_value():
                if not re.fullmatch(r"\d{1,3}(?:,\d{3})+", n.text):
                    previous.append((fig, None))
                    prev_end = max(fig.unit_end, n.end)
                    continue  # a count with decimals is no count: not read rather than misread
                value = Decimal(n.text.replace(",", ""))  # "58,053 hồ sơ": English grouping
            value_text = n.text
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
            claims.extend(_implied(claims[-1], clause, folded[n.end : s_end]))
            previous.append((fig, measure))
            prev_end = max(fig.unit_end, n.end)
        if periods:
            paragraph_period = periods[-1][2]
        lv = _level_before(s_folded, len(s_folded))
        paragraph_level = lv or paragraph_level
    return claims


_RESPECTIVELY = re.compile(r"tuong\s+ung|lan\s+luot")


def _levels_in_order(text: str) -> list[str]:
    """The levels a text names, in the order it names them, each once."""
    found = sorted((m.start(), name) for name, rx in _LEVELS for m in rx.finditer(text))
    return list(dict.fromkeys(name for _, name in found))


_FIELD = re.compile(r"\blinh\s+vuc\s+(.+?)\s*(?:\b(?:cua|co|la|tai)\b.*)?:?\s*$")


def _field_of(clause: str, original: str) -> str | None:
    """The field (lĩnh vực) a dossier figure is about when its clause names one ("lĩnh vực
    đất đai 62 hồ sơ"): such a figure is a part, not the unit's total."""
    cut = max(clause.rfind(";"), clause.rfind("("), clause.rfind(":"))
    own = clause[cut + 1 :]
    m = _FIELD.search(own)
    if not m or re.search(r"\d", m.group(1)):
        return None
    start = cut + 1
    return "lĩnh vực " + original[start + m.start(1) : start + m.end(1)].strip(" ,")


def _counted_claim(
    claims: list[Claim], previous: list[tuple[_Figure, str | None]], measure: str
) -> Claim | None:
    """The count claim a rate continues (the figure just before it in the sentence)."""
    if not previous or not claims or previous[-1][1] is None:
        return None
    last = claims[-1]
    if last.char_start != previous[-1][0].number.start or _RATE_OF_COUNT.get(last.measure or "") != measure:
        return None
    return last


def _is_count(measure: str | None) -> bool:
    from narratives.claims import measures

    known = measures().get(measure or "")
    return known is not None and known.kind == "count"


def _implied(claim: Claim, clause: str, rest: str) -> list[Claim]:
    """A received total the sentence says was all resolved ("đã tiếp nhận và giải quyết 3.579
    hồ sơ, tất cả hồ sơ đều được giải quyết …") is also the resolved figure."""
    if claim.measure != "dossiers_received" or not re.search(r"tiep\s+nhan\s+va\s+giai\s+quyet", clause):
        return []
    if re.search(
        r"(?:tat\s+ca|toan\s+bo|100%)\s+(?:\w+\s+){0,3}(?:deu\s+)?(?:duoc\s+|da\s+)?giai\s+quyet", rest[:120]
    ):
        return [replace(claim, measure="dossiers_resolved")]
    return []


def _figure_period(
    n: Number,
    periods: list[tuple[int, int, PeriodRef]],
    comparisons: list[tuple[int, int, PeriodRef]],
    all_periods: list[tuple[int, int, PeriodRef]],
    paragraph_period: PeriodRef | None,
    index: int,
    ctx: _Context,
    paragraph_periods: list[PeriodRef | None],
    folded: str,
    fig: _Figure,
) -> PeriodRef | None:
    """The nearest period the sentence states before the figure, else after it, else the
    paragraph's, the list introduction's, the report's. A figure that a comparison period
    qualifies ("76 biên chế giảm còn 75" after "so với năm 2022") is of that period."""
    compared = [p for a, b, p in comparisons if b <= n.start]
    if compared and re.match(
        r"\s*(?:\w+\s+){0,2}(?:giam|tang)\s+(?:xuong\s+|len\s+)?(?:con|len)\s+\d", folded[fig.unit_end :]
    ):
        return compared[-1]
    before_p = [p for a, b, p in periods if b <= n.start]
    after_p = [p for a, b, p in periods if a >= n.end]
    if before_p:
        return before_p[-1]
    if after_p:
        return after_p[0]
    if paragraph_period is not None:
        return paragraph_period
    return _inherited_period(index, ctx, paragraph_periods)


def _classify(
    fig: _Figure,
    clause: str,
    sentence_left: str,
    sentence: str,
    after: str,
    unit_after: str,
    intro: str,
    previous: list[tuple[_Figure, str | None]],
    ctx: _Context,
    folded: str,
    paragraph: str,
) -> tuple[str | None, str | None, Decimal | None]:
    n = fig.number
    unit = fig.unit or ""
    if unit == "percent":
        return _classify_rate(clause, previous, sentence_left, unit_after), None, None
    if unit.split(":")[-1] in ("cases", "people", "other") and (
        respondents := _survey_respondents(folded, fig, sentence, clause)
    ):
        max_value = _max_of(folded, paragraph, n) if unit.startswith("fraction") else None
        return respondents, None, max_value
    if (counted := _count_of_rate_before(clause, unit, previous)) is not None:
        # "đạt tỷ lệ 98,5% (1.970/2.000 hồ sơ)": the rate's own counts, in parentheses after it
        own = _classify(
            fig, clause, sentence_left, sentence, after, unit_after, intro, [], ctx, folded, paragraph
        )
        if own[0] is not None and _RATE_OF_COUNT.get(own[0]) == previous[-1][1]:
            return own
        max_value = _max_of(folded, paragraph, n) if unit.startswith("fraction") else None
        return counted, None, max_value
    if unit.startswith("fraction"):
        max_value = _max_of(folded, paragraph, n)
        inner = unit.split(":", 1)[1]
        bare_criterion = (
            not inner
            and re.search(r"\(\s*$", clause)
            and _is_criterion(sentence_left, folded[: n.start])
            and re.match(r"\s*\)", folded[fig.unit_end :])
        )  # "… đúng hạn (2,99/3,0)" under a criterion
        bare_area = (
            not inner
            and re.search(r"\blinh\s+vuc\s+(?:so\s+)?[1-8]\s*:\s*$", sentence_left)
            and re.search(r"\bdiem\b", sentence_left)
        )  # "…: 78,5/100 điểm (Lĩnh vực 1: 11/12; Lĩnh vực 2: 8,5/10; …)"
        if inner == "points" or (not inner and re.search(r"diem\W*$", clause)) or bare_criterion or bare_area:
            measure, category = _classify_points(clause, sentence_left, ctx, folded[: n.start])
            if measure == "par_criterion_points" and max_value is None:
                return None, None, None  # a criterion's weight, not its points
            return measure, category, max_value
        if inner == "cases" or (inner in ("people", "other") and _TRAINING.search(clause)):
            return _classify_training(clause, sentence_left, unit_after), None, max_value
        if inner == "other":
            return _classify_inspection(sentence_left, folded, fig), None, max_value
        if inner in ("dossiers", "forms", "tasks"):
            return (
                _classify_count(clause, inner, sentence_left, unit_after, folded[: n.start], ctx.par_report),
                None,
                max_value,
            )
        return None, None, None
    if unit == "points":
        max_value = _max_of(folded, paragraph, n)
        measure, category = _classify_points(clause, sentence_left, ctx, folded[: n.start])
        if measure == "par_criterion_points" and max_value is None:
            return None, None, None  # "(1,0 điểm)": a criterion's weight, not its points
        return measure, category, max_value
    if unit in ("cases", "people") and (training := _classify_training(clause, sentence_left, unit_after)):
        return training, None, None
    if unit == "cases":
        return None, None, None
    if unit == "other":
        return _classify_inspection(sentence_left, folded, fig), None, None
    if unit in ("money", "money_billion"):
        if source := _plan_source(clause, paragraph, n.start, previous):
            return "disbursement_plan", source, None  # "(vốn ngân sách tỉnh 198.420 triệu đồng, …)"
        return _classify_money(clause if clause.strip(" ,;:") else sentence_left, sentence_left), None, None
    labelled = re.fullmatch(
        r"\s*[(,;]?\s*(can\s+bo|cong\s+chuc|vien\s+chuc|hop\s+dong(?:\s+lao\s+dong)?)\s*:?\s*", clause
    )
    if not unit and labelled and previous and previous[-1][1] in ("staff_quota", "staff_actual"):
        # "hiện có 20 người (cán bộ 10, công chức 10)": the label before the number
        return previous[-1][1], _staff_category(labelled.group(1)), None
    by_level = re.fullmatch(
        r"\s*[(,;]?\s*cap\s+(?:tinh|huyen|xa|thanh\s+pho|thi\s+xa|phuong)\s*:?\s*", clause
    )
    if not unit and by_level and previous and _is_count(previous[-1][1]):
        return previous[-1][1], None, None  # "118 thủ tục (cấp tỉnh 104, cấp huyện 10, cấp xã 04)"
    by_channel = re.fullmatch(
        r"\s*[(,;:]?\s*(?:trong\s+do\s*:?\s*)?(?:(?:ho\s+so\s+)?(?:nop\s+|tiep\s+nhan\s+)?(?:qua\s+)?"
        r"(?:dich\s+vu\s+)?(truc\s+tuyen|truc\s+tiep|bcci|buu\s+chinh(?:\s+cong\s+ich)?))\s*:?\s*",
        clause,
    )
    if not unit and by_channel and previous and previous[-1][1] in ("dossiers_received", "dossiers_new"):
        # "tiếp nhận 2.345 hồ sơ (trực tuyến 1.200, trực tiếp 1.100, qua BCCI 45)": parts by channel
        channel, _ = _last_match(by_channel.group(1), _CHANNELS)
        return channel, None, None
    if (
        not unit
        and by_channel
        and previous
        and previous[-1][1] in ("dossiers_online", "dossiers_postal", "dossiers_in_person")
    ):
        channel, _ = _last_match(by_channel.group(1), _CHANNELS)
        return channel, None, None  # the next part of the same list
    if unit in ("quota", "people") or (not unit and _QUOTA_BEFORE.search(clause)):
        measure, category = _classify_staff(
            clause,
            unit or None,
            sentence_left,
            intro,
            folded[: n.start],
            _unit_words(folded, n.end, fig.unit_end),
        )
        own = re.split(r";", sentence_left)[-1]
        if (
            measure == "staff_actual"
            and not _ACTUAL_WORDS.search(own)
            and re.match(r"[^;.\d]{0,70}?,\s*(?:hien\s+)?(?:co\s+mat|hien\s+co)\s+\d", unit_after)
        ):
            # "…; 1.356 người làm việc trong các đơn vị sự nghiệp, có mặt 1.318 viên chức": the
            # figure before "có mặt" is the quota the actual staff is set against
            measure = "staff_quota"
        return measure, category, None
    if unit in ("dossiers", "forms", "tasks", "procedures", ""):
        measure = _classify_count(
            clause, unit or None, sentence_left, unit_after, folded[: n.start], ctx.par_report
        )
        return measure, None, None
    return None, None, None


# the count a rate is computed from (its numerator), for a count stated after the rate
_NUMERATOR_OF_RATE = {
    "rate_resolved": "dossiers_resolved",
    "rate_on_time": "dossiers_resolved_early_or_on_time",
    "rate_late": "dossiers_resolved_late",
    "rate_online": "dossiers_online",
    "rate_postal": "dossiers_postal",
    "satisfaction_rate": "survey_satisfied",
    "disbursement_rate": "disbursed",
    "plan_tasks_rate": "plan_tasks_done",
    "training_rate": "training_done",
}
_UNIT_OF_NUMERATOR = {
    "dossiers_resolved": ("dossiers", ""),
    "dossiers_resolved_early_or_on_time": ("dossiers", ""),
    "dossiers_resolved_late": ("dossiers", ""),
    "dossiers_online": ("dossiers", ""),
    "dossiers_postal": ("dossiers", ""),
    "survey_satisfied": ("forms", ""),
    "disbursed": ("money", "money_billion"),
    "plan_tasks_done": ("tasks", ""),
    "training_done": ("cases", "people"),
}


def _count_of_rate_before(clause: str, unit: str, previous: list[tuple[_Figure, str | None]]) -> str | None:
    """The numerator measure of the rate stated right before, for a count in parentheses after
    it ("đạt tỷ lệ 98,5% (1.970/2.000 hồ sơ)", "tỷ lệ hài lòng 96% (480/500 phiếu)") whose
    unit is the numerator's; ``None`` otherwise."""
    if not previous or previous[-1][0].unit != "percent" or previous[-1][1] not in _NUMERATOR_OF_RATE:
        return None
    if not re.fullmatch(r"\s*\(\s*(?:tuong\s+ung|voi|gom|la)?\s*:?\s*", clause):
        return None
    numerator = _NUMERATOR_OF_RATE[previous[-1][1]]  # type: ignore[index]
    base = unit.split(":", 1)[1] if unit.startswith("fraction:") else unit
    return numerator if base in _UNIT_OF_NUMERATOR[numerator] else None


def _classify_rate(
    clause: str, previous: list[tuple[_Figure, str | None]], sentence_left: str, after: str
) -> str | None:
    subject, _ = _last_match(clause, _RATE_SUBJECTS)
    if subject == "plan_tasks_rate" and not re.match(r"\s*(?:ke\s+hoach|nhiem\s+vu)", after):
        subject = None
    if subject is None and previous and _RATE_CONTINUES.search(clause):
        _fig, measure = previous[-1]
        if measure in _RATE_OF_COUNT:
            return _RATE_OF_COUNT[measure]
    if subject is None and re.search(r"\b(?:chiem|dat)\b", clause) and re.search(r"ho\s+so", clause):
        counted, _ = _last_match(re.split(r"[;(]", clause)[-1], _DOSSIER_QUALIFIERS)
        if counted in _RATE_OF_COUNT:
            return _RATE_OF_COUNT[counted]  # "số hồ sơ quá hạn chiếm 0,84%"
    if subject is None and previous and previous[-1][0].unit == "percent" and previous[-1][1]:
        bare = re.sub(
            r"\b(?:va|cua|dat|la|rieng|con|tai|o|doi\s+voi|tuong\s+ung|cap\s+(?:huyen|xa|tinh|thanh\s+pho|thi\s+xa))\b"
            r"|[,;%\s]",
            "",
            clause,
        )
        if not bare:  # "… của cấp huyện đạt 99,24%, của cấp xã đạt 99,94%": the same rate again
            return previous[-1][1]
    if (
        subject is None
        and re.search(r"\bhoan\s+thanh\b", _own_clause(clause))
        and any(m in ("plan_tasks_done", "plan_tasks_total") for _f, m in previous)
    ):
        return "plan_tasks_rate"  # "đã hoàn thành 14 nhiệm vụ, …; tỷ lệ hoàn thành đạt 53,85%"
    if (
        subject is None
        and re.match(r"\s*(?:ke\s+hoach)\b", after)
        and re.search(r"ke\s+hoach\s+(?:cai\s+cach\s+hanh\s+chinh|cchc)", sentence_left)
    ):
        return "plan_tasks_rate"
    if subject in ("rate_online", "rate_postal") and not re.search(r"ho\s+so", clause):
        return None
    return subject


# the words of the PAR self-assessment's total ("tổng điểm", "tự đánh giá", "tự chấm đạt")
_POINTS_TOTAL = re.compile(r"tong\s+(?:so\s+)?diem|tu\s+danh\s+gia|tu\s+cham(?:\s+diem)?|tong\s+cong")

_CRITERION = re.compile(r"tieu\s+chi\s+(?:thanh\s+phan\s+)?(?:so\s+)?\(?(\d+(?:\.\d+)*)")
_AREA_WORDS = re.compile(r"\b(?:linh\s+vuc|chi\s+so|tong\s+(?:so\s+)?diem|tu\s+danh\s+gia)\b")


def _criterion_of(paragraph_left: str, ctx: _Context) -> str | None:
    """The criterion a figure's points are about, as "<area>.<criterion>": the last numbered
    "tiêu chí" before it ("Tiêu chí 1.1", "tiêu chí (6)" in area 1's section → "1.6")."""
    numbered = _CRITERION.findall(paragraph_left)
    if not numbered:
        return None
    number = numbered[-1]
    if "." in number:
        return number
    return f"{ctx.area}.{number}" if ctx.area else None


def _is_criterion(sentence_left: str, paragraph_left: str) -> bool:
    """Points of a criterion: "tiêu chí" named before them in the sentence with no area or
    total word after it, or earlier in the paragraph with none in the sentence."""
    at = [m.end() for m in re.finditer(r"tieu\s+chi", sentence_left)]
    if at:
        return not _AREA_WORDS.search(sentence_left[at[-1] :])
    return bool(re.search(r"tieu\s+chi", paragraph_left)) and not _AREA_WORDS.search(sentence_left)


def _classify_points(
    clause: str, sentence_left: str, ctx: _Context, paragraph_left: str = ""
) -> tuple[str | None, str | None]:
    """Points of the PAR self-assessment: the total ("tự đánh giá đạt 57,96 điểm/ 70 điểm"),
    an area's ("Chỉ số này ước đạt 13,91/16,50 điểm" in the area's section, "Lĩnh vực 1. …:
    ước đạt …"); a criterion's points ("tiêu chí (1) … (1,6/ 2,0 điểm)") are not an area's."""
    if _is_criterion(sentence_left, paragraph_left or sentence_left):
        # a criterion's points ("Tiêu chí 1.1 …(1,6/ 2,0 điểm)"): the criterion as the category
        return "par_criterion_points", _criterion_of(paragraph_left or sentence_left, ctx)
    if re.search(r"tieu\s+chi", clause) or re.search(r"tieu\s+chi", sentence_left[-80:]):
        return None, None
    own = re.split(r";|trong\s+do", sentence_left)[-1]
    listed, _ = _last_match(own, _AREA_NAMES)
    if listed and own != sentence_left:
        return "par_points", listed  # "…, trong đó: công tác chỉ đạo, điều hành 14/15 điểm; …"
    total_at = max((m.end() for m in _POINTS_TOTAL.finditer(sentence_left)), default=-1)
    numbered = list(re.finditer(r"\blinh\s+vuc\s+(?:so\s+)?([1-8])\b", sentence_left))
    if (
        numbered
        and numbered[-1].start() >= total_at
        and numbered[-1].start() >= len(sentence_left) - len(own)
    ):
        # "Kết quả tự đánh giá …: Lĩnh vực 1 đạt 9,25/10 điểm": the area named after the total's words
        return "par_points", numbered[-1].group(1)
    if listed and total_at >= 0 and re.search(r"(?:\b(?:uoc\s+)?dat|:)\s*$", clause):
        named_at = max(m.start() for _name, rx in _AREA_NAMES for m in rx.finditer(own))
        if named_at + len(sentence_left) - len(own) >= total_at:
            return "par_points", listed  # "Tổng điểm tự đánh giá: cải cách thể chế đạt 6/7 điểm"
    if total_at >= 0:
        return "par_points_total", None
    if areas := re.findall(r"\blinh\s+vuc\s+(?:so\s+)?([1-8])\b", own):
        return "par_points", areas[-1]  # "Lĩnh vực 1 đạt 9,25/10 điểm; Lĩnh vực 2 đạt 4,5/6 điểm"
    if m := re.search(r"\blinh\s+vuc\s+(?:so\s+)?([1-8])\b", sentence_left):
        return "par_points", m.group(1)
    area_total = re.search(r"(?:chi\s+so|linh\s+vuc)\s+(?:nay|thanh\s+phan)\b", sentence_left)
    if ctx.area and area_total:
        return "par_points", ctx.area
    named, _ = _last_match(sentence_left, _AREA_NAMES)
    if named and re.search(r"\b(?:uoc\s+)?dat\s*$|:\s*$", clause):
        return "par_points", named
    return None, None


# --- breakdowns: which figures are the parts of a stated total --------------------------------

FAMILIES = {
    "dossiers": ("dossiers_",),
    "staff": ("staff_",),
    "survey": ("survey_",),
    "procedures": ("procedures_count", "online_services_count"),
    "disbursement": ("disbursement_plan",),  # the plan by funding source
}
_BREAKDOWN = re.compile(
    r"^[^0-9.;]{0,50}?(\(\s*)?\b(?:trong\s+do|cu\s+the|bao\s+gom|gom)\b\s*[,:]?"
    r"|^[\s*_]*(\()(?=[^0-9()]{2,40}:?\s*\d)"  # "12.345 hồ sơ (kỳ trước chuyển qua: 123 …)"
)
_PERCENT = re.compile(r"\d+(?:,\d+)?\s*%")


# Dossier measures as sets of disjoint components (for breakdowns: a part lies within its
# total; narratives.consistency checks the sums with the same table).
DOSSIER_COMPONENTS: dict[str, frozenset[str]] = {
    "dossiers_received": frozenset({"early", "on_time", "late", "not_due", "overdue"}),
    "dossiers_resolved": frozenset({"early", "on_time", "late"}),
    "dossiers_resolved_early_or_on_time": frozenset({"early", "on_time"}),
    "dossiers_resolved_early": frozenset({"early"}),
    "dossiers_resolved_on_time": frozenset({"on_time"}),
    "dossiers_resolved_late": frozenset({"late"}),
    "dossiers_pending": frozenset({"not_due", "overdue"}),
    "dossiers_pending_not_due": frozenset({"not_due"}),
    "dossiers_pending_overdue": frozenset({"overdue"}),
}
CHANNEL_COMPONENTS: dict[str, frozenset[str]] = {
    "dossiers_received": frozenset({"online", "postal", "in_person"}),
    "dossiers_online": frozenset({"online"}),
    "dossiers_postal": frozenset({"postal"}),
    "dossiers_in_person": frozenset({"in_person"}),
}
ORIGIN_COMPONENTS: dict[str, frozenset[str]] = {
    "dossiers_received": frozenset({"carried_in", "new"}),
    "dossiers_carried_in": frozenset({"carried_in"}),
    "dossiers_new": frozenset({"new"}),
}


def _within(total: str | None, part: str | None) -> bool:
    """A dossier figure can be a part of a dossier total (its components lie within)."""
    for table in (DOSSIER_COMPONENTS, CHANNEL_COMPONENTS, ORIGIN_COMPONENTS):
        if total in table and part in table and table[part] <= table[total] and part != total:  # type: ignore[index]
            return True
    return False


def family(measure: str | None) -> str | None:
    """The family of a count measure whose figures can be parts of one another."""
    if measure is None or measure.startswith("rate_") or measure.endswith("_rate"):
        return None
    for name, prefixes in FAMILIES.items():
        if measure.startswith(prefixes):
            return name
    return None


def _count_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    base = unit.split(":", 1)[1] if unit.startswith("fraction:") else unit
    return base if base in ("dossiers", "forms", "quota", "people", "procedures", "tasks") else None


def _breakdown_end(folded: str, start: int, paren: bool) -> int:
    """Where a breakdown that starts at ``start`` ends: its closing parenthesis, else the end
    of its sentence."""
    ends = [b for a, b in sentence_spans(folded) if a <= start < b]
    end = ends[0] if ends else len(folded)
    if paren:
        depth = 1
        for i in range(start, len(folded)):
            if folded[i] == "(":
                depth += 1
            elif folded[i] == ")":
                depth -= 1
                if depth == 0:
                    return i
    return end


def link_parts(paragraphs: list[str], claims: list[Claim]) -> list[Claim]:
    """Mark each figure that a breakdown lists as a part of its stated total ("X hồ sơ (trong
    đó …)", "X biên chế, cụ thể:" followed by the paragraphs that list the parts). A breakdown
    with a figure of the same unit that is not a claim is incomplete: its parts stay unlinked."""
    by_paragraph: dict[int, list[int]] = {}
    for i, c in enumerate(claims):
        by_paragraph.setdefault(c.paragraph, []).append(i)
    breakdowns: dict[int, tuple[list[tuple[int, int, int]], str | None]] = {}
    for p_index, members in by_paragraph.items():
        folded = fold_same_length(paragraphs[p_index])
        for i in members:
            parent = claims[i]
            if family(parent.measure) is None:
                continue
            unit, unit_end = _unit_after(folded, parent.char_end)
            if unit and unit.startswith("fraction"):
                continue
            gap = _PERCENT.sub(lambda m: " " * len(m.group(0)), folded[unit_end : unit_end + 90])
            m = _BREAKDOWN.match(gap)
            if not m:
                continue
            start = unit_end + m.end()
            paren = m.group(1) is not None or m.group(2) is not None
            rest = folded[start:].strip(" *_")
            if not rest and not paren:
                ranges = _continuation(paragraphs, p_index)
            else:
                ranges = [(p_index, start, _breakdown_end(folded, start, paren))]
            breakdowns[i] = (ranges, _count_unit(unit))
    out = list(claims)
    for i, (ranges, unit) in breakdowns.items():
        inside = _inside(claims, ranges, i)
        nested = {k for j in inside if j in breakdowns for k in _inside(claims, breakdowns[j][0], j)}
        _link(paragraphs, claims, out, i, [k for k in inside if k not in nested], inside, ranges, unit)
    return out


def _inside(claims: list[Claim], ranges: list[tuple[int, int, int]], parent: int) -> list[int]:
    return [
        k
        for k, c in enumerate(claims)
        if k != parent and any(c.paragraph == p and a <= c.char_start < b for p, a, b in ranges)
    ]


def _continuation(paragraphs: list[str], index: int) -> list[tuple[int, int, int]]:
    """The paragraphs that list the parts announced at the end of paragraph ``index``: the
    next one if it is not a list item, else the list items that follow."""
    out: list[tuple[int, int, int]] = []
    j = index + 1
    if j >= len(paragraphs):
        return out
    if not _is_list_item(paragraphs[j]):
        if not _is_heading(fold_same_length(paragraphs[j])):
            out.append((j, 0, len(paragraphs[j])))
        return out
    bullet = paragraphs[j].lstrip()[:1]
    while j < len(paragraphs) and _is_list_item(paragraphs[j]) and paragraphs[j].lstrip()[:1] == bullet:
        out.append((j, 0, len(paragraphs[j])))
        j += 1
    return out


def _link(
    paragraphs: list[str],
    claims: list[Claim],
    out: list[Claim],
    parent_index: int,
    direct: list[int],
    inside: list[int],
    ranges: list[tuple[int, int, int]],
    unit: str | None,
) -> None:
    parent = claims[parent_index]
    fam = family(parent.measure)
    parts = [k for k in direct if family(claims[k].measure) == fam]
    if fam == "dossiers":
        if parent.measure == "dossiers_pending":  # "đang giải quyết …, trong đó … quá hạn 15"
            for k in parts:
                if claims[k].measure == "dossiers_resolved_late":
                    claims[k] = out[k] = replace(claims[k], measure="dossiers_pending_overdue")
        # the breakdown ends at the first figure that cannot be a part of the total
        kept: list[int] = []
        for k in parts:
            if not _within(parent.measure, claims[k].measure):
                break
            kept.append(k)
        parts = kept
    # every figure of the same unit inside the breakdown must be a claim
    if unit is not None:
        starts = {(claims[k].paragraph, claims[k].char_start) for k in inside}
        for p, a, b in ranges:
            text = paragraphs[p]
            folded = fold_same_length(text)
            skip = _skip_spans(folded)
            for number in find_numbers(text[a:b]):
                s, e = number.start + a, number.end + a
                if _in_spans(s, e, skip) or re.search(r"/\s*$", folded[max(0, s - 3) : s]):
                    continue
                if _count_unit(_unit_after(folded, e)[0]) == unit and (p, s) not in starts:
                    return  # a part that is not read: the breakdown cannot be checked
    if len(parts) < 2:
        return
    for k in parts:
        if out[k].part_of_paragraph is None:
            out[k] = replace(out[k], part_of_paragraph=parent.paragraph, part_of_start=parent.char_start)
