"""Reference queries: the rows of a reference table that a check's ``where`` selects, valid
on the claim's date (``valid_on``), with the conditions documented in docs/claims.md."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.errors import BadInput
from analysis.folding import fold as folded
from analysis.reference.tables import ReferenceTable, date_interval, is_date, valid_on
from analysis.vocab import reference_row_id
from analysis.yamlfile import day_of

if TYPE_CHECKING:
    from analysis.checks.model import Context
    from analysis.claims.register import Claim


def fold(text: str) -> str:
    """Lower case without accents, for comparing names."""
    return folded(text).strip()


# The fields of each reference operand (docs/claims.md, "Operands"): any other is a misspelling
# that would otherwise do nothing ("wher:" dropped the condition and read the first row).
OPERAND_FIELDS = {
    "lookup": frozenset(
        ["table", "column", "where", "valid_on", "label", "pick", "by", "disagreement"]
    ),
    "count": frozenset(["table", "where", "distinct", "valid_on", "label"]),
}
_BOOLEAN_WORDS = ("true", "false")


class ReferenceQuery:
    def __init__(
        self, claim: Claim, spec: Any, ctx: Context, where_line: str, kind: str | None = None
    ) -> None:
        """A query by ``spec``; with ``kind`` (``lookup`` or ``count``), a spec written in a
        claims file, whose fields and values are checked first."""
        self.claim, self.spec, self.ctx, self.line = claim, spec, ctx, where_line
        if kind is not None:
            unknown = sorted(set(spec) - OPERAND_FIELDS[kind], key=str)
            if unknown:
                raise self.fail(
                    f"{kind}: unknown field {unknown[0]!r} "
                    f"(use: {', '.join(sorted(OPERAND_FIELDS[kind]))})"
                )
            if "pick" in spec and spec["pick"] != "latest":
                raise self.fail(f"lookup: pick {spec['pick']!r}: the only choice is latest")
            if "pick" in spec and "by" not in spec:
                raise self.fail("lookup: pick latest needs 'by', the date column to pick by")
            if "disagreement" in spec and spec["disagreement"] != "unverifiable":
                raise self.fail(
                    f"lookup: disagreement {spec['disagreement']!r}: the only choice is "
                    "unverifiable"
                )

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
            return day_of(chosen)
        try:
            return dt.date.fromisoformat(str(chosen))
        except ValueError:
            raise self.fail(f"valid_on {chosen!r}: expected as_of, any or an ISO date") from None

    def rows(self) -> tuple[ReferenceTable, list[dict[str, Any]]]:
        table = self.table()
        where = self.spec.get("where") or {}
        if not isinstance(where, dict):
            raise self.fail("where: expected a mapping of column to condition")
        for col, cond in where.items():
            self.column(table, col)
            self._check_condition(table, col, cond)
        day = self.valid_day()
        kept = [
            r
            for r in table.rows
            if (day is None or valid_on(r, day))
            and all(self._test(table, r, c, cond) for c, cond in where.items())
        ]
        return table, kept

    def _check_condition(self, table: ReferenceTable, column: str, cond: Any) -> None:
        """Refuse a condition whose value cannot be what the column holds, which would match
        no row, or every row, without a word: ``ture`` for a true-or-false column, a word for
        a number, a text where ``in`` wants a list, a word for ``lt``."""
        kind = table.column_kind(column)

        def value(v: Any, what: str) -> None:
            if v is None:
                return
            if kind == "boolean" and not (isinstance(v, bool) or str(v).lower() in _BOOLEAN_WORDS):
                raise self.fail(f"where {column}: {what} {v!r} is not true or false")
            if kind == "number" and not _is_number(v):
                raise self.fail(f"where {column}: {what} {v!r} is not a number")

        if not isinstance(cond, dict):
            value(cond, "value")
            return
        for op, arg in cond.items():
            if op == "not":
                value(arg, "not")
            elif op == "in":
                if not isinstance(arg, list):
                    raise self.fail(f"where {column}: in expects a list, not {arg!r}")
                for a in arg:
                    value(a, "in")
            elif op in ("lt", "le", "gt", "ge") and not _is_number(arg):
                raise self.fail(f"where {column}: {op} {arg!r} is not a number")
            elif op == "empty" and not isinstance(arg, bool):
                raise self.fail(f"where {column}: empty expects true or false, not {arg!r}")
            elif op in ("before", "after", "on_or_before", "on_or_after", "during") and not (
                (arg == "as_of" and op != "during") or isinstance(arg, dt.date) or is_date(str(arg))
            ):
                raise self.fail(
                    f"where {column}: {op} {arg!r}: expected a date such as 2021 or 2021-05-15"
                    + (" (or as_of)" if op != "during" else "")
                )

    def _test(self, table: ReferenceTable, row: dict[str, Any], column: str, cond: Any) -> bool:
        raw = row.get(column)
        kind = table.column_kind(column)
        if isinstance(cond, dict):
            return all(self._op(table, row, column, kind, raw, op, arg) for op, arg in cond.items())
        return equal(kind, raw, cond)

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
            return not equal(kind, raw, arg)
        if op == "in":
            return any(equal(kind, raw, a) for a in arg)
        if op == "empty":
            return (raw in (None, "")) == bool(arg)
        if op == "named":  # the name, an alias, or the surname of either
            names = [fold(n) for n in [raw or "", *(row.get("aliases") or "").split(";")] if n]
            wanted = fold(str(arg))
            return wanted in names or wanted in {n.split()[-1] for n in names}
        if op == "contains":
            return raw is not None and fold(str(arg)) in fold(raw)
        if op in ("before", "after", "on_or_before", "on_or_after"):
            span = date_interval(raw) if raw else None
            if span is None:
                return False
            if arg == "as_of":
                if self.claim.as_of is None:
                    raise Unverifiable("the document has no date to judge it as of")
                when = self.claim.as_of
            else:
                when = day_of(arg) if isinstance(arg, dt.date) else date_interval(str(arg))[0]
            return {
                "before": span[0] < when,
                "after": span[1] > when,
                "on_or_before": span[0] <= when,
                "on_or_after": span[1] >= when,
            }[op]
        if op == "during":  # the row's date falls (at least partly) within the period given
            span = date_interval(raw) if raw else None
            period = date_interval(
                day_of(arg).isoformat() if isinstance(arg, dt.date) else str(arg)
            )
            if period is None:
                raise self.fail(f"during {arg!r}: expected a partial ISO date such as 2021")
            return span is not None and span[0] <= period[1] and span[1] >= period[0]
        if op in ("lt", "le", "gt", "ge"):
            if raw is None:
                return False
            x, y = float(raw), float(arg)
            return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]
        raise self.fail(f"unknown condition {op!r} on column {column!r}")


def _is_number(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def equal(kind: str, raw: Any, wanted: Any) -> bool:
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


def row_ids(table: ReferenceTable, rows: list[dict[str, Any]]) -> list[str]:
    return [reference_row_id(table.name, r["_line"]) for r in rows]


def row_sources(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({r["source_id"] for r in rows})
