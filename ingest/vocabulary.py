"""The vocabulary of submissions (``ingest/vocabulary.yaml``), declared once and read here:
authority levels and the section rows that set them, channels, dossier statuses, online
levels, ratings, booleans, staff categories, and the dossier measures with the words a
form's header uses for them.

A dossier header column is understood by composing its labels (:func:`dossier_measure`):
each label, top to bottom, is cut into the longest known phrases (a stage such as "đã giải
quyết", qualifiers such as "quá hạn", neutral words such as "trong đó"), and the deepest
stage with every qualifier found picks the measure from the ``compose`` table. No list of
whole header texts is kept.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yamlfiles
from ingest.text import fold

VOCABULARY_PATH = Path(__file__).parent / "vocabulary.yaml"
#: the dbt project, whose seeds and vars hold the vocabulary dbt reads too (issue 17)
DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
UNIT_KINDS_SEED = DBT_PROJECT_DIR / "seeds" / "unit_kinds.csv"


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: its code, labels, accepted words and portal codes."""

    code: str
    en: str
    vi: str
    words: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


#: vocabularies declared as vars of dbt_project/dbt_project.yml (dbt reads them too)
DBT_VAR_SECTIONS = ("staff_categories",)


@cache
def _dbt_vars() -> dict:
    with open(DBT_PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as fh:
        return dict(yamlfiles.load(fh).get("vars") or {})


@cache
def _spec() -> dict:
    with open(VOCABULARY_PATH, encoding="utf-8") as fh:
        spec = yamlfiles.load(fh)
    for section in DBT_VAR_SECTIONS:
        spec[section] = _dbt_vars()[section]
    return spec


def _terms(section: str) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for code, entry in (_spec().get(section) or {}).items():
        out[str(code)] = Term(
            code=str(code),
            en=str(entry.get("en", code)),
            vi=str(entry.get("vi", code)),
            words=tuple(str(w) for w in entry.get("words") or ()),
            codes=tuple(str(c) for c in entry.get("codes") or ()),
        )
    return out


@cache
def terms(section: str) -> dict[str, Term]:
    """The terms of one vocabulary: ``authority_levels``, ``channels``, ``dossier_statuses``,
    ``online_levels``, ``citizen_ratings``, ``booleans``, ``staff_categories``,
    ``dossier_measures``."""
    if section not in _spec():
        raise KeyError(f"no vocabulary {section!r} in {VOCABULARY_PATH.name}")
    return _terms(section)


def _word_key(value: object) -> str:
    """The key a word or a cell is compared by: its folded form, or, for a symbol that folds
    to nothing (a tick "✓", a dash "-"), the symbol itself trimmed: a symbol matches only
    the symbol declared, never any other punctuation."""
    folded = fold(value)
    if folded or value is None:
        return folded
    return str(value).strip()


@cache
def _word_index(section: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for term in terms(section).values():
        for word in (term.code, term.vi, term.en, *term.words):
            key = _word_key(word)
            if key:
                index.setdefault(key, term.code)
    return index


def lookup(section: str, value: object) -> str | None:
    """The code of a cell value in one vocabulary (folded match; a symbol such as "✓" by
    itself), or ``None``."""
    key = _word_key(value)
    return _word_index(section).get(key) if key else None


@cache
def _code_index(section: str) -> dict[str, str]:
    return {c: term.code for term in terms(section).values() for c in term.codes}


def by_portal_code(section: str, value: object) -> str | None:
    """The term of a portal code (``KenhThucHien`` 2 → ``truc_tuyen``, ``TrangThaiHoSo`` 7 →
    ``withdrawn``); numbers written ``2.0`` count as ``2``."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return _code_index(section).get(text)


def code_of(section: str, value: object) -> str | None:
    """The code of a cell an export writes either way: the portal's numeric code first
    (:func:`by_portal_code`), then the words (:func:`lookup`); ``None`` when unknown."""
    return by_portal_code(section, value) or lookup(section, value)


def channel_when_blank() -> str:
    return str(_spec()["channel_when_blank"])


def label(section: str, code: str, lang: str = "vi") -> str:
    term = terms(section)[code]
    return term.vi if lang == "vi" else term.en


# --- unit kinds and the reorganisation date (declared in the dbt project) ------------------


@cache
def _unit_kinds() -> tuple[dict[str, str], ...]:
    with open(UNIT_KINDS_SEED, encoding="utf-8", newline="") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh))


def kind_levels() -> dict[str, str]:
    """Unit kind → the authority level of the dossiers it resolves itself (``province`` →
    ``tinh``, ``district`` → ``huyen``, ``commune`` → ``xa``), from the seed
    ``dbt_project/seeds/unit_kinds.csv`` (dbt: ``reference.unit_kinds``)."""
    return {row["unit_kind"]: row["authority_level"] for row in _unit_kinds()}


def scored_levels() -> dict[str, str]:
    """Unit kind → the authority level its rankings read for dossier and survey indicators
    (``province`` → ``all``: a province is scored on all its levels together)."""
    return {row["unit_kind"]: row["scored_level"] for row in _unit_kinds()}


@cache
def reorganisation_date() -> date:
    """The day the 2025 reorganisation of administrative units took effect (legacy units
    before it, current units from it): the var ``reorganisation_date`` of
    ``dbt_project/dbt_project.yml``."""
    return date.fromisoformat(str(_dbt_vars()["reorganisation_date"]))


# --- authority levels and section rows ---------------------------------------------------


@cache
def _section_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, entry in _spec()["authority_levels"].items():
        for phrase in entry.get("sections") or ():
            index[fold(phrase)] = str(code)
    return index


def section_level(text: object) -> str | None:
    """The level a section row opens ("Sở ban ngành" → tinh, "Xã, phường, thị trấn" → xa,
    "II. Cấp huyện" → huyen, "Cấp xã (xã, phường, thị trấn)" → xa); ``None`` for any other
    text ("Xã Phương Thịnh" is a commune, not a section). A leading Roman numeral, letter or
    number ("I.", "B -", "2)"), "UBND" and a note in brackets are allowed."""
    if text is None:
        return None
    words = fold(_BRACKETS.sub(" ", str(text))).split()
    while words and (_is_ordinal(words[0])):
        words = words[1:]
    if words[:1] == ["ubnd"]:
        words = words[1:]
    elif words[:4] == ["uy", "ban", "nhan", "dan"]:
        words = words[4:]
    return _section_index().get(" ".join(words))


_BRACKETS = re.compile(r"\([^)]*\)")


def _is_ordinal(word: str) -> bool:
    return word in {"i", "ii", "iii", "iv", "v", "vi", "a", "b", "c", "d"} or word.isdigit()


# --- money units ------------------------------------------------------------------------


@cache
def _money_units() -> list[tuple[tuple[str, ...], Decimal]]:
    out = []
    for entry in _spec()["money_units"].values():
        scale = Decimal(str(entry["scale"]))
        for word in (entry["vi"], *entry.get("words", ())):
            out.append((tuple(fold(word).split()), scale))
    return sorted((u for u in out if u[0]), key=lambda u: -len(u[0]))


def money_scale(text: object) -> Decimal | None:
    """Millions of VND in one unit a text names as a whole ("đồng" → 0.000001, "Triệu
    đồng" → 1, "tỷ đồng" → 1000); ``None`` when it names no money unit."""
    words = tuple(fold(text).split())
    return next((scale for phrase, scale in _money_units() if phrase == words), None)


def money_scale_in_label(text: object) -> Decimal | None:
    """The money unit a column header states in brackets or at its end: "Kế hoạch vốn
    (đồng)", "Giải ngân, triệu đồng"."""
    raw = str(text or "")
    for inner in re.findall(r"\(([^)]*)\)", raw):
        scale = money_scale(inner)
        if scale is not None:
            return scale
    words = tuple(fold(raw).split())
    for phrase, scale in _money_units():
        if len(phrase) >= 2 and words[-len(phrase) :] == phrase:
            return scale
    return None


# --- staff categories ---------------------------------------------------------------------


@cache
def _staff_words() -> tuple[list[tuple[tuple[str, ...], str]], list[tuple[tuple[str, ...], str]]]:
    spec = _spec()["staff_category_words"]

    def phrases(section: dict) -> list[tuple[tuple[str, ...], str]]:
        out = [(tuple(fold(w).split()), str(code)) for code, words in section.items() for w in words]
        return sorted((p for p in out if p[0]), key=lambda p: -len(p[0]))

    return phrases(spec["kinds"]), phrases(spec["sectors"])


def _find_phrases(words: list[str], phrases: list[tuple[tuple[str, ...], str]]) -> list[str]:
    found: list[str] = []
    i = 0
    while i < len(words):
        for phrase, code in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(code)
                i += len(phrase)
                break
        else:
            i += 1
    return found


def staff_category(text: object) -> str | None:
    """A staff category from free text: "Công chức" → cong_chuc, "Viên chức - Giáo dục và Đào
    tạo" and "Viên chức sự nghiệp GD&ĐT" → vien_chuc_giao_duc, "Hợp đồng theo NĐ 111" →
    hop_dong, a sector alone ("Y tế") → viên chức of it. ``None`` when the words name no
    category or name two (e.g. "Cán bộ, công chức")."""
    exact = lookup("staff_categories", text)
    if exact:
        return exact
    kinds_phrases, sector_phrases = _staff_words()
    words = fold(str(text).replace("&", " ")).split()
    kinds = set(_find_phrases(words, kinds_phrases))
    sectors = set(_find_phrases(words, sector_phrases))
    if len(kinds) > 1:
        return None
    kind = next(iter(kinds), None)
    if kind in ("can_bo", "cong_chuc", "hop_dong"):
        return kind
    if len(sectors) > 1:
        return None
    if kind == "vien_chuc" or (kind is None and sectors):
        return next(iter(sectors), "vien_chuc_khac")
    return None


# --- dossier header columns ---------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMeaning:
    """What the labels of one header column say."""

    stage: str | None
    qualifiers: frozenset[str]
    is_rate: bool
    stage_phrase: str | None  # the folded phrase that gave the stage
    is_not_count: bool = False  # a date, code or note column

    @property
    def empty(self) -> bool:
        return self.stage is None and not self.qualifiers


@cache
def _header_phrases() -> list[tuple[tuple[str, ...], str, str]]:
    """(folded words, kind, concept), longest first. kind: stage, qualifier, neutral, rate."""
    spec = _spec()["dossier_header"]
    out: list[tuple[tuple[str, ...], str, str]] = []
    for stage, words in spec["stages"].items():
        out += [(tuple(fold(w).split()), "stage", str(stage)) for w in words]
    for qualifier, words in spec["qualifiers"].items():
        out += [(tuple(fold(w).split()), "qualifier", str(qualifier)) for w in words]
    out += [(tuple(fold(w).split()), "neutral", "") for w in spec["neutral"]]
    out += [(tuple(fold(w).split()), "rate", "") for w in spec["rate"]]
    out += [(tuple(fold(w).split()), "not_count", "") for w in spec["not_counts"]]
    return sorted((p for p in out if p[0]), key=lambda p: -len(p[0]))


def read_labels(labels: list[str] | tuple[str, ...]) -> ColumnMeaning:
    """Stage and qualifiers named by a column's labels (top to bottom); the deepest stage
    wins (a sub-label refines its group)."""
    phrases = _header_phrases()
    stage: str | None = None
    stage_phrase: str | None = None
    qualifiers: set[str] = set()
    is_rate = is_not_count = False
    for text in labels:
        if "%" in str(text):
            is_rate = True
        words = fold(text).split()
        i = 0
        while i < len(words):
            for phrase, kind, concept in phrases:
                if tuple(words[i : i + len(phrase)]) == phrase:
                    if kind == "stage":
                        stage, stage_phrase = concept, " ".join(phrase)
                    elif kind == "qualifier":
                        qualifiers.add(concept)
                    elif kind == "rate":
                        is_rate = True
                    elif kind == "not_count":
                        is_not_count = True
                    i += len(phrase)
                    break
            else:
                i += 1
    return ColumnMeaning(stage, frozenset(qualifiers), is_rate, stage_phrase, is_not_count)


@cache
def _compose() -> dict[tuple[str, frozenset[str]], str]:
    return {
        (str(stage), frozenset(str(q) for q in quals)): str(measure)
        for stage, quals, measure in _spec()["dossier_header"]["compose"]
    }


def compose(stage: str | None, qualifiers: frozenset[str]) -> str | None:
    """The measure of a stage with qualifiers, or ``None`` when the table has no entry.
    A qualifier without a stage takes its default stage."""
    spec = _spec()["dossier_header"]
    if stage is None:
        defaults = {spec["default_stage"].get(q) for q in qualifiers} - {None}
        if len(defaults) != 1:
            return None
        stage = str(next(iter(defaults)))
    table = _compose()
    if (stage, qualifiers) in table:
        return table[(stage, qualifiers)]
    droppable = frozenset(spec["droppable"])
    return table.get((stage, qualifiers - droppable))


def dossier_measure(labels: list[str] | tuple[str, ...]) -> str | None:
    """The dossier measure of a header column from its labels, top to bottom; ``None`` when
    they name none (or a rate)."""
    meaning = read_labels(labels)
    if meaning.empty or meaning.is_rate or meaning.is_not_count:
        return None
    return compose(meaning.stage, meaning.qualifiers)


def includes_carried_in(labels: list[str] | tuple[str, ...]) -> bool:
    """Whether a received column is stated "for handling" (Biểu II.06a: Số hồ sơ nhận giải
    quyết, Tổng số), which includes what was carried in when the form has that column."""
    meaning = read_labels(labels)
    phrases = {fold(p) for p in _spec()["dossier_header"]["received_total_stages"]}
    return meaning.stage == "received" and meaning.stage_phrase in phrases


def measure_label(measure: str, lang: str = "vi") -> str:
    return label("dossier_measures", measure, lang)


DOSSIER_MEASURES: tuple[str, ...] = tuple(_spec()["dossier_measures"])
