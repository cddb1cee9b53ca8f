"""Check recipes and verdicts.

A check is data (a mapping in a claims file) naming one recipe; the recipe computes a value from
the claim's own figures, other claims' figures of the same document and reference tables, and
the verdict compares it with the stated figure under the tolerance rules in
``data/methodology/tolerance.yaml``. Recipes (documented in docs/claims.md):

- ``share``: part / total × 100 against a stated percentage;
- ``ratio``: a stated value against a reference value (optionally converted: ``times``);
- ``count``: rows of a reference table matching a filter, against a stated count or an
  expectation (``none``, ``one``) for statements with no figure ("never", "only");
- ``ordinal``: an entity's position in a reference sequence against a stated ordinal;
- ``span``: the time between two dates against a stated duration;
- ``date``: a stated date or year against a reference date, at the stated precision;
- ``same_as``: agreement with another figure of the same document (``inconsistent`` if not).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.claims import Claim, Figure
from analysis.documents import load_yaml
from analysis.errors import BadInput
from analysis.reference import ReferenceTable, date_interval, valid_on
from analysis.yamlines import line_of

VERDICTS = ("correct", "approximately_correct", "incorrect", "inconsistent", "unverifiable")
SEVERITY = ("incorrect", "inconsistent", "approximately_correct", "correct")

RECIPE_FIELDS: dict[str, set[str]] = {
    "share": {"stated", "part", "total"},
    "ratio": {"stated", "reference", "times"},
    "count": {"stated", "expect", "rows"},
    "ordinal": {"stated", "of"},
    "span": {"stated", "from", "to", "unit"},
    "date": {"stated", "reference"},
    "same_as": {"stated", "other", "relation"},
}
COMMON_FIELDS = {"recipe", "note"}
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.436875, "year": 365.2425, "decade": 3652.425}


@dataclass(frozen=True)
class Tolerance:
    hedges: dict[str, dict[str, Any]]
    measured: float
    exact: float
    measured_kinds: frozenset[str]


def load_tolerance(path: Path) -> Tolerance:
    data = load_yaml(path)
    return Tolerance(
        hedges={str(k): v for k, v in data["hedges"].items()},
        measured=float(data["unhedged"]["measured"]),
        exact=float(data["unhedged"]["exact"]),
        measured_kinds=frozenset(data["measured_kinds"]),
    )


@dataclass
class Value:
    """An operand's value and where it came from."""

    value: Any
    label: str
    mentions: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class CheckResult:
    check_id: str
    claim_id: str
    recipe: str
    stated_value: float | None
    stated_text: str | None
    computed_value: float | None
    verdict: str
    explanation: str
    rule: str
    mentions: list[str]
    rows: list[str]
    sources: list[str]


class Unverifiable(Exception):
    """No reference data to decide: the check's verdict is ``unverifiable``."""


@dataclass
class Context:
    claims: dict[str, Claim]
    references: dict[str, ReferenceTable]
    tolerance: Tolerance


# ---------------------------------------------------------------- formatting


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    digits = max(2, -math.floor(math.log10(abs(value))) + 2)
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


# ---------------------------------------------------------------- reference queries


class _Query:
    def __init__(self, claim: Claim, spec: Any, ctx: Context, where_line: str) -> None:
        self.claim, self.spec, self.ctx, self.line = claim, spec, ctx, where_line

    def fail(self, message: str) -> BadInput:
        return BadInput(self.claim.path, f"claim {self.claim.claim_id!r}: {message}", self.line)

    def table(self) -> ReferenceTable:
        name = self.spec.get("table")
        if name not in self.ctx.references:
            raise self.fail(
                f"unknown reference table {name!r} (have: {', '.join(sorted(self.ctx.references))})"
            )
        return self.ctx.references[name]

    def column(self, table: ReferenceTable, name: Any) -> str:
        if name not in table.columns:
            raise self.fail(f"reference table {table.name!r} has no column {name!r}")
        return str(name)

    def valid_day(self) -> dt.date | None:
        chosen = self.spec.get("valid_on", "as_of")
        if chosen == "any":
            return None
        if chosen == "as_of":
            return self.claim.as_of
        if isinstance(chosen, dt.date):
            return chosen
        try:
            return dt.date.fromisoformat(str(chosen))
        except ValueError:
            raise self.fail(f"valid_on {chosen!r}: expected as_of, any or an ISO date") from None

    def rows(self) -> tuple[ReferenceTable, list[dict[str, Any]]]:
        table = self.table()
        where = self.spec.get("where") or {}
        if not isinstance(where, dict):
            raise self.fail("where: expected a mapping of column to condition")
        for col in where:
            self.column(table, col)
        day = self.valid_day()
        kept = [
            r
            for r in table.rows
            if (day is None or valid_on(r, day))
            and all(self._test(table, r, c, cond) for c, cond in where.items())
        ]
        return table, kept

    def _test(self, table: ReferenceTable, row: dict[str, Any], column: str, cond: Any) -> bool:
        raw = row.get(column)
        kind = table.column_kind(column)
        if isinstance(cond, dict):
            return all(self._op(table, row, column, kind, raw, op, arg) for op, arg in cond.items())
        return _equal(kind, raw, cond)

    def _op(
        self,
        table: ReferenceTable,
        row: dict[str, Any],
        column: str,
        kind: str,
        raw: Any,
        op: str,
        arg: Any,
    ) -> bool:
        if op == "not":
            return not _equal(kind, raw, arg)
        if op == "in":
            return any(_equal(kind, raw, a) for a in arg)
        if op == "empty":
            return (raw in (None, "")) == bool(arg)
        if op == "named":  # the name, an alias, or the surname of either
            names = [_fold(n) for n in [raw or "", *(row.get("aliases") or "").split(";")] if n]
            wanted = _fold(str(arg))
            return wanted in names or wanted in {n.split()[-1] for n in names}
        if op == "contains":
            return raw is not None and _fold(str(arg)) in _fold(raw)
        if op in ("before", "after", "on_or_before", "on_or_after"):
            span = date_interval(raw) if raw else None
            if span is None:
                return False
            if arg == "as_of":
                if self.claim.as_of is None:
                    raise Unverifiable("the document has no date to judge it as of")
                when = self.claim.as_of
            else:
                when = arg if isinstance(arg, dt.date) else date_interval(str(arg))[0]
            return {
                "before": span[0] < when,
                "after": span[1] > when,
                "on_or_before": span[0] <= when,
                "on_or_after": span[1] >= when,
            }[op]
        if op in ("lt", "le", "gt", "ge"):
            if raw is None:
                return False
            x, y = float(raw), float(arg)
            return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]
        raise self.fail(f"unknown condition {op!r} on column {column!r}")


def _equal(kind: str, raw: Any, wanted: Any) -> bool:
    if raw is None:
        return wanted is None
    if kind == "number":
        try:
            return float(raw) == float(wanted)
        except (TypeError, ValueError):
            return False
    if kind == "boolean":
        return (raw == "true") == (wanted is True or str(wanted).lower() == "true")
    return str(raw) == str(wanted)


def _row_ids(table: ReferenceTable, rows: list[dict[str, Any]]) -> list[str]:
    return [f"{table.name}:{r['_line']}" for r in rows]


def _row_sources(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({r["source_id"] for r in rows})


# ---------------------------------------------------------------- operands


def operand(claim: Claim, spec: Any, ctx: Context, line: str) -> Value:
    """Evaluate ``{figure: …}``, ``{lookup: …}``, ``{count: …}`` or ``{as_of: true}``."""
    if not isinstance(spec, dict) or len(spec) != 1:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: operand {spec!r} must be one of "
            "figure, lookup, count, as_of",
            line,
        )
    ((kind, arg),) = spec.items()
    if kind == "figure":
        fig = figure(claim, str(arg), ctx, line)
        value = fig.value
        if fig.kind in ("date", "year"):
            value = fig.iso or (str(int(fig.value)) if fig.value is not None else None)
        return Value(value, f"the text's {fig.text}", mentions=[fig.mention_id])
    if kind == "as_of":
        if claim.as_of is None:
            raise Unverifiable("the document has no date to judge it as of")
        return Value(claim.as_of.isoformat(), "the date the document is judged as of")
    if kind in ("lookup", "count"):
        if not isinstance(arg, dict):
            raise BadInput(claim.path, f"claim {claim.claim_id!r}: {kind} expects a mapping", line)
        query = _Query(claim, arg, ctx, line)
        table, rows = query.rows()
        label = str(arg.get("label") or table.title)
        if kind == "count":
            distinct = arg.get("distinct")
            if distinct is not None:
                query.column(table, distinct)
                keys = {r[distinct] for r in rows}
                n = len(keys)
                names = sorted(str(k) for k in keys)
            else:
                n = len(rows)
                names = []
            if names and len(names) <= 6:
                label = f"{label}: {', '.join(names)}"
            return Value(float(n), label, rows=_row_ids(table, rows), sources=_row_sources(rows))
        column = query.column(table, arg.get("column"))
        if not rows:
            raise Unverifiable(f"no row of {table.name} matches {dict(arg.get('where') or {})}")
        ckind = table.column_kind(column)
        values = [r[column] for r in rows if r[column] not in (None, "")]
        if not values:
            raise Unverifiable(f"{table.name}.{column} is empty for the matching rows")
        first = float(values[0]) if ckind == "number" else values[0]
        others = sorted({v for v in values[1:] if v != values[0]})
        note = f"other sources give {', '.join(others)}" if others else ""
        return Value(
            first, label, rows=_row_ids(table, rows[:1]), sources=_row_sources(rows[:1]), note=note
        )
    raise BadInput(claim.path, f"claim {claim.claim_id!r}: unknown operand {kind!r}", line)


def figure(claim: Claim, ref: str, ctx: Context, line: str) -> Figure:
    """A named figure of this claim, or ``other_claim.name`` of the same document."""
    owner, name = ref.split(".", 1) if "." in ref else (claim.claim_id, ref)
    other = ctx.claims.get(owner)
    if other is None or other.doc_id != claim.doc_id:
        raise BadInput(
            claim.path, f"claim {claim.claim_id!r}: no claim {owner!r} in this document", line
        )
    if name not in other.figures:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: claim {owner!r} has no figure {name!r} "
            f"(has: {', '.join(other.figures) or 'none'})",
            line,
        )
    return other.figures[name]


# ---------------------------------------------------------------- verdicts


def precision_of(fig: Figure) -> float:
    """The stated figure's precision in its own units: 67 → 1, 71.1 million → 100,000."""
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", fig.text)
    if m is None or fig.value is None:
        return 1.0
    number = float(m.group().replace(",", ""))
    decimals = len(m.group(1) or "")
    scale = fig.value / number if number and fig.kind in ("money", "count") else 1.0
    return 10.0**-decimals * scale


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
    if fig.approx and fig.approx in ctx.tolerance.hedges:
        rule = ctx.tolerance.hedges[fig.approx]
        rel, direction = float(rule["relative"]), rule["direction"]
        ok_side = (
            direction == "either"
            or (direction == "below" and computed <= stated + p / 2)
            or (direction == "above" and computed >= stated - p / 2)
        )
        name = f"hedge '{fig.approx}': ±{rel:.0%} {direction}"
        if abs(deviation) <= rel and ok_side:
            return (
                "approximately_correct",
                f"{off} the stated {fig.text}, within what '{fig.approx}' allows",
                name,
            )
        return "incorrect", f"{off} the stated {fig.text}, more than '{fig.approx}' allows", name
    measured = fig.kind in ctx.tolerance.measured_kinds
    rel = ctx.tolerance.measured if measured else ctx.tolerance.exact
    name = (
        f"no hedge, measured quantity: ±{rel:.0%}"
        if measured
        else "no hedge, count or position: exact"
    )
    if rel and abs(deviation) <= rel:
        return "approximately_correct", f"{off} the stated {fig.text}, a near miss", name
    return "incorrect", f"{off} the stated {fig.text}", name


# ---------------------------------------------------------------- recipes


def _stated(
    claim: Claim, spec: dict, ctx: Context, line: str, required: bool = True
) -> Figure | None:
    name = spec.get("stated")
    if name is None:
        if required:
            raise BadInput(
                claim.path,
                f"claim {claim.claim_id!r}: check {spec.get('recipe')!r} needs 'stated'",
                line,
            )
        return None
    return figure(claim, str(name), ctx, line)


def _number(v: Value, claim: Claim, what: str) -> float:
    if not isinstance(v.value, (int, float)):
        raise Unverifiable(f"{what} ({v.label}) is not a number")
    return float(v.value)


def run_check(claim: Claim, index: int, spec: dict, ctx: Context) -> CheckResult:
    line = line_of(spec) or str(claim.line)
    recipe = spec.get("recipe")
    if recipe not in RECIPE_FIELDS:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: unknown recipe {recipe!r} "
            f"(known: {', '.join(RECIPE_FIELDS)})",
            line,
        )
    unknown = sorted(set(spec) - RECIPE_FIELDS[recipe] - COMMON_FIELDS)
    if unknown:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: check {recipe!r} has unknown field {unknown[0]!r}",
            line,
        )
    check_id = f"{claim.claim_id}/{index}"
    stated = _stated(claim, spec, ctx, line, required=recipe not in ("count",))
    if recipe == "count" and stated is None and spec.get("expect") not in ("none", "one", "some"):
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: count needs 'stated' or 'expect: none|one|some'",
            line,
        )
    used = [stated.mention_id] if stated else []

    def result(
        computed: float | None, verdict: str, explanation: str, rule: str, inputs: list[Value]
    ) -> CheckResult:
        mentions = used + [m for v in inputs for m in v.mentions if m not in used]
        notes = "; ".join(v.note for v in inputs if v.note)
        if notes:
            explanation = f"{explanation.rstrip('.')} ({notes})."
        return CheckResult(
            check_id=check_id,
            claim_id=claim.claim_id,
            recipe=recipe,
            stated_value=stated.value if stated else None,
            stated_text=stated.text if stated else None,
            computed_value=computed,
            verdict=verdict,
            explanation=explanation,
            rule=rule,
            mentions=mentions,
            rows=[r for v in inputs for r in v.rows],
            sources=sorted({s for v in inputs for s in v.sources}),
        )

    try:
        return result(*_RECIPES[recipe](claim, spec, ctx, line, stated))
    except Unverifiable as why:
        return result(None, "unverifiable", f"Unverifiable: {why}.", "no reference data", [])


def _share(claim, spec, ctx, line, stated):
    part = operand(claim, spec.get("part"), ctx, line)
    total = operand(claim, spec.get("total"), ctx, line)
    a, b = _number(part, claim, "the part"), _number(total, claim, "the total")
    if b == 0:
        raise Unverifiable("the total is zero")
    share = a / b * 100
    verdict, clause, rule = compare(stated, share, ctx)
    text = f"{fmt(a)} ({part.label}) / {fmt(b)} ({total.label}) = {fmt(share)} %, {clause}."
    return share, verdict, text, rule, [part, total]


def _ratio(claim, spec, ctx, line, stated):
    ref = operand(claim, spec.get("reference"), ctx, line)
    value = _number(ref, claim, "the reference")
    inputs = [ref]
    text = f"{ref.label} gives {fmt(value)}"
    if spec.get("times") is not None:
        factor = operand(claim, spec["times"], ctx, line)
        rate = _number(factor, claim, "the conversion factor")
        inputs.append(factor)
        text = (
            f"{ref.label} gives {fmt(value)}, × {fmt(rate)} ({factor.label}) = {fmt(value * rate)}"
        )
        value *= rate
    verdict, clause, rule = compare(stated, value, ctx)
    return value, verdict, f"{text}, {clause}.", rule, inputs


def _count(claim, spec, ctx, line, stated):
    rows_spec = spec.get("rows")
    counted = operand(claim, {"count": rows_spec}, ctx, line)
    n = _number(counted, claim, "the count")
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


def _ordinal(claim, spec, ctx, line, stated):
    of = spec.get("of")
    if not isinstance(of, dict) or "column" not in of:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: ordinal needs of: {{table, where, column}}",
            line,
        )
    position = operand(claim, {"lookup": {"valid_on": "any", **of}}, ctx, line)
    n = _number(position, claim, "the position")
    verdict, clause, rule = compare(stated, n, ctx)
    return n, verdict, f"{position.label} puts it at position {fmt(n)}, {clause}.", rule, [position]


def _days(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    span = date_interval(str(value))
    if span is None:
        raise Unverifiable("a date is missing")
    return span[0]


def _span(claim, spec, ctx, line, stated):
    start = operand(claim, spec.get("from"), ctx, line)
    end = operand(claim, spec.get("to") or {"as_of": True}, ctx, line)
    unit = spec.get("unit") or (stated.unit if stated.kind == "duration" else None) or "year"
    if unit not in _DAYS:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: span unit {unit!r} not one of {', '.join(_DAYS)}",
            line,
        )
    d0, d1 = _days(start.value), _days(end.value)
    length = (d1 - d0).days / _DAYS[unit]
    verdict, clause, rule = compare(stated, length, ctx)
    text = (
        f"From {d0.isoformat()} ({start.label}) to {d1.isoformat()} ({end.label}) is "
        f"{fmt(length)} {unit}s, {clause}."
    )
    return length, verdict, text, rule, [start, end]


def _date(claim, spec, ctx, line, stated):
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


def _same_as(claim, spec, ctx, line, stated):
    other_ref = spec.get("other")
    if not other_ref:
        raise BadInput(claim.path, f"claim {claim.claim_id!r}: same_as needs 'other'", line)
    other = figure(claim, str(other_ref), ctx, line)
    relation = spec.get("relation", "equal")
    a = operand(claim, {"figure": spec["stated"]}, ctx, line).value
    b = operand(claim, {"figure": other_ref}, ctx, line).value
    if a is None or b is None:
        raise Unverifiable("a figure has no value")
    if isinstance(a, str) or isinstance(b, str):
        # a date without a year ("--05-15") compares within a common leap year
        a_span = date_interval(f"2000{a[1:]}" if str(a).startswith("--") else str(a))
        b_span = date_interval(f"2000{b[1:]}" if str(b).startswith("--") else str(b))
        x, y = a_span[0], b_span[0]
    else:
        x, y = float(a), float(b)
    holds = {"equal": x == y, "not_after": x <= y, "not_before": x >= y}.get(relation)
    if holds is None:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: relation {relation!r} "
            "not one of equal, not_after, not_before",
            line,
        )
    agrees = {"equal": "agrees with", "not_after": "is not after", "not_before": "is not before"}
    should = {"equal": "equal", "not_after": "not be after", "not_before": "not be before"}
    where = "" if "." not in str(other_ref) else f" (claim {str(other_ref).split('.')[0]})"
    text = (
        f"The text's {stated.text} {agrees[relation]} {other.text}{where} elsewhere in the "
        "same document."
        if holds
        else f"The text's {stated.text} conflicts with {other.text}{where} elsewhere in the same "
        f"document: it should {should[relation]} it."
    )
    computed = other.value
    return (
        computed,
        "correct" if holds else "inconsistent",
        text,
        f"same document: {relation}",
        [Value(other.value, other.text, mentions=[other.mention_id])],
    )


_RECIPES = {
    "share": _share,
    "ratio": _ratio,
    "count": _count,
    "ordinal": _ordinal,
    "span": _span,
    "date": _date,
    "same_as": _same_as,
}


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
