"""Opening the warehouse for reading, with a clear message when it is not there."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analysis.errors import BadInput


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise BadInput(path, "no warehouse yet; run `analysis build` (or `make build`) first")
    return duckdb.connect(str(path), read_only=True)
