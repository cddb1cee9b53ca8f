"""Representation: Portugal's shares as a reader comment states them and as computed."""

from __future__ import annotations

import math
import textwrap

import altair as alt
import duckdb

from analysis.charts import Chart
from analysis.charts.common import (
    ChartFigure,
    basis_color,
    claims_for,
    empty,
    layered,
    view_rows,
)
from analysis.formatting import present
from analysis.vocab import verdict_label

NAME = "representation"
STATED, COMPUTED = "stated", "computed from reference data"
LABEL_WRAP = 44  # characters per label line: fits a phone-width chart


def _phrase(r: dict, final: str) -> str:
    computed = present(r["computed_percent"], "percent")
    ratio = r["computed_percent"] / r["stated_percent"] if r["stated_percent"] else None
    if final in ("correct", "approximately_correct"):
        return f"{r['stated_text']} holds"
    if ratio and (ratio > 10 or ratio < 0.1):
        return f"{r['stated_text']} is off by a factor of {present(max(ratio, 1 / ratio), 'count')}"
    return f"{r['stated_text']} should be {computed}"


def build(con: duckdb.DuckDBPyConnection) -> ChartFigure:
    rows = view_rows_first(con)
    claims = claims_for(con, NAME)
    if not rows:
        return empty(NAME, "Shares", "No representation claims in the warehouse.", claims)
    final = {c["claim_id"]: c["verdict"] for c in claims}
    speakers = list(dict.fromkeys(r["speaker"] for r in rows))
    takeaway = "; ".join(_phrase(r, final.get(r["claim_id"], r["verdict"])) for r in rows)
    every = [v for r in rows for v in (r["stated_percent"], r["computed_percent"]) if v > 0]
    low_end = 10 ** math.floor(math.log10(min(every)) - 0.5)
    high_end = 10 ** math.ceil(math.log10(max(every)) + 0.5)
    values, table = [], []
    for r in rows:
        label = textwrap.wrap(r["measure"], LABEL_WRAP)
        verdict = verdict_label(final.get(r["claim_id"], r["verdict"]))
        stated_text = r["stated_text"]
        computed_text = present(r["computed_percent"], "percent")
        same = stated_text.replace(" ", "") == computed_text.replace(" ", "")
        points = [
            (STATED, r["stated_percent"], f"stated {stated_text} ({verdict})"),
            (COMPUTED, r["computed_percent"], f"computed {computed_text}"),
        ]
        if same:
            points = [
                (STATED, r["stated_percent"], f"stated and computed {stated_text} ({verdict})")
            ]
        for line, (basis, value, text) in enumerate(sorted(points, key=lambda p: p[1])):
            where = math.log(value / low_end) / math.log(high_end / low_end) if value > 0 else 0
            values.append(
                {
                    "measure": r["measure"],
                    "label": label,
                    "basis": basis,
                    "value": value,
                    "text": text,
                    # text runs away from the nearer edge, one line per point: it neither
                    # leaves the chart nor covers the other point's text
                    "align": "left" if where < 0.5 else "right",
                    "line": line,
                }
            )
        if same:
            values.append({**values[-1], "basis": COMPUTED, "text": "", "line": -1})
        table.append([r["measure"], stated_text, computed_text, verdict])
    figure = ChartFigure(
        NAME,
        f"{speakers[0].capitalize()}: {takeaway}" if len(speakers) == 1 else takeaway,
        "Percent, stated and computed from reference data, on a log scale",
        "Dot plot on a logarithmic scale of percentages: "
        + "; ".join(f"{t[0]}: stated {t[1]}, computed {t[2]} ({t[3]})" for t in table)
        + ".",
        _sources(con),
        claims,
        notes=["Log scale: each gridline is ten times the one before."],
        table=(["Measure", "Stated", "Computed", "Verdict"], table),
    )
    data = alt.Data(values=values)
    y = alt.Y("measure:N", title=None, sort=None, axis=None)
    x = alt.X(
        "value:Q",
        title="Percent (log scale)",
        scale=alt.Scale(type="log", domain=[low_end, high_end]),
        axis=alt.Axis(format="~r", tickCount=4),
    )
    line = (
        alt.Chart(data).mark_line(color="#767676").encode(x=x, y=y, detail=alt.Detail("measure:N"))
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=140, opacity=1)
        .encode(
            x=x,
            y=y,
            color=basis_color(STATED, COMPUTED),
            shape=alt.Shape(
                "basis:N",
                title=None,
                scale=alt.Scale(domain=[STATED, COMPUTED], range=["diamond", "circle"]),
            ),
            tooltip=[
                alt.Tooltip("measure:N"),
                alt.Tooltip("basis:N"),
                alt.Tooltip("text:N", title="value"),
            ],
        )
    )
    names = (
        alt.Chart(data)
        .transform_filter(f"datum.basis == '{STATED}'")
        .mark_text(align="left", baseline="bottom", dy=-12, lineHeight=14)
        .encode(x=alt.XValue(0), y=y, text=alt.Text("label:N"))
    )
    marks = [line, dots, names]
    for align in ("left", "right"):
        for line in (0, 1):
            marks.append(
                alt.Chart(data)
                .transform_filter(f"datum.align == '{align}' && datum.line == {line}")
                .mark_text(
                    align=align,
                    baseline="top",
                    dy=10 + 16 * line,
                    dx=-6 if align == "left" else 6,
                    fontWeight="bold",
                )
                .encode(x=x, y=y, text=alt.Text("text:N"))
            )
    return layered(figure, marks, 96, len(rows))


def view_rows_first(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One row per claim: its first check."""
    first: dict[str, dict] = {}
    for r in view_rows(con, "chart_representation", "ORDER BY claim_id, check_id"):
        first.setdefault(r["claim_id"], r)
    return list(first.values())


def _sources(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if not con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'chart_representation'"
    ).fetchone()[0]:
        return []
    return [
        {"publisher": p, "title": t, "url": u}
        for p, t, u in con.execute(
            "SELECT DISTINCT s.publisher, s.title, s.url FROM chart_representation r, "
            "unnest(string_split(r.source_ids, ',')) AS u(id) "
            "JOIN reference_sources s ON s.source_id = u.id ORDER BY 1, 2"
        ).fetchall()
    ]


CHART = Chart(
    name=NAME,
    heading="Representation: Portugal",
    order=40,
    views=("chart_representation",),
    build=build,
)
