"""A stated figure's precision: the rounding step its writing implies, in its own units.

`48` → 1; `71.1 million` → 100,000; `0.00000345%` → 0.00000001; `20 basis points` → 0.01
(percentage points). A figure in words states what
its word does: a fraction (`a third`, `one in four`, `3/4`) is a share to the percent (0.01), a
multiplier is good to its last digit (`twice`, `doubled`, `3-fold` → 1; `5.5 times` → 0.1);
`two million` → 1,000,000. Used by the tolerance rules (docs/claims.md) and by the relations
between figures (docs/relations.md)."""

from __future__ import annotations

import math
import re

from analysis.vocab import SCALED_KINDS

_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def precision(text: str, value: float | None, kind: str, unit: str | None) -> float:
    if value is None:
        return 1.0
    m = _DIGITS.search(text)
    decimals = len(m.group(1) or "") if m else 0
    if kind == "fraction":
        if unit == "times":  # "5.5 times" → 0.1; "3-fold", "twice", "doubled" → 1
            return 10.0**-decimals
        return 0.01
    if m is None:
        size = abs(value)
        return 10.0 ** math.floor(math.log10(size)) if size >= 1000 else 1.0
    # "71.1 million" is good to 100,000; "20 basis points" (0.2 points) to 0.01 points
    scale = (_scale(m, value) or 1.0) if kind in SCALED_KINDS else 1.0
    return 10.0**-decimals * scale


def written_scale(text: str, value: float) -> float | None:
    """How many times the number written in ``text`` its value is: the scale its words apply
    ("KSh11.9 billion" → 1,000,000,000; "7 groszy" → 0.01); None with no number, or a zero."""
    m = _DIGITS.search(text)
    return _scale(m, value) if m else None


def _scale(m: re.Match[str], value: float) -> float | None:
    number = float(m.group().replace(",", ""))
    return abs(value / number) if number else None


def rounds_to(fine: float, coarse: float, step: float) -> bool:
    """Whether ``fine`` rounds to ``coarse`` at precision ``step``, half away from zero: the
    interval is half-open (1.2 to the tenth is 1.15 up to, not including, 1.25), so two
    figures that only touch are two figures ("$1.2 billion" and "$1.25 billion")."""
    half, slack = step / 2, 1e-9 * max(1.0, abs(coarse))
    gap = abs(fine) - abs(coarse) if fine * coarse > 0 else fine - coarse
    return -half - slack <= gap < half - slack
