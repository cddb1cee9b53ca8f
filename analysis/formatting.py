"""Numbers as text: the one place that turns a value into words for explanations, pages and
the command line."""

from __future__ import annotations

import math


def fmt(value: float | None) -> str:
    """A computed number in an explanation: thousands separated, a few significant decimals."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    digits = max(2, -math.floor(math.log10(abs(value))) + 2)
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def shorten_middle(text: str, limit: int = 400) -> str:
    """``text`` kept whole up to ``limit`` characters, else its start and end around " … "
    (a quote that runs from a headline to a sentence far below it)."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half].rstrip()} … {text[-half:].lstrip()}"
