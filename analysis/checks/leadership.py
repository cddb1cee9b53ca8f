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
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import threads
from analysis.checks.model import Unverifiable
from analysis.reference.tables import SQL_TYPES
from analysis.sqlnames import fetch_rows, identifier, insert_values, literal

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


def _load(con: duckdb.DuckDBPyConnection, table: ReferenceTable, folder: Path) -> None:
    """The table's rows, through a Parquet file in ``folder`` (scanned at once, not a statement
    per row; DuckDB's scan of a Python frame would import pyarrow and pandas, 0.4 s)."""
    kinds = table.kinds()
    columns = ", ".join(f"{identifier(c)} {SQL_TYPES[k]}" for c, k in kinds.items())
    name = identifier("ref_" + table.name)
    con.execute(f"CREATE TABLE {name} (row_no INTEGER, {columns})")
    staged = folder / f"{table.name}.parquet"
    table.frame(kinds).write_parquet(staged, compression="uncompressed")
    con.execute(f"INSERT INTO {name} SELECT * FROM read_parquet({literal(staged.as_posix())})")


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
    con = duckdb.connect(":memory:", config=threads.for_rows(max(len(heads.rows), len(orgs.rows))))
    try:
        _fill(con, heads, orgs, tiers, days)
    except BaseException:
        con.close()  # not cached: closed, whatever stopped it
        raise
    while len(_CACHE) >= CACHED_CONNECTIONS:  # a build judges claims of a few dates
        _CACHE.pop(next(iter(_CACHE))).close()
    _CACHE[key] = con
    return con


def _fill(
    con: duckdb.DuckDBPyConnection,
    heads: ReferenceTable,
    orgs: ReferenceTable,
    tiers: list[tuple[str, str, str]],
    days: tuple[dt.date, ...],
) -> None:
    """The two reference tables, their sources' tiers, the claim's dates, and the leadership
    views over them materialized as tables (each check reads them several times)."""
    with tempfile.TemporaryDirectory(prefix="analysis-leaders-") as folder:
        for table in (heads, orgs):
            _load(con, table, Path(folder))
    con.execute("SET enable_external_access = false")  # nothing is read from files after this
    con.execute(
        "CREATE TABLE reference_sources (table_name VARCHAR, source_id VARCHAR, tier VARCHAR)"
    )
    insert_values(con, "INSERT INTO reference_sources", tiers)
    con.execute("CREATE TABLE leaders_dates (as_of DATE, label VARCHAR)")
    insert_values(con, "INSERT INTO leaders_dates", [(d, "claim date") for d in days])
    for name in VIEWS:
        for statement in con.extract_statements(view_sql(name)):
            query = _COMMENTS.sub("", statement.query)
            if query.upper().startswith("CREATE VIEW"):
                con.execute("CREATE TABLE" + query[len("CREATE VIEW") :])


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict[str, Any] | None:
    names, found = fetch_rows(con, sql, params)
    return dict(zip(names, found[0], strict=True)) if found else None


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple]:
    return fetch_rows(con, sql, params)[1]
