"""Header detection and column matching.

A sheet's header is a block of 1 to 4 rows (title rows may sit above it, a numbering row
and the data below it). Each column's meaning is read from its *labels*, top to bottom: a
merged group cell counts for every column it spans (the sheet's merged ranges where the
file has them, otherwise a group cell continues to the right over the columns that have
sub-labels under it), and repeated labels count once.

* Columns shared by the aggregated families (unit, province, period, level, field) and the
  columns of staff, budget, surveys and record exports are matched against the alias lists
  in ``ingest/aliases/`` (folded: case, accents, punctuation and spacing do not matter).
* Dossier count columns are understood by composing their labels with the vocabulary
  (:func:`ingest.vocabulary.dossier_measure`): "Số lượng hồ sơ đã giải quyết" over "Quá
  hạn" is ``resolved_late``; "đang giải quyết" over "Quá hạn" is ``pending_overdue``.

The best reading (start row, number of header rows, family) is the one that maps the most
family-specific columns, then the most columns, then uses the fewest rows. Every non-empty
header column that is not mapped is kept in :attr:`HeaderMatch.ignored`, so the load can
say what it did not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yamlfiles
from ingest import personal, vocabulary
from ingest.text import clean, fold, is_blank

ALIAS_DIR = Path(__file__).parent / "aliases"
CONFIG_DIR = Path(__file__).parent / "config"
AGGREGATED_FAMILIES = ("dossiers", "staff", "budget", "surveys")
#: ``dossier_status_history`` stands before ``dossier_records``: a header that both read
#: equally well (a dossier id, a status and one more column) is a history, since a history
#: is never read from a header with a channel or a reception date (its ``excluded_by``)
#: and a record export without them is refused anyway (they are its required columns)
FAMILIES = (
    "dossiers",
    "dossier_status_history",
    "dossier_records",
    "staff",
    "budget",
    "surveys",
    "self_assessment",
    "published_index_results",
    "procedure_catalogue",
)
HEADER_SCAN_ROWS = 30
MAX_HEADER_ROWS = 4
MIN_SPECIFIC_MATCHES = 2
_TOTAL_SUBS = {"tong", "tong so", "cong", "tong cong", "so luong", "so hs"}
#: sub-labels that say "the amount of the group above" ("Giải ngân / Số tiền")
_AMOUNT_SUBS = {"so tien", "gia tri", "so von", "kinh phi"}
_QUESTION = re.compile(r"^cau\s*(\d{1,2})\b")
_NUMERIC_TEXT = re.compile(r"^[+\-\u2212]?\d[\d.,]*\s*%?$")
_DASHES = {"-", "–", "—", "--"}
#: why a recognised column without data (STT, Ghi chú) is not loaded (English, Vietnamese)
KNOWN_IGNORED = ("recognised, holds no data", "cột nhận biết, không chứa số liệu")
#: a merged range: first row, first column, last row, last column (0-based, inclusive)
Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class AliasSet:
    family: str
    lookup: dict[str, str]  # folded label -> canonical column
    specific: frozenset[str]  # canonical columns that identify this family
    groups: frozenset[str]  # folded group labels whose sub-labels only match combined
    ignore: frozenset[str]
    required: tuple[str, ...] = ()
    #: columns a reading must map to be this family at all (``needs`` in the YAML)
    needs: tuple[str, ...] = ()
    #: (other family, its columns): a header with a column that reads as one of them is not
    #: this family (``excluded_by``: a procedure catalogue never has a dossier id)
    excluded_by: tuple[tuple[str, frozenset[str]], ...] = ()


def _read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yamlfiles.load(fh) or {}


@cache
def load_aliases(family: str) -> AliasSet:
    """Alias set of a family; aggregated families include ``common.yaml``."""
    spec = _read_yaml(ALIAS_DIR / f"{family}.yaml")
    own = spec.get("columns", {}) or {}
    columns: dict[str, list[str]] = {}
    ignore: set[str] = set()
    common = _read_yaml(ALIAS_DIR / "common.yaml")
    if family in AGGREGATED_FAMILIES:
        columns.update(common.get("columns", {}))
        ignore |= {fold(x) for x in common.get("ignore", [])}
    columns.update(own)
    ignore |= {fold(x) for x in spec.get("ignore", []) or []}  # a family's own (record exports)
    lookup: dict[str, str] = {}
    for canonical, labels in columns.items():
        for label in [canonical, *(labels or [])]:
            lookup.setdefault(fold(label), canonical)
    common_cols = set(common.get("columns", {}))
    specific = frozenset(c for c in own if c not in common_cols)
    if spec.get("identifying"):  # the columns that tell the family apart (not STT, Ghi chú)
        specific = frozenset(spec["identifying"])
    if family == "dossiers":
        specific = specific | frozenset(vocabulary.DOSSIER_MEASURES)
    return AliasSet(
        family=family,
        lookup=lookup,
        specific=specific,
        groups=frozenset(fold(g) for g in spec.get("groups", [])),
        ignore=frozenset(ignore),
        required=tuple(spec.get("required", [])),
        needs=tuple(spec.get("needs", []) or ()),
        excluded_by=tuple(
            (str(other), frozenset(columns)) for other, columns in (spec.get("excluded_by") or {}).items()
        ),
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


def is_personal_label(label: object) -> bool:
    """A header of a personal column (name, phone, address, e-mail, ID number …), as
    declared once in ``ingest/config/personal.yaml`` (see :mod:`ingest.personal`)."""
    return personal.is_personal_label(label)


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
    labels: dict[int, str]  # column index -> labels as written ("group / sub")
    questions: dict[str, int] = field(default_factory=dict)  # question code -> index
    personal: list[int] = field(default_factory=list)
    specific: int = 0
    total: int = 0
    #: non-empty header columns that map to nothing: index -> why (English, Vietnamese)
    ignored: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: ignored columns that are known not to hold data (STT, Ghi chú)
    known_ignored: set[int] = field(default_factory=set)
    #: column index -> its labels, top to bottom
    paths: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: stated rates (checksums, never loaded): rate name -> column index
    rates: dict[str, int] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    def column_name(self, canonical: str) -> str | None:
        idx = self.columns.get(canonical)
        if idx is None:
            idx = self.rates.get(canonical)
        return None if idx is None else self.describe(idx)

    def describe(self, index: int) -> str:
        """``C (Tổng số)``: the column and its label; a label that looks personal (a data
        row taken for a header) is not quoted: ``C (…)``."""
        label = self.labels.get(index)
        if not label:
            return col_letter(index)
        return f"{col_letter(index)} ({label})" if personal.quotable(label) else f"{col_letter(index)} (…)"

    def column_map(self) -> str:
        """What the reader took each column for, in sheet order: ``C (Tổng số) → received_total``."""
        taken = {i: c for c, i in self.columns.items()}
        taken.update({i: f"{c} (stated rate)" for c, i in self.rates.items()})
        taken.update({i: c for c, i in self.questions.items()})
        return "; ".join(f"{self.describe(i)} → {taken[i]}" for i in sorted(taken))


# --- header blocks --------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    return "" if is_blank(value) else clean(value)


def is_numeric_cell(value: object) -> bool:
    """A number, or text that is only a number ("58.053", "91,33%") or a dash for none."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and (bool(_NUMERIC_TEXT.match(value.strip())) or value.strip() in _DASHES)


def _is_data_like(row: Sequence) -> bool:
    return any(is_numeric_cell(v) for v in row) or is_numbering_row(row)


_NUMBERING = re.compile(r"^\(?([0-9]{1,3}|[a-zA-Z])\)?(?:\s*=.*)?$")


def is_numbering_row(cells: Sequence) -> bool:
    """The "(1) (2) (3)", "1 2 3 … 13", "A | B | (1)=(2)+(3) | (2)" or "A B C D …" row that
    forms and exports put under the header. Letters alone must be a run (A, B, C …, three
    or more, one case): a record's cells are never all single letters in a row."""
    tokens = [str(v).strip() for v in cells if not is_blank(v)]
    if len(tokens) < 3:
        return False
    nums: list[int] = []
    letters: list[str] = []
    for t in tokens:
        m = _NUMBERING.match(t)
        if not m:
            return False
        if m.group(1).isdigit():
            nums.append(int(m.group(1)))
        elif nums:
            return False
        else:
            letters.append(m.group(1))
    if not nums:  # letters alone: a run of one case
        if not (all(x.isupper() for x in letters) or all(x.islower() for x in letters)):
            return False
        return [ord(x) for x in letters] == list(range(ord(letters[0]), ord(letters[0]) + len(letters)))
    return len(nums) >= 2 and nums == list(range(nums[0], nums[0] + len(nums)))


def _filled_block(rows: list[tuple], r: int, depth: int, merges: Sequence[Merge]) -> list[list[str]]:
    """The header block's cell texts, merged ranges filled with their top-left text, other
    blank group cells continued from the left over the columns with sub-labels below."""
    block = rows[r : r + depth]
    width = max(len(row) for row in block)
    grid = [[_cell_text(row[c]) if c < len(row) else "" for c in range(width)] for row in block]
    covered = [[False] * width for _ in range(depth)]
    for top, left, bottom, right in merges:
        if bottom < r or top > r + depth - 1 or left >= width:
            continue
        source = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        text = _cell_text(source)
        for i in range(max(top, r), min(bottom, r + depth - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                covered[i - r][c] = True
                if text:
                    grid[i - r][c] = text
    for k in range(depth - 1):  # every row but the last can hold group cells
        current = ""
        current_parent: tuple[str, ...] = ()
        for c in range(width):
            parent = tuple(grid[j][c] for j in range(k))
            if grid[k][c]:
                current, current_parent = grid[k][c], parent
                continue
            below = any(grid[j][c] for j in range(k + 1, depth))
            if covered[k][c] or not below or not current or parent != current_parent:
                current = "" if not below else current
                continue
            grid[k][c] = current
    return grid


def column_paths(
    rows: list[tuple], r: int, depth: int, merges: Sequence[Merge] = ()
) -> dict[int, tuple[str, ...]]:
    """Column index -> its labels top to bottom (repeats removed) for a header block."""
    grid = _filled_block(rows, r, depth, merges)
    paths: dict[int, tuple[str, ...]] = {}
    for c in range(len(grid[0]) if grid else 0):
        path: list[str] = []
        for i in range(depth):
            text = grid[i][c]
            if text and (not path or fold(path[-1]) != fold(text)):
                path.append(text)
        if path:
            paths[c] = tuple(path)
    return paths


# --- matching -------------------------------------------------------------------------------


_BRACKETED = re.compile(r"\([^)]*\)")
_DATE_TAIL = re.compile(r"\s+(?:(?:tinh )?den(?: ngay)?|tai(?: thoi diem)?|nam)\s+[\d\s]+$")


def _alias_key(text: str) -> str:
    """A label as alias lists write it: without a bracketed note or unit ("Kế hoạch vốn
    (đồng)") and without a date or year at its end ("Số có mặt đến 30/6/2023")."""
    return _DATE_TAIL.sub("", fold(_BRACKETED.sub(" ", text))).strip()


def _match_alias(aliases: AliasSet, path: tuple[str, ...]) -> str | None:
    found = _match_alias_folded(aliases, [fold(p) for p in path])
    if found is None:
        found = _match_alias_folded(aliases, [_alias_key(p) for p in path])
    return found


def _match_alias_folded(aliases: AliasSet, folded: list[str]) -> str | None:
    joined = " ".join(folded)
    if joined in aliases.lookup:
        return aliases.lookup[joined]
    if len(folded) >= 2:
        pair = f"{folded[-2]} {folded[-1]}"
        if pair in aliases.lookup:
            return aliases.lookup[pair]
        if any(f in aliases.groups for f in folded[:-1]):
            return None
        if folded[-1] in _TOTAL_SUBS or folded[-1] in _AMOUNT_SUBS:
            return aliases.lookup.get(folded[-2])
    return aliases.lookup.get(folded[-1])


def _is_field_label(path: tuple[str, ...]) -> bool:
    return fold(path[-1]).startswith("linh vuc") or fold(path[0]).startswith("linh vuc")


@lru_cache(maxsize=1 << 16)
def _question_code(path: tuple[str, ...]) -> str | None:
    for text in reversed(path):
        m = _QUESTION.match(fold(text))
        if m:
            q = survey_questions().get(int(m.group(1)))
            if q:
                return q.code
    return None


_RATE_OF = {
    "resolved_early_or_on_time": "on_time_rate",
    "resolved_on_time": "on_time_rate",
    "resolved_late": "late_rate",
    "resolved": "resolution_rate",
}


def _dossier_rate(path: tuple[str, ...]) -> str | None:
    meaning = vocabulary.read_labels(path)
    if not meaning.is_rate or meaning.is_not_count:
        return None
    measure = vocabulary.compose(meaning.stage, meaning.qualifiers)
    return _RATE_OF.get(measure or "")


@lru_cache(maxsize=1 << 16)
def _classify_column(family: str, path: tuple[str, ...]) -> tuple[str, str]:
    """(kind, name): kind is ``column``, ``rate``, ``question``, ``personal``, ``known`` (a
    recognised column without data, e.g. STT) or ``none``."""
    if any(is_personal_label(p) for p in path):
        return "personal", ""
    aliases = load_aliases(family)
    if any(fold(p) in aliases.ignore for p in path):
        return "known", ""
    if family == "dossiers":
        if _is_field_label(path):
            return "column", "field"
        common = _match_alias(aliases, path)
        if common:
            return "column", common
        rate = _dossier_rate(path)
        if rate:
            return "rate", rate
        measure = vocabulary.dossier_measure(path)
        return ("column", measure) if measure else ("none", "")
    canonical = _match_alias(aliases, path)
    if canonical and canonical.endswith("_rate"):
        return "rate", canonical
    if canonical:
        return "column", canonical
    if family == "surveys":
        code = _question_code(path)
        if code:
            return "question", code
    return "none", ""


def _stage_from_the_left(taken: dict[int, tuple[str, str]], paths: dict[int, tuple[str, ...]]) -> None:
    """A flat header lists a stage, then its parts: "Đã giải quyết | Đúng hạn | Trễ hạn |
    Đang giải quyết | Chưa đến hạn | Quá hạn". A part without a stage of its own that reads
    as a measure already taken (the second "Quá hạn") takes the stage of the nearest column
    to its left that names one."""
    seen: set[str] = set()
    stage: str | None = None
    for i in sorted(taken):
        kind, name = taken[i]
        meaning = vocabulary.read_labels(paths[i])
        if meaning.stage is not None:
            stage = meaning.stage
        if kind != "column":
            continue
        if name in seen and meaning.stage is None and stage is not None:
            again = vocabulary.compose(stage, meaning.qualifiers)
            if again and again not in seen:
                taken[i] = ("column", again)
                name = again
        seen.add(name)


def _evaluate(family: str, paths: dict[int, tuple[str, ...]], header_rows: tuple[int, ...]) -> HeaderMatch:
    aliases = load_aliases(family)
    m = HeaderMatch(family=family, header_rows=header_rows, columns={}, labels={}, paths=paths)
    taken: dict[int, tuple[str, str]] = {}
    for i, path in sorted(paths.items()):
        m.labels[i] = " / ".join(path)
        taken[i] = _classify_column(family, path)
    if family == "dossiers":
        carried_groups = {paths[i][:-1] for i, t in taken.items() if t == ("column", "carried_in")}
        for i, (kind, name) in taken.items():
            if carried_groups and (kind, name) == ("column", "received"):
                meaning = vocabulary.read_labels(paths[i])
                # "Số hồ sơ nhận giải quyết / Tổng số", or a total under the same group as
                # the carried-in column ("Tiếp nhận: Tổng | Kỳ trước chuyển sang | …"): the
                # total for handling, carried in included
                sibling = "total" in meaning.qualifiers and paths[i][:-1] in carried_groups - {()}
                if "new" not in meaning.qualifiers and (vocabulary.includes_carried_in(paths[i]) or sibling):
                    taken[i] = ("column", "received_total")
        _stage_from_the_left(taken, paths)
    for i, (kind, name) in sorted(taken.items()):
        if kind == "personal":
            m.personal.append(i)
        elif kind == "known":
            m.ignored[i] = KNOWN_IGNORED
            m.known_ignored.add(i)
        elif kind == "column" and name not in m.columns:
            m.columns[name] = i
        elif kind == "rate" and name not in m.rates:
            m.rates[name] = i
        elif kind == "question" and name not in m.questions:
            m.questions[name] = i
        elif kind in ("column", "rate", "question"):
            first = m.describe({**m.columns, **m.rates, **m.questions}[name])
            m.ignored[i] = (f"same meaning as column {first}", f"trùng nghĩa với cột {first}")
        else:
            m.ignored[i] = ("not understood", "không xác định được nội dung cột")
    m.specific = sum(1 for c in m.columns if c in aliases.specific) + len(m.questions)
    m.total = len(m.columns) + len(m.questions)
    if not all(c in m.columns for c in aliases.needs) or _excluded(aliases, paths):
        m.specific = 0  # not this family, however many of its columns it names
    return m


def _excluded(aliases: AliasSet, paths: dict[int, tuple[str, ...]]) -> bool:
    """Whether a header names a column that rules its family out (``excluded_by``)."""
    return any(
        _classify_column(other, path) in {("column", c) for c in columns}
        for other, columns in aliases.excluded_by
        for path in paths.values()
    )


_TITLE_KEY = re.compile(
    r"^(?:don vi|ky|thoi gian|so lieu|bieu|mau|ngay|noi nhan|kinh gui|dvt|tinh|thanh pho|huyen|xa"
    r"|phuong|co quan|nguoi lap|dia chi)\b"
)
_TITLE_START = re.compile(r"^(?:bieu so|bieu|mau so|mau|phu luc|don vi tinh|dvt|ky bao cao|ngay)\b")


def _is_title_row(row: Sequence) -> bool:
    """A title-block line, never the first row of a header: "Đơn vị báo cáo: …", "Kỳ báo
    cáo: …", "Biểu số II.06a/VPCP/KSTT", "Năm 2018"."""
    from ingest.periods import find_period_in_text

    texts = [clean(v) for v in row if not is_blank(v)]
    if any(_TITLE_KEY.match(fold(t.partition(":")[0])) for t in texts if ":" in t.rstrip(":")):
        return True
    if len(texts) != 1:
        return False
    text = fold(texts[0])
    return bool(_TITLE_START.match(text)) or (
        find_period_in_text(texts[0]) is not None and len(text.split()) <= 6
    )


def _leaves_header_rows_out(
    rows: list[tuple], first: int, last: int, m: HeaderMatch, merges: Sequence[Merge]
) -> bool:
    """Whether a reading leaves out a header row of its columns: the first non-blank row
    under it has text (not numbers) in the columns it mapped (a sub-label row), or the row
    right above it is a group row over a mapped column (not a title: one cell, in the
    first column or across the whole table)."""
    specific = load_aliases(m.family).specific
    mapped = [i for c, i in m.columns.items() if c in specific]
    for row in rows[last + 1 : last + 4]:
        if all(is_blank(v) for v in row):
            continue
        if is_numbering_row(row):
            break
        if any(i < len(row) and not is_blank(row[i]) and not is_numeric_cell(row[i]) for i in mapped):
            return True
        break
    if first > 0 and not _is_data_like(rows[first - 1]) and not _is_title_row(rows[first - 1]):
        cells = [i for i, v in enumerate(rows[first - 1]) if not is_blank(v)]
        filled = _filled_block(rows, first - 1, 1, merges)[0]
        width = max(m.paths) + 1 if m.paths else 0
        # a title: one cell, in the first column or spanning the whole table
        spans = [(c0, c1) for r0, c0, _, c1 in merges if cells and r0 == first - 1 and c0 == cells[0]]
        left, right = spans[0] if spans else (cells[0] if cells else 0,) * 2
        is_title = len(cells) == 1 and (left == 0 or (left <= min(m.paths) and right >= width - 1))
        if cells and not is_title:
            return any(i < len(filled) and filled[i] for i in mapped)
    return False


def closest_header(
    rows: list[tuple], families: tuple[str, ...] = FAMILIES, merges: Sequence[Merge] = ()
) -> HeaderMatch | None:
    """The reading that understands the most columns, however few: what a message about a
    file without a recognisable header can point at."""
    return find_header(rows, families, merges, minimum=1)


def find_header(
    rows: list[tuple],
    families: tuple[str, ...] = FAMILIES,
    merges: Sequence[Merge] = (),
    start: int = 0,
    minimum: int = MIN_SPECIFIC_MATCHES,
) -> HeaderMatch | None:
    """Best header among the first rows from ``start`` for the given families, or ``None``.

    Readings are compared by the family-specific columns they map, then all the columns
    they map, then whether they leave a group or sub-label row out, then the fewest
    header rows (a title row above a one-row header must not become a "group" row)."""
    best: HeaderMatch | None = None
    best_key: tuple = ()
    limit = min(len(rows), start + HEADER_SCAN_ROWS)
    for r in range(start, limit):
        if all(is_blank(v) for v in rows[r]) or _is_data_like(rows[r]) or _is_title_row(rows[r]):
            continue
        for depth in range(1, MAX_HEADER_ROWS + 1):
            last = r + depth - 1
            if last >= len(rows):
                break
            if depth > 1 and (_is_data_like(rows[last]) or all(is_blank(v) for v in rows[last])):
                break
            paths = column_paths(rows, r, depth, merges)
            for family in families:
                m = _evaluate(family, paths, tuple(range(r, r + depth)))
                if m.specific < minimum:
                    continue
                key = (m.specific, m.total, not _leaves_header_rows_out(rows, r, last, m, merges), -depth)
                if best is None or key > best_key:
                    best, best_key = m, key
    return best
