"""Unicode normalisation and folding used for header and name matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (Vietnamese files arrive in NFC and NFD)."""
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """Remove diacritics, mapping đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def fold(text: object) -> str:
    """Lowercase, strip accents (đ→d), drop punctuation, collapse spaces.

    ``fold("Trong đó: TRỰC  tuyến")`` → ``"trong do truc tuyen"``.
    """
    if text is None:
        return ""
    return _fold_str(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 16)
def _fold_str(text: str) -> str:
    # header scans fold the same cell texts many times (every row × family × reading)
    return _NON_ALNUM.sub(" ", strip_accents(text).lower()).strip()


def fold_keep_punct(text: object) -> str:
    """Like :func:`fold` but keeps punctuation (for dates such as ``25/8/2023``)."""
    if text is None:
        return ""
    s = strip_accents(str(text)).lower()
    return _SPACES.sub(" ", s).strip()


def clean(text: object) -> str:
    """NFC, trimmed, inner whitespace collapsed; ``None`` → ``""``."""
    if text is None:
        return ""
    return _SPACES.sub(" ", nfc(str(text))).strip()


def is_blank(value: object) -> bool:
    """True for ``None``, empty or whitespace-only strings, and NaN floats."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# control, format (bidi overrides, zero-width), line/paragraph separators, lone surrogates
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable_name(name: str | bytes) -> str:
    """A submitter's name (a file or sheet name) made safe to store and show on one line.

    Bytes that are not UTF-8 (``os.listdir`` gives them as lone surrogates) become
    ``\\xff``; newlines, tabs, ESC and other control or format characters (a bidi override
    turns ``xslx.exe`` around) become ``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``. Everything else,
    Vietnamese letters included, is kept as it is, so a normal name is unchanged. Why: a
    name with a newline forges lines in ``alerts.log`` and e-mails, and a surrogate-escaped
    name is refused by DuckDB and would fail the whole night.
    """
    if isinstance(name, bytes):
        name = name.decode("utf-8", "surrogateescape")
    if all(ch.isprintable() for ch in name):  # the common case, fast
        return name
    out: list[str] = []
    for ch in name:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES:
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(ch)  # a space or a letter: printable on a line
    return "".join(out)
