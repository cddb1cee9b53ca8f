"""Voting blocs: IOM membership by region, with the EU members."""

from __future__ import annotations

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    OKABE_ITO,
    ChartFigure,
    claims_for,
    empty,
    labelled_bars,
    source_list,
    view_rows,
)
from analysis.formatting import present
from analysis.vocab import verdict_label

NAME = "membership"
EU, OTHER = "EU member states", "other member states"


def _region_claims(checks: list[dict], region: str) -> list[dict]:
    """Reader-comment counts about a region (its name in the claim's measure): the claims a
    region's bar is about."""
    return [
        c
        for c in checks
        if c["recipe"] == "count"
        and c["speaker"] != "article"
        and region.lower() in c["measure"].lower()
    ]


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_membership", "ORDER BY member_states DESC, un_region")
    checks = view_rows(con, "chart_membership_claims", "ORDER BY check_id")
    claims = claims_for(con, NAME)
    if not rows:
        return empty(NAME, "IOM's members", "No membership data in the warehouse.", claims)
    final = {c["claim_id"]: c["verdict"] for c in claims}
    total = sum(r["member_states"] for r in rows)
    eu = sum(r["eu_member_states"] for r in rows)
    takeaway = [
        f"The EU's {eu} members hold {present(100 * eu / total, 'percent')} of IOM's {total} votes"
    ]
    labels, values, table = [], [], []
    for r in rows:
        region = r["un_region"]
        label = f"{region}: {r['member_states']} members"
        if r["eu_member_states"]:
            label += f", {r['eu_member_states']} in the EU"
        notes = []
        for c in _region_claims(checks, region):
            verdict = final.get(c["claim_id"], c["verdict"])
            notes.append(f"{c['speaker']} says {c['stated_text']}: {verdict_label(verdict)}")
            if verdict == "incorrect" and c["computed_value"] is not None:
                takeaway.append(
                    f"{region} has {present(c['computed_value'], 'count')}, not {c['stated_text']}"
                )
        labels.append({"label": label, "note": "; ".join(dict.fromkeys(notes))})
        for group, n in (
            (EU, r["eu_member_states"]),
            (OTHER, r["member_states"] - r["eu_member_states"]),
        ):
            values.append({"label": label, "basis": group, "count": n, "count_text": str(n)})
        table.append([region, str(r["member_states"]), str(r["eu_member_states"])])
    figure = ChartFigure(
        NAME,
        "; ".join(dict.fromkeys(takeaway)),
        "IOM member states by UN region; EU members in blue, the others in grey",
        "Stacked bar chart of IOM member states by UN region: "
        + "; ".join(lab["label"] for lab in labels)
        + ".",
        source_list(rows),
        claims,
        table=(["UN region", "Member states", "of which EU members"], table),
    )
    x = alt.X("count:Q", title="Member states", stack="zero", axis=alt.Axis(tickCount=4))
    color = alt.Color(
        "basis:N",
        title=None,
        scale=alt.Scale(domain=[EU, OTHER], range=[OKABE_ITO["blue"], OKABE_ITO["grey"]]),
    )
    return labelled_bars(
        figure,
        alt.Data(values=values),
        x,
        color,
        "count_text",
        len(labels),
        labels=alt.Data(values=labels),
    )


CHART = Chart(
    name=NAME,
    heading="Voting blocs",
    order=50,
    views=("chart_membership", "chart_membership_claims"),
    build=build,
)
