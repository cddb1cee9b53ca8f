"""Operands of a check: a figure of the claim (or of another claim of the same document), one
value looked up in a reference table, a count of reference rows, or the claim's date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable, Value
from analysis.checks.query import ReferenceQuery, row_ids, row_sources
from analysis.errors import BadInput

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim, Figure


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
        query = ReferenceQuery(claim, arg, ctx, line)
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
            return Value(float(n), label, rows=row_ids(table, rows), sources=row_sources(rows))
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
            first, label, rows=row_ids(table, rows[:1]), sources=row_sources(rows[:1]), note=note
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
