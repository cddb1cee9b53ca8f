"""DuckDB's threads follow the tables' size: one thread while every table fits in a row group
(analysis/threads.py), DuckDB's default from a row group on; the configuration stays locked."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analysis.threads import ROW_GROUP_ROWS, threads_for
from analysis.validation.run import _connect as validation_connect
from analysis.warehouse import load
from analysis.warehouse.query import connect


def _warehouse(path: Path, rows: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE t AS SELECT range AS i FROM range({rows})")
    return path


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT current_setting('threads')").fetchone()[0]


def test_threads_follow_the_row_group() -> None:
    assert threads_for(0) == 1
    assert threads_for(ROW_GROUP_ROWS - 1) == 1
    assert threads_for(ROW_GROUP_ROWS) is None


@pytest.mark.parametrize("opener", [connect, validation_connect])
def test_a_small_warehouse_is_read_on_one_thread_a_large_one_on_every_core(
    tmp_path: Path, opener
) -> None:
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    small = _warehouse(tmp_path / "small.duckdb", ROW_GROUP_ROWS - 1)
    large = _warehouse(tmp_path / "large.duckdb", ROW_GROUP_ROWS)
    with opener(small) as con:
        assert _threads(con) == 1
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET threads = 4")
    with opener(large) as con:
        assert _threads(con) == default
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET threads = 1")


def test_a_new_warehouse_is_written_on_one_thread_while_its_tables_are_small(
    tmp_path: Path,
) -> None:
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    for rows, expected in ((ROW_GROUP_ROWS - 1, 1), (ROW_GROUP_ROWS, default)):
        con = load.create(tmp_path / f"w{rows}.duckdb", 1_000, rows)
        try:
            assert _threads(con) == expected
        finally:
            con.close()
