"""Recipe ``count``: how many reference rows match a filter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.operands import number, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare
from analysis.errors import BadInput
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _count(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    given = spec.get("expect")
    # one or the other: given both, the expectation was passed over without a word
    if (stated is None) == (given is None) or given not in (None, "none", "one", "some"):
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: count needs either 'stated' or 'expect: none|one|some'",
            line,
        )
    rows_spec = spec.get("rows")
    counted = operand(claim, {"count": rows_spec}, ctx, line)
    n = number(counted, "the count")
    listed = ""
    if stated is not None:
        verdict, clause, rule = compare(stated, n, ctx)
        return n, verdict, f"{counted.label}: {fmt(n)} match{listed}, {clause}.", rule, [counted]
    expect = spec["expect"]
    ok = {"none": n == 0, "one": n == 1, "some": n > 0}[expect]
    wording = {"none": "none", "one": "exactly one", "some": "at least one"}[expect]
    text = f"{counted.label}: {fmt(n)} match{listed}; the statement implies {wording}" + (
        ", as stated." if ok else ", so it does not hold."
    )
    return n, "correct" if ok else "incorrect", text, f"expect {expect}", [counted]


RECIPE = Recipe(
    name="count",
    fields=frozenset(["expect", "rows", "stated"]),
    summary="matching reference rows, against the stated count or an expectation (none, one, some)",
    run=_count,
    stated_required=False,
)
