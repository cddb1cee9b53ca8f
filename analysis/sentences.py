"""Sentence boundaries inside a paragraph, kept as character offsets."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.n",
        "u.k",
        "n.c",
        "b.a",
        "m.a",
        "ph.d",
        "no",
        "gen",
        "gov",
        "sen",
        "rep",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
    ]
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def sentence_spans(paragraph: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split ``paragraph`` into sentences; spans are shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        before = _WORD_BEFORE.search(paragraph, 0, m.start() + 1)
        word = before.group(1).lower().rstrip(".") if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        end = m.end()
        text = paragraph[start:end].rstrip()
        spans.append((offset + start, offset + start + len(text)))
        start = end
    if start < len(paragraph):
        spans.append((offset + start, offset + len(paragraph)))
    return spans
