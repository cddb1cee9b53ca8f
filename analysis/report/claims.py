"""A page per published fact-check (each reviewed claim with a rating), embedding its
schema.org ClaimReview markup, so that the markup sits on the page it describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.report.env import environment, script_json, write_atomic
from analysis.warehouse.query import fetch_dicts


def write_claim_pages(
    con: duckdb.DuckDBPyConnection, out_dir: Path, reviews: list[dict[str, Any]]
) -> list[Path]:
    written = []
    template = environment().get_template("claim.html.j2")
    for review in reviews:
        claim_id = review["identifier"]
        (claim,) = fetch_dicts(
            con,
            """SELECT c.claim_id, c.doc_id, c.quote, c.speaker, c.subject, c.measure,
                      v.final_verdict, v.machine_verdict, v.editor_verdict, v.override_reason,
                      v.reviewer, v.review_date, c.explanation, d.title, d.url,
                      d.date_published
               FROM claims c JOIN claim_verdicts v USING (claim_id)
               JOIN documents d ON d.doc_id = c.doc_id WHERE c.claim_id = ?""",
            [claim_id],
        )
        checks = fetch_dicts(
            con,
            "SELECT check_id, recipe, verdict, stated_text, computed_text, explanation, "
            "source_ids, source_tier FROM claim_checks WHERE claim_id = ? ORDER BY check_id",
            [claim_id],
        )
        ids = sorted({s for k in checks for s in (k["source_ids"] or "").split(",") if s})
        sources = (
            fetch_dicts(
                con,
                "SELECT DISTINCT publisher, title, url, tier FROM reference_sources "
                "WHERE source_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY publisher, title, url, tier",
                [ids],
            )
            if ids
            else []
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        page = out_dir / f"{claim_id}.html"
        write_atomic(
            page,
            template.render(
                claim=claim,
                checks=checks,
                sources=sources,
                markup=script_json(review),
                root="../",
            ).encode(),
        )
        written.append(page)
    return written
