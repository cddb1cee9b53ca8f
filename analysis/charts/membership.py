"""Voting blocs: IOM membership by region, with the EU members."""

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

NAME = "membership"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_membership", "ORDER BY member_states DESC, un_region")
    checks = view_rows(con, "chart_membership_claims", "ORDER BY check_id")
    claims = claims_for(con, NAME)
    title = "IOM's member states by region"
    if not rows:
        return ChartFigure(NAME, title, "No membership data in the warehouse.", title, [], claims)
    total = sum(r["member_states"] for r in rows)
    eu = sum(r["eu_member_states"] for r in rows)
    lines = [
        f"{total} member states; the {eu} EU members are {100 * eu / total:.1f} % of the votes."
    ]
    for c in checks:
        if c["speaker"].startswith("reader comment") and c["recipe"] in ("share", "count"):
            verdict = c["verdict"].replace("_", " ")
            lines.append(
                f"{c['speaker'].capitalize()} says {c['stated_text']} ({c['measure']}): {verdict}."
            )
    subtitle = " ".join(dict.fromkeys(lines))
    description = (
        "Stacked bar chart of IOM member states by UN region: "
        + "; ".join(
            f"{r['un_region']}: {r['member_states']} ({r['eu_member_states']} EU)" for r in rows
        )
        + "."
    )
    values = []
    for r in rows:
        values.append(
            {
                "region": r["un_region"],
                "group": "EU member states",
                "count": r["eu_member_states"],
                "total": r["member_states"],
            }
        )
        values.append(
            {
                "region": r["un_region"],
                "group": "other member states",
                "count": r["member_states"] - r["eu_member_states"],
                "total": r["member_states"],
            }
        )
    base = alt.Chart(alt.Data(values=values))
    bars = base.mark_bar().encode(
        y=alt.Y("region:N", sort="-x", title=None),
        x=alt.X("sum(count):Q", title="Member states"),
        color=alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(
                domain=["EU member states", "other member states"],
                range=[OKABE_ITO["blue"], OKABE_ITO["orange"]],
            ),
        ),
        tooltip=["region:N", "group:N", "count:Q"],
    )
    text = base.mark_text(align="left", dx=4).encode(
        y=alt.Y("region:N", sort="-x"),
        x="max(total):Q",
        text="max(total):Q",
    )
    return layered(NAME, title, subtitle, description, source_lines(rows), claims, [bars, text], 32)


CHART = Chart(
    name=NAME,
    heading="Voting blocs",
    order=50,
    views=("chart_membership", "chart_membership_claims"),
    build=build,
)
