"""How many threads DuckDB gets: one while the tables are small, a thread per core after.

DuckDB splits a scan between its threads by row groups of :data:`ROW_GROUP_ROWS` rows, so a
table smaller than that is read by one thread whatever the setting; the other threads only
add their scheduling to each of the many small statements a build runs. Measured on the
seed (two cores, four ``--force`` builds each): 1.45-1.55 CPU-s a build on one thread
against 1.72-2.05 on two, and no slower by the clock; a 100-article archive (about 20,000
figures, a 16 MiB warehouse) validates in 0.65 s either way. A larger archive keeps DuckDB's
default, a thread per core: 1,000 articles (203,000 figures, 138 MiB) validate in 2.85 s on
two threads against 4.05 s on one.

Where the rows are known (a warehouse being written, tables made in memory) they decide
(:func:`for_rows`). A warehouse file is judged by its size before it is opened
(:func:`for_file`): every connection a process opens to one file then has the same
configuration (DuckDB shares one database between them and refuses a second configuration),
and nothing stored in the file runs before the caller's configuration is locked.
"""

from __future__ import annotations

from pathlib import Path

ROW_GROUP_ROWS = 122_880  # DuckDB's row group size (rows), its unit of parallel work
# a warehouse file below this size has no table near a row group: 100 articles make 16 MiB
# with 20,000 figures, 1,000 articles 138 MiB with 203,000
ONE_THREAD_BELOW_BYTES = 64 << 20


def for_rows(rows: int) -> dict[str, int]:
    """DuckDB settings (a ``config`` for ``duckdb.connect``) for tables of at most ``rows``
    rows: one thread below a row group; none, DuckDB's default, from one on."""
    return {"threads": 1} if rows < ROW_GROUP_ROWS else {}


def for_file(*paths: Path) -> dict[str, int]:
    """DuckDB settings (a ``config`` for ``duckdb.connect``) for reading the warehouse files
    ``paths``: one thread while the largest is below :data:`ONE_THREAD_BELOW_BYTES`."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:  # the caller's own connect names what is missing
            return {}
    return {"threads": 1} if max(sizes, default=0) < ONE_THREAD_BELOW_BYTES else {}
