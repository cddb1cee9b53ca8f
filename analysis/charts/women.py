"""Women in top jobs: the article's figure beside the GWL Voices mappings."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    OKABE_ITO,
    ChartFigure,
    claims_for,
    layered,
    source_lines,
    view_rows,
)

NAME = "women"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_women_leadership", "ORDER BY report_year NULLS FIRST, label")
    claims = claims_for(con, NAME)
    title = "How often women have led multilateral organizations"
    if not rows:
        return ChartFigure(
            NAME, title, "No data on women's leadership in the warehouse.", title, [], claims
        )
    stated = [r for r in rows if r["report_year"] is None]
    mapped = [r for r in rows if r["report_year"] is not None]
    if stated and mapped:
        first = mapped[0]
        subtitle = (
            f"The article's {stated[0]['label']} (attributed to {stated[0]['stated_by']}) "
            f"against GWL Voices' own figure: {first['share_percent']:g} % "
            f"({first['label']})."
        )
    else:
        subtitle = "Women's share of top jobs, as stated and as mapped by GWL Voices."
    description = (
        "Bar chart of women's share of top jobs, in percent: "
        + "; ".join(f"{r['label']}: {r['share_percent']:g} %" for r in rows)
        + "."
    )
    values = [
        {
            "label": r["label"] if r["report_year"] is None else f"GWL Voices: {r['label']}",
            "basis": r["basis"],
            "share": r["share_percent"],
            "quote": r["quote"] or "",
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("label:N", sort=None, title=None),
        x=alt.X("share:Q", title="Women's share, %", scale=alt.Scale(domainMin=0)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "basis:N",
            title=None,
            scale=alt.Scale(range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]]),
        ),
        tooltip=["basis:N", "label:N", alt.Tooltip("share:Q", title="share, %"), "quote:N"],
    )
    text = base.mark_text(align="left", dx=4).encode(text=alt.Text("share:Q", format=".3~g"))
    return layered(NAME, title, subtitle, description, source_lines(rows), claims, [bars, text], 32)


CHART = Chart(
    name=NAME,
    heading="Representation: women in top jobs",
    order=30,
    views=("chart_women_leadership",),
    build=build,
)
