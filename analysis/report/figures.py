"""Chart figures for the report: built from the registry, titled for the page and for export,
and written as Vega-Lite JSON, SVG and PNG for use in an article."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import duckdb

from analysis.charts import registry
from analysis.charts.common import EXPORT_WIDTH, ChartFigure, source_line
from analysis.files_cache import cached_bytes
from analysis.report.env import write_atomic

PAGE_WRAP = 46  # characters per title line on the page: fits a 360 px phone screen


def _wrap(text: str, width: int = 78) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def _finish_spec(figure: Any, width: int = 78) -> dict[str, Any] | None:
    """Title block: takeaway, claims tested, source line, wrapped to ``width`` characters
    (the page uses a narrow wrap so the chart reads at phone width; exports a wide one)."""
    if figure.spec is None:
        return None
    spec = json.loads(json.dumps(figure.spec))
    lines = _wrap(figure.subtitle, width)
    for claim in figure.claims[:3]:
        lines += _wrap(
            f"Claim tested ({claim['speaker']}): {claim['measure']} — "
            f"{claim['verdict'].replace('_', ' ')}",
            width,
        )
    lines += _wrap(source_line(figure.sources), width)
    spec["title"] = {"text": _wrap(figure.title, width), "subtitle": lines}
    spec["description"] = figure.description
    return spec


def build_charts(con: duckdb.DuckDBPyConnection) -> list[ChartFigure]:
    """Every registered chart's figure, from the warehouse views, in report order."""
    figures = []
    for chart in registry().values():
        figure = chart.build(con)
        figure.export_spec = _finish_spec(figure)
        figure.spec = _finish_spec(figure, width=PAGE_WRAP)
        figures.append(figure)
    return figures


def write_chart_files(figure: Any, charts_dir: Path, cache_dir: Path | None = None) -> list[Path]:
    """The chart's Vega-Lite spec, SVG and PNG (fixed width, for use in an article); renderings
    of a spec already drawn come from ``cache_dir``."""
    import vl_convert

    charts_dir.mkdir(parents=True, exist_ok=True)
    if figure.spec is None:
        return []
    export = json.loads(json.dumps(figure.export_spec))
    export["width"] = EXPORT_WIDTH
    export.pop("autosize", None)
    export.setdefault("background", "white")
    key = json.dumps(export, sort_keys=True)
    version = vl_convert.__version__
    files = {
        charts_dir / f"{figure.name}.vl.json": (
            json.dumps(figure.export_spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        ).encode("utf-8"),
        charts_dir / f"{figure.name}.svg": cached_bytes(
            cache_dir, ("svg", version, key), lambda: vl_convert.vegalite_to_svg(export).encode()
        ),
        charts_dir / f"{figure.name}.png": cached_bytes(
            cache_dir, ("png", version, key), lambda: vl_convert.vegalite_to_png(export, scale=2)
        ),
    }
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)
