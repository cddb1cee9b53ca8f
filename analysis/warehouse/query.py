"""Ad hoc, read-only SQL over the warehouse: the sandbox behind `analysis sql`.

The rules (docs/hostile-input.md, section 4), with or without ``--allow-files``:

- The connection is read-only, cannot install or load extensions, does not scan Python objects,
  and its configuration is locked. Without ``--allow-files`` it cannot reach any file but the
  database; with it, a query may *read* local files (``read_csv``, ``read_parquet``).
- Only reads run, as DuckDB parses them (:func:`check_read_only`): every statement is a
  ``SELECT`` (DuckDB rewrites the read-only pragmas, ``table_info`` and the like, into one) or an
  ``EXPLAIN [ANALYZE]`` of one; and no function that writes files or changes the session is
  called (:data:`WRITING_FUNCTIONS`). So no statement that passes can write a file.
- ``--out`` never lands in the project's own folders, on a folder or through a symbolic link
  (:func:`check_out`); results are streamed to it batch by batch through a temporary file renamed
  into place, and printed batch by batch (:func:`print_result`), so memory does not grow with
  the number of rows.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import duckdb

from analysis import threads
from analysis.errors import BadInput
from analysis.output import TABLE_MAX_ROWS
from analysis.sqlnames import fetch_rows

if TYPE_CHECKING:
    from analysis.project import Project

READ_STATEMENTS = {"SELECT", "EXPLAIN"}
"""Statement types that run (an EXPLAIN only when what it explains is itself a read)."""

WRITING_FUNCTIONS = frozenset(
    {
        "checkpoint",  # write the database file
        "force_checkpoint",
        "enable_logging",  # storage='file' writes CSV files into any folder
        "disable_logging",
        "truncate_duckdb_logs",
        "write_log",
        "enable_profiling",  # save_location writes a file
        "disable_profiling",
        "query",  # run SQL from a string, which this check cannot see
        "json_execute_serialized_sql",
    }
)
"""Functions a SELECT could call to write files or change the session: refused when called."""

OUT_SUFFIXES = (".parquet", ".csv")
PROTECTED_FOLDERS = ("data", "seeds", "reports", "analysis", "tests", "docs", "benchmarks")
"""The project's own folders (inputs, warehouse, reports, code): `--out` never writes in them."""

FETCH_ROWS = 10_000  # rows per batch printed or written as CSV
ARROW_ROWS = 100_000  # rows per Arrow batch (one Parquet row group each)
NESTED_TYPES = {"list", "struct", "map", "array", "union"}

_NAME = re.compile(r'"(?:[^"]|"")*"|[^\W\d]\w*')


def connect(path: Path, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise BadInput(path, "no warehouse yet; run `analysis build` (or `make build`) first")
    config = {
        "enable_external_access": allow_files,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "python_enable_replacements": False,
        "lock_configuration": True,
        **threads.for_file(path),
    }
    try:
        return duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as err:
        raise BadInput(path, _one_line(err)) from None


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> list[dict[str, Any]]:
    """Rows of a query as dictionaries keyed by column name."""
    names, rows = fetch_rows(con, sql, params)
    return [dict(zip(names, row, strict=True)) for row in rows]


def iter_batches(
    con: duckdb.DuckDBPyConnection, sql: str, size: int = FETCH_ROWS
) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    """A query's column names and rows, ``size`` rows at a time (the others stay in DuckDB
    until fetched), on a cursor of their own: another statement run on ``con`` meanwhile
    does not end them."""
    cur = con.cursor()
    try:
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(size):
            yield names, rows
    finally:
        cur.close()


def _one_line(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text.replace("Attempting to execute an unsuccessful or closed pending query result ", "")


# ---------------------------------------------------------------- what may run


def check_read_only(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse, before anything runs, a query that is not a pure read.

    Every statement, as DuckDB itself parses it, must be a SELECT or an EXPLAIN [ANALYZE] of a
    SELECT (EXPLAIN ANALYZE runs what it explains, so the EXPLAIN of a write is a write). PRAGMA
    runs only when DuckDB answers it with a query (``table_info``, ``database_size``…): a PRAGMA
    that changes settings or checkpoints stays a PRAGMA statement and is refused, a PRAGMA
    assignment is a SET and is refused. A call of any of :data:`WRITING_FUNCTIONS` is refused
    wherever it appears.
    """
    if not query.strip():
        raise BadInput(None, "empty query; pass SQL as an argument or on standard input")
    count = _check_statements(con, query, "")
    for name in _called_functions(query) & WRITING_FUNCTIONS:
        raise BadInput(
            None, f"{name}() is refused: it can write files or change the session (read only)"
        )
    if count > 1:  # each ran, and only the last one's rows were printed (or written to --out)
        raise BadInput(
            None,
            f"{count} statements in one query are refused: one at a time (only the last "
            "one's rows would be shown)",
        )


def _check_statements(con: duckdb.DuckDBPyConnection, text: str, explained_by: str) -> int:
    """Refuse any statement of ``text`` that is not a read; how many statements it holds."""
    try:
        statements = con.extract_statements(text)
    except duckdb.Error as err:
        raise BadInput(None, f"SQL: {_one_line(err)}") from None
    if not statements:
        raise BadInput(None, f"{explained_by}statements are refused: no statement to explain")
    for statement in statements:
        kind = statement.type.name
        if kind == "EXPLAIN":
            _check_statements(con, _explained(statement.query), f"{explained_by}EXPLAIN ")
        elif kind == "PRAGMA":
            raise BadInput(
                None,
                f"{explained_by}PRAGMA statements that change settings are refused: only reads "
                "run (read-only pragmas such as table_info and database_size do)",
            )
        elif kind not in READ_STATEMENTS:
            raise BadInput(
                None,
                f"{explained_by}{kind} statements are refused: the warehouse is opened "
                "read-only and only reads run (rebuild it with `analysis build` instead)",
            )
    return len(statements)


def _explained(text: str) -> str:
    """The text of the statement an EXPLAIN explains: what follows ``EXPLAIN``, ``EXPLAIN
    ANALYZE`` (or ``ANALYSE``) or ``EXPLAIN (options)``, comments skipped; "" when unsure (so the
    EXPLAIN is refused)."""
    starts = [start for start, _ in tokens(text)]
    if len(starts) < 2 or _word(text, starts[0]) != "explain":
        return ""
    i = 1
    if _word(text, starts[i]) in ("analyze", "analyse"):
        i += 1
    elif text[starts[i]] == "(":
        depth = 0
        while i < len(starts):
            depth += {"(": 1, ")": -1}.get(text[starts[i]], 0)
            i += 1
            if depth == 0:
                break
    return text[starts[i] :] if i < len(starts) else ""


def tokens(text: str) -> list[tuple[int, Any]]:
    """DuckDB's tokens of ``text``, each at its character offset: the tokenizer gives offsets
    in UTF-8 bytes, which point past the token after any non-ASCII character (an accented
    name before a call hid the call from the checks above)."""
    found = duckdb.tokenize(text)
    if text.isascii():
        return found
    at = [i for i, ch in enumerate(text) for _ in range(len(ch.encode("utf-8")))]
    at.append(len(text))
    return [(at[start], kind) for start, kind in found]


def _word(text: str, start: int) -> str:
    match = _NAME.match(text, start)
    if match is None:
        return ""
    word = match.group(0)
    if word.startswith('"'):
        word = word[1:-1].replace('""', '"')
    return word.lower()


def _called_functions(query: str) -> set[str]:
    """Lower-cased names written immediately before an opening parenthesis (comments aside):
    every function call, table function or method-style call (``x.f()``)."""
    names = set()
    words = (duckdb.token_type.identifier, duckdb.token_type.keyword)
    for (start, kind), (after, _) in itertools.pairwise(tokens(query)):
        if kind in words and query[after] == "(":
            names.add(_word(query, start))
    return names


# ---------------------------------------------------------------- running


@dataclass
class Result:
    """A query that has run: its columns, and its rows still in DuckDB, fetched in batches."""

    cursor: duckdb.DuckDBPyConnection
    columns: list[str]
    types: list[str]  # DuckDB type ids: integer, varchar, list, struct…

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """The rows, :data:`FETCH_ROWS` at a time."""
        if not self.columns:
            return
        while rows := self.fetch(FETCH_ROWS):
            yield rows

    def fetch(self, n: int) -> list[tuple[Any, ...]]:
        try:
            return self.cursor.fetchmany(n)
        except duckdb.Error as err:  # errors can surface while rows stream
            raise BadInput(None, f"SQL: {_one_line(err)}") from None


def run(con: duckdb.DuckDBPyConnection, query: str) -> Result:
    """Run a read-only query (:func:`check_read_only` first); its rows stay in DuckDB until
    fetched."""
    check_read_only(con, query)
    try:
        cursor = con.execute(query)
    except duckdb.Error as err:
        raise BadInput(None, f"SQL: {_one_line(err)}") from None
    if cursor.description is None:
        return Result(cursor, [], [])
    return Result(cursor, [d[0] for d in cursor.description], [d[1].id for d in cursor.description])


def check_columns(result: Result, fmt: str) -> None:
    """Refuse a result a format cannot hold, before anything is printed or written.

    JSON, CSV and Parquet key columns by name: a name used twice is refused (the table format,
    for people, shows it). CSV has no nested values: a list, struct, map, array or union column
    is refused (write .parquet, or turn it into text with ``to_json(column)``).
    """
    if fmt != "table":
        seen: set[str] = set()
        for name in result.columns:
            if name in seen:
                raise BadInput(
                    None,
                    f"column {name!r} appears twice; {fmt} needs unique column names "
                    "(rename one with AS)",
                )
            seen.add(name)
    if fmt == "csv":
        for name, kind in zip(result.columns, result.types, strict=True):
            if kind in NESTED_TYPES:
                raise BadInput(
                    None,
                    f"column {name!r} is a {kind}, which CSV cannot hold; write .parquet or "
                    f"select to_json({name}) instead",
                )


# ---------------------------------------------------------------- printing


def print_result(result: Result, fmt: str) -> str | None:
    """Print the result on standard output batch by batch; returns a note for standard error.

    CSV and JSON stream every row (JSON as the same indented array as before); the table, whose
    column widths need all its rows, shows the first :data:`TABLE_MAX_ROWS` and says so.
    """
    from analysis.output import print_rows

    check_columns(result, fmt)
    if fmt == "csv":
        _write_csv(result, sys.stdout)
    elif fmt == "json":
        _write_json(result, sys.stdout)
    else:
        rows = result.fetch(TABLE_MAX_ROWS + 1) if result.columns else []
        print_rows(result.columns, rows[:TABLE_MAX_ROWS], "table")
        if len(rows) > TABLE_MAX_ROWS:
            return (
                f"note: the table shows the first {TABLE_MAX_ROWS} rows; use --format csv, "
                "--format json or --out FILE for all of them"
            )
    sys.stdout.flush()
    return None


def _write_csv(result: Result, stream: TextIO) -> int:
    from analysis.output import _clean

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(result.columns)
    n = 0
    for rows in result.batches():
        writer.writerows(["" if v is None else _clean(v) for v in row] for row in rows)
        n += len(rows)
    return n


def _write_json(result: Result, stream: TextIO) -> None:
    """The rows as one JSON array, written a batch at a time, byte for byte what
    ``json.dumps(records, indent=1)`` gives for all of them."""
    from analysis.output import _clean

    opening = "[\n"
    for rows in result.batches():
        records = [{c: _clean(v) for c, v in zip(result.columns, r, strict=True)} for r in rows]
        try:
            text = json.dumps(records, ensure_ascii=False, indent=1, default=_json_value)
        except (TypeError, ValueError) as err:
            raise BadInput(None, f"a value JSON cannot hold: {_one_line(err)}") from None
        stream.write(opening + text[2:-2])  # the batch's records, without its own [ ]
        opening = ",\n"
    stream.write("[]\n" if opening == "[\n" else "\n]\n")


def _json_value(value: Any) -> Any:
    """Values JSON has no type for: decimals as numbers, anything else (UUID, interval, bytes)
    as its text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


# ---------------------------------------------------------------- --out


def check_out(
    out: Path, project: Project, suffixes: tuple[str, ...] = OUT_SUFFIXES, name: str = "--out"
) -> Path:
    """The real path ``--out`` (or the file ``name`` names) will be written to, checked before
    anything is read.

    Refused: a name not ending in one of ``suffixes`` (.parquet or .csv); a symbolic link
    (whatever it points to); an existing folder or other non-regular file; a missing folder;
    and any path that resolves (symbolic links followed) inside one of the project's own
    folders (:data:`PROTECTED_FOLDERS`: data/ with the warehouse, seeds/, reports/, analysis/,
    tests/, docs/, benchmarks/). Anywhere else, an existing file is replaced atomically.
    """
    endings = " or ".join(suffixes)
    if out.suffix.lower() not in suffixes:
        raise BadInput(out, f"{name} must end in {endings}")
    if out.is_symlink():
        raise BadInput(out, f"{name} is a symbolic link; give the path of a real file")
    if out.is_dir():
        raise BadInput(out, f"{name} is a folder; give a file name ending in {endings}")
    real = out.resolve()
    if not real.parent.is_dir():
        raise BadInput(out, f"folder {out.parent} does not exist")
    if real.exists() and not real.is_file():
        raise BadInput(out, f"{name} exists and is not a regular file")
    for folder in PROTECTED_FOLDERS:
        guarded = (project.root / folder).resolve()
        if real.is_relative_to(guarded):
            raise BadInput(
                out,
                f"{name} is inside the project's {folder}/ folder ({guarded}); what it writes "
                "never overwrites project files: write it elsewhere",
            )
    return real


def write_out(result: Result, out: Path) -> int:
    """Stream the result into ``out`` (checked by :func:`check_out`) through a temporary file
    beside it, renamed into place only when complete; returns the number of rows."""
    suffix = out.suffix.lower()
    check_columns(result, suffix.lstrip("."))
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        if suffix == ".parquet":
            n = _write_parquet(result, tmp)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as stream:
                n = _write_csv(result, stream)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def _write_parquet(result: Result, tmp: Path) -> int:
    """Arrow batches from DuckDB into a Parquet file, one row group each. The reader and the
    file are closed whatever happens: an Arrow reader left open keeps the database open."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        reader = result.cursor.to_arrow_reader(ARROW_ROWS)
    except duckdb.Error as err:
        raise BadInput(None, f"SQL: {_one_line(err)}") from None
    n = 0
    with reader, tmp.open("wb") as sink:
        try:
            # zstd and no dictionary, as polars writes: a dictionary per row group of
            # distinct values only grows the file
            writer = pq.ParquetWriter(sink, reader.schema, compression="zstd", use_dictionary=False)
        except pa.ArrowException:
            raise BadInput(None, _parquet_refusal(reader.schema)) from None
        with writer:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except (duckdb.Error, pa.ArrowException, OSError) as err:  # while streaming
                    raise BadInput(None, f"SQL: {_one_line(err)}") from None
                writer.write_batch(batch)
                n += batch.num_rows
    return n


def _parquet_refusal(schema: Any) -> str:
    """Name the first column Parquet has no type for (an interval, a union)."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    for field in schema:
        try:
            pq.ParquetWriter(io.BytesIO(), pa.schema([field])).close()
        except pa.ArrowException:
            return (
                f"column {field.name!r} is a {field.type}, which Parquet cannot hold; cast it "
                "(e.g. to VARCHAR) or write .csv"
            )
    return "Parquet cannot hold one of the result's columns"


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
