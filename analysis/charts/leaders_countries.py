"""Countries' share of leadership-years against their share of world population, recomputed
from our heads table (docs/leaders.md)."""

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
    labelled_bars,
    source_list,
    view_rows,
)
from analysis.formatting import present

NAME = "leaders_countries"
LED, PEOPLE = "share of leadership-years", "share of world population"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_leaders_countries", "ORDER BY gap_points DESC")
    claims = claims_for(con, NAME)
    if not rows:
        title = "Leadership and population"
        return empty(NAME, title, "No heads or population tables in the warehouse.", claims)
    over = min(rows, key=lambda r: r["over_rank"])
    under = min(rows, key=lambda r: r["under_rank"])

    def pct(v: float) -> str:
        return present(v, "percent")

    takeaway = (
        f"{over['country']} held {pct(over['share_of_leadership_years_percent'])} of the "
        f"leadership-years with {pct(over['share_of_population_percent'])} of the world's "
        f"people; {under['country']} {pct(under['share_of_leadership_years_percent'])} with "
        f"{pct(under['share_of_population_percent'])}"
    )
    values, table = [], []
    for r in rows:
        for basis, key in (
            (LED, "share_of_leadership_years_percent"),
            (PEOPLE, "share_of_population_percent"),
        ):
            values.append(
                {
                    "label": f"{r['country']}: {pct(r[key])} of {basis.removeprefix('share of ')}",
                    "basis": basis,
                    "share": r[key],
                    "share_text": pct(r[key]),
                    "note": r["grouping"] if basis == LED else "",
                }
            )
        table.append(
            [
                r["country"],
                r["grouping"],
                pct(r["share_of_leadership_years_percent"]),
                pct(r["share_of_population_percent"]),
            ]
        )
    first = rows[0]
    notes = [
        f"Leadership-years of {first['organizations']} organizations since 1945 with a head of "
        f"known nationality ({present(first['known_nationality_years'], 'count')} of "
        f"{present(first['all_leader_years'], 'count')}); population: mean share "
        f"{int(first['population_from'])}-{int(first['population_to'])} (World Bank). Not GWL "
        "Voices' "
        "list of organizations.",
    ]
    figure = ChartFigure(
        NAME,
        takeaway,
        "Share of leadership-years since 1945 and of world population, percent",
        "Bar chart, two bars per country: " + "; ".join(v["label"] for v in values) + ".",
        source_list(rows),
        claims,
        notes=notes,
        table=(["Country", "Group", LED.capitalize(), PEOPLE.capitalize()], table),
    )
    x = alt.X("share:Q", title="Share, %", scale=alt.Scale(domainMin=0))
    color = alt.Color(
        "basis:N",
        title=None,
        scale=alt.Scale(domain=[LED, PEOPLE], range=[REFERENCE_COLOR, OKABE_ITO["sky"]]),
    )
    return labelled_bars(
        figure,
        alt.Data(values=values),
        x,
        color,
        "share_text",
        len(values),
        step=40,
    )


CHART = Chart(
    name=NAME,
    heading="Representation: Portugal",
    order=42,
    views=("chart_leaders_countries",),
    build=build,
)
