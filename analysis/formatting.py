"""Numbers as text: the one place that turns a value into words for explanations, pages and
the command line."""

from __future__ import annotations

import math
from datetime import date


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


# ---------------------------------------------------------------- values as people write them

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_SCALES = ((1e12, "tn", "trillion"), (1e9, "bn", "billion"), (1e6, "m", "million"))


def plain(value: float, significant: int = 3) -> str:
    """A number with thousands separators and no scientific notation, to ``significant``
    digits but never rounding away the whole part: 1234567.8 → "1,234,568", 0.00000345 →
    "0.00000345", 12.34 → "12.3"."""
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 10**significant:
        return f"{value:,.0f}"
    decimals = max(0, significant - 1 - math.floor(math.log10(size)))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value: float, long: bool) -> str:
    for size, short, word in _SCALES:
        if abs(value) >= size:
            number = plain(value / size)
            return f"{number} {word}" if long else f"{number}{short}"
    return plain(value, 4) if abs(value) >= 1 else plain(value)


def currency_symbol(code: str) -> str:
    """ "$", "£", "€", "A$"… (CLDR, English); the ISO code itself where CLDR has no symbol."""
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(code, locale="en")
    return symbol if symbol != code else f"{code} "


def date_text(iso: str | date) -> str:
    """A partial ISO date as people write it: "2023-05-15" → "15 May 2023", "2018-10" →
    "October 2018", "--05-15" → "15 May", "--02" → "February", "2018" → "2018"; a date
    object as its day."""
    if isinstance(iso, date):
        iso = iso.isoformat()[:10]
    parts = iso.lstrip("-").split("-") if iso.startswith("--") else iso.split("-")
    if iso.startswith("--"):
        month = int(parts[0])
        return f"{int(parts[1])} {_MONTHS[month - 1]}" if len(parts) > 1 else _MONTHS[month - 1]
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) > 2 else f"{month} {parts[0]}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def present(
    value: float | str | None, kind: str | None, unit: str | None = None, iso: str | None = None
) -> str:
    """A value as a reader expects to see it, by its kind and unit: money "$1.25bn", a date
    "3 June 2019", a year "2019", a percent "12.5%" or "5 percentage points", a count with its
    noun "40 member states", a duration "4.49 years", a multiplier "2.1 times", an ordinal
    "10th". The one place that does this for pages, memo, command line and exports."""
    if value is None and not iso:
        return "—"
    if kind == "date":
        if iso:
            return date_text(iso)
        return str(value) if isinstance(value, str) else str(int(float(value)))
    if isinstance(value, str):
        return date_text(value) if kind in ("year", None) and value[:1].isdigit() else value
    number = float(value)  # type: ignore[arg-type]
    if kind == "year":
        return str(int(number))
    if kind == "money":
        return f"{currency_symbol(unit or 'USD')}{_scaled(number, long=False)}"
    if kind == "percent":
        if unit == "percentage points":
            return f"{plain(number)} percentage points"
        return f"{plain(number)}%"
    if kind == "ordinal":
        return ordinal(round(number))
    if kind == "duration":
        word = unit or "year"
        return f"{plain(number)} {word}{'' if number == 1 else 's'}"
    if kind == "fraction":
        if unit == "times":
            return f"{plain(number)} times"
        return f"{plain(number * 100)}%"
    text = _scaled(number, long=True)
    return f"{text} {unit}" if unit else text
