"""A data line of a streamed sheet (reports.cells.SheetBuffer): its values kept as they
will be written, and its XML as openpyxl writes such cells, built from column templates
made once per kind of line (the number formats, the wrapped texts, the fill)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as _ILLEGAL_CHARACTERS
from openpyxl.compat.strings import safe_string
from openpyxl.utils import get_column_letter

#: a value and its number format (None: General)
Value = tuple[object, str | None]
#: a style of data cells: number format, wrapped, fill (0: none, else its id()), bordered
StyleKey = tuple[str | None, bool, int, bool]
#: openpyxl keeps at most this many characters of a text (Cell.check_string)
TEXT_LIMIT = 32_767
#: one column of a kind of line: ``<c r="`` and its letter, ``"`` and the style attribute,
#: whether the cell is styled (an empty styled cell is still written)
Column = tuple[str, str, bool]

_LETTERS = [""] + [get_column_letter(c) for c in range(1, 703)]
#: characters XML cannot hold: the controls openpyxl rejects, and U+FFFE, U+FFFF
_NOT_XML = re.compile(_ILLEGAL_CHARACTERS.pattern + "|[\ufffe\uffff]")
_NON_CHARACTERS = re.compile("[\ufffe\uffff]")


class Line(NamedTuple):
    """``values``: texts made safe, padded with None up to ``n_cols``; ``formats`` likewise;
    ``wrapped``: the indexes of texts that wrap; ``fill_id``: the fill of the values given
    (``n_values`` of them; the padding cells are bordered, never filled); ``plain``: no text
    holds U+FFFE or U+FFFF (else the line is written by openpyxl, which refuses them)."""

    values: list[object]
    formats: tuple[str | None, ...]
    wrapped: tuple[int, ...]
    fill_id: int
    n_values: int
    n_cols: int
    plain: bool = True

    @property
    def kind(self) -> tuple[object, ...]:
        """What the styles of the line's cells depend on (one set of column templates each)."""
        return (self.formats, self.wrapped, self.fill_id, self.n_values, self.n_cols)

    def key(self, index: int) -> StyleKey:
        """The style of the cell at ``index`` (0-based)."""
        return (
            self.formats[index],
            index in self.wrapped,
            self.fill_id if index < self.n_values else 0,
            index < self.n_cols,
        )


def make_line(values: list[Value], n_cols: int, wrap_long: bool, fill_id: int) -> Line:
    """The line of ``values``, each bordered up to column ``n_cols``; texts longer than 60
    characters wrapped with ``wrap_long``; control characters shown as ``\\x1b``."""
    if values:
        given, formats = zip(*values, strict=True)
        kept = list(given)
    else:
        kept, formats = [], ()
    n_values = len(kept)
    if n_values < n_cols:
        kept += [None] * (n_cols - n_values)
        formats += (None,) * (n_cols - n_values)
    texts = [value for value in kept if isinstance(value, str)]
    wrapped: tuple[int, ...] = ()
    if texts:
        joined = "\n".join(texts)
        longest_possible = len(joined)  # no text is longer than all of them
        if wrap_long and longest_possible > 60 and max(map(len, texts)) > 60:
            wrapped = tuple([i for i, value in enumerate(kept) if isinstance(value, str) and len(value) > 60])
        if _NOT_XML.search(joined):
            plain = not _NON_CHARACTERS.search(joined)
            for i, value in enumerate(kept):
                if isinstance(value, str):
                    kept[i] = safe_text(value)[:TEXT_LIMIT]
            return _new_line(Line, (kept, formats, wrapped, fill_id, n_values, n_cols, plain))
        if longest_possible > TEXT_LIMIT:
            for i, value in enumerate(kept):
                if isinstance(value, str):
                    kept[i] = value[:TEXT_LIMIT]
    return _new_line(Line, (kept, formats, wrapped, fill_id, n_values, n_cols, True))


#: a Line made from its fields at once (a NamedTuple's ``__new__`` is a Python function)
_new_line = tuple.__new__


def line_columns(line: Line, style_attribute: Callable[[StyleKey], str]) -> list[Column]:
    """The column templates of lines of ``line``'s kind; ``style_attribute``: `` s="<id>"``
    of a style (empty when unstyled)."""
    columns = []
    for index in range(len(line.values)):
        head = style_attribute(line.key(index))
        columns.append((f'<c r="{_LETTERS[index + 1]}', f'"{head}', bool(head)))
    return columns


def line_xml(row: int, line: Line, columns: list[Column]) -> str | None:
    """The XML openpyxl writes for the line at ``row``: ``<c>`` with the style id when
    styled, ``t="n"`` and ``<v>`` for numbers, ``t="inlineStr"`` for text, empty styled
    cells; None when a value is of another type, or a text holds U+FFFE or U+FFFF (written
    by openpyxl then)."""
    if not line.plain:
        return None
    suffix = str(row)
    parts = [f'<row r="{suffix}">']
    append = parts.append
    texts = _TEXT_XML
    decimals = _NUMBER_XML[Decimal]
    for (start, head, styled), value in zip(columns, line.values, strict=True):
        kind = value.__class__
        if value is None:
            if styled:
                append(f'{start}{suffix}{head} t="n"/>')
        elif kind is str:
            rest = texts.get(value)  # type: ignore[call-overload]
            if rest is None:
                rest = text_xml(value)  # type: ignore[arg-type]
                if len(value) <= _CACHED_TEXT and len(texts) < _CACHED:  # type: ignore[arg-type]
                    texts[value] = rest  # type: ignore[index]
            append(f"{start}{suffix}{head}{rest}")
        elif kind is int:
            append(f'{start}{suffix}{head} t="n"><v>{value:.16g}</v></c>')
        elif kind is Decimal:
            rest = decimals.get(str(value))
            if rest is None:
                rest = number_xml(value)  # type: ignore[arg-type]
            append(f"{start}{suffix}{head}{rest}")
        elif kind is float:
            append(f"{start}{suffix}{head}{number_xml(value)}")  # type: ignore[arg-type]
        else:
            return None
    append("</row>")
    return "".join(parts)


#: a text's and a number's XML, as line_xml writes them, kept for the values met again
#: (a unit's name on each of its lines, the few points a rule gives), up to _CACHED each,
#: texts of up to _CACHED_TEXT characters; a number by its class and str() (the number
#: exactly, sign and all: hashing a new Decimal costs as much as formatting it)
_TEXT_XML: dict[str, str] = {}
_NUMBER_XML: dict[type, dict[str, str]] = {Decimal: {}, float: {}}
_CACHED = 200_000
_CACHED_TEXT = 200


def number_xml(value: Decimal | float) -> str:
    """A number cell's XML after its ``r`` and ``s`` attributes, the number as openpyxl
    writes it (``safe_string``: ``%.16g``, empty for NaN and infinities); the same for the
    same ``str()`` of a number of the same class."""
    known = _NUMBER_XML[value.__class__]
    text = str(value)
    found = known.get(text)
    if found is None:
        found = f' t="n"><v>{safe_string(value)}</v></c>'
        if len(known) < _CACHED:
            known[text] = found
    return found


def text_xml(value: str) -> str:
    """The rest of a text cell's XML after its ``r`` and ``s`` attributes."""
    if not value:
        return ' t="inlineStr"/>'
    # as lxml escapes text; a bare carriage return would be read back as a line feed
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f' t="inlineStr"><is><t{space}>{value}</t></is></c>'


def safe_text(value: str) -> str:
    """``value`` with the control characters a workbook cannot hold shown as ``\\x1b``."""
    return _ILLEGAL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
