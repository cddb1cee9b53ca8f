"""What every chart shares: reading its view, the figure record, theme and colours."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb

from analysis.sqlnames import fetch_rows
from analysis.vocab import most_severe
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
# one colour for what a text states and one for what the data say, in every chart
STATED_COLOR = OKABE_ITO["vermillion"]
REFERENCE_COLOR = OKABE_ITO["blue"]
EXPORT_WIDTH = 640
TEXT_COLOR = "#1b1b1b"
MUTED_COLOR = "#4a4a4a"  # 8.9:1 on white


@dataclass
class ChartFigure:
    """A chart with everything the report prints around it: a takeaway headline, a one-line
    subtitle, the text alternative, a data table, sources and notes for the footer."""

    name: str
    title: str  # the takeaway, a sentence from the data
    subtitle: str  # one line: what is drawn, in what unit
    description: str  # the text alternative read by screen readers
    sources: list[dict[str, Any]]  # publisher, title, url
    claims: list[dict[str, Any]] = field(default_factory=list)
    spec: dict[str, Any] | None = None  # Vega-Lite, width "container" (None: no data)
    notes: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None  # columns, rows as text
    export_spec: dict[str, Any] | None = None  # titled, with its footer, fixed width
    heading: str = ""  # the report section it sits under (its Chart's, set by the report)

    @property
    def source_line(self) -> str:
        return source_line(self.sources)


def basis_color(stated: str, reference: str) -> Any:
    """The colour encoding of a chart's ``basis`` field: the stated figure in the stated colour,
    the reference (or recomputed) one in the reference colour, the same in every chart."""
    import altair as alt

    return alt.Color(
        "basis:N",
        title=None,
        scale=alt.Scale(domain=[stated, reference], range=[STATED_COLOR, REFERENCE_COLOR]),
    )


def empty(name: str, title: str, why: str, claims: list[dict[str, Any]]) -> ChartFigure:
    """The figure of a chart whose view holds no rows: the page says why, no drawing."""
    return ChartFigure(name, title, why, why, [], claims)


def layered(
    figure: ChartFigure,
    layers: list[Any],
    step: int,
    rows: int,
) -> ChartFigure:
    """``figure`` with its drawing: the layered marks, ``rows`` rows of ``step`` pixels (a fixed
    height: Vega-Lite warns when a container width meets a step height), the shared theme. The
    page prints the headline, subtitle and footer as text around it; the export carries them
    inside (see ``analysis.report.figures``)."""
    import altair as alt

    chart = alt.layer(*layers).properties(description=figure.description, height=step * rows)
    # not validated against the Vega-Lite schema here (a third of the charts' time):
    # tests/test_report.py validates every exported spec, which holds this one
    figure.spec = theme(chart.to_dict(validate=False))
    return figure


def view_rows(con: duckdb.DuckDBPyConnection, view: str, order_by: str = "") -> list[dict]:
    """Rows of a chart view ([] when the view was not built for lack of reference data)."""
    _, ((exists,),) = fetch_rows(
        con, "SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [view]
    )
    if not exists:
        return []
    return fetch_dicts(con, f"SELECT * FROM {view} {order_by}")


def claims_for(con: duckdb.DuckDBPyConnection, chart: str) -> list[dict[str, Any]]:
    """The claims a chart tests (claims.chart), with their final verdicts (the editor's over
    the checks') and, per check, the value it states and its verdict."""
    return fetch_dicts(
        con,
        """SELECT c.claim_id, c.speaker, c.quote, c.measure, v.final_verdict AS verdict,
                  v.machine_verdict, v.editor_verdict, c.doc_id, c.quote_start,
                  list({'value': k.stated_value, 'verdict': k.verdict} ORDER BY k.check_id)
                      FILTER (WHERE k.stated_value IS NOT NULL) AS stated
           FROM claims c JOIN claim_verdicts v USING (claim_id)
           LEFT JOIN claim_checks k USING (claim_id)
           WHERE c.chart = ?
           GROUP BY ALL ORDER BY c.doc_id, c.quote_start, c.claim_id""",
        [chart],
    )


def verdict_on(claims: list[dict[str, Any]], value: float) -> str | None:
    """The verdict on a stated value, for the mark that draws it: the desk's where an editor
    reviewed a claim stating it, else the most severe verdict of the checks that state it
    (a claim can be wrong about a share while right about the amount it divides)."""
    found = []
    for c in claims:
        hits = [s for s in c["stated"] or [] if math.isclose(s["value"], value, rel_tol=1e-9)]
        if hits:
            found.append(c["editor_verdict"] or most_severe([s["verdict"] for s in hits]))
    return most_severe(found) if found else None


def source_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct sources of a view's rows (publisher, title, url), in first-seen order."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        if not r.get("source_title"):
            continue
        key = (r.get("source_publisher"), r["source_title"], r.get("source_url"))
        seen.setdefault(key, {"publisher": key[0] or "", "title": key[1], "url": key[2] or None})
    return list(seen.values())


def source_line(sources: list[dict[str, Any]], limit: int = 3) -> str:
    """One line for the chart's footer; the report lists every source in full."""
    if not sources:
        return "Source: the warehouse."
    publishers = list(dict.fromkeys(s["publisher"] or s["title"] for s in sources))
    shown = "; ".join(publishers[:limit])
    more = f"; and {len(publishers) - limit} more" if len(publishers) > limit else ""
    return f"Source: {shown}{more}."


def theme(spec: dict[str, Any]) -> dict[str, Any]:
    """Shared look: one accessible image per chart, readable type in dark grey (at least
    4.5:1), no chart border, legends stacked under the chart (they never run off a phone
    screen), container width."""
    spec.setdefault("config", {})
    label = {"labelFontSize": 12, "titleFontSize": 12, "labelColor": MUTED_COLOR}
    spec["config"].update(
        {
            "font": "system-ui, -apple-system, 'Segoe UI', sans-serif",
            # no per-mark ARIA labels: the chart is one image with its text description (on
            # the page and in the SVG), and mark labels would print dates in local time
            "aria": False,
            "view": {"stroke": None},
            "axis": {**label, "titleColor": TEXT_COLOR, "labelLimit": 0},
            "legend": {
                **label,
                "titleColor": TEXT_COLOR,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 0,
                "layout": {"bottom": {"anchor": "start", "direction": "vertical"}},
            },
            "text": {"color": TEXT_COLOR, "fontSize": 12},
            "title": {"fontSize": 16, "subtitleFontSize": 13, "anchor": "start"},
        }
    )
    spec["width"] = "container"
    spec["autosize"] = {"type": "fit-x", "contains": "padding", "resize": True}
    return spec


BAR_HEIGHT = 14


def labelled_bars(
    figure: ChartFigure,
    data: Any,
    x: Any,
    color: Any,
    value_field: str,
    rows: int,
    step: int = 52,
    labels: Any = None,
    tooltip: tuple[Any, ...] = (),
) -> ChartFigure:
    """Horizontal bars (stacked when ``data`` holds several rows per label), each labelled
    above the bar (never cut to fit an axis, at any width), with an annotation under the bar
    a claim is about (the ``note`` field). ``labels`` holds one row per bar when ``data`` has
    several; ``tooltip`` adds fields to the bars' tooltips."""
    import altair as alt

    labels = data if labels is None else labels
    y = alt.Y("label:N", sort=None, title=None, axis=None)
    bars = (
        alt.Chart(data)
        .mark_bar(height=BAR_HEIGHT)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("label:N", title="what"),
                alt.Tooltip(f"{value_field}:N", title="value"),
                alt.Tooltip("basis:N", title="whose figure"),
                *tooltip,
            ],
        )
    )
    text = (
        alt.Chart(labels)
        .mark_text(align="left", baseline="bottom", dy=-(BAR_HEIGHT // 2 + 2))
        .encode(x=alt.XValue(0), y=y, text=alt.Text("label:N"))
    )
    notes = (
        alt.Chart(labels)
        .transform_filter("datum.note != ''")
        .mark_text(align="left", baseline="top", dy=BAR_HEIGHT // 2 + 3, fontWeight="bold")
        .encode(x=alt.XValue(0), y=y, text=alt.Text("note:N"))
    )
    return layered(figure, [bars, text, notes], step, rows)
