"""What a build that carries the warehouse must validate again (docs/architecture.md,
"Validation carried forward"): the rows of the documents that changed, for the suites that
check a document's rows alone (``by_document``), when nothing else they read changed.

A by-document suite is run on a connection of its own where its table and ``documents`` are
temporary tables holding the changed documents' rows only, which shadow the warehouse's for
that connection; every other table it reads is the warehouse's.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb

from analysis.sqlnames import identifier, literal
from analysis.warehouse.catalog import TABLE

# the table every document has a row of: a by-document frame reads it at its row's doc_id
DOCUMENTS = "documents"
DOC = "doc_id"


@dataclass(frozen=True)
class Scope:
    """The documents whose rows changed since the warehouse last validated (``documents``),
    and the tables of the catalog without a ``doc_id`` whose rows did not (``unchanged``)."""

    documents: frozenset[str]
    unchanged: frozenset[str]

    def to_json(self) -> dict[str, list[str]]:
        """The scope as the build hands it to the validator process."""
        return {"documents": sorted(self.documents), "unchanged": sorted(self.unchanged)}

    @classmethod
    def from_json(cls, data: dict[str, list[str]] | None) -> Scope | None:
        if data is None:
            return None
        return cls(frozenset(data["documents"]), frozenset(data["unchanged"]))


def of_carried(
    every: Collection[str],
    kept: Collection[str],
    changes: Mapping[str, frozenset[str | None] | None],
) -> Scope | None:
    """The scope of a carried warehouse holding the documents ``every``, of which ``kept`` kept
    their rows from the copy, whose merged tables changed as ``changes`` says (each table's
    :func:`~analysis.warehouse.load.merge` result); None when a change cannot be placed (a
    table emptied and loaded, a row of a table with a ``doc_id`` that has none)."""
    documents = set(every) - set(kept)
    unchanged = set()
    for table, changed in changes.items():
        if changed is None:
            return None
        per_document = any(c.name == DOC for c in TABLE[table].columns)
        if per_document and None in changed:
            return None
        if per_document:
            documents.update(d for d in changed if d is not None)
        elif not changed:
            unchanged.add(table)
    return Scope(frozenset(documents), frozenset(unchanged))


def tables_read(con: duckdb.DuckDBPyConnection, sql: str) -> set[str] | None:
    """The names a query reads as tables (its common table expressions' names among them), or
    None when DuckDB cannot parse it or it names a table of another schema or database."""
    (serialized,) = con.execute(f"SELECT json_serialize_sql({literal(sql)})").fetchone()
    tree = json.loads(serialized)
    if tree.get("error"):
        return None
    names: set[str] = set()
    qualified = False

    def walk(node: Any) -> None:
        nonlocal qualified
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and "table_name" in node:
                names.add(node["table_name"])
                qualified |= bool(node.get("catalog_name") or node.get("schema_name"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return None if qualified else names


def narrows(con: duckdb.DuckDBPyConnection, sql: str, scope: Scope) -> bool:
    """Whether a by-document suite's frame ``sql`` may be run on the changed documents' rows
    alone: every table it reads either has a ``doc_id`` (its changes are the documents') or
    is one the build left unchanged; a view, a table re-created by every build (a reference
    dataset's, ``build_info``) or anything it cannot name means every row."""
    read = tables_read(con, sql)
    if read is None:
        return False
    stored = dict(
        con.execute(
            f"SELECT table_name, bool_or(column_name = {literal(DOC)}) FROM duckdb_columns() "
            "WHERE NOT internal GROUP BY table_name"
        ).fetchall()
    )
    query = "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    views = {r[0] for r in con.execute(query).fetchall()}
    for name in read:
        if name in views:
            return False
        if name not in stored:
            continue  # a common table expression of the query
        if not stored[name] and name not in scope.unchanged:
            return False
    return True


@contextmanager
def changed_rows(
    con: duckdb.DuckDBPyConnection, table: str, documents: Collection[str]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the same warehouse on which ``table`` and ``documents`` hold only the
    rows of ``documents``: temporary tables of that connection, which shadow the stored ones
    (DuckDB looks in the temporary schema first); closed after."""
    (database,) = con.execute("SELECT current_database()").fetchone()
    # the ids as literals: a parameter has DuckDB import pandas and pyarrow to bind it
    ids = ", ".join(f"({literal(d)})" for d in sorted(documents)) or "(NULL)"
    scoped = con.cursor()
    try:
        for name in dict.fromkeys((table, DOCUMENTS)):
            scoped.execute(
                f"CREATE TEMP TABLE {identifier(name)} AS SELECT * FROM "
                f"{identifier(database)}.main.{identifier(name)} "
                f"WHERE {DOC} IN (SELECT * FROM (VALUES {ids}))"
            )
        yield scoped
    finally:
        scoped.close()
