"""Text folded for comparison: accents (combining marks) dropped and case folded, the one rule
used wherever names and sentences are compared (reference entities, claim names, restated
sentences, the query language's names)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` without accents, case folded ("Vitorino" = "VITORINO" = "Vitórino"). ASCII
    text is only case folded; other text is decomposed (NFKD), and the combining marks among
    its distinct characters are deleted in one pass."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    marks = [c for c in set(decomposed) if unicodedata.combining(c)]
    if marks:
        decomposed = decomposed.translate(dict.fromkeys(map(ord, marks)))
    return decomposed.casefold()
