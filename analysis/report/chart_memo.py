"""Charts built before, reused while everything they read is unchanged.

A chart's figure is a function of the package's code and of what its queries return. When a
chart is built, every statement it runs is recorded with a digest of every result it reads.
The next time (the same process building another project or the same one again, or, with a
``cache`` folder and the code's fingerprint, any later build of the project), the recorded
statements are run again and, when the digest of their results is the same, the figure built
then is returned instead of drawing it again with Altair (in a new process that also spares
importing Altair: about half a second of a cold build). Any difference, any error while
replaying, or an unreadable entry builds the chart anew. Entries on disk are JSON, checksummed
(:mod:`analysis.files_cache`), one per chart, replaced when its data change; ``--force``
gives no fingerprint, so no entry is read from disk. An entry on disk is untrusted input: its
statements are replayed only when each is a read (:func:`_readable`), and the report reads
the warehouse through the sandboxed connection of ``analysis sql`` (no file access, settings
locked).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from analysis.charts.common import ChartFigure
from analysis.errors import BadInput
from analysis.files_cache import read_cached, store_cached
from analysis.sqlnames import PREPARED
from analysis.warehouse.query import check_read_only, tokens

if TYPE_CHECKING:
    from analysis.charts import Chart

Step = tuple[str, Any]  # a statement and its parameters (None: none)
Entry = tuple[list[Step], str, ChartFigure, int]  # steps, digest, figure, place in the report
# by chart name and build function: the function itself, held, so that a new function can
# never share the key of one that was collected (an id() can be reused)
_MEMO: dict[tuple[str, Any], Entry] = {}
_MEMO_MAX = 64


class _Result:
    """What a recorded statement returned, as the chart code reads it."""

    def __init__(self, names: list[str] | None, rows: list[tuple] | None) -> None:
        self.description = None if names is None else [(n,) for n in names]
        self._rows = rows or []

    def fetchall(self) -> list[tuple]:
        return list(self._rows)

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None


class _Recorder:
    """A connection that runs statements on ``con``, recording them and what they return."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.steps: list[Step] = []
        self.digest = hashlib.sha256()

    def execute(self, sql: str, params: Any = None) -> _Result:
        names, rows = _run(self.con, sql, params)
        self.steps.append((sql, params))
        self.digest.update(repr((names, rows)).encode())
        return _Result(names, rows)


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: Any) -> tuple[Any, Any]:
    cur = con.execute(sql) if params is None else con.execute(sql, params)
    if cur.description is None:
        return None, None
    return [d[0] for d in cur.description], cur.fetchall()


def _readable(con: duckdb.DuckDBPyConnection, steps: list[Step]) -> bool:
    """Whether every step read from disk is a statement a chart runs: a read that the
    sandbox of ``analysis sql`` lets through (:func:`check_read_only`), or the prepare,
    execute (of literals only) and deallocate of :func:`analysis.sqlnames.fetch_rows`. A
    project folder handed to the desk could hold an entry of any statements, checksum and
    all: none of them may write a file or change what the rest of the report reads."""
    for sql, params in steps:
        if not isinstance(sql, str) or not _plain(params):
            return False
        try:
            if sql == f"DEALLOCATE {PREPARED}":
                continue
            if sql.startswith(f"EXECUTE {PREPARED}(") and sql.endswith(")"):
                if not _literals(sql[len(f"EXECUTE {PREPARED}(") : -1]):
                    return False
                continue
            head = f"PREPARE {PREPARED} AS "
            check_read_only(con, sql[len(head) :] if sql.startswith(head) else sql)
        except BadInput:
            return False
    return True


def _plain(params: Any) -> bool:
    """No parameters, or a list of texts, numbers, booleans and NULLs."""
    return params is None or (
        isinstance(params, list)
        and all(p is None or isinstance(p, str | int | float | bool) for p in params)
    )


_LITERAL_WORDS = {"date", "null", "true", "false"}


def _literals(text: str) -> bool:
    """Whether ``text`` is only SQL literals (:func:`analysis.sqlnames.sql_value` writes
    them): strings, numbers, DATE, NULL, TRUE, FALSE, lists, commas and signs."""
    try:
        found = tokens(text)  # at character offsets
    except duckdb.Error:
        return False
    ends = [start for start, _ in found[1:]] + [len(text)]
    for (start, kind), end in zip(found, ends, strict=True):
        word = text[start:end].strip().lower()
        if kind in (duckdb.token_type.string_const, duckdb.token_type.numeric_const):
            continue
        if kind in (duckdb.token_type.keyword, duckdb.token_type.identifier) and (
            word in _LITERAL_WORDS
        ):
            continue
        if kind == duckdb.token_type.operator and word in ("(", ")", ",", "[", "]", "-", "+"):
            continue
        return False
    return True


def _digest_now(con: duckdb.DuckDBPyConnection, steps: list[Step]) -> str | None:
    """The digest of what the recorded statements return now; None when one fails."""
    digest = hashlib.sha256()
    try:
        for sql, params in steps:
            digest.update(repr(_run(con, sql, params)).encode())
    except duckdb.Error:
        return None
    return digest.hexdigest()


def built(
    con: duckdb.DuckDBPyConnection, chart: Chart, cache: tuple[Path, str] | None = None
) -> ChartFigure:
    """``chart``'s figure with its section heading, or a copy of the one it made before from
    the same results. ``cache``: a folder and the code's fingerprint, to keep and read the
    figure on disk."""
    key = (chart.name, chart.build)
    found = _MEMO.get(key)
    kept = _read(con, cache, chart.name) if cache else None
    if found is not None and _digest_now(con, found[0]) == found[1]:
        if cache and kept is None:  # what is on disk never depends on what the process did
            _write(cache, chart.name, found)
        return copy.deepcopy(found[2])
    if kept is not None and _digest_now(con, kept[0]) == kept[1]:
        return copy.deepcopy(kept[2])
    recorder = _Recorder(con)
    figure = chart.build(recorder)
    figure.heading = chart.heading
    entry = (recorder.steps, recorder.digest.hexdigest(), copy.deepcopy(figure), chart.order)
    while len(_MEMO) >= _MEMO_MAX:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = entry
    if cache:
        _write(cache, chart.name, entry)
    return figure


def all_kept(
    con: duckdb.DuckDBPyConnection, names: tuple[str, ...], cache: tuple[Path, str]
) -> list[ChartFigure] | None:
    """Every chart of ``names`` from its entry on disk, in report order, when each has an
    entry whose results are unchanged; else None (and the charts are built: their modules,
    and Altair, are then imported)."""
    found = []
    for name in names:
        entry = _read(con, cache, name)
        if entry is None or _digest_now(con, entry[0]) != entry[1]:
            return None
        found.append(entry)
    return [e[2] for e in sorted(found, key=lambda e: (e[3], e[2].name))]


def _parts(cache: tuple[Path, str], name: str) -> tuple[str, ...]:
    return ("chart-figure", cache[1], name)


def _encoded(entry: Entry) -> bytes | None:
    """The entry as JSON, or None when it would not come back equal (a value JSON does not
    hold: such a figure is remembered by the process only)."""
    steps, digest, figure, order = entry
    try:
        body = json.dumps(
            {"steps": steps, "digest": digest, "figure": asdict(figure), "order": order},
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")
    except (TypeError, ValueError):
        return None
    back = _decoded(body)
    return body if back is not None and back[2] == figure and back[0] == steps else None


def _decoded(body: bytes) -> Entry | None:
    try:
        data = json.loads(body)
        fields = dict(data["figure"])
        if fields.get("table") is not None:
            columns, rows = fields["table"]
            fields["table"] = (columns, rows)
        steps = [(str(sql), params) for sql, params in data["steps"]]
        return steps, str(data["digest"]), ChartFigure(**fields), int(data["order"])
    except (ValueError, KeyError, TypeError):
        return None


def _read(con: duckdb.DuckDBPyConnection, cache: tuple[Path, str], name: str) -> Entry | None:
    """The entry kept on disk for chart ``name``, when intact and made of readable steps."""
    body = read_cached(cache[0], _parts(cache, name))
    entry = None if body is None else _decoded(body)
    return entry if entry is not None and _readable(con, entry[0]) else None


def _write(cache: tuple[Path, str], name: str, entry: Entry) -> None:
    body = _encoded(entry)
    if body is not None:
        store_cached(cache[0], _parts(cache, name), body)
