"""Header detection and column matching against the alias files in ``ingest/aliases/``.

The header is the row (or pair of rows, for two-row grouped headers with merged cells)
among the first rows of a sheet that matches the most aliases. Matching folds both sides
(:func:`ingest.text.fold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

from ingest.text import clean, fold, is_blank

ALIAS_DIR = Path(__file__).parent / "aliases"
CONFIG_DIR = Path(__file__).parent / "config"
AGGREGATED_FAMILIES = ("dossiers", "staff", "budget", "surveys")
FAMILIES = ("dossiers", "dossier_records", "staff", "budget", "surveys")
HEADER_SCAN_ROWS = 30
MIN_SPECIFIC_MATCHES = 2
_TOTAL_SUBS = {"tong", "tong so", "cong", "tong cong", "so luong", "so hs"}
_QUESTION = re.compile(r"^cau\s*(\d{1,2})\b")
_PERSONAL_TOKENS = re.compile(r"\b(cccd|cmnd|sdt|email|e mail|dtdd)\b")


@dataclass(frozen=True)
class AliasSet:
    family: str
    lookup: dict[str, str]  # folded label -> canonical column
    specific: frozenset[str]  # canonical columns that identify this family
    groups: frozenset[str]  # folded group labels whose sub-labels only match combined
    ignore: frozenset[str]
    values: dict[str, dict[str, str]]  # column -> folded value -> canonical value
    required: tuple[str, ...] = ()


def _read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _values(spec: dict) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for column, mapping in (spec or {}).items():
        folded: dict[str, str] = {}
        for canonical, labels in mapping.items():
            canonical = str(canonical)
            folded[fold(canonical)] = canonical
            for label in labels or []:
                folded[fold(label)] = canonical
        out[column] = folded
    return out


@cache
def load_aliases(family: str) -> AliasSet:
    """Alias set of a family; aggregated families include ``common.yaml``."""
    spec = _read_yaml(ALIAS_DIR / f"{family}.yaml")
    own = spec.get("columns", {})
    columns: dict[str, list[str]] = {}
    ignore: set[str] = set()
    if family in AGGREGATED_FAMILIES:
        common = _read_yaml(ALIAS_DIR / "common.yaml")
        columns.update(common.get("columns", {}))
        ignore |= {fold(x) for x in common.get("ignore", [])}
    columns.update(own)
    lookup: dict[str, str] = {}
    for canonical, labels in columns.items():
        for label in [canonical, *(labels or [])]:
            lookup.setdefault(fold(label), canonical)
    common_cols = set(_read_yaml(ALIAS_DIR / "common.yaml").get("columns", {}))
    specific = frozenset(c for c in own if c not in common_cols)
    return AliasSet(
        family=family,
        lookup=lookup,
        specific=specific,
        groups=frozenset(fold(g) for g in spec.get("groups", [])),
        ignore=frozenset(ignore),
        values=_values(spec.get("values", {})),
        required=tuple(spec.get("required", [])),
    )


@dataclass(frozen=True)
class Question:
    number: int
    code: str
    label: str
    is_overall: bool


@lru_cache(maxsize=1)
def survey_questions() -> dict[int, Question]:
    spec = _read_yaml(CONFIG_DIR / "survey_questions.yaml")
    return {
        int(q["number"]): Question(
            int(q["number"]), str(q["code"]), str(q["label"]), bool(q.get("is_overall", False))
        )
        for q in spec.get("questions", [])
    }


@lru_cache(maxsize=1)
def _personal_labels() -> frozenset[str]:
    spec = _read_yaml(ALIAS_DIR / "surveys.yaml")
    return frozenset(fold(x) for x in spec.get("personal", []))


def is_personal_label(label: object) -> bool:
    """A header of a personal column (name, phone, address, e-mail, ID number …)."""
    return _is_personal_folded(fold(label))


@lru_cache(maxsize=1 << 14)
def _is_personal_folded(words: str) -> bool:
    if not words:
        return False
    if _PERSONAL_TOKENS.search(words):
        return True
    return any(words == p or words.startswith(p + " ") for p in _personal_labels())


def lookup_value(family: str, column: str, value: object) -> str | None:
    """Canonical value of a categorical cell (``None`` if the value is unknown)."""
    return load_aliases(family).values.get(column, {}).get(fold(value))


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class HeaderMatch:
    family: str
    header_rows: tuple[int, ...]  # 0-based indices of the header rows in the sheet
    columns: dict[str, int]  # canonical column -> 0-based column index
    labels: dict[int, str]  # column index -> header as written ("group / sub")
    questions: dict[str, int] = field(default_factory=dict)  # question code -> index
    personal: list[int] = field(default_factory=list)
    specific: int = 0
    total: int = 0

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    def column_name(self, canonical: str) -> str | None:
        idx = self.columns.get(canonical)
        return None if idx is None else self.describe(idx)

    def describe(self, index: int) -> str:
        label = self.labels.get(index)
        return f"{col_letter(index)} ({label})" if label else col_letter(index)


def _cell_text(value: object) -> str:
    return "" if is_blank(value) else clean(value)


def _labels(rows: list[tuple], r: int, double: bool) -> dict[int, tuple[str, str]]:
    """Column index -> (group label, sub label); single rows have an empty group."""
    top = rows[r]
    if not double:
        return {i: ("", _cell_text(v)) for i, v in enumerate(top) if not is_blank(v)}
    sub = rows[r + 1]
    width = max(len(top), len(sub))
    out: dict[int, tuple[str, str]] = {}
    group, group_has_sub = "", False
    for i in range(width):
        g = _cell_text(top[i]) if i < len(top) else ""
        s = _cell_text(sub[i]) if i < len(sub) else ""
        if g:
            group, group_has_sub = g, bool(s)
        elif s and group_has_sub:
            g = group  # merged group cell: only the top-left cell holds the text
        if g or s:
            out[i] = (g, s)
    return out


def _match_label(aliases: AliasSet, group: str, sub: str) -> str | None:
    fg, fs = fold(group), fold(sub)
    if not fg:
        return aliases.lookup.get(fs)
    if not fs:
        return aliases.lookup.get(fg)
    combined = aliases.lookup.get(f"{fg} {fs}")
    if combined:
        return combined
    if fg in aliases.groups:
        return None
    if fs in _TOTAL_SUBS:
        return aliases.lookup.get(fg)
    return aliases.lookup.get(fs)


@lru_cache(maxsize=1 << 16)
def _is_personal_header(group: str, sub: str) -> bool:
    return is_personal_label(sub) or (is_personal_label(group) and not sub)


@lru_cache(maxsize=1 << 16)
def _match_family_label(family: str, group: str, sub: str) -> str | None:
    # header scans try every row × reading × family: the same texts recur
    return _match_label(load_aliases(family), group, sub)


@lru_cache(maxsize=1 << 16)
def _question_code(group: str, sub: str) -> str | None:
    for text in (sub, group):
        m = _QUESTION.match(fold(text))
        if m:
            q = survey_questions().get(int(m.group(1)))
            if q:
                return q.code
    return None


def _evaluate(
    family: str,
    rows: list[tuple],
    r: int,
    double: bool,
    row_labels: dict[int, tuple[str, str]] | None = None,
) -> HeaderMatch:
    aliases = load_aliases(family)
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    questions: dict[str, int] = {}
    personal: list[int] = []
    if row_labels is None:
        row_labels = _labels(rows, r, double)
    for i, (g, s) in sorted(row_labels.items()):
        labels[i] = f"{g} / {s}" if g and s else (g or s)
        if _is_personal_header(g, s):
            personal.append(i)
            continue
        canonical = _match_family_label(family, g, s)
        if canonical and canonical not in columns:
            columns[canonical] = i
            continue
        if family == "surveys":
            code = _question_code(g, s)
            if code and code not in questions:
                questions[code] = i
    specific = sum(1 for c in columns if c in aliases.specific) + len(questions)
    return HeaderMatch(
        family=family,
        header_rows=(r, r + 1) if double else (r,),
        columns=columns,
        labels=labels,
        questions=questions,
        personal=personal,
        specific=specific,
        total=len(columns) + len(questions),
    )


def find_header(rows: list[tuple], families: tuple[str, ...] = FAMILIES) -> HeaderMatch | None:
    """Best header among the first rows for the given families, or ``None``."""
    best: HeaderMatch | None = None
    limit = min(len(rows), HEADER_SCAN_ROWS)
    for r in range(limit):
        if all(is_blank(v) for v in rows[r]):
            continue
        for double in (False, True):
            if double and r + 1 >= len(rows):
                continue
            row_labels = _labels(rows, r, double)  # shared by every family's reading
            for family in families:
                m = _evaluate(family, rows, r, double, row_labels)
                if m.specific < MIN_SPECIFIC_MATCHES:
                    continue
                # on a tie the single-row reading wins: a title row above a one-row header
                # must not become a "group" row
                key = (m.specific, m.total, len(m.header_rows) == 1)
                if best is None or key > (best.specific, best.total, len(best.header_rows) == 1):
                    best = m
    return best
