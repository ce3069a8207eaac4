"""The numbering of outlined tables, rubrics (docs/rubrics.md, "Numbering") and
self-assessment tables alike: what a row's STT says about its place in the tree.

``I``, ``II`` … are areas, ``1``, ``2`` … criteria, ``1.1`` / ``3.3.1`` / ``a`` … sub-criteria,
``-`` / ``+`` / ``•`` components (a bullet of another kind under a bullet is a component of
it: ``+`` under ``-``); ``Lĩnh vực I`` / ``Lĩnh vực 1`` is an area; ``Tổng cộng`` is the stated
total; an empty STT continues the row above. Pure functions: the reader of rubrics and the
reader of self-assessment tables (which number their rows the same way) share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from ingest.text import fold, nfc


class Level(IntEnum):
    """A node's depth: an area is 1, a component 4."""

    AREA = 1
    CRITERION = 2
    SUB_CRITERION = 3
    COMPONENT = 4


@dataclass(frozen=True)
class Ordinal:
    """What one STT cell says: a node of ``level`` numbered ``number`` within its parent
    (``None`` for a component's bullet), the stated total, or nothing (a continuation)."""

    label: str
    level: Level | None = None
    number: int | None = None
    is_total: bool = False

    @property
    def is_node(self) -> bool:
        return self.level is not None


_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ARABIC = re.compile(r"^\(?(\d{1,3})\)?[.)]?$")
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")
_LETTER = re.compile(r"^\(?([a-zđ])\)?[.)]?$")
_BULLETS = frozenset("-+•–—*·")
_TOTAL_WORDS = ("tong", "tong cong", "tong diem", "tong so", "cong", "total")
#: "Tổng số điểm (I+II+…+VIII)", "TỔNG ĐIỂM TỰ ĐÁNH GIÁ", "Cộng:": a total, by its first words
_TOTAL_LABEL = re.compile(
    r"^(?:tong cong|tong so diem|tong diem|tong so|tong|cong|total)"
    r"(?:\s+(?:diem|chi so|cchc|tu danh gia|tu cham|tham dinh|cong|[ivxl]+|\d+))*$"
)
#: "Lĩnh vực I", "LĨNH VỰC 2": an area however it is numbered
_AREA_PREFIX = re.compile(r"^linh vuc\s+(\S+)$")
# Vietnamese lists run a, b, c, d, đ, e …: đ is a letter of its own
_LETTERS = "abcdđefghijklmnopqrstuvwxyz"


def roman_value(text: str) -> int | None:
    """``"VIII"`` → 8; ``None`` when ``text`` is not a Roman numeral."""
    word = text.strip().lower()
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for i, ch in enumerate(word):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[word[i + 1]] if i + 1 < len(word) else 0
        total += -value if value < following else value
    return total


def read_ordinal(cell: object) -> Ordinal:
    """The :class:`Ordinal` of an STT cell (a number typed as text or read as a number)."""
    if cell is None:
        return Ordinal("")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    label = nfc(str(cell)).strip()
    text = label.rstrip(".:)").strip() if label not in _BULLETS else label
    if not text:
        return Ordinal(label)
    if text in _BULLETS:
        return Ordinal(label, Level.COMPONENT)
    if fold(text) in _TOTAL_WORDS or is_total_label(text):
        return Ordinal(label, is_total=True)
    area = _AREA_PREFIX.match(fold(text))
    if area:
        number = roman_value(area[1].upper()) or (int(area[1]) if area[1].isdigit() else None)
        return Ordinal(label, Level.AREA, number) if number else Ordinal(label)
    roman = roman_value(text)
    if roman is not None and text.isupper():
        return Ordinal(label, Level.AREA, roman)
    arabic = _ARABIC.match(text)
    if arabic:
        return Ordinal(label, Level.CRITERION, int(arabic[1]))
    if _DOTTED.match(text):
        parts = [int(p) for p in text.rstrip(".").split(".")]
        return Ordinal(label, Level.SUB_CRITERION, parts[-1])
    letter = _LETTER.match(text.lower())
    if letter:  # a single letter is a letter (c is the third, not a hundred)
        return Ordinal(label, Level.SUB_CRITERION, _LETTERS.index(letter[1]) + 1)
    if roman is not None:  # a lowercase Roman numeral: ii, iii … numbering sub-criteria
        return Ordinal(label, Level.SUB_CRITERION, roman)
    return Ordinal(label)


def is_total_label(text: object) -> bool:
    """``Tổng cộng``, ``TỔNG ĐIỂM``, ``Tổng số điểm (I+II+…+VIII)``: a stated total's label
    (and not a criterion's name such as "Tổng hợp …" or "Công tác …")."""
    return bool(_TOTAL_LABEL.match(fold(nfc(str(text or "")))))


def dotted_parts(label: str) -> tuple[int, ...]:
    """The numbers of a dotted STT (``"3.3.1"`` → ``(3, 3, 1)``); empty when not dotted."""
    text = label.strip().rstrip(".")
    return tuple(int(p) for p in text.split(".")) if _DOTTED.match(text) else ()


@dataclass(frozen=True)
class Placed:
    """Where a numbered row sits: its code, its parent's code and its depth (1 = area)."""

    code: str
    parent_code: str | None
    level: int


@dataclass
class _OpenNode:
    code: str
    level: int
    ordinal: Ordinal
    children: int = 0


class Outline:
    """Places numbered rows in a tree as they come, the way decisions and self-assessment
    tables number them: ``I``, ``II`` areas with ``1``, ``2`` criteria under them, or (a table
    without Roman numerals) ``1``, ``2`` areas; a dotted number under the row whose number
    is its prefix (``3.3.1`` under ``3.3``, ``1.1`` under criterion ``1``, or under area ``I``
    when no criterion ``1`` is open); letters under the nearest numbered row; bullets under
    the nearest row that is not a bullet.

    Codes follow the written numbers (``3.3.1``); a bullet is its parent's code, ``-`` and
    its position (``7.1-2``)."""

    def __init__(self, ordinals: Iterable[Ordinal]) -> None:
        self.has_roman = any(o.level == Level.AREA for o in ordinals)
        self._stack: list[_OpenNode] = []
        self._areas = 0

    def _parent(self, ordinal: Ordinal) -> tuple[_OpenNode | None, int] | None:
        level, stack = ordinal.level, self._stack
        if level == Level.AREA or (level == Level.CRITERION and not self.has_roman):
            return None, 1
        if level == Level.CRITERION:
            areas = [o for o in stack if o.level == 1]
            return (areas[-1], 2) if areas else None
        if level == Level.SUB_CRITERION:
            parts = dotted_parts(ordinal.label)
            if parts:
                prefix = ".".join(str(p) for p in parts[:-1])
                for candidate in reversed(stack):
                    if candidate.ordinal.level == Level.COMPONENT:
                        continue
                    own = dotted_parts(candidate.ordinal.label)
                    written = ".".join(str(p) for p in own) if own else str(candidate.ordinal.number)
                    if candidate.code == prefix or written == prefix:
                        return candidate, candidate.level + 1
                    if len(parts) == 2 and candidate.ordinal.number == parts[0] and not own:
                        return candidate, candidate.level + 1
                return None
            for candidate in reversed(stack):  # a letter or a lowercase Roman numeral
                if candidate.ordinal.level in (Level.AREA, Level.CRITERION) or dotted_parts(
                    candidate.ordinal.label
                ):
                    return candidate, candidate.level + 1
            return None
        return self._bullet_parent(ordinal)

    def _bullet_parent(self, ordinal: Ordinal) -> tuple[_OpenNode, int] | None:
        """A bullet's parent: the nearest row that is not a bullet, or the nearest bullet of
        another kind when this kind is not open above it (``+`` under ``-``; a ``-`` after
        ``+`` rows goes back to the level of the ``-`` above)."""
        stack = self._stack
        for i in range(len(stack) - 1, -1, -1):
            candidate = stack[i]
            if candidate.ordinal.level != Level.COMPONENT:
                return candidate, candidate.level + 1
            if candidate.ordinal.label == ordinal.label:
                continue  # a sibling
            outer = stack[:i]
            if any(o.ordinal.level == Level.COMPONENT and o.ordinal.label == ordinal.label for o in outer):
                continue  # this kind is the outer one: the inner bullets close
            return candidate, candidate.level + 1
        return None

    def place(self, ordinal: Ordinal) -> Placed | None:
        """Where the row numbered ``ordinal`` sits; ``None`` when no row above can hold it
        (criterion ``1`` before any area)."""
        found = self._parent(ordinal)
        if found is None:
            return None
        parent, level = found
        if parent is None:
            self._areas += 1
            position = self._areas
        else:
            parent.children += 1
            position = parent.children
        number = ordinal.number if ordinal.number is not None else position
        if ordinal.level == Level.COMPONENT and parent is not None:
            code = f"{parent.code}-{position}"
        elif parent is None:
            code = str(number)
        else:
            code = f"{parent.code}.{number}"
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        self._stack.append(_OpenNode(code, level, ordinal))
        return Placed(code, parent.code if parent else None, level)

    @property
    def deepest(self) -> str | None:
        """The code of the row placed last that is still open."""
        return self._stack[-1].code if self._stack else None
