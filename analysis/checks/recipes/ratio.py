"""Recipe ``ratio``: a stated value against a reference value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.operands import number, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _ratio(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    ref = operand(claim, spec.get("reference"), ctx, line)
    value = number(ref, "the reference")
    inputs = [ref]
    text = f"{ref.label} gives {fmt(value)}"
    if spec.get("times") is not None:
        factor = operand(claim, spec["times"], ctx, line)
        rate = number(factor, "the conversion factor")
        inputs.append(factor)
        text = (
            f"{ref.label} gives {fmt(value)}, × {fmt(rate)} ({factor.label}) = {fmt(value * rate)}"
        )
        value *= rate
    verdict, clause, rule = compare(stated, value, ctx)
    return value, verdict, f"{text}, {clause}.", rule, inputs


RECIPE = Recipe(
    name="ratio",
    fields=frozenset(["reference", "stated", "times"]),
    summary="the reference value (× a conversion factor such as an exchange rate), "
    "against the stated value",
    run=_ratio,
)
