"""Leadership: IOM's heads since 1951 on a timeline, by nationality and gender; a term date
the sources do not give is drawn as a pale span between the known dates, never as a gap."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    OKABE_ITO,
    REFERENCE_COLOR,
    ChartFigure,
    claims_for,
    empty,
    layered,
    source_list,
    view_rows,
)
from analysis.formatting import date_text

NAME = "leadership"
KNOWN, UNKNOWN = "from the sources", "a date unknown"


def _takeaway(rows: list[dict]) -> str:
    americans = sum(1 for r in rows if r["is_american"])
    women = sorted((r for r in rows if r["gender"] == "female"), key=lambda r: r["marker_day"])
    first = f"{americans} of IOM's {len(rows)} heads have been American"
    if not women:
        return f"{first}; no woman has led it"
    when = women[0]["marker_day"][:4]
    after = ", after the article" if women[0]["took_office_after_article"] else ""
    return f"{first}; the first woman took office in {when}{after}"


def _term(r: dict) -> str:
    start = date_text(r["term_start"]) if r["term_start"] else "unknown"
    end = date_text(r["term_end"]) if r["term_end"] else "unknown"
    return f"{start} to {end}"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_leadership", "ORDER BY position")
    events = view_rows(con, "chart_leadership_events", "ORDER BY event_date")
    claims = claims_for(con, NAME)
    if not rows:
        return empty(NAME, "IOM's heads", "No leadership data in the warehouse.", claims)
    incomplete = [r["name"] for r in rows if r["dates_incomplete"]]
    notes = []
    if incomplete:
        notes.append(
            f"The sources give no start or no end for {', '.join(incomplete)}: the pale bars "
            "span the years in which the missing date lies, not a term."
        )
    if events:
        notes.append(
            "Dashed lines: "
            + "; ".join(f"{e['label']} ({date_text(e['event_date'])})" for e in events)
            + "."
        )
    figure = ChartFigure(
        NAME,
        _takeaway(rows),
        "IOM's heads since its founding, by term; Americans in blue",
        "Timeline of IOM's heads: "
        + "; ".join(f"{r['name']} ({r['nationality']}, {r['gender']}), {_term(r)}" for r in rows)
        + ".",
        source_list(rows),
        claims,
        notes=notes,
        table=(
            ["Head", "Nationality", "Gender", "Term"],
            [[r["name"], r["nationality"], r["gender"], _term(r)] for r in rows],
        ),
    )
    values = [
        {
            "name": r["name"],
            "group": "American" if r["is_american"] else "other nationality",
            "nationality": r["nationality"],
            "gender": r["gender"],
            "from": r["span_from"],
            "to": r["span_to"],
            "marker": r["marker_day"],
            "term": _term(r),
            "dates": UNKNOWN if r["dates_incomplete"] else KNOWN,
        }
        for r in rows
    ]
    data = alt.Data(values=values)
    # UTC throughout: a build in another time zone draws the same chart
    x = alt.X(
        "from:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%Y", tickCount=6),
    )
    y = alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=0))
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("nationality:N"),
        alt.Tooltip("gender:N"),
        alt.Tooltip("term:N", title="term"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(height=14)
        .encode(
            x=x,
            x2=alt.X2("to:T"),
            y=y,
            color=alt.Color(
                "group:N",
                title="Nationality",
                scale=alt.Scale(
                    domain=["American", "other nationality"],
                    range=[REFERENCE_COLOR, OKABE_ITO["orange"]],
                ),
            ),
            opacity=alt.Opacity(
                "dates:O",
                title="Term dates",
                scale=alt.Scale(domain=[KNOWN, UNKNOWN], range=[1.0, 0.3]),
                legend=alt.Legend(symbolType="square", symbolFillColor="#555"),
            ),
            tooltip=tooltip,
        )
    )
    markers = (
        alt.Chart(data)
        .mark_point(filled=True, size=70, color="#1b1b1b")
        .encode(
            x=alt.X("marker:T", scale=alt.Scale(type="utc")),
            y=y,
            shape=alt.Shape(
                "gender:N",
                title="Gender",
                scale=alt.Scale(domain=["male", "female"], range=["circle", "triangle-up"]),
            ),
            tooltip=tooltip,
        )
    )
    layers = [bars, markers]
    if events:
        marks = alt.Data(values=[{"date": e["event_date"], "label": e["label"]} for e in events])
        layers.append(
            alt.Chart(marks)
            .mark_rule(strokeDash=[4, 3], color="#1b1b1b")
            .encode(
                x=alt.X("date:T", scale=alt.Scale(type="utc")), tooltip=[alt.Tooltip("label:N")]
            )
        )
    return layered(figure, layers, 26, len(rows))


CHART = Chart(
    name=NAME,
    heading="Leadership",
    order=20,
    views=("chart_leadership", "chart_leadership_events"),
    build=build,
)
