"""Recipe ``equivalent``: a share written two ways, a word fraction and a percent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.operands import number, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare_range
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _equivalent(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    percent = operand(claim, spec.get("percent"), ctx, line)
    share = number(percent, "the percent") / 100
    verdict, clause, rule = compare_range(stated, share, percent.low / 100, percent.high / 100, ctx)
    text = f"{percent.label} is {fmt(share)} of the whole, {clause}."
    return share, verdict, text, rule, [percent]


RECIPE = Recipe(
    name="equivalent",
    fields=frozenset(["percent", "stated"]),
    summary="a percent ÷ 100, against the word fraction stated for the same share",
    run=_equivalent,
)
