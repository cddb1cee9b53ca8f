"""Names and text pasted into SQL, quoted with DuckDB's own escaping (docs/hostile-input.md §3).

Table and column names from data are also validated against a strict pattern where they are
read; quoting here is the second wall, used by every stage that builds SQL."""

from __future__ import annotations


def identifier(name: str) -> str:
    """A SQL identifier, double-quoted, with any double quote inside doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal, single-quoted, with any single quote inside doubled."""
    return "'" + text.replace("'", "''") + "'"
