"""Women in top jobs: the article's figure beside the GWL Voices mappings."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    ChartFigure,
    basis_color,
    claims_for,
    empty,
    labelled_bars,
    source_list,
    verdict_on,
    view_rows,
)
from analysis.formatting import present
from analysis.vocab import verdict_label

NAME = "women"


def _takeaway(stated: dict | None, mapped: dict | None) -> str:
    if not (stated and mapped):
        return "How often women have led multilateral organizations"
    found = present(mapped["share_percent"], "percent")
    said = present(stated["share_percent"], "percent")
    if found == said:
        return f"Women have led multilateral organizations {found} of the time, as GWL Voices found"
    return f"GWL Voices found women led {found} of the time; the article says {said}"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_women_leadership", "ORDER BY report_year NULLS FIRST, label")
    claims = claims_for(con, NAME)
    if not rows:
        title = "Women in top jobs"
        return empty(NAME, title, "No data on women's leadership in the warehouse.", claims)
    stated = [r for r in rows if r["report_year"] is None]
    mapped = [r for r in rows if r["report_year"] is not None]
    measures = list(dict.fromkeys(r["label"].split(": ", 1)[-1] for r in mapped))
    values = []
    for r in rows:
        share = present(r["share_percent"], "percent")
        verdict = verdict_on(claims, r["share_percent"]) if r["report_year"] is None else None
        values.append(
            {
                "basis": "stated in the article"
                if r["report_year"] is None
                else "GWL Voices mapping",
                "label": f"Article, citing {r['stated_by']}: {share}"
                if r["report_year"] is None
                else f"{r['label']}: {share}",
                "share": r["share_percent"],
                "share_text": share,
                "quote": r["quote"] or "",
                "note": f"checked: {verdict_label(verdict)}" if verdict else "",
            }
        )
    figure = ChartFigure(
        NAME,
        _takeaway(stated[0] if stated else None, mapped[0] if mapped else None),
        "Women's share of the top jobs in multilateral organizations since 1945, percent",
        "Bar chart of women's share of top jobs, in percent: "
        + "; ".join(v["label"] for v in values)
        + ".",
        source_list(rows),
        claims,
        notes=[f"The editions measure different things: {'; '.join(measures)}."]
        if len(measures) > 1
        else [],
        table=(
            ["Figure", "Whose figure", "Women's share"],
            [[v["label"], v["basis"], v["share_text"]] for v in values],
        ),
    )
    x = alt.X("share:Q", title="Women's share, %", scale=alt.Scale(domainMin=0))
    color = basis_color("stated in the article", "GWL Voices mapping")
    return labelled_bars(
        figure,
        alt.Data(values=values),
        x,
        color,
        "share_text",
        len(values),
        tooltip=(alt.Tooltip("quote:N", title="as quoted"),),
    )


CHART = Chart(
    name=NAME,
    heading="Representation: women in top jobs",
    order=30,
    views=("chart_women_leadership",),
    build=build,
)
