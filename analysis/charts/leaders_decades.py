"""Women's share of leadership-time by decade, recomputed from our heads table, beside the
article's stated share (docs/leaders.md)."""

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
    view_rows,
)
from analysis.formatting import present

NAME = "leaders_decades"
STATED, OURS = "stated in the article", "recomputed from our heads table"


def _stated(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The article's share of time (the women chart's claim), as its figure states it."""
    found = con.execute(
        """SELECT k.stated_value, k.stated_text, c.speaker
           FROM claims c JOIN claim_checks k USING (claim_id)
           WHERE c.chart = 'women' AND k.stated_value IS NOT NULL AND k.recipe = 'recompute'
           ORDER BY k.check_id LIMIT 1"""
    ).fetchone()
    return {"value": found[0], "text": found[1], "speaker": found[2]} if found else None


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_leaders_decades", "ORDER BY sort_key")
    claims = claims_for(con, NAME)
    if not rows:
        title = "Women in top jobs, by decade"
        return empty(NAME, title, "No table of heads of organizations in the warehouse.", claims)
    decades = [
        r for r in rows if r["period"] != "all years" and r["women_share_percent"] is not None
    ]
    whole = next(r for r in rows if r["period"] == "all years")
    first, last = decades[0], decades[-1]
    takeaway = (
        f"Women led {present(first['women_share_percent'], 'percent')} of the leadership-time "
        f"in the {first['period']} and {present(last['women_share_percent'], 'percent')} in the "
        f"{last['period']}"
    )
    values = []
    stated = _stated(con)
    if stated:
        values.append(
            {
                "basis": STATED,
                "label": f"Article ({stated['speaker']}), since 1945: {stated['text']}",
                "share": stated["value"],
                "share_text": stated["text"],
                "note": "",
            }
        )
    for r in [whole, *decades]:
        share = present(r["women_share_percent"], "percent")
        period = (
            f"1945 to {r['last_day'].strftime('%B %Y')}"
            if r["period"] == "all years"
            else r["period"]
        )
        values.append(
            {
                "basis": OURS,
                "label": f"{period}: {share}",
                "share": r["women_share_percent"],
                "share_text": share,
                "note": f"{present(r['coverage_percent'], 'percent')} of days covered"
                if r["coverage_percent"] < 90
                else "",
            }
        )
    notes = [
        f"Recomputed over {whole['organizations']} organizations, "
        f"{present(whole['leaders'], 'count')} leaders ({present(whole['women_leaders'], 'count')} "
        f"women) and {present(whole['leader_years'], 'count')} leader-years; "
        f"{present(whole['coverage_percent'], 'percent')} of organization-days have a head of "
        "known gender. Not GWL Voices' 33 organizations, which are not all public.",
        "GWL Voices' own figures by decade for its 2023 mapping are not published in any source "
        "found, so none are drawn.",
    ]
    figure = ChartFigure(
        NAME,
        takeaway,
        "Women's share of the days multilateral organizations were led, by decade, percent",
        "Bar chart of women's share of leadership-time: "
        + "; ".join(v["label"] for v in values)
        + ".",
        source_list(rows),
        claims,
        notes=notes,
        table=(
            ["Period", "Whose figure", "Women's share"],
            [[v["label"], v["basis"], v["share_text"]] for v in values],
        ),
    )
    x = alt.X("share:Q", title="Women's share of leadership-time, %", scale=alt.Scale(domainMin=0))
    color = basis_color(STATED, OURS)
    return labelled_bars(figure, alt.Data(values=values), x, color, "share_text", len(values))


CHART = Chart(
    name=NAME,
    heading="Representation: women in top jobs",
    order=32,
    views=("chart_leaders_decades",),
    build=build,
)
