"""Representation: Portugal's shares as a reader comment states them and as computed."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import OKABE_ITO, ChartFigure, claims_for, layered, view_rows

NAME = "representation"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_representation", "ORDER BY claim_id, check_id")
    claims = claims_for(con, NAME)
    title = "Portugal's share, as stated and as computed"
    if not rows:
        return ChartFigure(
            NAME, title, "No representation claims in the warehouse.", title, [], claims
        )
    parts = []
    for r in rows:
        ratio = r["computed_percent"] / r["stated_percent"] if r["stated_percent"] else None
        if ratio and (ratio > 10 or ratio < 0.1):
            parts.append(
                f"{r['measure']}: stated {r['stated_text']}, computed "
                f"{r['computed_percent']:.3g} % ({ratio:,.0f} times larger)"
            )
        else:
            parts.append(
                f"{r['measure']}: stated {r['stated_text']}, computed {r['computed_percent']:.3g} %"
            )
    seen: list[str] = []
    for p in parts:
        if p not in seen:
            seen.append(p)
    subtitle = "; ".join(seen[:2]) + ". Log scale: each step is ten times the last."
    description = "Dot plot on a logarithmic scale of percentages: " + "; ".join(seen) + "."
    values = []
    first_check = {}
    for r in rows:
        first_check.setdefault(r["claim_id"], r)
    rows = list(first_check.values())
    for r in rows:
        label = r["measure"]
        values.append(
            {
                "measure": label,
                "value": r["stated_percent"],
                "basis": f"stated ({r['speaker']})",
                "verdict": r["verdict"],
            }
        )
        values.append(
            {
                "measure": label,
                "value": r["computed_percent"],
                "basis": "computed from reference data",
                "verdict": r["verdict"],
            }
        )
    data = alt.Data(values=values)
    y = alt.Y("measure:N", title=None, sort=None, axis=None)
    x = alt.X(
        "value:Q",
        title="Percent (log scale)",
        scale=alt.Scale(type="log"),
        axis=alt.Axis(format="~g"),
    )
    line = alt.Chart(data).mark_line(color="#999").encode(x=x, y=y, detail="measure:N")
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=140)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "basis:N",
                title=None,
                scale=alt.Scale(range=[OKABE_ITO["blue"], OKABE_ITO["vermillion"]]),
            ),
            shape=alt.Shape("basis:N", title=None, scale=alt.Scale(range=["circle", "diamond"])),
            tooltip=["measure:N", "basis:N", alt.Tooltip("value:Q", format=".3~g"), "verdict:N"],
        )
    )
    names = (
        alt.Chart(data)
        .mark_text(align="left", baseline="bottom", dy=-10, fontSize=12)
        .encode(x=alt.value(0), y=y, text="measure:N")
    )
    sources = [
        f"{p}, {t} ({u})" if u else f"{p}, {t}"
        for p, t, u in con.execute(
            "SELECT DISTINCT s.publisher, s.title, s.url FROM chart_representation r, "
            "unnest(string_split(r.source_ids, ',')) AS u(id) "
            "JOIN reference_sources s ON s.source_id = u.id ORDER BY 1, 2"
        ).fetchall()
    ]
    return layered(NAME, title, subtitle, description, sources, claims, [line, dots, names], 56)


CHART = Chart(
    name=NAME,
    heading="Representation: Portugal",
    order=40,
    views=("chart_representation",),
    build=build,
)
