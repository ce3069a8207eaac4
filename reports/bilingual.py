"""Text of the HTML report in both languages: CSS shows one, a button switches."""

from __future__ import annotations


def t(vi: str, en: str) -> str:
    """Both languages; CSS shows one, the button switches."""
    return f"<span class='vi'>{vi}</span><span class='en'>{en}</span>"
