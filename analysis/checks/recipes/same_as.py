"""Recipe ``same_as``: a figure against another figure of the same document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable, Value
from analysis.checks.operands import figure, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.errors import BadInput
from analysis.reference.tables import date_interval

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _same_as(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    other_ref = spec.get("other")
    if not other_ref:
        raise BadInput(claim.path, f"claim {claim.claim_id!r}: same_as needs 'other'", line)
    other = figure(claim, str(other_ref), ctx, line)
    relation = spec.get("relation", "equal")
    a = operand(claim, {"figure": spec["stated"]}, ctx, line).value
    b = operand(claim, {"figure": other_ref}, ctx, line).value
    if a is None or b is None:
        raise Unverifiable("a figure has no value")
    if isinstance(a, str) or isinstance(b, str):
        # a date without a year ("--05-15") compares within a common leap year
        a_span = date_interval(f"2000{a[1:]}" if str(a).startswith("--") else str(a))
        b_span = date_interval(f"2000{b[1:]}" if str(b).startswith("--") else str(b))
        x, y = a_span[0], b_span[0]
    else:
        x, y = float(a), float(b)
    holds = {"equal": x == y, "not_after": x <= y, "not_before": x >= y}.get(relation)
    if holds is None:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: relation {relation!r} "
            "not one of equal, not_after, not_before",
            line,
        )
    agrees = {"equal": "agrees with", "not_after": "is not after", "not_before": "is not before"}
    should = {"equal": "equal", "not_after": "not be after", "not_before": "not be before"}
    where = "" if "." not in str(other_ref) else f" (claim {str(other_ref).split('.')[0]})"
    text = (
        f"The text's {stated.text} {agrees[relation]} {other.text}{where} elsewhere in the "
        "same document."
        if holds
        else f"The text's {stated.text} conflicts with {other.text}{where} elsewhere in the same "
        f"document: it should {should[relation]} it."
    )
    computed = other.value
    return (
        computed,
        "correct" if holds else "inconsistent",
        text,
        f"same document: {relation}",
        [Value(other.value, other.text, mentions=[other.mention_id])],
    )


RECIPE = Recipe(
    name="same_as",
    fields=frozenset(["other", "relation", "stated"]),
    summary="agreement with another figure of the same document (inconsistent if not)",
    run=_same_as,
)
