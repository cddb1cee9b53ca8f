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
from analysis.warehouse.catalog import PER_DOCUMENT, TABLE

# the table every document has a row of: a by-document frame reads it at its row's doc_id
DOCUMENTS = "documents"
DOC = "doc_id"


@dataclass(frozen=True)
class Scope:
    """What changed since the published warehouse passed its suites: the documents whose rows
    changed (``documents``); the tables whose changes are those documents' (``per_document``:
    the catalog's per-document tables and the merged ones with a ``doc_id``); the merged
    tables without one whose rows did not change (``unchanged``). And what the published
    warehouse passed: the digest of the suites (``suites``, :func:`analysis.validation.run.
    digest`), and whether Great Expectations ran them too (``great_expectations``)."""

    documents: frozenset[str]
    per_document: frozenset[str]
    unchanged: frozenset[str]
    suites: str
    great_expectations: bool

    def to_json(self) -> dict[str, Any]:
        """The scope as the build hands it to the validator process."""
        return {
            "documents": sorted(self.documents),
            "per_document": sorted(self.per_document),
            "unchanged": sorted(self.unchanged),
            "suites": self.suites,
            "great_expectations": self.great_expectations,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Scope | None:
        if data is None:
            return None
        return cls(
            frozenset(data["documents"]),
            frozenset(data["per_document"]),
            frozenset(data["unchanged"]),
            str(data["suites"]),
            bool(data["great_expectations"]),
        )

    def of(self, suites: str, great_expectations: bool = False) -> Scope | None:
        """This scope for a validation running the suites of digest ``suites`` (in Great
        Expectations when ``great_expectations``), or None when the published warehouse did
        not pass those (a suite edited while the build ran; a warehouse validated in DuckDB
        alone, for Great Expectations)."""
        if suites != self.suites or (great_expectations and not self.great_expectations):
            return None
        return self


def of_carried(
    every: Collection[str],
    kept: Collection[str],
    changes: Mapping[str, frozenset[str | None] | None],
    suites: str,
    great_expectations: bool,
) -> Scope | None:
    """The scope of a carried warehouse holding the documents ``every``, of which ``kept`` kept
    their rows from the copy, whose merged tables changed as ``changes`` says (each table's
    :func:`~analysis.warehouse.load.merge` result), copied from a warehouse that passed the
    suites ``suites`` (in Great Expectations too when ``great_expectations``); None when a
    change cannot be placed (a table emptied and loaded, a row of a table with a ``doc_id``
    that has none)."""
    documents = set(every) - set(kept)
    per_document = set(PER_DOCUMENT)
    unchanged = set()
    for table, changed in changes.items():
        if changed is None:
            return None
        if any(c.name == DOC for c in TABLE[table].columns):
            if None in changed:
                return None
            per_document.add(table)
            documents.update(d for d in changed if d is not None)
        elif not changed:
            unchanged.add(table)
    return Scope(
        frozenset(documents),
        frozenset(per_document),
        frozenset(unchanged),
        suites,
        great_expectations,
    )


@dataclass(frozen=True)
class Reads:
    """What a query reads: the tables (and views) it names, the names its common table
    expressions define, the table functions it calls and every function it calls, lowercase
    (DuckDB's names are not case-sensitive)."""

    tables: frozenset[str]
    ctes: frozenset[str]
    table_functions: frozenset[str]
    functions: frozenset[str]


def reads(con: duckdb.DuckDBPyConnection, sql: str) -> Reads | None:
    """What ``sql`` reads, by DuckDB's own parse of it (``json_serialize_sql``), or None when
    it cannot parse it or it names a table of another schema or database."""
    (serialized,) = con.execute(f"SELECT json_serialize_sql({literal(sql)})").fetchone()
    tree = json.loads(serialized)
    if tree.get("error"):
        return None
    tables: set[str] = set()
    ctes: set[str] = set()
    table_functions: set[str] = set()
    functions: set[str] = set()
    qualified = False

    def walk(node: Any) -> None:
        nonlocal qualified
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "BASE_TABLE" and "table_name" in node:
                tables.add(str(node["table_name"]).lower())
                qualified |= bool(node.get("catalog_name") or node.get("schema_name"))
            if kind == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
                table_functions.add(str(node["function"].get("function_name", "")).lower())
            if node.get("class") == "FUNCTION" and "function_name" in node:
                functions.add(str(node["function_name"]).lower())
            cte_map = node.get("cte_map")
            if isinstance(cte_map, dict):
                ctes.update(str(e.get("key", "")).lower() for e in cte_map.get("map", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    if qualified:
        return None
    return Reads(
        frozenset(tables), frozenset(ctes), frozenset(table_functions), frozenset(functions)
    )


# the table functions a by-document frame may call: they read no table
PURE_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})


def narrows(con: duckdb.DuckDBPyConnection, sql: str, scope: Scope) -> bool:
    """Whether a by-document suite's frame ``sql`` may be run on the changed documents' rows
    alone: every table it reads is one whose changes are the documents' (``per_document``)
    or one the build left unchanged. A view, any other table (a reference dataset's, made
    anew by every build; ``build_info``), a common table expression named as a stored table,
    a table function that may read one, a function the warehouse defines (a macro may read
    a table), or a frame DuckDB cannot parse means every row."""
    read = reads(con, sql)
    if read is None or not read.table_functions <= PURE_TABLE_FUNCTIONS:
        return False
    defined = {
        r[0].lower()
        for r in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE NOT internal"
        ).fetchall()
    }
    if defined & (read.functions | read.table_functions):
        return False
    stored = {
        r[0].lower()
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    }
    if read.ctes & stored:
        return False
    allowed = {t.lower() for t in scope.per_document | scope.unchanged}
    return all(name in read.ctes or name in allowed for name in read.tables)


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
