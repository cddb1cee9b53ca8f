"""Tolerance: how far a computed value may be from a stated one (``data/methodology/
tolerance.yaml``), and the comparison that turns the two into a verdict.

1. A computed value that rounds to the stated one at the stated precision is ``correct``.
2. Otherwise the hedge word decides how far and in which direction the truth may lie.
3. Unhedged measured quantities within ``unhedged.measured`` are ``approximately_correct``;
   counts, positions, years and dates must match within ``unhedged.exact``.
4. Anything else is ``incorrect``.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.errors import BadInput
from analysis.figures.precision import precision
from analysis.formatting import fmt, plain
from analysis.vocab import MENTION_KINDS, TOLERANCE_DIRECTIONS
from analysis.yamlfile import as_mapping, as_number, check_fields, line_of, load_with_lines

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Figure

TOLERANCE_FIELDS = ("hedges", "unhedged", "measured_kinds")


@dataclass(frozen=True)
class Tolerance:
    hedges: dict[str, dict[str, Any]]
    measured: float
    exact: float
    measured_kinds: frozenset[str]


def load_tolerance(path: Path, hedge_words: Collection[str] | None = None) -> Tolerance:
    """Read and validate the tolerance rules; every problem names the file and line. With
    ``hedge_words`` (the lexicon's hedges, which the extractor reads), the rules must name
    exactly those: a rule for a word it never reads is a misspelling ("aproximately"), and a
    word it reads without a rule would be judged as no hedge at all ("as many as 300" against
    280 called incorrect)."""
    data = load_with_lines(path)
    top = check_fields(path, data, TOLERANCE_FIELDS, "tolerance file", TOLERANCE_FIELDS)
    hedges = {}
    rules = as_mapping(path, data["hedges"], "hedges", top)
    if hedge_words is not None:
        for hedge, rule in rules.items():
            if hedge not in hedge_words:
                raise BadInput(
                    path,
                    f"hedge {hedge!r} is not a hedge the extractor reads (the lexicon's "
                    "hedges_before and hedges_after)",
                    line_of(data["hedges"], hedge) or line_of(rule),
                )
        missing = sorted(set(hedge_words) - set(map(str, rules)))
        if missing:
            raise BadInput(
                path,
                f"hedges: no rule for {missing[0]!r}, a hedge the extractor reads (figures so "
                "hedged would be judged as if unhedged)",
                line_of(data, "hedges") or top,
            )
    for hedge, rule in rules.items():
        where = line_of(rule) or line_of(data["hedges"])
        check_fields(path, rule, ("relative", "direction"), f"hedge {hedge!r}", ("relative",))
        direction = rule.get("direction", "either")
        if direction not in TOLERANCE_DIRECTIONS:
            raise BadInput(
                path,
                f"hedge {hedge!r}: direction {direction!r} is not one of "
                f"{', '.join(TOLERANCE_DIRECTIONS)}",
                where,
            )
        relative = as_number(
            path, rule["relative"], f"hedge {hedge!r}: relative", where, minimum=0, maximum=1
        )
        hedges[str(hedge)] = {"relative": relative, "direction": direction}
    unhedged = data["unhedged"]
    where = line_of(unhedged) or top
    check_fields(path, unhedged, ("measured", "exact"), "unhedged", ("measured", "exact"))
    kinds = data["measured_kinds"]
    if not isinstance(kinds, list) or not all(
        isinstance(k, str) and k in MENTION_KINDS for k in kinds
    ):
        raise BadInput(
            path,
            f"measured_kinds: expected a list of figure kinds ({', '.join(MENTION_KINDS)})",
            line_of(data, "measured_kinds"),
        )
    return Tolerance(
        hedges=hedges,
        measured=as_number(
            path, unhedged["measured"], "unhedged.measured", where, minimum=0, maximum=1
        ),
        exact=as_number(path, unhedged["exact"], "unhedged.exact", where, minimum=0, maximum=1),
        measured_kinds=frozenset(kinds),
    )


def precision_of(fig: Figure) -> float:
    """The stated figure's precision in its own units (:mod:`analysis.figures.precision`)."""
    return precision(fig.text, fig.value, fig.kind, fig.unit)


def compare_range(
    fig: Figure, computed: float, low: float, high: float, ctx: Context
) -> tuple[str, str, str]:
    """:func:`compare` for a value computed from other stated figures, which are rounded
    themselves: when the stated figure lies within what the computation gives from inputs
    anywhere in their rounding (``low`` … ``high``), the rounding explains the gap and the
    statement is ``correct`` (docs/relations.md, "Verdicts")."""
    verdict = compare(fig, computed, ctx)
    if verdict[0] == "correct" or fig.value is None:
        return verdict
    half = precision_of(fig) / 2
    slack = 1e-9 * max(1.0, abs(fig.value))
    # rounding intervals are half-open: 26% is 25.5 up to (not including) 26.5, and "a
    # quarter" to the percent 0.245 up to 0.255, so the two do not meet
    if low < fig.value + half - slack and fig.value - half < high - slack:
        return (
            "correct",
            f"which the rounding of the figures it is computed from allows "
            f"({fmt(low)} to {fmt(high)})",
            "within the inputs' rounding",
        )
    nearest = min(max(fig.value, low), high)  # the hedge and near-miss rules, at this point
    if verdict[0] == "incorrect" and nearest != computed:
        closer = compare(fig, nearest, ctx)
        if closer[0] == "approximately_correct":
            return (
                closer[0],
                f"{verdict[1]}, but the rounding of the figures it is computed from allows "
                f"{fmt(nearest)}: {closer[1]}",
                f"{closer[2]}, at the nearest value the inputs' rounding allows",
            )
    return verdict


def _whole_multiple(fig: Figure) -> bool:
    """``fig`` states a whole multiple: "three times", "twice" (docs/claims.md, Tolerance)."""
    return (
        fig.unit == "times"
        and fig.value is not None
        and fig.value >= 1
        and float(fig.value).is_integer()
    )


def compare(fig: Figure, computed: float, ctx: Context) -> tuple[str, str, str]:
    """Verdict, a clause explaining it, and the rule applied."""
    stated = fig.value
    if stated is None:
        raise Unverifiable(f"the text's {fig.text} has no numeric value")
    p = precision_of(fig)
    if abs(computed - stated) <= p / 2 + 1e-9 * max(1.0, abs(stated)):
        return (
            "correct",
            f"which rounds to the stated {fig.text}",
            f"rounds to stated precision ({fmt(p)})",
        )
    deviation = (computed - stated) / stated if stated else math.inf
    side = "above" if computed > stated else "below"
    off = (
        f"{abs(deviation) * 100:.1f} % {side}"
        if abs(deviation) < 10
        else f"{computed / stated:,.0f} times"
        if stated
        else "far from"
    )
    if fig.kind == "percent" and fig.unit != "percentage points" and abs(deviation) < 10:
        # the gap between two percentages is in points; the rules are relative, so say both
        off = f"{plain(abs(computed - stated))} percentage points {side}"
        relative = f" ({abs(deviation) * 100:.1f} % in relative terms)"
    else:
        relative = ""
    gap = f"{off} the stated {fig.text}{relative}"
    if fig.approx and fig.approx in ctx.tolerance.hedges:
        rule = ctx.tolerance.hedges[fig.approx]
        rel, direction = float(rule["relative"]), rule["direction"]
        ok_side = (
            direction == "either"
            or (direction == "below" and computed <= stated + p / 2)
            or (direction == "above" and computed >= stated - p / 2)
        )
        name = f"hedge '{fig.approx}': ±{rel:.0%} {direction}"
        within = abs(deviation) <= rel
        if (
            _whole_multiple(fig)
            and direction == "above"
            and rel > 2 * ctx.tolerance.measured  # not "just over": a hedge that says near
            and 1 / stated > rel
        ):
            # "more than three times": anything short of four, which the writer could not say
            within = abs(deviation) < 1 / stated
            name = f"hedge '{fig.approx}' on a whole multiple: up to the next"
        if within and ok_side:
            return (
                "approximately_correct",
                f"{gap}, within what '{fig.approx}' allows",
                name,
            )
        return "incorrect", f"{gap}, more than '{fig.approx}' allows", name
    measured = fig.kind in ctx.tolerance.measured_kinds
    rel = ctx.tolerance.measured if measured else ctx.tolerance.exact
    name = (
        f"no hedge, measured quantity: ±{rel:.0%}"
        if measured
        else "no hedge, count or position: exact"
    )
    if rel and abs(deviation) <= rel:
        return "approximately_correct", f"{gap}, a near miss", name
    return "incorrect", gap, name
