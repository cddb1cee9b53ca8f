"""Recipe ``matches``: a statement that restates one already checked in another document
takes that fact-check's verdict (docs/relations.md, "Claims that come back")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable, Value
from analysis.checks.recipes import Outcome, Recipe

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _matches(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    other_id = str(spec.get("claim"))
    checked = ctx.checked.get(other_id)
    if checked is None:
        raise Unverifiable(f"the fact-check it restates ({other_id}) is not in this build")
    judged = checked.verdict.replace("_", " ")
    if checked.verdict != checked.machine_verdict:
        judged += f" by the desk (the checks said {checked.machine_verdict.replace('_', ' ')})"
    text = (
        f"Restates a statement already checked in {checked.doc_id} ({other_id}), judged "
        f"{judged}: {checked.explanation}"
    )
    return None, checked.machine_verdict, text, "matched fact-check", [Value(None, other_id)]


RECIPE = Recipe(
    name="matches",
    fields=frozenset(["claim", "stated"]),
    summary="a statement already checked in another document: that fact-check's verdict",
    run=_matches,
)
