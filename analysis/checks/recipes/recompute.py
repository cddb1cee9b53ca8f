"""Recipe ``recompute``: a stated figure against the same measure recomputed from the heads
table of multilateral organizations (docs/leaders.md), as of the claim's date.

The check decides only when the recomputation covers what the claim is about: as many
organizations as the claim's population (``about``, when given) and complete coverage for the
measure (no day without a head of known gender for a share of time; no leader of unknown gender
or undated tenure for a count; a known head for every organization on the date for a figure of
that date). Otherwise it is unverifiable and says why, with the recomputed value, the published
one (``published``) and their difference: a recomputation over other organizations never makes
a published figure wrong. ``through`` (a date operand) says that the statement may date from
any day up to then (a reader comment dated only from below): the measure is recomputed on every
day a head changed in that window, and the check decides only if every day gives one verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.checks import leadership
from analysis.checks.model import Unverifiable, Value
from analysis.checks.operands import number, operand
from analysis.checks.recipes import Outcome, Recipe
from analysis.checks.tolerance import compare
from analysis.errors import BadInput
from analysis.formatting import date_text, fmt
from analysis.reference.tables import date_interval
from analysis.vocab import SOURCE_TIERS, reference_row_id

if TYPE_CHECKING:
    import duckdb

    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure

SCOPES = {
    "all": "every organization of the heads table",
    "ceb": "the CEB members",
    "gwl_2023": "the organizations established as in GWL Voices' 2023 mapping",
}
# measure -> (what it is, what must be complete for it to decide)
MEASURES = {
    "women_share_of_time_percent": ("women's share of leadership-time", "time"),
    "leaders": ("leaders", "leaders"),
    "women_leaders": ("women leaders", "leaders"),
    "organizations_never_led_by_woman": ("organizations never led by a woman", "leaders"),
    "organizations_led_by_woman_once": ("organizations led by a woman once", "leaders"),
    "currently_led_by_woman_percent": ("share of organizations led by a woman on the date", "date"),
    "share_of_posts_percent": ("share of the CEB members' heads on the date", "posts"),
}
_IN_SCOPE = {"all": "true", "ceb": "o.in_ceb", "gwl_2023": "o.in_gwl_2023"}


@dataclass
class Recomputed:
    day: dt.date
    value: float
    organizations: int
    found: str  # what was found, for the explanation
    complete: bool
    coverage: str


def _fail(claim: Claim, line: str, message: str) -> BadInput:
    return BadInput(claim.path, f"claim {claim.claim_id!r}: recompute: {message}", line)


def _at(
    con: duckdb.DuckDBPyConnection, day: dt.date, measure: str, scope: str, country: Any
) -> Recomputed:
    """The measure as of ``day``, with what it covers."""
    what, needs = MEASURES[measure]
    shown = date_text(day.isoformat())
    summary = leadership.one(
        con, "SELECT * FROM leaders_summary WHERE scope = ? AND as_of = ?", [scope, day]
    )
    if summary is None:
        raise Unverifiable("the heads table has no organization in that scope")
    orgs = int(summary["organizations"])
    if needs == "posts":
        row = leadership.one(
            con,
            "SELECT * FROM leaders_country_posts WHERE nationality_iso3 = ? AND as_of = ?",
            [country, day],
        )
        posts = int(row["posts"]) if row else 0
        known = int(summary["organizations_with_head_on_date"])
        total = int(summary["organizations_existing"])
        if not known:
            raise Unverifiable(f"no CEB member has a known head on {shown}")
        value = 100.0 * posts / known
        named = f" ({row['organizations']})" if row else ""
        return Recomputed(
            day,
            value,
            orgs,
            f"on {shown} {posts} of the {known} CEB members with a known head were headed by "
            f"{country} nationals{named}: {fmt(value)} %",
            known == total,
            f"{known} of the {total} CEB members have a known head that day",
        )
    if summary[measure] is None:
        raise Unverifiable(f"the heads table gives no {what} in that scope")
    value = float(summary[measure])
    found = (
        f"{what} {fmt(value)}{' %' if measure.endswith('percent') else ''} over {orgs} "
        f"organizations ({SCOPES[scope]}), 1945 to {shown}: {summary['leaders']} leaders, "
        f"{summary['women_leaders']} women, {summary['organizations_never_led_by_woman']} never "
        f"led by a woman, {summary['organizations_led_by_woman_once']} once"
    )
    if needs == "time":
        covered = float(summary["coverage_percent"] or 0)
        return Recomputed(
            day,
            value,
            orgs,
            found,
            covered >= 100.0,
            f"{fmt(covered)} % of organization-days have a head of known gender",
        )
    if needs == "leaders":
        gaps = int(summary["unknown_gender_leaders"]) + int(summary["undated_tenures"])
        return Recomputed(
            day, value, orgs, found, gaps == 0, f"leaders of unknown gender or undated: {gaps}"
        )
    heads, existing = summary["organizations_with_head_on_date"], summary["organizations_existing"]
    return Recomputed(
        day,
        value,
        orgs,
        found,
        heads == existing,
        f"{heads} of {existing} organizations have a known head that day",
    )


def _evidence(
    con: duckdb.DuckDBPyConnection, day: dt.date, scope: str, on_date: bool
) -> tuple[list[str], list[str], str | None]:
    """The reference rows (preferred rows of the tenures the measure used), their sources and
    their best tier."""
    where = "? BETWEEN x.first_day AND x.last_day" if on_date else "x.first_day <= ?"
    found = leadership.rows(
        con,
        f"""SELECT DISTINCT t.row_no, t.source_id, t.source_tier
            FROM leaders_spells x
            JOIN leaders_tenures t USING (tenure_id)
            JOIN leaders_by_organization o
              ON o.organization_id = x.organization_id AND o.as_of = ?
            WHERE {where} AND {_IN_SCOPE[scope]} ORDER BY t.row_no""",
        [day, day],
    )
    ids = [reference_row_id(leadership.HEADS, r[0]) for r in found]
    tiers = sorted({r[2] for r in found if r[2]}, key=list(SOURCE_TIERS).index)
    return ids, sorted({r[1] for r in found}), tiers[0] if tiers else None


def _window(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, inputs: list[Value]
) -> tuple[dt.date, ...]:
    """The claim's date, and with ``through`` every day a head took or left office up to it."""
    assert claim.as_of is not None
    if spec.get("through") is None:
        return (claim.as_of,)
    end_value = operand(claim, spec["through"], ctx, line)
    span = date_interval(str(end_value.value)[:10]) if end_value.value else None
    if span is None:
        raise Unverifiable(f"{end_value.label} is not a date")
    inputs.append(end_value)
    end = span[1]
    changes: set[dt.date] = {claim.as_of, end}
    for row in ctx.references[leadership.HEADS].rows:
        for column, shift in (("term_start", 0), ("term_end", 1)):
            when = date_interval(row.get(column))
            if when and claim.as_of < when[0] + dt.timedelta(days=shift) <= end:
                changes.add(when[0] + dt.timedelta(days=shift))
    return tuple(sorted(changes))


def _recompute(
    claim: Claim, spec: dict[str, Any], ctx: Context, line: str, stated: Figure | None
) -> Outcome:
    measure, scope, expect = spec.get("measure"), spec.get("scope", "all"), spec.get("expect")
    if measure not in MEASURES:
        raise _fail(claim, line, f"unknown measure {measure!r} (known: {', '.join(MEASURES)})")
    if scope not in SCOPES:
        raise _fail(claim, line, f"unknown scope {scope!r} (known: {', '.join(SCOPES)})")
    if MEASURES[measure][1] == "posts" and (scope != "ceb" or not spec.get("country")):
        raise _fail(claim, line, "share_of_posts_percent needs scope: ceb and a country")
    if expect not in (None, "some", "none"):
        raise _fail(claim, line, f"expect {expect!r}: expected some or none")
    if expect is None and stated is None:
        raise _fail(claim, line, "needs 'stated' or 'expect: none|some'")
    if claim.as_of is None:
        raise Unverifiable("the document has no date to judge it as of")
    what, needs = MEASURES[measure]
    extra: list[Value] = []
    days = _window(claim, spec, ctx, line, extra)
    con = leadership.connection(ctx.references, days)
    results = [_at(con, day, measure, scope, spec.get("country")) for day in days]
    first = results[0]
    rows, sources, tier = _evidence(con, first.day, scope, needs in ("posts", "date"))
    inputs = [Value(first.value, f"recomputed {what}", rows=rows, sources=sources, tier=tier)]
    said = ""
    if spec.get("published") is not None:
        pub = operand(claim, spec["published"], ctx, line)
        published = number(pub, "the published figure")
        said += f"; published: {fmt(published)} ({pub.label}), a difference of "
        said += fmt(first.value - published) + (" points" if measure.endswith("percent") else "")
        inputs.append(pub)
    same_population = True
    if spec.get("about") is not None:
        about = operand(claim, spec["about"], ctx, line)
        population = number(about, "the organizations the claim is about")
        same_population = population == first.organizations
        said += f"; the claim is about {fmt(population)} organizations ({about.label})"
        inputs.append(about)
    inputs += extra
    # the organizations established as GWL Voices' are a subset of its mapping: one example
    # (or counterexample) among them speaks for the whole
    subset = scope == "gwl_2023" and spec.get("about") is not None
    if not (same_population or (expect is not None and subset)) or (
        expect is None and not all(r.complete for r in results)
    ):
        why = "other organizations than the claim's" if not same_population else "gaps"
        return (
            None,
            "unverifiable",
            f"Unverifiable: recomputed from the heads table, {first.found}{said}; "
            f"{first.coverage}; the recomputation covers {why}, so it cannot decide "
            "(docs/leaders.md).",
            "recomputation does not cover the claim",
            [],
        )
    outcomes = []
    for r in results:
        if expect is not None:
            outcomes.append(_expected(expect, r.value, same_population and r.complete))
        else:
            assert stated is not None
            outcomes.append(compare(stated, r.value, ctx))
    if len({o[0] for o in outcomes}) > 1:
        changed = next(i for i, o in enumerate(outcomes) if o[0] != outcomes[0][0])
        each = "; ".join(
            f"{results[i].found}: {outcomes[i][0].replace('_', ' ')}" for i in (0, changed)
        )
        return (
            None,
            "unverifiable",
            f"Unverifiable: the statement may date from any day of the window, and the "
            f"recomputation changes within it ({each}).",
            "recomputation differs within the statement's dates",
            [],
        )
    verdict, clause, rule = outcomes[0]
    if verdict == "unverifiable":
        return None, verdict, f"Unverifiable: recomputed from the heads table, {clause}.", rule, []
    window = (
        f" (the same on every day to {date_text(days[-1].isoformat())})" if len(days) > 1 else ""
    )
    return (
        first.value,
        verdict,
        f"Recomputed from the heads table, {first.found}{said}; {first.coverage}{window}; "
        f"{clause}.",
        rule,
        inputs,
    )


def _expected(expect: str, value: float, whole: bool) -> tuple[str, str, str]:
    """``expect: some`` holds on one example from the claim's organizations (or a subset of
    them); ``expect: none`` fails on one counterexample and holds only on complete coverage."""
    if expect == "some" and value > 0:
        return "correct", "at least one, as stated", "expect some"
    if expect == "none" and value > 0:
        return "incorrect", "the statement implies none", "expect none"
    if expect == "none" and whole:
        return "correct", "none, as stated", "expect none"
    return "unverifiable", "the recomputation does not cover enough to decide", f"expect {expect}"


RECIPE = Recipe(
    name="recompute",
    fields=frozenset(
        ["stated", "expect", "measure", "scope", "country", "about", "published", "through"]
    ),
    summary="the measure recomputed from the heads table as of the claim's date "
    "(docs/leaders.md), decided only when it covers what the claim is about",
    run=_recompute,
    stated_required=False,
)
