"""The leadership recomputation as a check sees it (docs/leaders.md): the warehouse's
``leaders_*`` views, run on an in-memory DuckDB holding the reference tables they read and the
claim's date as the only row of ``leaders_dates``.

The SQL is written once, in ``analysis/warehouse/views/leaders_*.sql``: the warehouse creates
the same views over its own tables, so a check and the views it cites cannot disagree. The
files are read as text here (package data), not imported.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from analysis.checks.model import Unverifiable
from analysis.reference.tables import SQL_TYPES
from analysis.sqlnames import identifier

if TYPE_CHECKING:
    import duckdb

    from analysis.reference.tables import ReferenceTable

HEADS = "multilateral_heads"
ORGANIZATIONS = "multilateral_organizations"
# the views a check needs, in dependency order (leaders_dates is the claim's date instead)
VIEWS = (
    "leaders_tenures",
    "leaders_spells",
    "leaders_by_organization",
    "leaders_summary",
    "leaders_country_posts",
)
_COMMENTS = re.compile(r"\A(?:\s|--[^\n]*\n)*")
_CACHE: dict[tuple[int, tuple[dt.date, ...]], Any] = {}
CACHED_CONNECTIONS = 8  # the oldest is closed when a ninth set of dates comes


def view_sql(name: str) -> str:
    return (
        resources.files("analysis").joinpath("warehouse", "views", f"{name}.sql").read_text("utf-8")
    )


def _load(con: duckdb.DuckDBPyConnection, table: ReferenceTable) -> None:
    kinds = table.kinds()
    columns = ", ".join(f"{identifier(c)} {SQL_TYPES[k]}" for c, k in kinds.items())
    name = identifier("ref_" + table.name)
    con.execute(f"CREATE TABLE {name} (row_no INTEGER, {columns})")
    con.register("loading", table.frame(kinds))  # scanned at once, not a statement per row
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM loading")
    finally:
        con.unregister("loading")


def connection(
    references: dict[str, ReferenceTable], days: tuple[dt.date, ...]
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the leadership views computed as of each of ``days`` (cached
    per build: the same reference tables and days give the same connection)."""
    import duckdb

    if HEADS not in references or ORGANIZATIONS not in references:
        raise Unverifiable(f"the reference tables {HEADS} and {ORGANIZATIONS} are not in the data")
    heads, orgs = references[HEADS], references[ORGANIZATIONS]
    tiers = [(t.name, s.id, s.tier) for t in (heads, orgs) for s in t.sources.values()]
    key = (hash(repr((heads.rows, orgs.rows, tiers))), days)
    if key in _CACHE:
        return _CACHE[key]
    con = duckdb.connect(":memory:")
    con.execute("SET enable_external_access = false")
    for table in (heads, orgs):
        _load(con, table)
    con.execute(
        "CREATE TABLE reference_sources (table_name VARCHAR, source_id VARCHAR, tier VARCHAR)"
    )
    con.executemany("INSERT INTO reference_sources VALUES (?, ?, ?)", tiers)
    con.execute("CREATE TABLE leaders_dates (as_of DATE, label VARCHAR)")
    con.executemany("INSERT INTO leaders_dates VALUES (?, 'claim date')", [[d] for d in days])
    for name in VIEWS:  # materialized here: each check reads them several times
        for statement in con.extract_statements(view_sql(name)):
            query = _COMMENTS.sub("", statement.query)
            if query.upper().startswith("CREATE VIEW"):
                con.execute("CREATE TABLE" + query[len("CREATE VIEW") :])
    while len(_CACHE) >= CACHED_CONNECTIONS:  # a build judges claims of a few dates
        _CACHE.pop(next(iter(_CACHE))).close()
    _CACHE[key] = con
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict[str, Any] | None:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(names, row, strict=True)) if row else None


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple]:
    return con.execute(sql, params).fetchall()
