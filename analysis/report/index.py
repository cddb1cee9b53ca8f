"""The report's front page: the claim ledger, the charts, every figure and the sources.

An archive's front page summarizes instead of listing (docs/outputs.md, "An archive's front
page"): past :class:`Limits` it shows the most severe claims, the articles with the most
findings, counts by outlet and by month, and says where the rest is (each article's page, the
exports, the warehouse)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from analysis.charts.common import ChartFigure
from analysis.formatting import present
from analysis.report.env import environment, script_json, vega_bundle, write_atomic
from analysis.report.exports import workbook_fits
from analysis.vocab import FINDINGS_SQL, VERDICT, VERDICTS
from analysis.warehouse.query import fetch_dicts


@dataclass(frozen=True)
class Limits:
    """How much the front page lists before it summarizes."""

    claims: int = 1_000  # ledger rows
    figures: int = 2_000  # rows of the table of every figure
    documents: int = 100  # articles listed by name


def ledger(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict[str, Any]]:
    """Every claim in document order; with ``limit``, the ``limit`` most severe (by final
    verdict, ranked by the warehouse's verdict_scale, then in document order)."""
    order = "c.doc_id, c.quote_start, c.claim_id"
    if limit is not None:
        order = f"s.severity, {order} LIMIT {int(limit)}"
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
        JOIN verdict_scale s ON s.verdict = v.final_verdict
        LEFT JOIN deciding k ON k.claim_id = c.claim_id AND k.nth = 1
        LEFT JOIN mentions m ON m.mention_id = nullif(split_part(k.mentions_used, ',', 1), '')
        ORDER BY """
        + order,
    )
    shown = "" if limit is None else "WHERE claim_id IN (SELECT unnest(?::VARCHAR[])) "
    checks = fetch_dicts(
        con,
        "SELECT claim_id, check_id, recipe, stated_text, stated_value, computed_value, "
        "computed_text, verdict, explanation, tolerance_rule, reference_rows, source_ids "
        f"FROM claim_checks {shown}"
        "ORDER BY claim_id, check_id",
        [] if limit is None else [[c["claim_id"] for c in claims]],
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
    limits: Limits = Limits(),
    workbook: bool | None = None,
) -> tuple[Path, frozenset[str]]:
    """``index.html`` from the warehouse and the chart figures, and the claims its ledger
    shows; ``published`` names the claims that have a fact-check page of their own;
    ``workbook``: whether the exports hold the workbook (by default, whether it fits,
    :func:`~analysis.report.exports.workbook_fits`)."""
    (n_documents, n_claims, n_mentions) = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims), "
        "(SELECT count(*) FROM mentions)"
    ).fetchone()
    few_documents = n_documents <= limits.documents
    documents = fetch_dicts(
        con,
        """SELECT d.doc_id, d.title, d.outlet, d.author, d.as_of, d.date_note, d.n_chars,
                  d.url, d.date_published,
                  (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id) AS n_mentions,
                  (SELECT count(*) FROM claims c WHERE c.doc_id = d.doc_id) AS n_claims
           FROM documents d ORDER BY """
        + (
            "d.doc_id"
            if few_documents
            else "(SELECT count(*) FROM claim_verdicts v WHERE v.doc_id = d.doc_id AND "
            f"v.final_verdict IN {FINDINGS_SQL}) DESC, d.doc_id "
            f"LIMIT {int(limits.documents)}"
        ),
    )
    archive = None if few_documents else _archive_counts(con, n_documents, len(documents))
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
    mentions = (
        fetch_dicts(
            con,
            """SELECT doc_id, start_offset, end_offset, surface, value, kind, unit, approx,
                      iso_date, section, comment_no, speaker, sentence,
                      start_offset - sentence_start AS figure_at,
                      end_offset - sentence_start AS figure_end
               FROM mentions ORDER BY doc_id, start_offset""",
        )
        if n_mentions <= limits.figures
        else None
    )
    for m in mentions or []:
        m["shown"] = present(m["value"], m["kind"], m["unit"], m["iso_date"])
    rows = ledger(con, None if n_claims <= limits.claims else limits.claims)
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
            sections={f.name: f.heading for f in figures},
            mentions=mentions,
            n_mentions=n_mentions,
            n_claims=n_claims,
            archive=archive,
            workbook=workbook_fits(con) if workbook is None else workbook,
            specs={f.name: script_json(f.spec) for f in figures if f.spec is not None},
            vega_bundle=vega_bundle(cache_dir),
        )
    )
    index = out_dir / "index.html"
    write_atomic(index, html.encode("utf-8"))
    return index, frozenset(c["claim_id"] for c in rows)


def _archive_counts(
    con: duckdb.DuckDBPyConnection, n_documents: int, n_listed: int
) -> dict[str, Any]:
    """What the front page of an archive says about all its articles: counts by outlet and
    by month (of publication, else of the date judged as of)."""
    per_document = f"""
        SELECT d.outlet, strftime(coalesce(d.date_published, d.as_of), '%Y-%m') AS month,
               (SELECT count(*) FROM claims c WHERE c.doc_id = d.doc_id) AS n_claims,
               (SELECT count(*) FROM claim_verdicts v WHERE v.doc_id = d.doc_id
                  AND v.final_verdict IN {FINDINGS_SQL}) AS n_findings
        FROM documents d"""
    totals = "count(*) AS articles, sum(n_claims) AS claims, sum(n_findings) AS findings"
    return {
        "n_documents": n_documents,
        "n_listed": n_listed,
        "by_outlet": fetch_dicts(
            con,
            f"SELECT outlet, {totals} FROM ({per_document}) GROUP BY outlet "
            "ORDER BY articles DESC, outlet",
        ),
        "by_month": fetch_dicts(
            con,
            f"SELECT month, {totals} FROM ({per_document}) GROUP BY month "
            "ORDER BY month NULLS LAST",
        ),
    }
