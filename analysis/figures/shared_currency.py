"""Which currency a sign or name several countries' papers write stands for in a document
("Rs", "K"): that of the country the document names most often among the lexicon's
``shared_currencies``, else the first listed (docs/figure-rules.md, "Money")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

import polars as pl

from analysis.figures.lexicon import Lexicon, alternation

Countries = tuple[tuple[str, tuple[str, ...]], ...]  # (code, its place names), the first default


@lru_cache(maxsize=16)
def _namers(countries: Countries) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each country's names, not followed by a letter, digit or hyphen; not preceded by one
    either, which :func:`_count` asks of each match: a pattern opening with that lookbehind
    tries every position of the text in Python's engine (about five times slower on an
    archive)."""
    return tuple(
        (code, re.compile(rf"(?:{alternation(names)})(?![\w-])")) for code, names in countries
    )


_BEFORE_NAME = re.compile(r"[\w-]")  # what may not come just before a name


def _count(expr: re.Pattern[str], text: str) -> int:
    """How many times ``expr`` matches ``text`` where no letter, digit or hyphen precedes it:
    the matches of ``expr`` behind a lookbehind for none of them, one after another."""
    n, pos = 0, 0
    while (m := expr.search(text, pos)) is not None:
        if m.start() and _BEFORE_NAME.match(text, m.start() - 1):
            pos = m.start() + 1  # no match here; one may start inside this one
            continue
        n += 1
        pos = m.end() if m.end() > m.start() else m.end() + 1
    return n


@lru_cache(maxsize=16)
def _said(code: str, names: tuple[str, ...], signs: tuple[str, ...]) -> re.Pattern[str]:
    """An amount that says the first currency itself: its code, a sign of its own ("₹"), or
    its country's adjective ("Indian rupees")."""
    own = alternation([code, *signs])
    return re.compile(rf"{own}|(?<!\w)(?:{alternation(names)})(?!\w)")


def _own_signs(signs: dict[str, str], code: str) -> tuple[str, ...]:
    """The signs with no letter that say ``code`` ("₹", not "Rs.")."""
    return tuple(k for k, v in signs.items() if v == code and not re.search(r"[^\W\d_]", k))


def document_currency(text: str, countries: Countries) -> str:
    """The currency of the country ``text`` names most often; the first listed when it names
    none, names the first as often as the most named other, or two others equally."""
    default = countries[0][0]
    counts = {code: _count(expr, text) for code, expr in _namers(countries)}
    others = sorted((n, code) for code, n in counts.items() if code != default)
    if not others or others[-1][0] == 0:
        return default
    most, code = others[-1]
    if most <= counts.get(default, 0) or (len(others) > 1 and others[-2][0] == most):
        return default
    return code


def with_document_currencies(
    found: pl.DataFrame, text: str, starts: Sequence[int], lex: Lexicon
) -> pl.DataFrame:
    """``found`` (figures of ``text``, whose documents start at ``starts``) with each amount in
    a shared currency in its own document's currency of that group; none changed in a document
    that says the first currency of the group for one of them ("₹", "INR", "Indian rupees")."""
    groups = {
        default: tuple((code, tuple(names)) for code, names in by_code.items())
        for default, by_code in lex.shared_currencies.items()
    }
    shared = (pl.col("kind") == "money") & pl.col("unit").is_in(list(groups))
    rows = found.with_row_index("_row").filter(shared).select("_row", "start", "end", "unit")
    if rows.is_empty():
        return found
    signs = lex.currency_signs  # built anew at each read: once a call
    said = {
        unit: _said(unit, tuple(countries[0][1]), _own_signs(signs, unit))
        for unit, countries in groups.items()
    }
    bounds = [*starts, len(text) + 1]
    by_document: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for row, start, end, unit in rows.iter_rows():
        doc = bisect.bisect_right(bounds, start) - 1
        by_document.setdefault((doc, unit), []).append((row, text[start:end]))
    units: dict[int, str] = {}
    for (doc, unit), amounts in by_document.items():
        if any(said[unit].search(amount) for _, amount in amounts):
            continue  # the document writes "₹" or "INR" for some: its "Rs" is India's too
        chosen = document_currency(text[bounds[doc] : bounds[doc + 1] - 1], groups[unit])
        if chosen != unit:
            units.update((row, chosen) for row, _ in amounts)
    if not units:
        return found
    new = pl.DataFrame(
        {"_row": list(units), "_unit": list(units.values())},
        schema={"_row": pl.UInt32, "_unit": pl.String},
    )
    return (
        found.with_row_index("_row")
        .join(new, on="_row", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_unit", "unit").alias("unit"))
        .drop("_row", "_unit")
    )
