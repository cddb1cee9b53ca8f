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
from analysis.vocab import VERDICT

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure

_DAYS = {"day": 1.0, "week": 7.0, "month": 30.436875, "year": 365.2425, "decade": 3652.425}


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


def _with_year(value: Any, other: Any) -> Any:
    """A date written without its year ("--07-09") takes the other end's ("July 9-18, 2025"),
    else a leap year, so the days between them still count."""
    if isinstance(value, str) and value.startswith("--"):
        year = str(other)[:4] if isinstance(other, str) and str(other)[:4].isdigit() else "2000"
        return f"{year}{value[1:]}"
    return value


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
    a, b = _with_year(start.value, end.value), _with_year(end.value, start.value)
    d0, d1 = _days(a), _days(b)
    inclusive = spec.get("inclusive", False)
    if not isinstance(inclusive, bool):  # "no" would be taken as true
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: span inclusive {inclusive!r}: expected true or false",
            line,
        )
    length = ((d1 - d0).days + (1 if inclusive else 0)) / _DAYS[unit]
    verdict, clause, rule = compare(stated, length, ctx)
    counted = ", both days counted" if inclusive else ""
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
        f"From {d0.isoformat()} ({start.label}) to {d1.isoformat()} ({end.label}) is "
        f"{fmt(length)} {unit}s{counted}, {clause}."
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
