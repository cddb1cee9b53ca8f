"""Names, text and query parameters pasted into SQL, quoted with DuckDB's own escaping
(docs/hostile-input.md §3).

Table and column names from data are also validated against a strict pattern where they are
read; quoting here is the second wall, used by every stage that builds SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any


def identifier(name: str) -> str:
    """A SQL identifier, double-quoted, with any double quote inside doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal, single-quoted, with any single quote inside doubled."""
    return "'" + text.replace("'", "''") + "'"


PREPARED = "analysis_query"  # the name fetch_rows prepares its statements under


def fetch_rows(con: Any, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """The column names and rows of a query. Its ``?`` parameters (:func:`sql_value`) are
    given as SQL literals to a prepared statement, not bound by the Python client: DuckDB's
    client imports pandas (about 0.3 s) the first time it binds a value, and the build and its
    report worker would pay that for nothing. Text holding a NUL is bound as before."""
    if not params or _holds_nul(params):
        cur = con.execute(sql, params or [])
        return [d[0] for d in cur.description], cur.fetchall()
    values = ", ".join(sql_value(v) for v in params)
    con.execute(f"PREPARE {PREPARED} AS {sql}")
    try:
        cur = con.execute(f"EXECUTE {PREPARED}({values})")
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.execute(f"DEALLOCATE {PREPARED}")


def sql_value(value: Any) -> str:
    """A query parameter as a SQL literal: text quoted (quotes doubled), a whole number, a
    date, NULL, or a list of those; anything else is a programming error."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return literal(value)
    if type(value) is dt.date:
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(sql_value(v) for v in value) + "]"
    raise TypeError(f"no SQL literal for a query parameter of type {type(value).__name__}")


def _holds_nul(values: list | tuple) -> bool:
    """Whether a text among ``values`` (lists and tuples looked into) holds a NUL, which a SQL
    literal cannot."""
    return any(
        "\0" in v if isinstance(v, str) else isinstance(v, list | tuple) and _holds_nul(v)
        for v in values
    )


def insert_values(con: Any, head: str, rows: list[tuple]) -> None:
    """``head`` (``INSERT INTO t``) with ``rows`` as its VALUES, written as SQL literals
    (:func:`sql_value`: binding them would import pandas); bound as before when a text holds a
    NUL, which a SQL literal cannot."""
    if not rows:
        return
    if _holds_nul(rows):
        con.executemany(f"{head} VALUES ({', '.join('?' for _ in rows[0])})", rows)
        return
    values = ", ".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
    con.execute(f"{head} VALUES {values}")
