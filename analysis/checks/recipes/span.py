"""Recipe ``span``: a stated duration against the time between two dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.checks.operands import operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare
from analysis.errors import BadInput
from analysis.formatting import fmt
from analysis.reference.tables import date_interval, is_date
from analysis.vocab import UNIT_DAYS, VERDICT

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure

_DAYS = {u: UNIT_DAYS[u] for u in ("day", "week", "month", "year", "decade")}  # a span's units


def _days(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    span = date_interval(str(value))
    if span is None:
        raise Unverifiable("a date is missing")
    return span[0]


def _whole_last_period(value: Any) -> tuple[dt.date, str] | None:
    """The last day of the year or month ``value`` names (``2014``, ``2023-06``), and which it
    is; None for a day or anything else."""
    if not isinstance(value, str) or len(value) not in (4, 7):
        return None
    span = date_interval(value) if is_date(value) else None
    return None if span is None else (span[1], "year" if len(value) == 4 else "month")


def _yearless(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("--")


def _with_year(value: Any, other: Any, year: str) -> Any:
    """A date written without its year ("--07-09") takes the other end's ("July 9-18, 2025"),
    else ``year``."""
    if _yearless(value):
        if isinstance(other, str) and str(other)[:4].isdigit():
            year = str(other)[:4]
        return f"{year}{value[1:]}"
    return value


def _ends(start: Any, end: Any, year: str) -> tuple[dt.date, dt.date]:
    """The first days of the two ends, a missing year filled (:func:`_with_year`); an end
    without a year that would fall before the start ("December 28 to January 3") is in the
    year after it, and a start without one after the end in the year before. With no year at
    either end, ``year`` is the one that holds the end (and its February)."""
    if _yearless(start) and _yearless(end):
        d1 = _days(f"{year}{end[1:]}")
        d0 = _days(f"{year}{start[1:]}")
        if d1 < d0:
            d0 = _days(f"{int(year) - 1:04d}{start[1:]}")
        return d0, d1
    d0 = _days(_with_year(start, end, year))
    d1 = _days(_with_year(end, start, year))
    if d1 < d0 and _yearless(end):
        d1 = _days(f"{d1.year + 1:04d}{end[1:]}")
    elif d1 < d0 and _yearless(start):
        d0 = _days(f"{d0.year - 1:04d}{start[1:]}")
    return d0, d1


def _shown(day: dt.date, no_year: bool) -> str:
    """A day, without the year that neither end gave (``--02-27``)."""
    return f"--{day.isoformat()[5:]}" if no_year else day.isoformat()


def _span(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    start = operand(claim, spec.get("from"), ctx, line)
    end = operand(claim, spec.get("to") or {"as_of": True}, ctx, line)
    unit = spec.get("unit") or (stated.unit if stated.kind == "duration" else None) or "year"
    if unit not in _DAYS:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: span unit {unit!r} not one of {', '.join(_DAYS)}",
            line,
        )
    inclusive = spec.get("inclusive", False)
    if not isinstance(inclusive, bool):  # "no" would be taken as true
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: span inclusive {inclusive!r}: expected true or false",
            line,
        )
    extra = 1 if inclusive else 0
    either = "inclusive" not in spec and unit == "day"

    def measured(d0: dt.date, d1: dt.date) -> tuple[float, tuple[str, str, str], str]:
        """The length and its verdict; days elapsed or both days counted, when either may be
        meant ("blocked the canal for six days, from March 23 to March 29"; "ten days, from
        July 9 to July 18"), by the reading the statement fits better (docs/relations.md)."""
        length = ((d1 - d0).days + extra) / _DAYS[unit]
        judged = compare(stated, length, ctx)
        counted = ", both days counted" if inclusive else ""
        if either:
            both = (d1 - d0).days + 1
            other = compare(stated, both, ctx)
            if VERDICT[other[0]].severity > VERDICT[judged[0]].severity:
                length, judged, counted = both, other, ", both days counted"
        return length, judged, counted

    no_year = _yearless(start.value) and _yearless(end.value)
    # no year at either end: judged in a common year and in a leap year (the end's, which
    # holds its February); 29 February: a leap year only
    years = ["2004"] if "--02-29" in (start.value, end.value) else ["2001", "2004"]
    try:
        calendars = [(*_ends(start.value, end.value, y), y) for y in years]
    except ValueError:
        raise Unverifiable("no such day in the years the dates could be in") from None
    if not no_year:
        calendars = calendars[:1]
    results = [(d0, d1, measured(d0, d1)) for d0, d1, _ in calendars]
    if len({r[2][1][0] for r in results}) > 1:
        (_, _, (common, _, _)), (_, _, (leap, _, _)) = results
        raise Unverifiable(
            f"neither date gives its year, and the span is {fmt(common)} {unit}s in a common "
            f"year but {fmt(leap)} in a leap year: the verdict depends on which"
        )
    d0, d1, (length, (verdict, clause, rule), counted) = results[0]
    b = _with_year(end.value, start.value, calendars[0][2])
    whole = _whole_last_period(b) if "inclusive" not in spec else None
    if whole is not None:
        # "the five years 2010-14", "from January 2022 to June 2023" (18 months): a period
        # that ends on a year or a month may count that one whole; either reading may be meant,
        # and the statement is judged by the one it fits better (docs/relations.md)
        end_day, period = whole
        longer = ((end_day - d0).days + 1) / _DAYS[unit]
        other = compare(stated, longer, ctx)
        if VERDICT[other[0]].severity > VERDICT[verdict].severity:
            length, (verdict, clause, rule), d1 = longer, other, end_day
            counted = f", the last {period} counted whole"
    text = (
        f"From {_shown(d0, no_year)} ({start.label}) to {_shown(d1, no_year)} "
        f"({end.label}) is {fmt(length)} {unit}s{counted}, {clause}."
    )
    if spec.get("through") is not None:
        _same_through(claim, spec, ctx, line, stated, (d0, length, verdict, unit, inclusive))
    return length, verdict, text, rule, [start, end]


def _same_through(
    claim: Claim,
    spec: dict[str, Any],
    ctx: Context,
    line: str,
    stated: Figure,
    at_start: tuple[dt.date, float, str, str, bool],
) -> None:
    """With ``through`` (the statement may date from any day from its ``as_of`` date up to
    then): the verdict must be the same on every such day, else the check is unverifiable, since
    the statement's own date decides it (docs/claims.md)."""
    d0, first, verdict, unit, inclusive = at_start
    last_day = operand(claim, spec["through"], ctx, line)
    d2 = _days(last_day.value)
    last = ((d2 - d0).days + (1 if inclusive else 0)) / _DAYS[unit]
    verdicts = {verdict, compare(stated, last, ctx)[0]}
    if stated.value is not None and min(first, last) <= stated.value <= max(first, last):
        verdicts.add(compare(stated, stated.value, ctx)[0])  # the day it was exactly right
    if len(verdicts) > 1:
        raise Unverifiable(
            f"the statement has no date of its own: the span is {fmt(first)} {unit}s on its "
            f"earliest possible date and {fmt(last)} {unit}s by {d2.isoformat()} "
            f"({last_day.label}), and the verdict changes between them "
            f"({', '.join(sorted(verdicts))})"
        )


RECIPE = Recipe(
    name="span",
    fields=frozenset(["from", "inclusive", "stated", "through", "to", "unit"]),
    summary="the time between two dates, against the stated duration",
    run=_span,
)
