"""Text folded for comparison: accents (combining marks) dropped and case folded, the one rule
used wherever names and sentences are compared (reference entities, claim names, restated
sentences, the query language's names)."""

from __future__ import annotations

import re
import unicodedata

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _unmarked(m: re.Match[str]) -> str:
    return "".join(c for c in m.group() if not unicodedata.combining(c))


def fold(text: str) -> str:
    """``text`` without accents, case folded ("Vitorino" = "VITORINO" = "Vitórino"). Only
    the non-ASCII runs of a text are examined, so most news copy costs one pass."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return _NON_ASCII.sub(_unmarked, decomposed).casefold()
