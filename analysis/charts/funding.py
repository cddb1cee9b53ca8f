"""Funding: IOM's 2021 funding as the article states it, beside what IOM reported to the UN."""

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

NAME = "funding"
STATED = "As the article states it"  # chart_funding.basis of the article's own figures


def _takeaway(stated: dict | None, reported: dict | None) -> str:
    if not (stated and reported):
        return "IOM's 2021 funding, as stated and as reported"
    ratio = reported["amount"] / stated["amount"]
    amount = present(reported["amount"], "money", reported["currency"])
    if ratio > 1.05:
        return f"IOM's 2021 revenue was {amount}, {ratio:.1f} times the article's {stated['label']}"
    if ratio < 0.95:
        return f"IOM's 2021 revenue was {amount}, less than the article's {stated['label']}"
    return f"IOM's 2021 revenue of {amount} matches the article's {stated['label']}"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_funding", "ORDER BY basis DESC, amount")
    claims = claims_for(con, NAME)
    if not rows:
        return empty(NAME, "IOM's funding", "No funding figures in the warehouse.", claims)
    stated = [r for r in rows if r["basis"] == STATED]
    reported = [r for r in rows if r["basis"] != STATED]
    stated_total = max(stated, key=lambda r: r["amount"]) if stated else None
    reported_total = max(reported, key=lambda r: r["amount"]) if reported else None
    values = []
    for r in rows:
        amount = present(r["amount"], "money", r["currency"])
        is_stated = r["basis"] == STATED
        verdict = verdict_on(claims, r["amount"]) if is_stated else None
        values.append(
            {
                "basis": "stated in the article" if is_stated else "reported by IOM (CEB)",
                "label": f"Stated: {r['label']}" if is_stated else f"{r['label']}: {amount}",
                "amount": r["amount"],
                "amount_text": amount,
                "note": f"checked: {verdict_label(verdict)}" if verdict else "",
            }
        )
    description = (
        "Bar chart of amounts in US dollars. "
        + "; ".join(f"{v['label']} ({v['basis']}), {v['amount_text']}" for v in values)
        + "."
    )
    figure = ChartFigure(
        NAME,
        _takeaway(stated_total, reported_total),
        "US dollars: amounts the article states, and what IOM reported to the UN system",
        description,
        source_list(rows),
        claims,
        table=(
            ["Amount", "Whose figure", "US dollars"],
            [[v["label"], v["basis"], v["amount_text"]] for v in values],
        ),
    )
    x = alt.X(
        "amount:Q",
        title="US dollars, millions",
        axis=alt.Axis(labelExpr="format(datum.value / 1000000, ',.0f')", tickCount=4),
    )
    color = basis_color("stated in the article", "reported by IOM (CEB)")
    return labelled_bars(figure, alt.Data(values=values), x, color, "amount_text", len(values))


CHART = Chart(
    name=NAME,
    heading="Funding",
    order=10,
    views=("chart_funding",),
    build=build,
)
