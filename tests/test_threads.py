"""DuckDB's threads follow the data's size (analysis/threads.py): one thread while the tables
are small, DuckDB's default (a thread per core) after; the configuration stays locked, every
connection to one file gets the same settings, and nothing stored in the file runs first."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analysis import threads
from analysis.threads import ROW_GROUP_ROWS, for_rows
from analysis.validation.run import _connect as validation_connect
from analysis.warehouse import load
from analysis.warehouse.query import connect
from tests.conftest import cli

OPENERS = [connect, validation_connect]


def _warehouse(path: Path, *statements: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)")
        for statement in statements:
            con.execute(statement)
    return path


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT current_setting('threads')").fetchone()[0]


def _default() -> int:
    return duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]


def test_threads_follow_the_row_group() -> None:
    assert for_rows(0) == {"threads": 1}
    assert for_rows(ROW_GROUP_ROWS - 1) == {"threads": 1}
    assert for_rows(ROW_GROUP_ROWS) == {}


@pytest.mark.parametrize("opener", OPENERS)
def test_a_small_warehouse_is_read_on_one_thread_a_large_one_on_every_core(
    tmp_path: Path, opener, monkeypatch
) -> None:
    path = _warehouse(tmp_path / "w.duckdb")
    with opener(path) as con:
        assert _threads(con) == 1
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET threads = 4")
    # a file of the size that makes it large (the real threshold is 64 MiB)
    monkeypatch.setattr(threads, "ONE_THREAD_BELOW_BYTES", path.stat().st_size)
    with opener(path) as con:
        assert _threads(con) == _default()
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET threads = 1")


@pytest.mark.parametrize("opener", OPENERS)
def test_two_connections_to_one_warehouse_can_be_open_at_once(tmp_path: Path, opener) -> None:
    """DuckDB shares one database between a process's connections to a file and refuses a
    second configuration: the settings are decided before opening, the same each time."""
    path = _warehouse(tmp_path / "w.duckdb")
    with opener(path) as first, opener(path) as second:
        assert first.execute("SELECT count(*) FROM t").fetchone() == (1000,)
        assert second.execute("SELECT count(*) FROM t").fetchone() == (1000,)


def test_macros_stored_in_the_warehouse_run_before_nothing(tmp_path: Path) -> None:
    """A file whose macros shadow built-ins (max, coalesce, duckdb_tables) still answers the
    reader's query: nothing of the file's runs while the connection is set up."""
    _warehouse(
        tmp_path / "data" / "warehouse.duckdb",
        "CREATE MACRO max(x) AS 'abc'",
        "CREATE MACRO coalesce(a, b) AS 'abc'",
        "CREATE MACRO duckdb_tables() AS TABLE SELECT 'x' AS estimated_size",
    )
    done = cli("sql", "SELECT 41 + 1 AS answer", "--format", "csv", root=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["answer", "42"]


def test_a_new_warehouse_is_written_on_one_thread_while_its_tables_are_small(
    tmp_path: Path,
) -> None:
    for rows, expected in ((ROW_GROUP_ROWS - 1, 1), (ROW_GROUP_ROWS, _default())):
        con = load.create(tmp_path / f"w{rows}.duckdb", 1_000, rows)
        try:
            assert _threads(con) == expected
        finally:
            con.close()
