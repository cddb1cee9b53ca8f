"""Great Expectations suites, declared as data, run on the tables as stored in a warehouse file.

Each ``data/expectations/<name>.yaml`` declares one suite: the table(s) it guards (``table:``, or
``applies_to:`` a glob such as ``ref_*``), an optional ``frame:`` query that joins in what
cross-table expectations need (``{table}`` is replaced by the table name), and a list of
expectations by their Great Expectations name with their arguments. Every base table of the
warehouse must be guarded by at least one suite.

Great Expectations validates pandas DataFrames read back from the new DuckDB file (its SQL
datasource over duckdb-engine fails, upstream issues #10738 and #11579). Its usage analytics and
progress bars are switched off before it is imported; it is imported only here, lazily.
"""

from __future__ import annotations

import fnmatch
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import BadInput
from analysis.yamlines import line_of, load_with_lines

SUITE_FIELDS = {"table", "applies_to", "description", "frame", "expectations"}


@dataclass(frozen=True)
class ExpectationResult:
    table: str
    column: str | None
    expectation: str
    success: bool
    unexpected: list[str] = field(default_factory=list)
    message: str | None = None
    suite: str = ""


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


@dataclass(frozen=True)
class Expectation:
    name: str
    kwargs: dict[str, Any]
    line: str | None


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    tables: tuple[str, ...]  # exact names or glob patterns
    frame: str
    expectations: tuple[Expectation, ...]

    def guards(self, table: str) -> bool:
        return any(fnmatch.fnmatchcase(table, pattern) for pattern in self.tables)


def _named_sets() -> dict[str, list[str]]:
    import pycountry

    return {
        "$iso3166_alpha3": sorted(c.alpha_3 for c in pycountry.countries),
        "$iso4217": sorted(c.alpha_3 for c in pycountry.currencies),
    }


def _resolve(value: Any, sets: dict[str, list[str]]) -> Any:
    """Replace ``$iso3166_alpha3`` / ``$iso4217`` in value sets (plus listed extras)."""
    if isinstance(value, str) and value in sets:
        return list(sets[value])
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            resolved = _resolve(item, sets)
            out.extend(resolved if isinstance(item, str) and item in sets else [resolved])
        return out
    if isinstance(value, dict):
        return {k: _resolve(v, sets) for k, v in value.items()}
    return value


def load_suites(expectations_dir: Path) -> list[Suite]:
    if not expectations_dir.is_dir():
        raise BadInput(expectations_dir, "expectations folder not found")
    sets = _named_sets()
    suites = []
    for path in sorted(expectations_dir.glob("*.yaml")):
        data = load_with_lines(path)
        if not isinstance(data, dict):
            raise BadInput(path, "expected a mapping with table (or applies_to) and expectations")
        unknown = sorted(set(data) - SUITE_FIELDS)
        if unknown:
            raise BadInput(path, f"unknown field {unknown[0]!r}", place=line_of(data))
        tables = data.get("table") or data.get("applies_to")
        if not tables:
            raise BadInput(path, "needs 'table' or 'applies_to'")
        tables = (tables,) if isinstance(tables, str) else tuple(tables)
        expectations = []
        for item in data.get("expectations") or []:
            if not isinstance(item, dict) or len(item) != 1:
                raise BadInput(
                    path, "each expectation is {expectation_name: {arguments}}", place=line_of(item)
                )
            ((name, kwargs),) = item.items()
            if not re.fullmatch(r"expect_[a-z0-9_]+", str(name)):
                raise BadInput(path, f"{name!r} is not an expectation name", place=line_of(item))
            expectations.append(
                Expectation(str(name), _resolve(dict(kwargs or {}), sets), line_of(item))
            )
        suites.append(
            Suite(
                name=path.stem,
                path=path,
                tables=tables,
                frame=str(data.get("frame") or "SELECT * FROM {table}"),
                expectations=tuple(expectations),
            )
        )
    return suites


def _gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def _expectation_class(gx: Any, suite: Suite, exp: Expectation) -> Any:
    class_name = "".join(part.capitalize() for part in exp.name.split("_"))
    cls = getattr(gx.expectations, class_name, None)
    if cls is None:
        raise BadInput(suite.path, f"unknown expectation {exp.name!r}", place=exp.line)
    return cls


def _column_of(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return None


def _frame_sql(con: duckdb.DuckDBPyConnection, template: str, table: str) -> str:
    """The suite's frame query for one table. Placeholders: ``{table}`` (quoted identifier),
    ``{table_name}`` (bare name), ``{numeric_columns_nonnegative}`` (a boolean expression:
    every numeric column of the table is NULL or ≥ 0)."""
    sql = template.replace("{table_name}", table).replace("{table}", f'"{table}"')
    if "{numeric_columns_nonnegative}" in sql:
        numeric = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND data_type IN "
                "('DOUBLE', 'INTEGER', 'BIGINT', 'DECIMAL', 'FLOAT') AND column_name <> 'row_no'",
                [table],
            ).fetchall()
        ]
        expression = " AND ".join(f'coalesce("{c}" >= 0, true)' for c in numeric) or "true"
        sql = sql.replace("{numeric_columns_nonnegative}", f"({expression})")
    return sql


def _declared(pending: list[Expectation], config: Any) -> Expectation:
    """The declared expectation a result belongs to (same type, same arguments)."""
    kwargs = dict(config.kwargs)
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict):  # GE wraps string conditions
        kwargs["row_condition"] = condition.get("pass_through_filter", condition)
    for i, exp in enumerate(pending):
        if exp.name == config.type and all(
            kwargs[k] == v for k, v in exp.kwargs.items() if k in kwargs
        ):
            return pending.pop(i)
    raise RuntimeError(f"result of an undeclared expectation: {config.type} {kwargs}")


def validate_warehouse(path: Path, expectations_dir: Path) -> ValidationOutcome:
    """Run every suite on the tables of the warehouse at ``path`` (opened read-only)."""
    suites = load_suites(expectations_dir)
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("warehouse")
    results: list[ExpectationResult] = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name"
            ).fetchall()
        ]
        for table in tables:
            guarding = [s for s in suites if s.guards(table)]
            if not guarding:
                results.append(
                    ExpectationResult(
                        table,
                        None,
                        "has an expectation suite",
                        False,
                        message=f"no suite in {expectations_dir.name}/ guards this table",
                    )
                )
            for suite in guarding:
                frame = con.sql(_frame_sql(con, suite.frame, table)).df()
                asset = source.add_dataframe_asset(f"{suite.name}:{table}")
                batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
                    batch_parameters={"dataframe": frame}
                )
                expectation_suite = gx.ExpectationSuite(name=f"{suite.name}:{table}")
                for exp in suite.expectations:
                    cls = _expectation_class(gx, suite, exp)
                    try:
                        expectation_suite.add_expectation(cls(**exp.kwargs))
                    except Exception as err:  # GE's own validation of the arguments
                        raise BadInput(
                            suite.path, f"{exp.name}: {err}".splitlines()[0], place=exp.line
                        ) from None
                with warnings.catch_warnings():
                    # GE's own deprecation notices and pandas' regex-group notice: not ours
                    warnings.simplefilter("ignore")
                    outcome = batch.validate(expectation_suite, result_format="SUMMARY")
                pending = list(suite.expectations)
                for res in outcome.results:  # results do not keep the declared order
                    exp = _declared(pending, res.expectation_config)
                    info = res.exception_info or {}
                    raised = bool(info.get("raised_exception"))
                    unexpected = [
                        str(v) for v in (res.result or {}).get("partial_unexpected_list", [])[:5]
                    ]
                    observed = (res.result or {}).get("observed_value")
                    message = None
                    if raised:
                        message = "raised: " + str(info.get("exception_message")).splitlines()[0]
                    elif not res.success and not unexpected and observed is not None:
                        message = f"observed {observed}"
                    results.append(
                        ExpectationResult(
                            table=table,
                            column=_column_of(exp.kwargs),
                            expectation=exp.name,
                            success=bool(res.success) and not raised,
                            unexpected=unexpected,
                            message=message,
                            suite=suite.name,
                        )
                    )
    return ValidationOutcome(results)
