"""The report's front page: the claim ledger, the charts, every figure and the sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.charts import registry
from analysis.charts.common import ChartFigure
from analysis.formatting import present
from analysis.report.env import environment, script_json, vega_bundle, write_atomic
from analysis.vocab import VERDICT, VERDICTS
from analysis.warehouse.query import fetch_dicts


def ledger(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    claims = fetch_dicts(
        con,
        """
        WITH deciding AS (
            SELECT k.*, row_number() OVER (
                PARTITION BY k.claim_id
                ORDER BY (k.verdict = c.verdict) DESC, k.check_id) AS nth
            FROM claim_checks k JOIN claims c USING (claim_id)
        )
        SELECT c.claim_id, c.doc_id, c.speaker, v.final_verdict AS verdict,
               c.verdict AS machine_verdict, v.editor_verdict, v.review_status,
               v.override_reason, c.explanation, c.chart, c.quote,
               c.subject, c.measure, c.as_of, c.origin, c.confidence, v.machine_drafted,
               k.stated_text, k.stated_value, k.computed_value, k.computed_text,
               k.recipe, m.sentence,
               m.start_offset - m.sentence_start AS figure_at,
               m.end_offset - m.sentence_start AS figure_end
        FROM claims c
        JOIN claim_verdicts v ON v.claim_id = c.claim_id
        LEFT JOIN deciding k ON k.claim_id = c.claim_id AND k.nth = 1
        LEFT JOIN mentions m ON m.mention_id = nullif(split_part(k.mentions_used, ',', 1), '')
        ORDER BY c.doc_id, c.quote_start, c.claim_id
        """,
    )
    checks = fetch_dicts(
        con,
        "SELECT claim_id, check_id, recipe, stated_text, stated_value, computed_value, "
        "computed_text, verdict, explanation, tolerance_rule, reference_rows, source_ids "
        "FROM claim_checks "
        "ORDER BY claim_id, check_id",
    )
    by_claim: dict[str, list[dict]] = {}
    for k in checks:
        by_claim.setdefault(k["claim_id"], []).append(k)
    for c in claims:
        c["checks"] = by_claim.get(c["claim_id"], [])
        sentence, at, end = c.pop("sentence"), c.pop("figure_at"), c.pop("figure_end")
        if sentence is not None and at is not None and 0 <= at <= end <= len(sentence):
            c["context"] = (sentence[:at], sentence[at:end], sentence[end:])
        else:
            c["context"] = ("", c["quote"], "")
    return claims


def write_index(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    figures: list[ChartFigure],
    cache_dir: Path | None = None,
    published: frozenset[str] = frozenset(),
) -> Path:
    """``index.html`` from the warehouse and the chart figures; ``published`` names the
    claims that have a fact-check page of their own."""
    documents = fetch_dicts(
        con,
        """SELECT d.doc_id, d.title, d.outlet, d.author, d.as_of, d.date_note, d.n_chars,
                  d.url, d.date_published,
                  (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id) AS n_mentions,
                  (SELECT count(*) FROM claims c WHERE c.doc_id = d.doc_id) AS n_claims
           FROM documents d ORDER BY d.doc_id""",
    )
    counts = dict(
        con.execute("SELECT final_verdict, count(*) FROM claim_verdicts GROUP BY 1").fetchall()
    )
    verdict_counts = [  # most severe first
        {"verdict": v, "n": counts[v]} for v in sorted(counts, key=lambda v: VERDICT[v].severity)
    ]
    overrides = fetch_dicts(
        con,
        "SELECT v.claim_id, v.machine_verdict, v.editor_verdict, v.override_reason, "
        "v.reviewer, v.review_date, c.quote FROM claim_verdicts v JOIN claims c "
        "USING (claim_id) WHERE v.editor_verdict IS NOT NULL ORDER BY c.doc_id, c.quote_start",
    )
    mentions = fetch_dicts(
        con,
        """SELECT doc_id, start_offset, end_offset, surface, value, kind, unit, approx,
                  iso_date, section, comment_no, speaker, sentence,
                  start_offset - sentence_start AS figure_at,
                  end_offset - sentence_start AS figure_end
           FROM mentions ORDER BY doc_id, start_offset""",
    )
    for m in mentions:
        m["shown"] = present(m["value"], m["kind"], m["unit"], m["iso_date"])
    rows = ledger(con)
    for c in rows:
        c["published"] = c["claim_id"] in published
    html = (
        environment()
        .get_template("index.html.j2")
        .render(
            documents=documents,
            overrides=overrides,
            verdict_counts=verdict_counts,
            severity={v.name: v.severity for v in VERDICTS},
            ledger=rows,
            figures=figures,
            sections={name: chart.heading for name, chart in registry().items()},
            mentions=mentions,
            specs={f.name: script_json(f.spec) for f in figures if f.spec is not None},
            vega_bundle=vega_bundle(cache_dir),
        )
    )
    index = out_dir / "index.html"
    write_atomic(index, html.encode("utf-8"))
    return index
