"""Recipe ``share``: a stated percentage against part / total."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.checks.operands import number, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare
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
    share = a / b * 100
    verdict, clause, rule = compare(stated, share, ctx)
    text = f"{fmt(a)} ({part.label}) / {fmt(b)} ({total.label}) = {fmt(share)} %, {clause}."
    return share, verdict, text, rule, [part, total]


RECIPE = Recipe(
    name="share",
    fields=frozenset(["part", "stated", "total"]),
    summary="part / total × 100, against the stated percentage",
    run=_share,
)
