"""Validating a warehouse file: every suite on every table it guards.

- In DuckDB (:mod:`analysis.validation.sql`), on every row: the catalog's structural suites and
  every hand-written expectation that has a SQL form.
- In Great Expectations (:mod:`analysis.validation.gx`), on bounded batches: the hand-written
  suites, which GE also checks against its own expectation classes (engine ``full``, the
  default; engine ``sql`` skips GE).

A base table that no suite guards fails validation. Every result says which engine checked it
on how many rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis import threads
from analysis.errors import BadInput
from analysis.sqlnames import fetch_rows, identifier, literal
from analysis.validation.expectations import Suite, load_suites, structural_suites
from analysis.validation.scope import DOC, Scope, changed_rows, narrows
from analysis.validation.sql import Untranslatable, run_expectation, run_together

ENGINES = ("full", "sql")


@dataclass(frozen=True)
class ExpectationResult:
    table: str
    column: str | None
    expectation: str
    success: bool
    unexpected: list[str] = field(default_factory=list)
    message: str | None = None
    suite: str = ""
    engine: str = "sql"
    rows: int = 0
    # checked on the rows of this many documents that changed (a by-document suite in a build
    # that carries the warehouse, validation.scope); None: on every row
    documents: int | None = None


@dataclass
class ValidationOutcome:
    results: list[ExpectationResult]
    suites: str = ""  # the digest of the suites run (:func:`digest`)

    @property
    def passed(self) -> int:
        return sum(r.success for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.success for r in self.results)

    @property
    def failures(self) -> list[str]:
        lines = []
        for r in self.results:
            if r.success:
                continue
            detail = r.message or ", ".join(r.unexpected[:3]) or "n/a"
            lines.append(f"{r.table}.{r.column or '*'}: {r.expectation} (e.g. {detail})")
        return lines

    def count(self, engine: str) -> int:
        return sum(r.engine == engine for r in self.results)


def frame_sql(con: duckdb.DuckDBPyConnection, template: str, table: str) -> str:
    """The suite's frame query for one table. Placeholders: ``{table}`` (quoted identifier),
    ``{table_name}`` (the name as a SQL string's content), ``{numeric_columns_nonnegative}``
    (every numeric column of the table is NULL or ≥ 0)."""
    sql = template.replace("{table_name}", table.replace("'", "''")).replace(
        "{table}", identifier(table)
    )
    if "{numeric_columns_nonnegative}" in sql:
        numeric = [
            r[0]
            for r in fetch_rows(
                con,
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND data_type IN "
                "('DOUBLE', 'INTEGER', 'BIGINT', 'DECIMAL', 'FLOAT') AND column_name <> 'row_no'",
                [table],
            )[1]
        ]
        expression = " AND ".join(f"coalesce({identifier(c)} >= 0, true)" for c in numeric)
        sql = sql.replace("{numeric_columns_nonnegative}", f"({expression or 'true'})")
    return sql


def _frames(
    con: duckdb.DuckDBPyConnection, suite: Suite, tables: list[str]
) -> list[tuple[str, str]]:
    """(table, frame SQL) for each table the suite guards; a combining suite's frames carry a
    ``table_name`` column so that they can be stacked."""
    frames = []
    for table in tables:
        if suite.guards(table):
            sql = frame_sql(con, suite.frame, table)
            if suite.combine:
                sql = f"SELECT {literal(table)} AS table_name, * FROM ({sql})"
            frames.append((table, sql))
    return frames


@dataclass
class Part:
    """One engine's results (or those of one half of the suites): a list per place, the tables
    no suite guards first, then each suite's in the order of :func:`suites`; and the bad
    input found, by place. The two engines' parts are made apart (the build's validator
    process runs Great Expectations while the build runs the SQL) and joined by
    :func:`join`, which raises the first bad input as one process would have met it."""

    results: list[list[ExpectationResult]]
    errors: dict[int, BadInput] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how it was made, when not as planned

    def __add__(self, other: Part) -> Part:
        """Two halves of one engine's part: each place's results, and every error."""
        results = [a + b for a, b in zip(self.results, other.results, strict=True)]
        return Part(results, {**self.errors, **other.errors}, self.notes + other.notes)

    def to_json(self, every: list[Suite]) -> str:
        """The part as JSON, as the validator process hands it to the build, with the digest
        of the suites it ran (:func:`digest`)."""
        return json.dumps(
            {
                "suites": digest(every),
                "results": [[dataclasses.asdict(r) for r in place] for place in self.results],
                "errors": {
                    str(place): [err.path, err.message, err.place]
                    for place, err in self.errors.items()
                },
                "notes": self.notes,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> tuple[Part, str]:
        """The part and the digest of the suites it ran."""
        data = json.loads(text)
        results = [[ExpectationResult(**r) for r in place] for place in data["results"]]
        errors = {int(place): BadInput(*err) for place, err in data["errors"].items()}
        return cls(results, errors, list(data.get("notes", []))), data["suites"]


def validate_warehouse(
    path: Path, expectations_dir: Path, engine: str = "full", scope: Scope | None = None
) -> ValidationOutcome:
    """Run every suite on the tables of the warehouse at ``path`` (opened read-only); with a
    ``scope``, the by-document suites on the changed documents' rows where they may be."""
    if engine not in ENGINES:
        raise BadInput(None, f"unknown validation engine {engine!r} (use: {', '.join(ENGINES)})")
    every = suites(expectations_dir)
    with _connect(path) as con:
        parts = [in_duckdb(con, every, expectations_dir, scope)]
        if engine == "full":
            parts.append(in_great_expectations(con, every, scope=scope))
    return join(*parts, suites=digest(every))


def join(*parts: Part, suites: str = "") -> ValidationOutcome:
    """The outcome of the engines' parts, each suite's SQL results before its GE results, which
    ran the suites of digest ``suites``. Bad input in any part is raised instead: the first,
    in that same order."""
    errors = [(place, n, err) for n, p in enumerate(parts) for place, err in p.errors.items()]
    if errors:
        raise min(errors, key=lambda e: e[:2])[2]
    places = zip(*(p.results for p in parts), strict=True)
    return ValidationOutcome([r for place in places for p in place for r in p], suites)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    # read-only, and no file but the warehouse: an expectation's SQL cannot reach the disk
    config = {
        "enable_external_access": False,
        "lock_configuration": True,
        **threads.for_file(path),
    }
    return duckdb.connect(str(path), read_only=True, config=config)


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    query = "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name"
    return [r[0] for r in con.execute(query).fetchall()]


def suites(expectations_dir: Path) -> list[Suite]:
    """Every suite, in the order their results are listed: the catalog's, then the
    hand-written ones."""
    return structural_suites() + load_suites(expectations_dir)


def digest(every: list[Suite]) -> str:
    """What the suites say, as a digest: two processes that read the expectations folder
    apart ran the same suites only if their digests are equal."""
    said = [
        [
            s.name,
            str(s.path),
            s.tables,
            s.frame,
            s.combine,
            s.by_document,
            [[e.name, e.kwargs] for e in s.expectations],
        ]
        for s in every
    ]
    return hashlib.sha256(json.dumps(said, sort_keys=True, default=str).encode()).hexdigest()


def in_duckdb(
    con: duckdb.DuckDBPyConnection,
    every: list[Suite],
    expectations_dir: Path,
    scope: Scope | None = None,
) -> Part:
    """Every expectation with a SQL form, on every row (with a ``scope``, a by-document
    suite's on the rows of the documents that changed, where :func:`narrows` allows); and a
    failure for each base table that no suite guards."""
    tables = _tables(con)
    scope = scope.of(digest(every)) if scope is not None else None
    unguarded = [
        ExpectationResult(
            table,
            None,
            "has an expectation suite",
            False,
            message=f"no suite in {expectations_dir.name}/ guards this table",
        )
        for table in tables
        if not any(s.guards(table) for s in every)
    ]

    def results_of(_: int, suite: Suite) -> list[ExpectationResult]:
        return [
            result
            for table, sql in _frames(con, suite, tables)
            for result in _on_rows_in_scope(
                con,
                suite,
                table,
                sql,
                scope,
                lambda on, table, sql: _sql_results(on, suite, table, sql, expectations_dir),
            )
        ]

    return _by_suite(every, unguarded, results_of)


def _on_rows_in_scope(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    table: str,
    sql: str,
    scope: Scope | None,
    run: Callable[[duckdb.DuckDBPyConnection, str, str], list[ExpectationResult]],
) -> list[ExpectationResult]:
    """``run(con, table, sql)``; for a by-document suite whose frame may be narrowed to
    ``scope`` (:func:`~analysis.validation.scope.narrows`), on a connection that sees the
    changed documents' rows only, each result saying on how many documents."""
    if not suite.by_document:
        return run(con, table, sql)
    _has_documents(con, suite, table)
    if scope is None or not narrows(con, sql, scope):
        return run(con, table, sql)
    with changed_rows(con, table, scope.documents) as scoped:
        found = run(scoped, table, sql)
        # the changed documents the warehouse holds (not those taken out of the archive)
        (held,) = scoped.execute(f"SELECT count(DISTINCT {DOC}) FROM documents").fetchone()
    return [dataclasses.replace(r, documents=held) for r in found]


def _has_documents(con: duckdb.DuckDBPyConnection, suite: Suite, table: str) -> None:
    """A by-document suite's table has a ``doc_id`` column, else the suite is bad input."""
    (found,) = con.execute(
        "SELECT count(*) FROM duckdb_columns() "
        f"WHERE table_name = {literal(table)} AND column_name = {literal(DOC)}"
    ).fetchone()
    if not found:
        raise BadInput(suite.path, f"by_document, but {table} has no {DOC} column")


def _by_suite(
    every: list[Suite],
    first: list[ExpectationResult],
    results_of: Callable[[int, Suite], list[ExpectationResult]],
) -> Part:
    """The part whose first place is ``first`` and whose others are ``results_of(position,
    suite)`` for each suite. Bad input is recorded at its suite's place, and no later suite
    runs (its error could not come first); their places stay empty."""
    part = Part([first])
    for i, suite in enumerate(every):
        try:
            part.results.append(results_of(i, suite))
        except BadInput as err:
            part.errors[i + 1] = err
            break
    part.results += [[] for _ in range(len(every) + 1 - len(part.results))]
    return part


def in_great_expectations(
    con: duckdb.DuckDBPyConnection,
    every: list[Suite],
    runner: Any = None,
    only: Collection[int] | None = None,
    scope: Scope | None = None,
) -> Part:
    """The hand-written suites, run by Great Expectations on bounded batches of their frames
    (a combining suite's frames stacked into one batch; a by-document suite's narrowed to
    ``scope`` as :func:`in_duckdb` narrows it); ``only``: the positions (in ``every``) of
    the suites to run, the others' places left empty."""
    tables = _tables(con)
    scope = scope.of(digest(every), great_expectations=True) if scope is not None else None

    def results_of(i: int, suite: Suite) -> list[ExpectationResult]:
        nonlocal runner
        if suite.structural or (only is not None and i not in only):
            return []
        frames = _frames(con, suite, tables)
        if frames and runner is None:
            from analysis.validation.gx import GxRunner

            runner = GxRunner()
        batches = frames
        if suite.combine and frames:
            union = " UNION ALL BY NAME ".join(f"({q})" for _, q in frames)
            batches = [(",".join(t for t, _ in frames), union)]

        def run(on: duckdb.DuckDBPyConnection, label: str, sql: str) -> list[ExpectationResult]:
            return [
                ExpectationResult(
                    label,
                    exp.column,
                    exp.name,
                    ok,
                    unexpected,
                    message,
                    suite.name,
                    "great_expectations",
                    rows,
                )
                for exp, ok, unexpected, message, rows in runner.validate(on, suite, label, sql)
            ]

        return [
            result
            for label, sql in batches
            for result in _on_rows_in_scope(con, suite, label, sql, scope, run)
        ]

    return _by_suite(every, [], results_of)


def validate_in_duckdb(
    path: Path, every: list[Suite], expectations_dir: Path, scope: Scope | None = None
) -> Part:
    """:func:`in_duckdb` on the warehouse at ``path``."""
    with _connect(path) as con:
        return in_duckdb(con, every, expectations_dir, scope)


def validate_in_great_expectations(
    path: Path,
    every: list[Suite],
    runner: Any,
    only: Collection[int] | None = None,
    scope: Scope | None = None,
) -> Part:
    """:func:`in_great_expectations` on the warehouse at ``path``."""
    with _connect(path) as con:
        return in_great_expectations(con, every, runner, only, scope)


def _sql_results(
    con: duckdb.DuckDBPyConnection, suite: Suite, table: str, sql: str, expectations_dir: Path
) -> list[ExpectationResult]:
    results = []
    try:
        together = run_together(con, sql, suite.expectations)
    except duckdb.Error:
        together = {}  # one of them is wrong: run each alone, to name it
    for i, exp in enumerate(suite.expectations):
        try:
            ok, rows, unexpected, message = together.get(i) or run_expectation(con, sql, exp)
        except Untranslatable:
            continue  # Great Expectations alone runs it
        except duckdb.Error as err:
            raise BadInput(
                suite.path or expectations_dir,
                f"{exp.name} on {table}: {' '.join(str(err).split())}",
                exp.line,
            ) from None
        results.append(
            ExpectationResult(
                table, exp.column, exp.name, ok, unexpected, message, suite.name, "sql", rows
            )
        )
    return results
