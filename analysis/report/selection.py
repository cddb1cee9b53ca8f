"""The articles an export is asked for (`analysis export`, docs/outputs.md "Exports"), and a
database in memory that shows the rows of those articles alone.

The rows are chosen by the catalog's columns, not by a list of tables: a table with a
``doc_id`` shows the chosen documents' rows, one with a ``claim_id`` those of their claims,
one with a ``mention_id`` those of their figures; the others (reference tables and sources,
tolerance rules, the verdict scale, build_info) are shown whole. Each is a view of its name
over the warehouse, attached read-only, and the package's own views are made over those. It
is a database of its own, not temporary tables shadowing the warehouse's: those belong to one
connection, and the exports read through cursors, which are connections of their own (a first
version exported every row so); nor a copy, which held a broad choice's rows in memory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analysis import threads
from analysis.errors import BadInput
from analysis.sqlnames import identifier, literal
from analysis.warehouse.catalog import TABLE
from analysis.warehouse.load import create_views

# the key columns a table's rows are chosen by: the first of them it has
CHOSEN_BY = ("doc_id", "claim_id", "mention_id")
# the table each other key is looked up in (a table of a document's rows)
KEYED_IN = {"claim_id": "claims", "mention_id": "mentions"}
SOURCE = "chosen_from"  # the warehouse, as the database in memory attaches it


@dataclass(frozen=True)
class Choice:
    """What an export is asked for: each criterion given must hold (none given: every
    article)."""

    docs: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    since: dt.date | None = None  # published on or after
    until: dt.date | None = None  # published on or before

    @property
    def everything(self) -> bool:
        return not (self.docs or self.outlets or self.since or self.until)


def parse_date(text: str, option: str) -> dt.date:
    """A ``YYYY-MM-DD`` date given to ``option``; BadInput otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(None, f"{option} {text!r}: give a date as YYYY-MM-DD") from None


def chosen(con: duckdb.DuckDBPyConnection, choice: Choice) -> list[str]:
    """The ids of the documents ``choice`` asks for, in order; BadInput for a ``--doc`` the
    warehouse does not hold, or when no document is chosen."""
    if choice.docs:
        held = {
            d
            for (d,) in con.execute(
                "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [list(choice.docs)],
            ).fetchall()
        }
        missing = [d for d in choice.docs if d not in held]
        if missing:
            raise BadInput(None, f"--doc {missing[0]!r}: no such document in the warehouse")
    where, params = [], []
    if choice.docs:
        where.append("doc_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(choice.docs))
    if choice.outlets:
        where.append("outlet IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(choice.outlets))
    if choice.since is not None:
        where.append("date_published >= ?")
        params.append(choice.since)
    if choice.until is not None:
        where.append("date_published <= ?")
        params.append(choice.until)
    clause = f"WHERE {' AND '.join(where)} " if where else ""
    ids = [
        d
        for (d,) in con.execute(
            f"SELECT doc_id FROM documents {clause}ORDER BY doc_id", params
        ).fetchall()
    ]
    if not ids:
        raise BadInput(None, "no article in the warehouse matches the choice; nothing written")
    return ids


def chosen_view(warehouse: Path, doc_ids: list[str]) -> duckdb.DuckDBPyConnection:
    """A database in memory showing the rows of ``doc_ids`` alone of ``warehouse`` (the
    module's rule), with no access to files once made. A table the warehouse lacks (one
    built by an older version) is left out, and so are the views that read it."""
    con = duckdb.connect(":memory:", config=threads.for_file(warehouse))
    try:
        con.execute(f"ATTACH {literal(str(warehouse))} AS {SOURCE} (READ_ONLY)")
        held = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [SOURCE]
            ).fetchall()
        }
        con.execute("CREATE TABLE chosen_doc_ids (doc_id VARCHAR PRIMARY KEY)")
        con.execute("INSERT INTO chosen_doc_ids SELECT unnest(?::VARCHAR[])", [doc_ids])
        for name, table in TABLE.items():
            if name not in held:
                continue
            columns = {c.name for c in table.columns}
            key = next((k for k in CHOSEN_BY if k in columns), None)
            if key is None:
                where = ""
            elif key == "doc_id":
                where = " WHERE doc_id IN (SELECT doc_id FROM main.chosen_doc_ids)"
            else:
                where = f" WHERE {key} IN (SELECT {key} FROM main.{KEYED_IN[key]})"
            con.execute(
                f"CREATE VIEW main.{identifier(name)} AS "
                f"SELECT * FROM {SOURCE}.main.{identifier(name)}{where}"
            )
        create_views(con)
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
