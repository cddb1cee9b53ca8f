"""Great Expectations on bounded batches: the hand-written suites, run by GE itself on at most
:data:`BATCH_ROWS` rows of each table's frame (all of them for small tables), so its
per-expectation bookkeeping costs the same at a thousand rows or a hundred million.

GE validates pandas DataFrames read back from the DuckDB file (its SQL datasource over
duckdb-engine fails, upstream issues #10738 and #11579). Its usage analytics and progress bars
are switched off before it is imported; it is imported only here, lazily.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from typing import Any

import duckdb

from analysis.errors import BadInput
from analysis.validation.expectations import Expectation, Suite

BATCH_ROWS = 10_000


# Modules Great Expectations imports whatever it validates and needs only for some
# expectations: scipy.stats (about a third of its import, for the KL-divergence and KS-test
# expectations) is executed only when one of those runs.
DEFERRED = ("scipy.stats",)


def _gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    for name in DEFERRED:
        defer_import(name)
    import great_expectations as gx

    return gx


def defer_import(name: str) -> None:
    """Make the submodule ``name`` importable at no cost: its code runs when one of its
    attributes is first read (:class:`importlib.util.LazyLoader`). It is also set on its
    package, so that ``from package import module`` binds it without touching it. Nothing
    happens when it is imported already or not installed."""
    if name in sys.modules:
        return
    parent, _, child = name.rpartition(".")
    try:
        spec = importlib.util.find_spec(name)  # imports the package
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if parent:
        setattr(sys.modules[parent], child, module)


def bounded(con: duckdb.DuckDBPyConnection, frame_sql: str) -> tuple[str, int, int]:
    """The frame cut to at most BATCH_ROWS rows by a systematic sample: (SQL, rows, total)."""
    (total,) = con.execute(f"SELECT count(*) FROM ({frame_sql}) f").fetchone()
    if total <= BATCH_ROWS:
        return frame_sql, total, total
    step = -(-total // BATCH_ROWS)
    sampled = (
        f"SELECT * EXCLUDE (_row) FROM (SELECT *, row_number() OVER () AS _row FROM "
        f"({frame_sql}) f) WHERE _row % {step} = 1"
    )
    (rows,) = con.execute(f"SELECT count(*) FROM ({sampled}) s").fetchone()
    return sampled, rows, total


class GxRunner:
    """One ephemeral GE context for a validation run."""

    def __init__(self) -> None:
        gx = _gx()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        # expectations by the name GE gives each (expect_column_kl_divergence_to_be_less_than
        # is ExpectColumnKLDivergenceToBeLessThan: not its words capitalised), the name its
        # results carry
        self._classes = {
            cls.expectation_type: cls
            for cls in (getattr(gx.expectations, name) for name in dir(gx.expectations))
            if isinstance(getattr(cls, "expectation_type", None), str)
        }
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        # one asset and batch definition for every frame: adding one rewrites the context's
        # whole configuration (about 15 ms each, twice per frame)
        source = self.context.data_sources.add_pandas("warehouse")
        self.batches = source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe(
            "all"
        )

    def _cls(self, suite: Suite, exp: Expectation) -> Any:
        cls = self._classes.get(exp.name)
        if cls is None:
            raise BadInput(suite.path, f"unknown expectation {exp.name!r}", place=exp.line)
        return cls

    def validate(
        self, con: duckdb.DuckDBPyConnection, suite: Suite, label: str, frame_sql: str
    ) -> list[tuple[Expectation, bool, list[str], str | None, int]]:
        """(expectation, success, offending values, message, rows checked) for each one."""
        sql, rows, _ = bounded(con, frame_sql)
        data = con.sql(sql).df()
        batch = self.batches.get_batch(batch_parameters={"dataframe": data})
        expectation_suite = self.gx.ExpectationSuite(name=f"{suite.name}:{label}")
        for exp in suite.expectations:
            try:
                expectation_suite.add_expectation(self._cls(suite, exp)(**exp.kwargs))
            except BadInput:
                raise
            except Exception as err:  # GE's own validation of the arguments
                raise BadInput(
                    suite.path, f"{exp.name}: {err}".splitlines()[0], place=exp.line
                ) from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GE's deprecation notices, pandas' regex notice
            outcome = self.validate_batch(batch, expectation_suite)
        pending = list(suite.expectations)
        found = []
        for res in outcome.results:  # results do not keep the declared order
            exp = _declared(pending, res.expectation_config)
            info = res.exception_info or {}
            raised = bool(info.get("raised_exception"))
            unexpected = [str(v) for v in (res.result or {}).get("partial_unexpected_list", [])[:5]]
            observed = (res.result or {}).get("observed_value")
            message = None
            if raised:
                message = "raised: " + str(info.get("exception_message")).splitlines()[0]
            elif not res.success and not unexpected and observed is not None:
                message = f"observed {observed}"
            found.append((exp, bool(res.success) and not raised, unexpected, message, rows))
        order = {id(e): i for i, e in enumerate(suite.expectations)}
        return sorted(found, key=lambda r: order[id(r[0])])

    @staticmethod
    def validate_batch(batch: Any, suite: Any) -> Any:
        # BASIC holds all that is read from a result (success, the first unexpected values,
        # the observed value, the exception); SUMMARY adds counts of the unexpected values
        # and their indexes, which cost a quarter of GE's time on the seed and were never read
        return batch.validate(suite, result_format="BASIC")


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
