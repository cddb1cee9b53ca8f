"""Recipe ``sum``: a stated total against the sum of the stated parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.operands import number, operand, same_units
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare_range
from analysis.errors import BadInput
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _sum(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    specs = spec.get("parts")
    if not isinstance(specs, list) or len(specs) < 2:
        raise BadInput(claim.path, f"claim {claim.claim_id!r}: sum needs two parts or more", line)
    same_units(claim, [*specs, {"figure": spec.get("stated")}], ctx, line)
    parts = [operand(claim, s, ctx, line) for s in specs]
    total = sum(number(p, "a part") for p in parts)
    low = sum(p.low for p in parts)
    high = sum(p.high for p in parts)
    verdict, clause, rule = compare_range(stated, total, low, high, ctx)
    terms = " + ".join(f"{fmt(number(p, 'a part'))}" for p in parts)
    return total, verdict, f"{terms} = {fmt(total)}, {clause}.", rule, parts


RECIPE = Recipe(
    name="sum",
    fields=frozenset(["parts", "stated"]),
    summary="the sum of the parts, against the stated total",
    run=_sum,
)
