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
