"""Chart figures for the report: built from the registry, titled for the page and for export,
and written as Vega-Lite JSON, SVG and PNG for use in an article."""

from __future__ import annotations

import html
import json
import textwrap
from pathlib import Path
from typing import Any

import duckdb

from analysis.charts import module_names, registry
from analysis.charts.common import EXPORT_WIDTH, ChartFigure, source_line
from analysis.files_cache import cached_bytes
from analysis.report import chart_memo
from analysis.report.env import write_atomic

EXPORT_WRAP = 86  # characters per line of an exported chart's title and footer (640 px)


def _wrap(text: str, width: int = EXPORT_WRAP) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def footer_lines(figure: ChartFigure) -> list[str]:
    """The chart's footer, as a graphics desk sets it: notes, then the source line."""
    return [*figure.notes, source_line(figure.sources)]


def _export_spec(figure: ChartFigure) -> dict[str, Any] | None:
    """The chart for use in an article: the takeaway headline and one-line subtitle on top,
    notes and sources in a footer, at a fixed width. (On the page, the same texts are HTML
    around the drawing, so they wrap at any width.)"""
    if figure.spec is None:
        return None
    chart = json.loads(json.dumps(figure.spec))
    config = chart.pop("config", {})
    chart.pop("autosize", None)
    chart["width"] = EXPORT_WIDTH
    lines = [line for text in footer_lines(figure) for line in _wrap(text)]
    footer = {
        "data": {"values": [{"i": i, "line": line} for i, line in enumerate(lines)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11},
        "encoding": {
            "text": {"field": "line"},
            "x": {"value": 0},
            "y": {"field": "i", "type": "ordinal", "axis": None},
        },
        "width": EXPORT_WIDTH,
        "height": {"step": 15},
    }
    return {
        "$schema": chart.get("$schema"),
        "title": {"text": _wrap(figure.title), "subtitle": _wrap(figure.subtitle)},
        "description": figure.description,
        "vconcat": [
            {k: v for k, v in chart.items() if k != "$schema"},
            footer,
        ],
        "spacing": 12,
        "config": config,
        "background": "white",
    }


def build_charts(
    con: duckdb.DuckDBPyConnection, cache: tuple[Path, str] | None = None
) -> list[ChartFigure]:
    """Every registered chart's figure, from the warehouse views, in report order; those
    built before from the same results are reused (:mod:`analysis.report.chart_memo`), from
    ``cache`` (a folder and the code's fingerprint) too."""
    figures = chart_memo.all_kept(con, module_names(), cache) if cache else None
    if figures is None:
        figures = [chart_memo.built(con, chart, cache) for chart in registry().values()]
    for figure in figures:
        figure.export_spec = _export_spec(figure)
    return figures


def write_chart_files(figure: Any, charts_dir: Path, cache_dir: Path | None = None) -> list[Path]:
    """The chart's Vega-Lite spec, SVG and PNG (fixed width, for use in an article); renderings
    of a spec already drawn come from ``cache_dir``, else from the machine's cache when another
    project on this machine drew the same spec (:mod:`analysis.files_cache`)."""
    import vl_convert

    charts_dir.mkdir(parents=True, exist_ok=True)
    if figure.spec is None:
        return []
    export = figure.export_spec
    key = json.dumps(export, sort_keys=True)
    version = vl_convert.__version__
    files = {
        charts_dir / f"{figure.name}.vl.json": (
            json.dumps(figure.export_spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        ).encode("utf-8"),
        charts_dir / f"{figure.name}.svg": cached_bytes(
            cache_dir,
            ("svg", version, key),
            lambda: vl_convert.vegalite_to_svg(export).encode(),
            remember=True,
            machine=True,
        ),
        charts_dir / f"{figure.name}.png": cached_bytes(
            cache_dir,
            ("png", version, key),
            lambda: vl_convert.vegalite_to_png(export, scale=2),
            remember=True,
            machine=True,
        ),
    }
    svg = charts_dir / f"{figure.name}.svg"
    files[svg] = _titled_svg(files[svg], figure.description)
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)


def _titled_svg(svg: bytes, description: str) -> bytes:
    """The exported SVG as one accessible image: ``role="img"`` and a ``<title>`` holding the
    chart's text description (marks carry no labels of their own)."""
    text = svg.decode("utf-8")
    head_end = text.index(">") + 1
    head = text[:head_end].replace("<svg ", '<svg role="img" ', 1)
    title = f"<title>{html.escape(description)}</title>"
    return (head + title + text[head_end:]).encode("utf-8")
