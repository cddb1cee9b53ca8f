"""Text that leaves the package for another program: spreadsheet cells that cannot become
formulas, Markdown that cannot carry raw HTML."""

from __future__ import annotations

import html
from typing import Any

# A cell a spreadsheet would read as a formula (or as a DDE or command) begins with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A text cell that no spreadsheet will evaluate: a leading ``'`` before ``=``, ``+``,
    ``-``, ``@``, tab or carriage return (numbers, dates and booleans stay as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def markdown_text(text: str) -> str:
    """Text for a Markdown document: HTML escaped (no raw ``<script>`` survives a renderer)."""
    return html.escape(text, quote=False)
