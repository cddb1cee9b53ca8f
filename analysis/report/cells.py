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


def markdown_text(text: Any) -> str:
    """Text from data for a Markdown document: HTML escaped (no raw ``<script>`` or other tag
    survives a renderer), the brackets of link and image syntax escaped (no
    ``[x](javascript:…)`` becomes a link), and line breaks folded into spaces (no value starts
    a heading, a list or a block of its own)."""
    text = html.escape(str(text), quote=False)
    text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return " ".join(text.splitlines())


def markdown_url(url: Any) -> str:
    """An address for a Markdown document: an http or https address as it is (it holds no
    white space, quote or angle bracket), its square brackets percent-encoded so that it cannot
    open link syntax; anything else (``javascript:``, ``data:``) as escaped text, which no
    renderer turns into a link."""
    from analysis.yamlfile import http_url

    if not url:
        return ""
    if http_url(url) is None:
        return markdown_text(url)
    return str(url).replace("[", "%5B").replace("]", "%5D")
