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
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import BadInput
from analysis.sqlnames import fetch_rows, identifier, literal
from analysis.validation.expectations import Suite, load_suites, structural_suites
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


@dataclass
class ValidationOutcome:
    results: list[ExpectationResult]

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

    def to_json(self) -> str:
        """The outcome as JSON, as the validator process hands it to the build."""
        return json.dumps([dataclasses.asdict(r) for r in self.results], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ValidationOutcome:
        return cls([ExpectationResult(**r) for r in json.loads(text)])


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


def validate_warehouse(
    path: Path, expectations_dir: Path, engine: str = "full", gx_runner: Any = None
) -> ValidationOutcome:
    """Run every suite on the tables of the warehouse at ``path`` (opened read-only);
    ``gx_runner``: a :class:`~analysis.validation.gx.GxRunner` made already (the validator
    process makes it while the build is still loading), else one is made when needed."""
    if engine not in ENGINES:
        raise BadInput(None, f"unknown validation engine {engine!r} (use: {', '.join(ENGINES)})")
    hand = load_suites(expectations_dir)
    suites = structural_suites() + hand
    results: list[ExpectationResult] = []
    # read-only, and no file but the warehouse: an expectation's SQL cannot reach the disk
    config = {"enable_external_access": False, "lock_configuration": True}
    with duckdb.connect(str(path), read_only=True, config=config) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name"
            ).fetchall()
        ]
        for table in tables:
            if not any(s.guards(table) for s in suites):
                results.append(
                    ExpectationResult(
                        table,
                        None,
                        "has an expectation suite",
                        False,
                        message=f"no suite in {expectations_dir.name}/ guards this table",
                    )
                )
        runner = gx_runner
        for suite in suites:
            frames = _frames(con, suite, tables)
            for table, sql in frames:
                results += _sql_results(con, suite, table, sql, expectations_dir)
            if engine != "full" or suite.structural or not frames:
                continue
            if runner is None:
                from analysis.validation.gx import GxRunner

                runner = GxRunner()
            batches = frames
            if suite.combine:
                union = " UNION ALL BY NAME ".join(f"({q})" for _, q in frames)
                batches = [(",".join(t for t, _ in frames), union)]
            for label, sql in batches:
                results += [
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
                    for exp, ok, unexpected, message, rows in runner.validate(
                        con, suite, label, sql
                    )
                ]
    return ValidationOutcome(results)


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
