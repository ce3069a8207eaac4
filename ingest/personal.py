"""Personal data, declared once in ``ingest/config/personal.yaml``: which columns are
personal (names, phone numbers, e-mail, ID numbers, addresses, dates of birth, the free text
of a request) and which values look personal wherever they are.

* :func:`is_personal_label` tells a personal column by its header (the readers ignore such
  columns; the quarantine copies drop them).
* :func:`mask_text` masks the values that look personal in a text (error messages, kept
  cells): ``0912345678`` → ``09******78``, ``079203001234`` → ``07********34``,
  ``an.nguyen@example.vn`` → ``a***@***``, ``Số 12 đường Lê Lợi`` → ``***``.
* :func:`sql_mask` is the same masking as a DuckDB expression, for copies streamed by
  DuckDB (a record export of millions of rows never passes through Python).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yamlfiles
from ingest.text import fold, nfc

PERSONAL_PATH = Path(__file__).parent / "config" / "personal.yaml"


@dataclass(frozen=True)
class ValuePattern:
    """A value that looks personal: a regular expression (Python ``re`` in ASCII mode and
    RE2 alike) and its replacement (``\\1`` keeps a group)."""

    name: str
    pattern: str
    replacement: str
    #: times applied: a pattern that consumes the character after its match (RE2 has no
    #: look-ahead) is applied twice, for values written side by side ("0912…,0987…")
    passes: int = 1

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


@dataclass(frozen=True)
class PersonalSpec:
    #: folded header forms: a header equal to one, or starting with one and more words
    headers: dict[str, str]
    #: folded header forms without spaces (camel-case headers such as ``SoDienThoai``)
    compact: dict[str, str]
    #: folded word sequences personal anywhere in a header
    words: dict[str, str]
    #: folded word sequences removed before matching (signature lines)
    not_personal: tuple[str, ...]
    values: tuple[ValuePattern, ...]
    #: folded family names: a short capitalised text starting with one looks like a name
    family_names: frozenset[str] = frozenset()
    #: the family names as written (with accents), for the SQL pattern
    family_name_forms: tuple[str, ...] = ()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def _digit_patterns(low: int, high: int, keep: int) -> list[ValuePattern]:
    """A run of ``low`` to ``high`` digits (longest first), its first and last ``keep`` kept;
    letters may touch it ("L079203001234", "CCCD079203001234"), other digits may not."""
    return [
        ValuePattern(
            "digits",
            rf"(^|[^0-9])([0-9]{{{keep}}})[0-9]{{{n - 2 * keep}}}([0-9]{{{keep}}})([^0-9]|$)",
            rf"\1\2{'*' * (n - 2 * keep)}\3\4",
            passes=2,
        )
        for n in range(high, low - 1, -1)
    ]


@cache
def spec() -> PersonalSpec:
    """The declared personal fields and value patterns."""
    with open(PERSONAL_PATH, encoding="utf-8") as fh:
        raw = yamlfiles.load(fh) or {}
    headers: dict[str, str] = {}
    words: dict[str, str] = {}
    for field_name, forms in (raw.get("fields") or {}).items():
        for label in forms.get("headers") or []:
            headers.setdefault(fold(label), field_name)
        for label in forms.get("words") or []:
            words.setdefault(fold(label), field_name)
    values: list[ValuePattern] = []
    for item in raw.get("values") or []:
        if "digits" in item:
            low, high = item["digits"]
            values += _digit_patterns(int(low), int(high), int(item.get("keep", 2)))
        else:
            values.append(ValuePattern(item["name"], item["pattern"], item["replacement"]))
    return PersonalSpec(
        headers=headers,
        compact={k.replace(" ", ""): v for k, v in headers.items()},
        words=words,
        not_personal=tuple(fold(x) for x in raw.get("not_personal") or []),
        values=tuple(values),
        family_names=frozenset(fold(x) for x in raw.get("family_names") or []),
        family_name_forms=tuple(raw.get("family_names") or []),
    )


def personal_field(label: object) -> str | None:
    """The personal field (``name``, ``phone``, ``email``, ``id_number``, ``address``,
    ``birth_date``, ``free_text``) a column header names, or ``None``."""
    return _field_of_folded(fold(label))


@lru_cache(maxsize=1 << 14)
def _field_of_folded(words: str) -> str | None:
    if not words:
        return None
    s = spec()
    padded = f" {words} "
    for phrase in s.not_personal:
        padded = padded.replace(f" {phrase} ", " ")
    words = padded.strip()
    if not words:
        return None
    for label, field_name in s.words.items():
        if f" {label} " in padded:
            return field_name
    for label, field_name in s.headers.items():
        if words == label or words.startswith(label + " "):
            return field_name
    if " " not in words:  # one token: a camel-case header (SoDienThoai, NgaySinh)
        for label, field_name in s.compact.items():
            if words.startswith(label):
                return field_name
    return None


def is_personal_label(label: object) -> bool:
    """A header of a personal column (name, phone, e-mail, ID number, address, date of
    birth, the free text of a request), however long the header."""
    return personal_field(label) is not None


def mask_text(text: str) -> str:
    """``text`` with every value that looks personal masked (see the module docstring)."""
    if not isinstance(text, str) or not any(ch.isdigit() or ch == "@" for ch in text):
        return text  # every declared pattern holds a digit or an @
    out = nfc(text)
    for p in spec().values:
        for _ in range(p.passes):
            out = p.regex.sub(p.replacement, out)
    return out


def looks_personal(text: str) -> bool:
    """True when ``text`` holds a value that looks personal."""
    return bool(text) and mask_text(text) != nfc(text)


def looks_like_person_name(text: object) -> bool:
    """Two to five capitalised words, the first a declared family name ("Nguyễn Thị Mẫu
    Thử"): a person's name where a header or label was expected."""
    if not isinstance(text, str):
        return False
    words = nfc(text).split()
    if not 2 <= len(words) <= 5 or not all(w.isalpha() and w[0].isupper() for w in words):
        return False
    return fold(words[0]) in spec().family_names


def starts_with_person_name(text: object) -> bool:
    """The text's leading capitalised words (two to five) look like a person's name:
    "Hoàng Thị Mỹ Duyên 0791…"."""
    if not isinstance(text, str):
        return False
    lead: list[str] = []
    for word in nfc(text).split():
        if not (word.isalpha() and word[0].isupper()) or len(lead) == 5:
            break
        lead.append(word)
    return len(lead) >= 2 and looks_like_person_name(" ".join(lead))


def quotable(text: object) -> bool:
    """Whether a submitted text (a header label, a sheet name) may be quoted in a message:
    not when it holds a value that looks personal or starts like a person's name."""
    return not (isinstance(text, str) and (looks_personal(text) or starts_with_person_name(text)))


def mask_number(value: int | float) -> object:
    """A whole number of 9 to 12 digits (an ID or phone number typed as a number) as masked
    text; any other number unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value or value != int(value):
            return value
        value_int = int(value)
    else:
        value_int = int(value)
    digits = str(abs(value_int))
    if 9 <= len(digits) <= 12:
        return mask_text(digits)
    return value


NAME_MASK = "***"
_QUOTED = re.compile(r"""(['"])([^'"\n]{1,120})\1""")


#: a quoted plain number of 5 or 6 digits, a point and a fraction: an Excel date number
#: ('44986.3333333333') refused as a date. Its fraction is a run of 9 to 12 digits, yet no
#: phone or ID number is written after 5 digits and a point: such a quoted value is shown
#: as written, where the quotes are the message's own (a space or a bracket before, a space
#: or punctuation after: not quotes inside a quoted cell). A phone or ID number with a
#: shorter number and a point before it ('84.912345678') is masked as before.
_QUOTED_PLAIN_NUMBER = re.compile(r"""(?:^|(?<=[\s(]))(['"])[1-9][0-9]{4,5}\.[0-9]{1,12}\1(?=[\s),;:.]|$)""")


def mask_message(text: str) -> str:
    """A message as shown to users: values that look personal masked (:func:`mask_text`) and
    a quoted value that looks like a person's name hidden (``cannot read '…' as a date``:
    a shifted row put a name into a date column). A quoted plain number such as an Excel
    date number ('44986.3333333333') is shown as written."""
    if not isinstance(text, str):
        return text
    kept = _QUOTED_PLAIN_NUMBER.finditer(text)
    out, start = "", 0
    for m in kept:
        out += mask_text(text[start : m.start()]) + m[0]
        start = m.end()
    out += mask_text(text[start:])
    return _QUOTED.sub(lambda m: f"{m[1]}…{m[1]}" if starts_with_person_name(m[2].strip()) else m[0], out)


def mask_cell(value: object) -> object:
    """A kept cell: text masked, a cell that looks like a person's name replaced, ID-sized
    whole numbers masked, anything else unchanged."""
    if isinstance(value, str):
        return NAME_MASK if looks_like_person_name(value.strip()) else mask_text(value)
    if isinstance(value, (int, float)):
        return mask_number(value)
    return value


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_mask(expr: str) -> str:
    """A DuckDB expression masking the values of the text expression ``expr`` that look
    personal, the same way as :func:`mask_text`. Patterns are the declared constants, never
    submitted text."""
    out = expr
    for p in spec().values:
        for _ in range(p.passes):
            out = f"regexp_replace({out}, {_sql_literal(p.pattern)}, {_sql_literal(p.replacement)}, 'g')"
    is_name = f"regexp_full_match(nfc_normalize(trim({expr})), {_sql_literal(_name_pattern())})"
    return f"(case when {is_name} then '{NAME_MASK}' else {out} end)"


@cache
def _name_pattern() -> str:
    """:func:`looks_like_person_name` as an RE2 pattern (a whole cell, NFC)."""
    names = "|".join(sorted((nfc(n) for n in spec().family_name_forms), key=len, reverse=True))
    return rf"(?:{names})(?: \p{{Lu}}\p{{Ll}}*){{1,4}}"
