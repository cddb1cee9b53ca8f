"""Recipe ``ordinal``: a stated position against a reference sequence."""

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


def _ordinal(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    of = spec.get("of")
    if not isinstance(of, dict) or "column" not in of:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: ordinal needs of: {{table, where, column}}",
            line,
        )
    position = operand(claim, {"lookup": {"valid_on": "any", **of}}, ctx, line)
    n = number(position, "the position")
    verdict, clause, rule = compare(stated, n, ctx)
    return n, verdict, f"{position.label} puts it at position {fmt(n)}, {clause}.", rule, [position]


RECIPE = Recipe(
    name="ordinal",
    fields=frozenset(["of", "stated"]),
    summary="the entity's position in a reference sequence, against the stated ordinal",
    run=_ordinal,
)
