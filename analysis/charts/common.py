"""What every chart shares: reading its view, the figure record, theme and colours."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from analysis.warehouse.query import fetch_dicts

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
}
VERDICT_COLORS = {
    "correct": OKABE_ITO["green"],
    "approximately_correct": OKABE_ITO["sky"],
    "incorrect": OKABE_ITO["vermillion"],
    "inconsistent": OKABE_ITO["purple"],
    "unverifiable": OKABE_ITO["grey"],
}
EXPORT_WIDTH = 640


@dataclass
class ChartFigure:
    """A chart with everything the report prints around it."""

    name: str
    title: str
    subtitle: str
    description: str
    sources: list[str]
    claims: list[dict[str, Any]] = field(default_factory=list)
    spec: dict[str, Any] | None = None  # Vega-Lite, width "container" (None: no data)
    note: str | None = None
    export_spec: dict[str, Any] | None = None  # the same with the title wrapped for export


def layered(
    name: str,
    title: str,
    subtitle: str,
    description: str,
    sources: list[str],
    claims: list[dict[str, Any]],
    layers: list[Any],
    step: int,
) -> ChartFigure:
    """The chart figure for layered marks: title, takeaway, description, one row per ``step``
    pixels, the shared theme."""
    import altair as alt

    chart = alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=[subtitle]),
        description=description,
        height=alt.Step(step),
    )
    return ChartFigure(name, title, subtitle, description, sources, claims, theme(chart.to_dict()))


def view_rows(con: duckdb.DuckDBPyConnection, view: str, order_by: str = "") -> list[dict]:
    """Rows of a chart view ([] when the view was not built for lack of reference data)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [view]
    ).fetchone()[0]
    if not exists:
        return []
    return fetch_dicts(con, f"SELECT * FROM {view} {order_by}")


def claims_for(con: duckdb.DuckDBPyConnection, chart: str) -> list[dict[str, Any]]:
    """The claims a chart tests (claims.chart), with their verdicts."""
    return fetch_dicts(
        con,
        "SELECT claim_id, speaker, quote, measure, verdict, explanation FROM claims "
        "WHERE chart = ? ORDER BY doc_id, quote_start, claim_id",
        [chart],
    )


def source_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Distinct 'publisher, title (url)' lines, in first-seen order."""
    seen: list[str] = []
    for r in rows:
        publisher = r.get("source_publisher")
        title = r.get("source_title")
        if not title:
            continue
        line = f"{publisher}, {title}" if publisher else str(title)
        if r.get("source_url"):
            line += f" ({r['source_url']})"
        if line not in seen:
            seen.append(line)
    return seen


def source_line(sources: list[str], limit: int = 3) -> str:
    """One line for the chart itself; the report lists every source in full."""
    if not sources:
        return "Source: the warehouse."
    publishers = list(dict.fromkeys(s.split(", ")[0] for s in sources))
    shown = "; ".join(publishers[:limit])
    more = f"; and {len(publishers) - limit} more" if len(publishers) > limit else ""
    return f"Source: {shown}{more} (full list in the report)."


def short_number(value: float) -> str:
    """$2.55 billion-style wording for takeaways (from data, never typed)."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:,.3g} {word}"
    return f"{value:,.4g}"


def theme(spec: dict[str, Any]) -> dict[str, Any]:
    """Shared look: readable type, no chart border, container width for the page."""
    spec.setdefault("config", {})
    spec["config"].update(
        {
            "font": "system-ui, -apple-system, 'Segoe UI', sans-serif",
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelLimit": 320,
            },
            "title": {
                "fontSize": 16,
                "subtitleFontSize": 13,
                "anchor": "start",
                "subtitleColor": "#444",
            },
        }
    )
    spec["width"] = "container"
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec
