"""How many threads DuckDB gets: one while every table fits in a single row group.

DuckDB splits a scan between its threads by row groups of :data:`ROW_GROUP_ROWS` rows, so a
table smaller than that is read by one thread whatever the setting; the other threads only
add their scheduling to each of the many small statements a build runs. Measured on the
seed (two cores, four ``--force`` builds each): 1.45-1.55 CPU-s a build on one thread
against 1.72-2.05 on two, and no slower by the clock; a 100-article archive (about 20,000
figures) validates in 0.65 s either way. An archive whose largest table reaches a row group
keeps DuckDB's default, a thread per core: 1,000 articles (203,000 figures) validate in 2.85 s
on two threads against 4.05 s on one.
"""

from __future__ import annotations

import duckdb

ROW_GROUP_ROWS = 122_880  # DuckDB's row group size (rows), its unit of parallel work


def threads_for(rows: int) -> int | None:
    """The thread count for tables of at most ``rows`` rows; None keeps DuckDB's default."""
    return 1 if rows < ROW_GROUP_ROWS else None


def fit(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Set ``con``'s threads from the largest table it can see (before any configuration lock)
    and return it."""
    (rows,) = con.execute("SELECT coalesce(max(estimated_size), 0) FROM duckdb_tables()").fetchone()
    if threads_for(rows) is not None:
        con.execute(f"SET threads = {threads_for(rows)}")
    return con
