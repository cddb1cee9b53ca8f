"""Ad hoc, read-only SQL over the warehouse.

The connection is read-only, cannot reach files outside the database (no ``read_csv``, no
``COPY … TO``), cannot install or load extensions, and its configuration is locked so a query
cannot switch any of that back on. ``--allow-files`` lifts the file restriction for reading
local files. Results are written to ``--out`` by Python, atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import BadInput

READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA", "RELATION"}


def connect(path: Path, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise BadInput(path, "no warehouse yet; run `analysis build` (or `make build`) first")
    config = {
        "enable_external_access": allow_files,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "lock_configuration": True,
    }
    try:
        return duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as err:
        raise BadInput(path, _one_line(err)) from None


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> list[dict[str, Any]]:
    """Rows of a query as dictionaries keyed by column name."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())


def run(con: duckdb.DuckDBPyConnection, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns and rows of a read-only query; write statements are refused before running."""
    if not query.strip():
        raise BadInput(None, "empty query; pass SQL as an argument or on standard input")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as err:
        raise BadInput(None, f"SQL: {_one_line(err)}") from None
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_STATEMENTS:
            raise BadInput(
                None,
                f"{kind} statements are refused: the warehouse is opened read-only "
                "(rebuild it with `analysis build` instead)",
            )
    try:
        cursor = con.execute(query)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    except duckdb.Error as err:
        raise BadInput(None, f"SQL: {_one_line(err)}") from None


def write_out(columns: list[str], rows: list[tuple[Any, ...]], out: Path) -> None:
    """Write rows to ``out`` (.parquet or .csv), via a temporary file renamed into place."""
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise BadInput(out, "--out must end in .parquet or .csv")
    if not out.parent.exists():
        raise BadInput(out, f"folder {out.parent} does not exist")
    import polars as pl

    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        if suffix == ".parquet":
            frame.write_parquet(tmp)
        else:
            frame.write_csv(tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


def list_tables(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = con.execute(
        """
        SELECT table_name AS name, 'table' AS kind, estimated_size AS row_count, comment
        FROM duckdb_tables() WHERE NOT internal
        UNION ALL
        SELECT view_name, 'view', NULL, comment FROM duckdb_views() WHERE NOT internal
        ORDER BY kind, name
        """
    ).fetchall()
    counted = []
    for name, kind, _, comment in rows:
        (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        counted.append((name, kind, n, comment))
    return ["name", "kind", "rows", "comment"], counted


def describe_table(
    con: duckdb.DuckDBPyConnection, name: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = con.execute(
        """
        SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns()
        WHERE table_name = ? ORDER BY column_index
        """,
        [name],
    ).fetchall()
    if not rows:
        known = [r[0] for r in list_tables(con)[1]]
        raise BadInput(None, f"no table or view {name!r}; try one of: {', '.join(known)}")
    return ["column", "type", "nullable", "comment"], rows
