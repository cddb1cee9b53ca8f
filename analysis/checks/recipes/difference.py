"""Recipe ``difference``: a stated change or gap against new − old (percentage points when
both are percentages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.operands import bounds, number, operand, same_units
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.recipes.change import direction_of, signed
from analysis.checks.tolerance import compare_range
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _difference(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    old = operand(claim, spec.get("old"), ctx, line)
    new = operand(claim, spec.get("new"), ctx, line)
    same_units(claim, [spec.get("old"), spec.get("new")], ctx, line)
    a, b = number(old, "the old value"), number(new, "the new value")
    gap = b - a
    low, high = bounds([old, new], lambda x, y: y - x)
    value, low, high, contradiction = signed(
        gap, low, high, direction_of(claim, spec, line), "the value", stated
    )
    base = f"From {fmt(a)} ({old.label}) to {fmt(b)} ({new.label}) is a change of {fmt(gap)}"
    if contradiction:
        return value, "incorrect", f"{base}: {contradiction}.", "direction", [old, new]
    verdict, clause, rule = compare_range(stated, value, low, high, ctx)
    return value, verdict, f"{base}, {clause}.", rule, [old, new]


RECIPE = Recipe(
    name="difference",
    fields=frozenset(["direction", "new", "old", "stated"]),
    summary="new − old (in points between percentages), against the stated change",
    run=_difference,
)
