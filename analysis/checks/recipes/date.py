"""Recipe ``date``: a stated date or year against a reference date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.checks.operands import operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.reference.tables import date_interval

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


def _date(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    ref = operand(claim, spec.get("reference"), ctx, line)
    ref_span = date_interval(str(ref.value)) if ref.value else None
    stated_iso = stated.iso or (str(int(stated.value)) if stated.value is not None else None)
    if ref_span is None or stated_iso is None:
        raise Unverifiable("a date is missing")
    if stated_iso.startswith("--"):  # no year in the text: take the reference's year
        stated_iso = f"{ref_span[0].year}{stated_iso[1:]}"
    said = date_interval(stated_iso)
    inside = said[0] <= ref_span[0] and ref_span[1] <= said[1]
    verdict = "correct" if inside else "incorrect"
    text = f"{ref.label} gives {ref.value}; the text says {stated.text}" + (
        ", which matches at the precision stated." if inside else ", which does not match."
    )
    return float(ref_span[0].year), verdict, text, "date at stated precision", [ref]


RECIPE = Recipe(
    name="date",
    fields=frozenset(["reference", "stated"]),
    summary="the reference date, against the stated date or year at its precision",
    run=_date,
)
