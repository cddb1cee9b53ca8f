"""Recipe ``multiple``: a stated multiplier ("twice", "tripled") against value / base."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.checks.operands import bounds, number, operand, same_units
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare_range
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _multiple(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    value = operand(claim, spec.get("value"), ctx, line)
    base = operand(claim, spec.get("base"), ctx, line)
    same_units(claim, [spec.get("value"), spec.get("base")], ctx, line)
    a, b = number(value, "the value"), number(base, "the base")
    if b == 0:
        raise Unverifiable("the base is zero")
    times = a / b
    low, high = bounds([value, base], lambda x, y: x / y if y else times)
    verdict, clause, rule = compare_range(stated, times, low, high, ctx)
    text = f"{fmt(a)} ({value.label}) / {fmt(b)} ({base.label}) = {fmt(times)} times, {clause}."
    return times, verdict, text, rule, [value, base]


RECIPE = Recipe(
    name="multiple",
    fields=frozenset(["base", "stated", "value"]),
    summary="value / base, against the stated multiplier",
    run=_multiple,
)
