"""Operands of a check: a figure of the claim (or of another claim of the same document), one
value looked up in a reference table, a count of reference rows, or the claim's date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Disagreement, Unverifiable, Value
from analysis.checks.query import ReferenceQuery, row_ids, row_sources
from analysis.errors import BadInput
from analysis.figures.lexicon import counted_noun
from analysis.formatting import fmt
from analysis.reference.tables import date_interval
from analysis.vocab import POINT_KINDS, SOURCE_TIERS

TIER_ORDER = tuple(SOURCE_TIERS)  # primary first

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure
    from analysis.reference.tables import ReferenceTable


def operand(claim: Claim, spec: Any, ctx: Context, line: str) -> Value:
    """Evaluate ``{figure: …}``, ``{lookup: …}``, ``{count: …}``, ``{constant: n}`` or
    ``{as_of: true}``."""
    if not isinstance(spec, dict) or len(spec) != 1:
        raise BadInput(
            claim.path,
            f"claim {claim.claim_id!r}: operand {spec!r} must be one of "
            "figure, lookup, count, constant, as_of",
            line,
        )
    ((kind, arg),) = spec.items()
    if kind == "figure":
        fig = figure(claim, str(arg), ctx, line)
        value = fig.value
        if fig.kind in ("date", "year"):
            value = fig.iso or (str(int(fig.value)) if fig.value is not None else None)
        from analysis.checks.tolerance import precision_of

        precision = precision_of(fig)
        exact = fig.kind in POINT_KINDS or (
            fig.kind == "count" and precision == 1.0 and float(fig.value or 0).is_integer()
        )  # a count of things written in full ("27 members") is exact, not rounded
        precision = 0.0 if exact else precision
        found = Value(
            value, f"the text's {fig.text}", mentions=[fig.mention_id], precision=precision
        )
        return within_hedge(found, fig, ctx) if ctx.hedged else found
    if kind == "constant":  # a factor, not a fact: 100 for percent, 1,000 for thousands
        if isinstance(arg, bool) or not isinstance(arg, (int, float)):
            raise BadInput(claim.path, f"claim {claim.claim_id!r}: constant expects a number", line)
        return Value(float(arg), f"the constant {fmt(float(arg))}")
    if kind == "as_of":
        if claim.as_of is None:
            raise Unverifiable("the document has no date to judge it as of")
        return Value(claim.as_of.isoformat(), "the date the document is judged as of")
    if kind in ("lookup", "count"):
        if not isinstance(arg, dict):
            raise BadInput(claim.path, f"claim {claim.claim_id!r}: {kind} expects a mapping", line)
        query = ReferenceQuery(claim, arg, ctx, line, kind)
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
            tiers = sorted({row_tier(table, r) for r in rows}, key=TIER_ORDER.index)
            note = f"rows from {', '.join(tiers)} sources" if tiers else ""
            return Value(
                float(n),
                label,
                rows=row_ids(table, rows),
                sources=row_sources(rows),
                note=note,
                tier=tiers[0] if tiers else None,
            )
        column = query.column(table, arg.get("column"))
        if not rows:
            raise Unverifiable(f"no row of {table.name} matches {dict(arg.get('where') or {})}")
        if arg.get("pick") == "latest":  # the latest observation: the rows of the last date
            rows = _latest(table, rows, query.column(table, arg.get("by")), claim)
        rows = [r for r in rows if r[column] not in (None, "")]
        if not rows:
            raise Unverifiable(f"{table.name}.{column} is empty for the matching rows")
        tier = best_tier(table, rows)  # the highest tier among the rows valid at the date
        rows = [r for r in rows if row_tier(table, r) == tier]
        better = _better_elsewhere(claim, arg, ctx, line, table, column, tier)
        ckind = table.column_kind(column)
        values = [r[column] for r in rows]
        first = float(values[0]) if ckind == "number" else values[0]
        others = sorted({v for v in values[1:] if v != values[0]})
        if others and arg.get("disagreement") == "unverifiable":
            return _pinned(table, rows, column, ckind, label, arg, ctx)
        notes = [f"{tier} source"] + ([f"other sources give {', '.join(others)}"] if others else [])
        return Value(
            first,
            label,
            rows=row_ids(table, rows[:1]),
            sources=row_sources(rows[:1]),
            note="; ".join(notes),
            tier=tier,
            better_source=better,
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


def stated_figure(
    claim: Claim, spec: dict, ctx: Context, line: str, required: bool = True
) -> Figure | None:
    """The check's ``stated`` figure."""
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


def number(v: Value, what: str) -> float:
    """An operand's numeric value, or unverifiable."""
    if not isinstance(v.value, (int, float)):
        raise Unverifiable(f"{what} ({v.label}) is not a number")
    return float(v.value)


def same_units(claim: Claim, specs: list[Any], ctx: Context, line: str, nouns: bool = True) -> None:
    """Figures of different currencies or units are never compared (docs/relations.md): a
    check over them is unverifiable, with the reason, never a "1,000 times" verdict. Counts
    must count the same noun (case and adjectives aside) unless ``nouns`` is false."""
    figs = [
        figure(claim, str(s["figure"]), ctx, line)
        for s in specs
        if isinstance(s, dict) and "figure" in s
    ]
    kinds = {f.kind for f in figs}
    money = {f.unit for f in figs if f.kind == "money"}
    percent = {f.unit for f in figs if f.kind == "percent"}
    counted = {counted_noun(f.unit) for f in figs if f.kind == "count" and f.unit and nouns}
    if len(kinds) > 1 or len(money) > 1 or len(percent) > 1 or len(counted) > 1:
        described = ", ".join(f"{f.text} ({f.unit or f.kind})" for f in figs)
        raise Unverifiable(f"the figures are in different units or currencies: {described}")


NEAR = 0.10  # a hedge of nearness: its rule allows no more than this (docs/claims.md)


def within_hedge(found: Value, fig: Figure, ctx: Context) -> Value:
    """``found`` anywhere its figure's hedge allows ("almost 10,000": up to 10 % below it), by
    the tolerance rules; a figure with no hedge, or one of a date or a year, as it is."""
    rule = ctx.tolerance.hedges.get(fig.approx or "")
    if rule is None or fig.kind in POINT_KINDS or not isinstance(found.value, (int, float)):
        return found
    if float(rule["relative"]) > NEAR:  # "over", "less than": as often a comparison as a hedge
        return found
    spread = abs(float(found.value)) * float(rule["relative"])
    direction = rule["direction"]
    found.hedge = fig.approx
    found.spread_low = spread if direction in ("below", "either") else 0.0
    found.spread_high = spread if direction in ("above", "either") else 0.0
    return found


def bounds(values: list[Value], combine: Any) -> tuple[float, float]:
    """The least and greatest ``combine(*values)`` with each stated value anywhere within its
    rounding (monotone functions of each input are exact at the interval ends)."""
    import itertools

    results = [combine(*choice) for choice in itertools.product(*[(v.low, v.high) for v in values])]
    return min(results), max(results)


def _better_elsewhere(
    claim: Claim,
    arg: dict[str, Any],
    ctx: Context,
    line: str,
    table: ReferenceTable,
    column: str,
    tier: str,
) -> bool:
    """Whether the same fact (the same conditions but for a pinned source) is held, valid at
    the same date, by a source of a higher tier than the one used."""
    where = dict(arg.get("where") or {})
    if not any(k == "source_id" or k.endswith("_source_id") for k in where):
        return False  # nothing pinned: the highest tier was already chosen
    free = {k: v for k, v in where.items() if k != "source_id" and not k.endswith("_source_id")}
    _, rows = ReferenceQuery(claim, {**arg, "where": free}, ctx, line).rows()
    rows = [r for r in rows if r.get(column) not in (None, "")]
    return bool(rows) and TIER_ORDER.index(best_tier(table, rows)) < TIER_ORDER.index(tier)


STALE_YEARS = 3  # a latest observation older than this says nothing of the document's date


def _latest(
    table: ReferenceTable, rows: list[dict[str, Any]], by: str, claim: Claim
) -> list[dict[str, Any]]:
    """The rows of the latest date in column ``by``; unverifiable when that date is more than
    :data:`STALE_YEARS` before the claim's."""
    dated = [(date_interval(r[by]), r) for r in rows if r.get(by)]
    dated = [(span, r) for span, r in dated if span]
    if not dated:
        return rows
    last = max(span[0] for span, _ in dated)
    if claim.as_of is not None and (claim.as_of - last).days > 365.25 * STALE_YEARS:
        raise Unverifiable(
            f"the latest {table.title} row is of {last.isoformat()}, too old to judge a "
            f"statement of {claim.as_of.isoformat()}"
        )
    return [r for span, r in dated if span[0] == last]


def row_tier(table: ReferenceTable, row: dict[str, Any]) -> str:
    """The best tier among a row's sources (docs/reference-format.md)."""
    ids = [s for s in (row.get("source_id") or "").split(";") if s]
    tiers = [table.sources[s].tier for s in ids if s in table.sources]
    return min(tiers, key=TIER_ORDER.index, default=TIER_ORDER[-1])


def best_tier(table: ReferenceTable, rows: list[dict[str, Any]]) -> str:
    return min((row_tier(table, r) for r in rows), key=TIER_ORDER.index)


def _pinned(
    table: ReferenceTable,
    rows: list[dict[str, Any]],
    column: str,
    ckind: str,
    label: str,
    arg: dict[str, Any],
    ctx: Context,
) -> Value:
    """One of the values the sources disagree on: the one ``ctx.pins`` names, else raise
    :class:`Disagreement` so that the check is run once per value."""
    by_value: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.get(column) not in (None, ""):
            by_value.setdefault(r[column], []).append(r)
    values = [
        Value(
            float(v) if ckind == "number" else v,
            f"{label} ({best_tier(table, rs)}: {', '.join(sorted({r['source_id'] for r in rs}))})",
            rows=row_ids(table, rs),
            sources=row_sources(rs),
            tier=best_tier(table, rs),
        )
        for v, rs in by_value.items()
    ]
    key = repr(sorted((k, repr(v)) for k, v in arg.items()))
    if key not in ctx.pins:
        raise Disagreement(key, values)
    return values[ctx.pins[key]]
