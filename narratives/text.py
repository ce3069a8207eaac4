"""Text helpers that keep character offsets: a folded copy of a paragraph has the same
length, so a match in the folded text points at the same characters in the original."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SUPERSCRIPTS:
        return "^"  # a footnote marker, never a digit
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else " "


def fold_same_length(text: str) -> str:
    """Lowercase, accents stripped (đ→d), footnote superscripts as ``^``; same length as
    ``text`` (NFC input), so offsets carry over."""
    return "".join(_fold_char(ch) for ch in text)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\s*_]+(?=[\"“(*_]*[A-ZĐÀ-Ỹ0-9+\-])|(?<=\.\))\s+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of the sentences of a paragraph (a period, ! or ? followed by
    a capital letter, a digit or a list mark starts a new sentence)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        if re.search(r"\b(?:TP|Tp|tp|v\.v|TT|St|Th|K|BC)\.$", before):
            continue  # an abbreviation, not a sentence end
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]
