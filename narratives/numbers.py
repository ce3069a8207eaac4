"""Numbers as Vietnamese reports write them, found in running text with their offsets.

``.`` groups thousands and ``,`` marks decimals (``58.053``, ``97,95%``, ``590.161,540``);
leading zeros are kept in the text and dropped in the value (``01`` → 1). A footnote marker
(``⁶`` or ``<sup>6</sup>``) is never part of a number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# a number not glued to letters or to other digits/separators on either side
NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w]|[.,]\d)")


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    text: str
    value: Decimal


def read_vi_number(text: str) -> Decimal:
    """``58.053`` → 58053, ``97,95`` → 97.95, ``590.161,540`` → 590161.540, ``01`` → 1."""
    return Decimal(text.replace(".", "").replace(",", "."))


_FOOTNOTE_MARKS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|<sup>\s*\d+\s*</sup>")


def find_numbers(text: str) -> list[Number]:
    """The numbers of ``text`` with their offsets; footnote markers are blanked first so
    that "58.053⁶" reads 58053."""
    text = _FOOTNOTE_MARKS.sub(lambda m: " " * len(m.group(0)), text)
    return [
        Number(m.start(1), m.end(1), m.group(1), read_vi_number(m.group(1))) for m in NUMBER.finditer(text)
    ]
