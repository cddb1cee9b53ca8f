"""Running a claim's checks: each check names a recipe; the recipe computes a value from the
claim's figures, other figures of the same document and reference rows, and compares it with
the stated figure under the tolerance rules. A claim's verdict is its most severe decided check.
"""

from __future__ import annotations

from datetime import date

from analysis.checks.model import CheckResult, Context, Disagreement, Unverifiable, Value
from analysis.checks.operands import TIER_ORDER, stated_figure
from analysis.checks.recipes import Outcome, Recipe, registry
from analysis.claims.register import Claim, Figure
from analysis.errors import BadInput
from analysis.formatting import date_text, fmt, present
from analysis.vocab import SEVERITY, check_id
from analysis.yamlfile import line_of

COMMON_FIELDS = frozenset({"recipe", "note"})


def run_check(claim: Claim, index: int, spec: dict, ctx: Context) -> CheckResult:
    line = line_of(spec) or str(claim.line)
    recipes = registry()
    name = spec.get("recipe")
    recipe = recipes.get(name) if isinstance(name, str) else None
    if recipe is None:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: unknown recipe {name!r} (known: {', '.join(recipes)})",
            line,
        )
    unknown = sorted(str(k) for k in set(spec) - recipe.fields - COMMON_FIELDS)
    if unknown:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: check {recipe.name!r} has unknown field {unknown[0]!r}",
            line,
        )
    stated = stated_figure(claim, spec, ctx, line, required=recipe.stated_required)
    used = [stated.mention_id] if stated else []

    def result(
        computed: float | None, verdict: str, explanation: str, rule: str, inputs: list[Value]
    ) -> CheckResult:
        mentions = used + [m for v in inputs for m in v.mentions if m not in used]
        notes = "; ".join(dict.fromkeys(v.note for v in inputs if v.note))
        if notes:
            explanation = f"{explanation.rstrip('.')} ({notes})."
        return CheckResult(
            computed_text=_computed_text(recipe.name, computed, stated, inputs),
            check_id=check_id(claim.claim_id, index),
            claim_id=claim.claim_id,
            recipe=recipe.name,
            stated_value=stated.value if stated else None,
            stated_text=stated.text if stated else None,
            computed_value=computed,
            verdict=verdict,
            explanation=explanation,
            rule=rule,
            mentions=mentions,
            rows=[r for v in inputs for r in v.rows],
            sources=sorted({s for v in inputs for s in v.sources}),
            source_tier=min((v.tier for v in inputs if v.tier), key=TIER_ORDER.index, default=None),
            better_source_unused=any(v.better_source for v in inputs),
        )

    try:
        outcome = recipe.run(claim, spec, ctx, line, stated)
        if outcome[1] == "incorrect" and _hedged_inputs(claim, spec, stated):
            outcome = _within_hedges(recipe, claim, spec, ctx, line, stated, outcome)
        return result(*outcome)
    except Unverifiable as why:
        return result(None, "unverifiable", f"Unverifiable: {why}.", "no reference data", [])
    except Disagreement as split:
        return result(*_across_sources(recipe, claim, spec, ctx, line, stated, split))


def _hedged_inputs(claim: Claim, spec: dict, stated: Figure | None) -> bool:
    """Whether a figure the check computes from (not the stated one) carries a hedge."""
    refs = [v for k, v in spec.items() if k != "stated"]
    refs = [r for v in refs for r in (v if isinstance(v, list) else [v])]
    ids = {str(r["figure"]) for r in refs if isinstance(r, dict) and "figure" in r}
    return any(
        claim.figures[i].approx
        for i in ids
        if i in claim.figures and (stated is None or claim.figures[i] is not stated)
    )


def _within_hedges(
    recipe: Recipe,
    claim: Claim,
    spec: dict,
    ctx: Context,
    line: str,
    stated: Figure | None,
    outcome: Outcome,
) -> Outcome:
    """An ``incorrect`` outcome redone with each hedged input anywhere within its hedge
    ("almost 10,000": up to 10 % below): ``approximately_correct`` when the stated figure holds
    there, saying which hedge allowed it; else the outcome as it was (docs/claims.md)."""
    ctx.hedged = True
    try:
        redone = recipe.run(claim, spec, ctx, line, stated)
    finally:
        ctx.hedged = False
    if redone[1] != "correct":  # within the hedged inputs' reach, not a near miss of it
        return outcome
    hedged = "; ".join(f"'{v.hedge}' of {v.label}" for v in redone[4] if v.hedge)
    said = f"the stated {stated.text}" if stated else "it"
    return (
        outcome[0],
        "approximately_correct",
        f"{outcome[2].rstrip('.')}; within what {hedged} allows, {said} holds.",
        "hedged input",
        outcome[4],
    )


def _computed_text(
    recipe: str, computed: float | None, stated: Figure | None, inputs: list[Value]
) -> str | None:
    """The computed value as a reader reads it, in the stated figure's kind and unit (a date
    check shows the reference date, "15 May 2023"; a count of rows is a count)."""
    if computed is None:
        return None
    if recipe == "date":
        days = [str(v.value) for v in inputs if isinstance(v.value, str | date)]
        return date_text(days[0][:10]) if days else present(computed, "year")
    if stated is None:
        return present(computed, "count")
    return present(computed, stated.kind, stated.unit)


def _across_sources(
    recipe: Recipe,
    claim: Claim,
    spec: dict,
    ctx: Context,
    line: str,
    stated: Figure | None,
    split: Disagreement,
) -> tuple:
    """The check run once per value the sources give: decided when every value gives the same
    verdict (the explanation names them all), else unverifiable, saying which gives what."""
    outcomes = []
    try:
        for i in range(len(split.values)):
            ctx.pins[split.key] = i
            outcomes.append(recipe.run(claim, spec, ctx, line, stated))
    except (Unverifiable, Disagreement) as why:
        return None, "unverifiable", f"Unverifiable: {why}.", "no reference data", []
    finally:
        ctx.pins.pop(split.key, None)
    given = "; ".join(f"{v.label} gives {fmt(v.value)}" for v in split.values)
    verdicts = [o[1] for o in outcomes]
    if len(set(verdicts)) == 1:
        computed, verdict, text, rule, _ = outcomes[0]
        return (
            computed,
            verdict,
            f"{text.rstrip('.')} (the sources differ: {given}; the verdict is the same under "
            "each).",
            rule,
            [v for o in outcomes for v in o[4]],
        )
    each = "; ".join(
        f"{v.label} gives {fmt(v.value)}: {verdict.replace('_', ' ')}"
        for v, verdict in zip(split.values, verdicts, strict=True)
    )
    return (
        None,
        "unverifiable",
        f"Unverifiable: the sources disagree ({each}).",
        "sources disagree",
        [],
    )


def claim_verdict(results: list[CheckResult]) -> tuple[str, str]:
    """The most severe decided verdict, and the explanation of the check that decided it."""
    decided = [r for r in results if r.verdict != "unverifiable"]
    if not decided:
        return "unverifiable", results[0].explanation if results else "No check could decide."
    worst = min(decided, key=lambda r: SEVERITY.index(r.verdict))
    return worst.verdict, worst.explanation


def run_checks(claims: list[Claim], ctx: Context) -> list[CheckResult]:
    return [
        run_check(claim, i, spec, ctx)
        for claim in claims
        for i, spec in enumerate(claim.checks, start=1)
    ]
