"""Leadership: IOM's heads since 1951 on a timeline, by nationality and gender."""

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

NAME = "leadership"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows(con, "chart_leadership", "ORDER BY position")
    events = view_rows(con, "chart_leadership_events", "ORDER BY event_date")
    claims = claims_for(con, NAME)
    title = "Who has led IOM since 1951"
    if not rows:
        return ChartFigure(NAME, title, "No leadership data in the warehouse.", title, [], claims)
    non_americans = [r["name"] for r in rows if not r["is_american"]]
    women = [r for r in rows if r["gender"] == "female"]
    first_woman = min(women, key=lambda r: r["term_start"]) if women else None
    parts = [
        f"{len(rows) - len(non_americans)} of {len(rows)} heads were American; "
        f"the exceptions: {', '.join(non_americans) or 'none'}."
    ]
    if first_woman:
        parts.append(
            f"The first woman, {first_woman['name']}, took office on {first_woman['term_start']}"
            + (", after the article." if first_woman["took_office_after_article"] else ".")
        )
    else:
        parts.append("No woman has led IOM.")
    subtitle = " ".join(parts)
    description = (
        "Timeline of IOM's heads: "
        + "; ".join(
            f"{r['name']} ({r['nationality']}, {r['gender']}), {r['term_start'][:4]} to "
            f"{r['term_end'][:4]}"
            for r in rows
        )
        + "."
    )
    nationalities = sorted(
        {r["nationality"] for r in rows}, key=lambda n: (n != "United States", n)
    )
    palette = [OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky", "yellow")]
    values = [
        {
            **{
                k: r[k]
                for k in ("position", "name", "nationality", "gender", "term_start", "term_end")
            },
            "dates": "incomplete in the sources" if r["dates_incomplete"] else "from the sources",
            "when": "after the article" if r["took_office_after_article"] else "by the article",
        }
        for r in rows
    ]
    y = alt.Y("name:N", sort=alt.EncodingSortField("position", order="ascending"), title=None)
    bars = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(height=14, aria=False)
        .encode(
            x=alt.X(
                "term_start:T",
                title=None,
                # UTC throughout: a build in another time zone draws the same chart
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%Y", formatType="utc"),
            ),
            x2="term_end:T",
            y=y,
            color=alt.Color(
                "nationality:N",
                title="Nationality",
                scale=alt.Scale(domain=nationalities, range=palette[: len(nationalities)]),
            ),
            opacity=alt.Opacity(
                "dates:N",
                title="Term dates",
                scale=alt.Scale(
                    domain=["from the sources", "incomplete in the sources"], range=[1.0, 0.45]
                ),
            ),
            # dates as text: a time-typed tooltip prints them in the reader's time zone
            tooltip=[
                "name:N",
                "nationality:N",
                "gender:N",
                alt.Tooltip("term_start:N", title="from"),
                alt.Tooltip("term_end:N", title="to"),
                "dates:N",
            ],
        )
    )
    starts = (
        alt.Chart(alt.Data(values=values))
        .mark_point(filled=True, size=90, color="#222", aria=False)
        .encode(
            x="term_start:T",
            y=y,
            shape=alt.Shape(
                "gender:N",
                title="Gender",
                scale=alt.Scale(domain=["male", "female"], range=["circle", "triangle-up"]),
            ),
        )
    )
    layers = [bars, starts]
    if events:
        marks = alt.Data(values=[{"date": e["event_date"], "label": e["label"]} for e in events])
        layers.append(
            alt.Chart(marks)
            .mark_rule(strokeDash=[4, 3], color="#333", aria=False)
            .encode(x="date:T")
        )
        layers.append(
            alt.Chart(marks)
            .mark_text(
                aria=False,
                align="right",
                angle=270,
                dx=-6,
                dy=-3,
                fontSize=11,
                baseline="bottom",
                color="#333",
            )
            .encode(x="date:T", y=alt.value(0), text="label:N")
        )
    return layered(NAME, title, subtitle, description, source_lines(rows), claims, layers, 22)


CHART = Chart(
    name=NAME,
    heading="Leadership",
    order=20,
    views=("chart_leadership", "chart_leadership_events"),
    build=build,
)
