"""Exports for other tools: the ledger as CSV and XLSX, and schema.org ClaimReview JSON-LD
for each reviewed claim."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from analysis.vocab import ARTICLE_VOICE, VERDICT
from analysis.warehouse.query import fetch_dicts

DESK = "IOM fact-check data desk"


def ledger_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(
        con,
        """SELECT c.claim_id, c.doc_id, c.speaker, c.quote, c.subject, c.measure, c.as_of,
                  v.machine_verdict, v.editor_verdict, v.final_verdict, v.review_status,
                  v.reviewer, v.review_date, v.override_reason, c.explanation, c.n_checks,
                  c.claims_file, c.claims_line
           FROM claims c JOIN claim_verdicts v USING (claim_id)
           ORDER BY c.doc_id, c.quote_start, c.claim_id""",
    )


def write_csv(path: Path, records: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: ("" if v is None else v) for k, v in r.items()})
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _deterministic_zip(path: Path, stamp: str) -> None:
    """Rewrite a zip (XLSX) with fixed entry timestamps, and the workbook's "modified" date
    (openpyxl sets it to the clock) fixed to ``stamp``, so two builds give the same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    entries = [
        (
            info,
            re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>" + stamp.encode() + rb"\g<2>",
                data,
            ),
        )
        if info.filename == "docProps/core.xml"
        else (info, data)
        for info, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, Any]]], stamp: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, records in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        if not records:
            continue
        columns = list(records[0])
        sheet.append(columns)
        for r in records:
            sheet.append(
                [r[c] if not hasattr(r[c], "isoformat") else r[c].isoformat() for c in columns]
            )
        sheet.freeze_panes = "A2"
    book.properties.creator = "iom-factcheck-analysis"
    book.properties.created = stamp
    book.properties.modified = stamp
    book.save(path)
    _deterministic_zip(path, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def claim_reviews(con: duckdb.DuckDBPyConnection, desk: str) -> list[dict[str, Any]]:
    """schema.org ClaimReview for each reviewed claim (approved or disputed)."""
    out = []
    for r in fetch_dicts(
        con,
        """SELECT c.claim_id, c.quote, c.speaker, v.final_verdict, v.review_date,
                  v.review_status, c.explanation, v.override_reason,
                  d.title, d.outlet, d.author, d.url, d.date_published, d.as_of
           FROM claims c JOIN claim_verdicts v USING (claim_id) JOIN documents d
             ON d.doc_id = c.doc_id
           WHERE v.review_status IN ('approved', 'disputed')
           ORDER BY c.doc_id, c.quote_start, c.claim_id""",
    ):
        verdict = VERDICT[r["final_verdict"]]
        value, label = verdict.rating, verdict.rating_name
        speaker = r["outlet"] if r["speaker"] == ARTICLE_VOICE else r["speaker"]
        rating: dict[str, Any] = {
            "@type": "Rating",
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": label,
            "ratingExplanation": r["override_reason"] or r["explanation"],
        }
        if value is not None:
            rating["ratingValue"] = value
        appearance: dict[str, Any] = {
            "@type": "NewsArticle",
            "headline": r["title"],
            "publisher": {"@type": "Organization", "name": r["outlet"]},
            "author": {"@type": "Person", "name": r["author"]},
        }
        if r["url"]:
            appearance["url"] = r["url"]
        if r["date_published"]:
            appearance["datePublished"] = r["date_published"].isoformat()
        out.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "identifier": r["claim_id"],
                "claimReviewed": r["quote"],
                "author": {"@type": "Organization", "name": desk},
                "datePublished": r["review_date"].isoformat(),
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {
                        "@type": "Organization" if r["speaker"] == ARTICLE_VOICE else "Person",
                        "name": speaker,
                    },
                    "appearance": appearance,
                    "firstAppearance": appearance,
                },
                "reviewRating": rating,
            }
        )
    return out


def write_exports(con: duckdb.DuckDBPyConnection, out_dir: Path, desk: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    ledger = ledger_rows(con)
    checks = fetch_dicts(con, "SELECT * FROM claim_checks ORDER BY doc_id, check_id")
    figures = fetch_dicts(
        con,
        "SELECT m.mention_id, m.doc_id, m.surface, m.value, m.kind, m.unit, "
        "m.approx, m.section, m.speaker, c.status, c.dismissal_reason, "
        "c.claim_ids FROM mentions m JOIN mention_coverage c USING (mention_id) "
        "ORDER BY m.doc_id, m.start_offset",
    )
    sources = fetch_dicts(con, "SELECT * FROM reference_sources ORDER BY table_name, source_id")
    reviews = fetch_dicts(con, "SELECT * FROM reviews ORDER BY claim_id")
    (stamp,) = con.execute("SELECT max(as_of)::TIMESTAMP FROM documents").fetchone()
    written = [out_dir / "claims.csv", out_dir / "claims.xlsx", out_dir / "claimreview.jsonld"]
    write_csv(written[0], ledger)
    write_xlsx(
        written[1],
        {
            "claims": ledger,
            "checks": checks,
            "figures": figures,
            "reviews": reviews,
            "sources": sources,
        },
        stamp,
    )
    written[2].write_text(
        json.dumps(claim_reviews(con, desk), ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return written
