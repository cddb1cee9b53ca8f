"""Charts built before are reused only while everything they read is unchanged
(analysis/report/chart_memo.py), on a real DuckDB file: from the process's memory, and from
the project's cache folder under the code's fingerprint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analysis.charts import Chart, module_names
from analysis.charts.common import ChartFigure
from analysis.report import chart_memo
from analysis.sqlnames import fetch_rows
from tests.conftest import build


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (label VARCHAR, amount DOUBLE)")
    con.execute("INSERT INTO t VALUES ('a', 1.5), ('b', 2.5)")
    return con


def _chart(build: Any, name: str = "c", order: int = 1) -> Chart:
    return Chart(name, f"The {name} section", order, (), build)


def _counting() -> tuple[list[int], Any]:
    calls: list[int] = []

    def build(con: Any) -> ChartFigure:
        calls.append(1)
        _, rows = fetch_rows(con, "SELECT label, amount FROM t WHERE amount > ?", [0])
        (n,) = con.execute("SELECT count(*) FROM t").fetchone()
        return ChartFigure("c", f"{n} rows", "", "", [], spec={"values": [list(r) for r in rows]})

    return calls, build


def test_a_chart_whose_results_are_unchanged_is_not_built_again(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    calls, build = _counting()
    first = chart_memo.built(con, _chart(build))
    first.spec["values"].append("changed by the caller")  # the memo holds its own copy
    again = chart_memo.built(con, _chart(build))
    assert len(calls) == 1
    assert again.spec == {"values": [["a", 1.5], ["b", 2.5]]} and again.title == "2 rows"
    assert again.heading == first.heading == "The c section"


def test_any_changed_result_builds_the_chart_anew(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    calls, build = _counting()
    chart_memo.built(con, _chart(build))
    con.execute("UPDATE t SET amount = 3.5 WHERE label = 'b'")
    changed = chart_memo.built(con, _chart(build))
    assert len(calls) == 2 and changed.spec == {"values": [["a", 1.5], ["b", 3.5]]}
    con.execute("INSERT INTO t VALUES ('c', -1)")  # the first query's rows stay the same
    counted = chart_memo.built(con, _chart(build))
    assert len(calls) == 3 and counted.title == "3 rows"


def test_a_statement_that_fails_on_replay_is_never_answered_from_the_memo(
    tmp_path: Path,
) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    calls, build = _counting()
    chart_memo.built(con, _chart(build))
    con.execute("ALTER TABLE t RENAME COLUMN amount TO value")
    with pytest.raises(duckdb.BinderException):  # built anew, and the chart's own error shows
        chart_memo.built(con, _chart(build))
    assert len(calls) == 2


def test_a_kept_chart_is_read_from_disk_only_for_the_same_code_and_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    folder = tmp_path / "cache"
    calls, build = _counting()
    made = chart_memo.built(con, _chart(build), (folder, "code-1"))
    monkeypatch.setattr(chart_memo, "_MEMO", {})  # a new process
    assert chart_memo.all_kept(con, ("c",), (folder, "code-1")) == [made]
    assert chart_memo.all_kept(con, ("c", "d"), (folder, "code-1")) is None  # d never kept
    assert chart_memo.all_kept(con, ("c",), (folder, "code-2")) is None  # other code
    assert chart_memo.built(con, _chart(build), (folder, "code-1")) == made
    assert len(calls) == 1
    con.execute("UPDATE t SET label = 'z' WHERE label = 'a'")
    assert chart_memo.all_kept(con, ("c",), (folder, "code-1")) is None
    monkeypatch.setattr(chart_memo, "_MEMO", {})
    changed = chart_memo.built(con, _chart(build), (folder, "code-1"))
    assert len(calls) == 2 and changed.spec == {"values": [["z", 1.5], ["b", 2.5]]}
    # the entry was replaced: the new results are kept, the old ones are not
    assert chart_memo.all_kept(con, ("c",), (folder, "code-1")) == [changed]
    (entry,) = [p for p in folder.rglob("*") if p.is_file()]
    entry.write_bytes(entry.read_bytes().replace(b'"z"', b'"y"'))  # tampered: checksum fails
    assert chart_memo.all_kept(con, ("c",), (folder, "code-1")) is None


def test_kept_charts_come_back_in_report_order(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    cache = (tmp_path / "cache", "code")
    for name, order in (("late", 2), ("early", 1)):
        figure = ChartFigure(name, name, "", "", [])
        chart_memo.built(con, _chart(lambda con, f=figure: f, name, order), cache)
    kept = chart_memo.all_kept(con, ("early", "late"), cache)
    assert [f.name for f in kept or []] == ["early", "late"]
    assert [f.name for f in chart_memo.all_kept(con, ("late", "early"), cache) or []] == [
        "early",
        "late",
    ]


def _plant(folder: Path, code: str, name: str, steps: list) -> None:
    """An entry someone wrote by hand, checksum and all (a checksum stops accidents only)."""
    from dataclasses import asdict

    from analysis.files_cache import store_cached

    figure = asdict(ChartFigure(name, "planted", "", "", []))
    body = json.dumps({"steps": steps, "digest": "0" * 64, "figure": figure, "order": 1})
    store_cached(folder, ("chart-figure", code, name), body.encode("utf-8"))


PLANTED = [
    "COPY (SELECT 'x') TO '{target}'",
    "PREPARE analysis_query AS COPY (SELECT 'x') TO '{target}'",
    "EXECUTE analysis_query((SELECT 1))",
    "CREATE TEMP VIEW t AS SELECT 'shadow' AS label, 0.0 AS amount",
    "SET enable_external_access = true",
    "ATTACH '{target}.duckdb' AS other",
    "SELECT * FROM enable_logging(storage := 'file', storage_path := '{folder}')",
]


@pytest.mark.parametrize("statement", PLANTED)
def test_a_planted_entry_runs_nothing_but_reads(tmp_path: Path, statement: str) -> None:
    from analysis.warehouse.query import connect

    _warehouse(tmp_path / "w.duckdb").close()
    target, folder = tmp_path / "pwned.csv", tmp_path / "logs"
    cache = (tmp_path / "cache", "code")
    _plant(cache[0], "code", "c", [[statement.format(target=target, folder=folder), None]])
    with connect(tmp_path / "w.duckdb") as con:  # the report's own, sandboxed connection
        assert chart_memo.all_kept(con, ("c",), cache) is None
        calls, build = _counting()
        figure = chart_memo.built(con, _chart(build), cache)
        assert len(calls) == 1 and figure.title == "2 rows"  # built anew, from the table
    assert not target.exists() and not folder.exists()
    assert not (tmp_path / "pwned.csv.duckdb").exists()


def test_a_planted_entry_in_a_project_changes_nothing_a_build_publishes(project: Path) -> None:
    from analysis.build.state import code_fingerprint

    target = project.parent / "pwned.csv"
    render = project / "data" / ".cache" / "render"
    for name in module_names():
        _plant(render, code_fingerprint(), name, [[f"COPY (SELECT 1) TO '{target}'", None]])
    claims = next((project / "data" / "claims").glob("*.yaml"))
    claims.write_text(claims.read_text("utf-8") + "\n# edited\n", "utf-8")
    index = (project / "reports" / "index.html").read_text("utf-8")
    build(project)
    assert not target.exists()
    assert (project / "reports" / "index.html").read_text("utf-8") == index
