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
from analysis.reference.tables import date_interval

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
    inclusive = bool(spec.get("inclusive"))
    length = ((d1 - d0).days + (1 if inclusive else 0)) / _DAYS[unit]
    verdict, clause, rule = compare(stated, length, ctx)
    counted = ", both days counted" if inclusive else ""
    text = (
        f"From {d0.isoformat()} ({start.label}) to {d1.isoformat()} ({end.label}) is "
        f"{fmt(length)} {unit}s{counted}, {clause}."
    )
    return length, verdict, text, rule, [start, end]


RECIPE = Recipe(
    name="span",
    fields=frozenset(["from", "inclusive", "stated", "to", "unit"]),
    summary="the time between two dates, against the stated duration",
    run=_span,
)
