"""Funding: IOM's 2021 funding as the article states it, beside what IOM reported to the UN."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    OKABE_ITO,
    ChartFigure,
    claims_for,
    layered,
    short_number,
    source_lines,
    view_rows,
)

NAME = "funding"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_funding", "ORDER BY basis DESC, amount")
    claims = claims_for(con, NAME)
    title = "IOM's 2021 funding, as stated and as reported"
    if not rows:
        return ChartFigure(NAME, title, "No funding figures in the warehouse.", title, [], claims)
    stated = [r for r in rows if r["basis"].startswith("As the article")]
    reported = [r for r in rows if not r["basis"].startswith("As the article")]
    stated_total = max(stated, key=lambda r: r["amount"]) if stated else None
    reported_total = max(reported, key=lambda r: r["amount"]) if reported else None
    if stated_total and reported_total:
        subtitle = (
            f"The article gives IOM's total as {stated_total['label']}; IOM reported "
            f"{short_number(reported_total['amount'])} {reported_total['currency']} of revenue, "
            f"{reported_total['amount'] / stated_total['amount']:.1f} times as much."
        )
    else:
        subtitle = "Amounts as the article states them and as reported by IOM."
    description = (
        "Bar chart of amounts in US dollars: "
        + "; ".join(
            f"{r['basis'].lower()}, {r['label']}: {short_number(r['amount'])}" for r in rows
        )
        + "."
    )
    data = alt.Data(
        values=[
            {
                "basis": r["basis"],
                "label": r["label"],
                "amount": r["amount"],
                "amount_text": short_number(r["amount"]),
            }
            for r in rows
        ]
    )
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=None, title=None),
        x=alt.X(
            "amount:Q",
            title="US dollars, millions",
            axis=alt.Axis(labelExpr="format(datum.value / 1000000, ',.0f')"),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "basis:N",
            title=None,
            scale=alt.Scale(range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]]),
        ),
        tooltip=[
            alt.Tooltip("basis:N"),
            alt.Tooltip("label:N"),
            alt.Tooltip("amount_text:N", title="amount"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(text="amount_text:N")
    return layered(
        NAME, title, subtitle, description, source_lines(rows), claims, [bars, labels], 36
    )


CHART = Chart(
    name=NAME,
    heading="Funding",
    order=10,
    views=("chart_funding",),
    build=build,
)
