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
    low, high = percent.low / 100, percent.high / 100
    fall = share < 0
    if fall:  # "fell by almost a fifth (-19.7%)": the fall's size (docs/relations.md)
        share, low, high = -share, -high, -low
    verdict, clause, rule = compare_range(stated, share, low, high, ctx)
    text = f"{percent.label} is {'a fall of ' if fall else ''}{fmt(share)} of the whole, {clause}."
    return share, verdict, text, rule, [percent]


RECIPE = Recipe(
    name="equivalent",
    fields=frozenset(["percent", "stated"]),
    summary="a percent ÷ 100, against the word fraction stated for the same share",
    run=_equivalent,
)
