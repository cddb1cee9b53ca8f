"""Recipe ``change``: a stated percent change against (new − old) / old × 100."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.checks.operands import bounds, number, operand, same_units
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare_range, precision_of
from analysis.errors import BadInput
from analysis.formatting import fmt

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


DIRECTIONS = ("up", "down")


def direction_of(claim: Claim, spec: dict[str, Any], line: str) -> str | None:
    """A check's ``direction`` (the text's word: ``up`` or ``down``), or None; anything else
    is bad input ("sideways" was taken as no direction at all)."""
    direction = spec.get("direction")
    if direction is not None and direction not in DIRECTIONS:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: direction {direction!r}: expected up or down",
            line,
        )
    return direction


def signed(
    computed: float,
    low: float,
    high: float,
    direction: str | None,
    what: str,
    stated: Figure | None,
) -> tuple[float, float, float, str | None]:
    """The computed change (and its bounds) as the text states it: a fall is stated by its
    size ("fell 25%"), so it is compared negated; a direction word that contradicts the
    numbers beyond their rounding is reported. A stated value written with its sign states
    its direction itself, whatever the word ("down -3.9%", "a growth of -3.9%"): compared as
    computed (docs/relations.md)."""
    if stated is not None and isinstance(stated.value, (int, float)) and stated.value < 0:
        return computed, low, high, None
    if direction == "down":
        if low > 0:
            return -computed, -high, -low, f"the text says it fell, but {what} rose"
        return -computed, -high, -low, None
    if direction == "up":
        if high < 0:
            return computed, low, high, f"the text says it rose, but {what} fell"
        return computed, low, high, None
    if computed < 0:
        return -computed, -high, -low, None
    return computed, low, high, None


def _change(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    old = operand(claim, spec.get("old"), ctx, line)
    new = operand(claim, spec.get("new"), ctx, line)
    same_units(claim, [spec.get("old"), spec.get("new")], ctx, line)
    a, b = number(old, "the old value"), number(new, "the new value")
    if a == 0:
        raise Unverifiable("the old value is zero, so a percent change is not defined")
    relative = (b - a) / a * 100
    low, high = bounds([old, new], lambda x, y: (y - x) / x * 100 if x else relative)
    value, low, high, contradiction = signed(
        relative, low, high, direction_of(claim, spec, line), "the value", stated
    )
    base = f"From {fmt(a)} ({old.label}) to {fmt(b)} ({new.label}) is a change of {fmt(relative)} %"
    if contradiction:
        return value, "incorrect", f"{base}: {contradiction}.", "direction", [old, new]
    verdict, clause, rule = compare_range(stated, value, low, high, ctx)
    points = b - a
    both_percent = all(
        claim.figures[str(spec[k]["figure"])].kind == "percent"
        for k in ("old", "new")
        if isinstance(spec.get(k), dict) and "figure" in spec[k]
    )
    if (
        verdict == "incorrect"
        and both_percent
        and abs(abs(points) - stated.value) <= precision_of(stated) / 2 + 1e-9
    ):
        return (
            value,
            "approximately_correct",
            f"{base}; the stated {stated.text} is the change in percentage points "
            f"({fmt(points)}), not in percent.",
            "points for percent",
            [old, new],
        )
    return value, verdict, f"{base}, {clause}.", rule, [old, new]


RECIPE = Recipe(
    name="change",
    fields=frozenset(["direction", "new", "old", "stated"]),
    summary="(new − old) / old × 100, against the stated percent change",
    run=_change,
)
