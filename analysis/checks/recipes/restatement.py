"""Recipe ``restatement``: the same quantity stated twice in one document (docs/relations.md).

The two agree when the more precise figure rounds to the less precise one; otherwise the less
precise one is judged against the other through its hedge and the near-miss rule, and what
fails is ``inconsistent``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable, Value
from analysis.checks.operands import figure, same_units
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare, precision_of
from analysis.errors import BadInput
from analysis.figures.precision import rounds_to

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def agreement(a: Figure, b: Figure, ctx: Context) -> tuple[str, str, str]:
    """Verdict, clause and rule of two statements of one quantity."""
    if a.value is None or b.value is None:
        raise Unverifiable("a figure has no value")
    coarse, fine = (a, b) if precision_of(a) >= precision_of(b) else (b, a)
    if rounds_to(fine.value, coarse.value, precision_of(coarse)):
        return "correct", f"{fine.text} rounds to {coarse.text}", "rounds to the coarser figure"
    verdict, clause, rule = compare(coarse, fine.value, ctx)
    return ("inconsistent" if verdict == "incorrect" else verdict), f"{fine.text} is {clause}", rule


def _restatement(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    other_ref = spec.get("other")
    if not other_ref:
        raise BadInput(claim.path, f"claim {claim.claim_id!r}: restatement needs 'other'", line)
    other = figure(claim, str(other_ref), ctx, line)
    same_units(claim, [{"figure": spec["stated"]}, {"figure": other_ref}], ctx, line, nouns=False)
    verdict, clause, rule = agreement(stated, other, ctx)
    agrees = verdict != "inconsistent"
    text = (
        f"The document states this quantity twice, {stated.text} and {other.text}: {clause}."
        if agrees
        else f"The document states this quantity twice and the two disagree: {clause}."
    )
    used = Value(other.value, other.text, mentions=[other.mention_id])
    return other.value, verdict, text, rule, [used]


RECIPE = Recipe(
    name="restatement",
    fields=frozenset(["other", "stated"]),
    summary="the same quantity stated twice in one document (inconsistent if they disagree)",
    run=_restatement,
)
