"""Report charts, one module per chart, found by the registry below.

A chart module defines ``CHART = Chart(...)``: its name, the report section heading it sits
under, its place in the report and the function that turns its ``chart_…`` view(s) into a
:class:`~analysis.charts.common.ChartFigure`. Charts never compute figures: every value, label
and takeaway comes from the warehouse views (``analysis/warehouse/views/chart_*.sql``). Adding
a chart is adding a module here and its view, plus its docs (the README's report section, which
a test compares with this registry) and its tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from analysis.charts.common import ChartFigure

_NOT_CHARTS = {"common"}


@dataclass(frozen=True)
class Chart:
    name: str
    heading: str  # the report section it sits under
    order: int  # its place in the report
    views: tuple[str, ...]  # the chart_… views it reads
    build: Callable[[duckdb.DuckDBPyConnection], ChartFigure]


@cache
def registry() -> dict[str, Chart]:
    """Every chart of this package, by name, in report order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_CHARTS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        chart = getattr(module, "CHART", None)
        if not isinstance(chart, Chart):
            raise RuntimeError(f"{module.__name__} defines no CHART")
        found.append(chart)
    return {c.name: c for c in sorted(found, key=lambda c: (c.order, c.name))}


def chart_names() -> tuple[str, ...]:
    return tuple(registry())


def module_names() -> tuple[str, ...]:
    """The charts' names without importing their modules (nor Altair): each chart is named as
    its module (tests/test_architecture.py holds them equal), for checking a claim's ``chart``
    before the report stage."""
    return tuple(
        sorted(
            info.name
            for info in pkgutil.iter_modules(__path__)
            if not info.name.startswith("_") and info.name not in _NOT_CHARTS
        )
    )
