"""Recipe ``share``: a stated percentage against part / total."""

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


def _share(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    part = operand(claim, spec.get("part"), ctx, line)
    total = operand(claim, spec.get("total"), ctx, line)
    a, b = number(part, "the part"), number(total, "the total")
    if b == 0:
        raise Unverifiable("the total is zero")
    scale = 1.0 if stated.kind == "fraction" else 100.0  # a share in words is a ratio
    share = a / b * scale
    same_units(claim, [spec.get("part"), spec.get("total")], ctx, line)
    low, high = bounds([part, total], lambda x, y: x / y * scale if y else share)
    verdict, clause, rule = compare_range(stated, share, low, high, ctx)
    shown = f"{fmt(share)} %" if scale == 100 else fmt(share)
    text = f"{fmt(a)} ({part.label}) / {fmt(b)} ({total.label}) = {shown}, {clause}."
    return share, verdict, text, rule, [part, total]


RECIPE = Recipe(
    name="share",
    fields=frozenset(["part", "stated", "total"]),
    summary="part / total × 100, against the stated percentage",
    run=_share,
)
