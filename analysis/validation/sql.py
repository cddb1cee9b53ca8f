"""Expectations as DuckDB SQL, over every row of a table (or of a suite's frame).

Each supported expectation becomes one query counting the rows it checks and the rows that
fail it, with a few offending values. Great Expectations' ``row_condition`` in its pandas
syntax (``kind=="percent"``, ``a!="x" and b!="y"``, ``col.notnull()``) is translated.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from analysis.sqlnames import identifier, literal
from analysis.validation.expectations import Expectation

_CONDITION = re.compile(
    r"""^\s*(?P<col>\w+)\s*(?:(?P<op>==|!=)\s*(?P<q>["'])(?P<val>[^"']*)(?P=q)"""
    r"""|\.(?P<fn>notnull|isnull)\(\))\s*$"""
)


class Untranslatable(Exception):
    """This expectation has no SQL form here (Great Expectations alone runs it)."""


def condition_sql(condition: str | None) -> str:
    """A pandas ``row_condition`` as a SQL boolean expression."""
    if not condition:
        return "true"
    parts = []
    for clause in re.split(r"\s+and\s+", condition):
        m = _CONDITION.match(clause)
        if m is None:
            raise Untranslatable(f"row_condition {condition!r}")
        col = identifier(m.group("col"))
        if m.group("fn") == "notnull":
            parts.append(f"{col} IS NOT NULL")
        elif m.group("fn") == "isnull":
            parts.append(f"{col} IS NULL")
        else:
            value = m.group("val").replace("'", "''")
            op = "=" if m.group("op") == "==" else "IS DISTINCT FROM"
            parts.append(f"{col} {op} '{value}'")
    return " AND ".join(parts)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return literal(str(value))


def _outside(expr: str, k: dict[str, Any]) -> str:
    """``expr`` falls outside [min_value, max_value] (bounds optional, strict or not)."""
    tests = []
    if k.get("min_value") is not None:
        tests.append(f"{expr} {'<=' if k.get('strict_min') else '<'} {_literal(k['min_value'])}")
    if k.get("max_value") is not None:
        tests.append(f"{expr} {'>=' if k.get('strict_max') else '>'} {_literal(k['max_value'])}")
    return " OR ".join(tests) or "false"


def failing_rows_sql(exp: Expectation) -> tuple[str, str]:
    """(rows the expectation checks, rows among them that fail it) as SQL conditions over the
    frame ``f``."""
    k = exp.kwargs
    where = condition_sql(k.get("row_condition"))
    name = exp.name
    if "column" in k:
        col = identifier(str(k["column"]))
    if name == "expect_column_values_to_not_be_null":
        return where, f"{col} IS NULL"
    if name == "expect_column_values_to_be_null":
        return where, f"{col} IS NOT NULL"
    if name == "expect_column_values_to_be_in_set":
        values = ", ".join(f"({_literal(v)})" for v in k["value_set"])
        return f"({where}) AND {col} IS NOT NULL", (
            f"CAST({col} AS VARCHAR) NOT IN (SELECT CAST(v AS VARCHAR) FROM (VALUES {values}) t(v))"
            if values
            else "true"
        )
    if name in ("expect_column_values_to_be_between", "expect_column_value_lengths_to_be_between"):
        measured = col if name == "expect_column_values_to_be_between" else f"length({col})"
        return f"({where}) AND {col} IS NOT NULL", _outside(measured, k)
    if name == "expect_column_values_to_match_regex":
        return (
            f"({where}) AND {col} IS NOT NULL",
            f"NOT regexp_matches(CAST({col} AS VARCHAR), {_literal(k['regex'])})",
        )
    if name in (
        "expect_column_pair_values_to_be_equal",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ):
        a, b = identifier(str(k["column_A"])), identifier(str(k["column_B"]))
        ignore = k.get("ignore_row_if", "both_values_are_missing")
        skip = (
            f"({a} IS NULL OR {b} IS NULL)"
            if ignore == "either_value_is_missing"
            else (f"({a} IS NULL AND {b} IS NULL)")
        )
        if name == "expect_column_pair_values_to_be_equal":
            return f"({where}) AND NOT {skip}", f"{a} IS DISTINCT FROM {b}"
        op = ">=" if k.get("or_equal") else ">"
        return f"({where}) AND NOT {skip}", f"NOT coalesce({a} {op} {b}, false)"
    raise Untranslatable(name)


def _key_columns(k: dict[str, Any]) -> tuple[str, str]:
    """A uniqueness expectation's key: its columns, and that none of them is NULL, as SQL."""
    columns = [k["column"]] if "column" in k else list(k["column_list"])
    cols = ", ".join(identifier(c) for c in columns)
    return cols, " AND ".join(f"{identifier(c)} IS NOT NULL" for c in columns)


def _reference(k: dict[str, Any]) -> tuple[str, str]:
    """A reference expectation's column, and the values it may take (the target's non-null
    ones: one NULL among them would make ``NOT IN`` hide every dangling value) as a subquery."""
    table = identifier(k["table"])
    target = f"{table}.{identifier(k['target'])}"
    return identifier(k["column"]), f"(SELECT {target} FROM {table} WHERE {target} IS NOT NULL)"


def passing_sql(exp: Expectation) -> tuple[str, str] | None:
    """For an expectation that needs its own query to name what fails it (a row count, unique
    keys, a reference): (rows it checks, whether it holds) as aggregates over the frame ``f``,
    to be counted with the others; None when it has no such form here."""
    k = exp.kwargs
    if exp.name == "expect_table_row_count_to_be_between":
        tests = []
        if k.get("min_value") is not None:
            tests.append(f"count(*) >= {_literal(k['min_value'])}")
        if k.get("max_value") is not None:
            tests.append(f"count(*) <= {_literal(k['max_value'])}")
        return "count(*)", " AND ".join(tests) or "true"
    if exp.name in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        cols, not_null = _key_columns(k)
        return "count(*)", (
            f"count(*) FILTER (WHERE {not_null}) = count(DISTINCT row({cols})) FILTER "
            f"(WHERE {not_null})"
        )
    if exp.name == "expect_column_values_to_reference":
        col, allowed = _reference(k)
        return (
            "count(*)",
            f"count(*) FILTER (WHERE {col} IS NOT NULL AND {col} NOT IN {allowed}) = 0",
        )
    return None


def run_together(
    con: duckdb.DuckDBPyConnection, frame_sql: str, exps: list[Expectation], sample: int = 5
) -> dict[int, tuple[bool, int, list[str], str | None]]:
    """The results of ``exps`` (by position) counted in one pass over the frame: those checked
    row by row, and those that hold among the ones needing a query of their own (a row count
    out of range, a duplicate key or a dangling reference is left to :func:`run_expectation`,
    which names it); the untranslatable are left out (and a failing statement leaves all)."""
    parts: list[tuple[int, Expectation, str, str]] = []
    aggregates: list[tuple[int, str, str]] = []
    for i, exp in enumerate(exps):
        own = passing_sql(exp)
        if own is not None:
            aggregates.append((i, *own))
            continue
        try:
            checked, failing = failing_rows_sql(exp)
        except Untranslatable:
            continue
        parts.append((i, exp, checked, failing))
    if not parts and not aggregates:
        return {}
    counts = [
        f"count(*) FILTER (WHERE {checked}), count(*) FILTER (WHERE ({checked}) AND ({failing}))"
        for _, _, checked, failing in parts
    ] + [f"{n}, {holds}" for _, n, holds in aggregates]
    row = con.execute(f"SELECT {', '.join(counts)} FROM ({frame_sql}) f").fetchone()
    results: dict[int, tuple[bool, int, list[str], str | None]] = {}
    for j, (i, exp, checked, failing) in enumerate(parts):
        n, failed = row[2 * j], row[2 * j + 1]
        offending = []
        if failed:
            shown = identifier(str(exp.kwargs.get("column") or exp.kwargs.get("column_A")))
            offending = [
                str(r[0])
                for r in con.execute(
                    f"SELECT {shown} FROM ({frame_sql}) f WHERE ({checked}) AND ({failing}) "
                    f"LIMIT {sample}"
                ).fetchall()
            ]
        results[i] = (failed == 0, n, offending, None)
    for j, (i, _, _) in enumerate(aggregates, start=len(parts)):
        n, holds = row[2 * j], row[2 * j + 1]
        if holds:
            results[i] = (True, n, [], None)
    return results


def run_expectation(
    con: duckdb.DuckDBPyConnection, frame_sql: str, exp: Expectation, sample: int = 5
) -> tuple[bool, int, list[str], str | None]:
    """(success, rows checked, a few offending values, message) on every row of the frame."""
    k = exp.kwargs
    frame = f"({frame_sql}) f"
    if exp.name == "expect_table_row_count_to_be_between":
        (n,) = con.execute(f"SELECT count(*) FROM {frame}").fetchone()
        low, high = k.get("min_value"), k.get("max_value")
        ok = (low is None or n >= low) and (high is None or n <= high)
        return ok, n, [], None if ok else f"observed {n} rows"
    if exp.name in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        cols, not_null = _key_columns(k)
        (n,) = con.execute(f"SELECT count(*) FROM {frame}").fetchone()
        dupes = con.execute(
            f"SELECT {cols}, count(*) AS n FROM {frame} WHERE {not_null} GROUP BY ALL "
            f"HAVING count(*) > 1 ORDER BY ALL LIMIT {sample}"
        ).fetchall()
        return not dupes, n, [", ".join(str(v) for v in d[:-1]) for d in dupes], None
    if exp.name == "expect_column_values_to_reference":
        col, allowed = _reference(k)
        (n,) = con.execute(f"SELECT count(*) FROM {frame}").fetchone()
        bad = con.execute(
            f"SELECT DISTINCT {col} FROM {frame} WHERE {col} IS NOT NULL AND {col} NOT IN "
            f"{allowed} ORDER BY 1 LIMIT {sample}"
        ).fetchall()
        return not bad, n, [str(b[0]) for b in bad], None
    checked, failing = failing_rows_sql(exp)
    shown = identifier(str(k.get("column") or k.get("column_A")))
    (n, failed) = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {failing}) FROM {frame} WHERE {checked}"
    ).fetchone()
    offending = []
    if failed:
        offending = [
            str(r[0])
            for r in con.execute(
                f"SELECT {shown} FROM {frame} WHERE ({checked}) AND ({failing}) LIMIT {sample}"
            ).fetchall()
        ]
    return failed == 0, n, offending, None
