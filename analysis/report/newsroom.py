"""The newsroom pages and exports: annotated articles, corrections memo, methodology, and the
claim ledger as CSV, XLSX and schema.org ClaimReview JSON-LD. All read from the warehouse."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from analysis.warehouse.query import fetch_dicts

VERDICT_SCALE = [
    ("correct", "The computed value rounds to the stated one at the stated precision."),
    (
        "approximately_correct",
        "Within what the hedge word allows, or within 5 % for an unhedged measured quantity.",
    ),
    ("incorrect", "Further off than that, or a statement that the reference data contradicts."),
    ("inconsistent", "Conflicts with another statement of the same document."),
    ("unverifiable", "No reference data to decide."),
    ("needs_context", "Editors only: a true figure that misleads as framed."),
    ("not_checkable", "Editors only: opinion, prediction, or a secret ballot."),
]
# ClaimReview rating scale: 1 (false) … 5 (true); editors' extra verdicts sit where they mean.
RATING = {
    "incorrect": (1, "False"),
    "inconsistent": (2, "Contradicts the article itself"),
    "needs_context": (3, "Needs context"),
    "approximately_correct": (4, "Mostly true"),
    "correct": (5, "True"),
}


def annotated_documents(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each document as paragraphs of text pieces, figures marked with what became of them."""
    documents = fetch_dicts(
        con, "SELECT doc_id, title, outlet, author, as_of, body FROM documents ORDER BY doc_id"
    )
    for doc in documents:
        sections = fetch_dicts(
            con,
            "SELECT section_no, kind, comment_no, start_offset, end_offset "
            "FROM sections WHERE doc_id = ? ORDER BY section_no",
            [doc["doc_id"]],
        )
        figures = fetch_dicts(
            con,
            """SELECT m.mention_id, m.start_offset, m.end_offset, m.kind, m.value, c.status,
                      c.dismissal_reason, c.claim_ids, c.verdict
               FROM mentions m JOIN mention_coverage c USING (mention_id)
               WHERE m.doc_id = ? ORDER BY m.start_offset""",
            [doc["doc_id"]],
        )
        body = doc.pop("body")
        counts = {"checked": 0, "dismissed": 0, "unchecked": 0}
        for f in figures:
            counts[f["status"]] += 1
        doc["coverage"] = counts
        doc["n_figures"] = len(figures)
        paragraphs = []
        for s in sections:
            pieces: list[dict[str, Any]] = []
            at = s["start_offset"]
            for f in figures:
                if f["start_offset"] < s["start_offset"] or f["end_offset"] > s["end_offset"]:
                    continue
                pieces.append({"text": body[at : f["start_offset"]]})
                pieces.append({"text": body[f["start_offset"] : f["end_offset"]], "figure": f})
                at = f["end_offset"]
            pieces.append({"text": body[at : s["end_offset"]]})
            paragraphs.append({**s, "pieces": pieces})
        doc["paragraphs"] = paragraphs
    return documents


def corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Statements found incorrect or inconsistent (final verdict), with evidence and sources."""
    items = fetch_dicts(
        con,
        """SELECT c.claim_id, c.doc_id, c.quote, c.speaker, c.subject, c.measure,
                  v.machine_verdict, v.editor_verdict, v.final_verdict, v.override_reason,
                  d.title, d.outlet, d.url
           FROM claims c JOIN claim_verdicts v USING (claim_id) JOIN documents d
             ON d.doc_id = c.doc_id
           WHERE v.final_verdict IN ('incorrect', 'inconsistent')
           ORDER BY c.doc_id, CASE WHEN c.speaker = 'article' THEN 0 ELSE 1 END, c.quote_start""",
    )
    for item in items:
        item["checks"] = fetch_dicts(
            con,
            """SELECT check_id, recipe, verdict, explanation, tolerance_rule, source_ids
               FROM claim_checks WHERE claim_id = ? AND verdict IN ('incorrect', 'inconsistent')
               ORDER BY check_id""",
            [item["claim_id"]],
        )
        ids = sorted({s for k in item["checks"] for s in (k["source_ids"] or "").split(",") if s})
        item["sources"] = (
            fetch_dicts(
                con,
                "SELECT DISTINCT publisher, title, url, date_published, date_consulted "
                "FROM reference_sources WHERE source_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY publisher, title",
                [ids],
            )
            if ids
            else []
        )
    return items


def name_variants(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(
        con,
        """SELECT surface, canonical, kind, speaker, count(*) AS times
           FROM name_variants WHERE kind <> 'alternative name'
           GROUP BY surface, canonical, kind, speaker ORDER BY min(start_offset)""",
    )


def corrections_markdown(items: list[dict], variants: list[dict]) -> str:
    out = ["# Corrections memo", ""]
    if not items:
        out.append("No statement was found incorrect or inconsistent.")
    for doc_title in dict.fromkeys(i["title"] for i in items):
        own = [i for i in items if i["title"] == doc_title]
        first = own[0]
        out += [
            f"## {doc_title}",
            "",
            f"{first['outlet']}" + (f", {first['url']}" if first["url"] else "") + "",
            "",
        ]
        for i in own:
            verdict = i["final_verdict"].replace("_", " ")
            out += [
                f"### “{i['quote']}”",
                "",
                f"- Said by: {i['speaker']}",
                f"- Verdict: **{verdict}**"
                + (
                    f" (editor; the checks said {i['machine_verdict'].replace('_', ' ')}: "
                    f"{i['override_reason']})"
                    if i["editor_verdict"]
                    else ""
                ),
            ]
            for k in i["checks"]:
                out.append(f"- Evidence ({k['recipe']}): {k['explanation']}")
            for s in i["sources"]:
                out.append(
                    f"- Source: {s['publisher']}, *{s['title']}*, {s['url']} "
                    f"(consulted {s['date_consulted']})"
                )
            out.append("")
    if variants:
        out += ["## Names spelled differently from the record", ""]
        for v in variants:
            out.append(
                f"- “{v['surface']}” ({v['speaker']}, {v['times']}×): "
                f"{v['kind']} of {v['canonical']}"
            )
        out.append("")
    return "\n".join(out)


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
        value, label = RATING.get(r["final_verdict"], (None, r["final_verdict"]))
        speaker = r["outlet"] if r["speaker"] == "article" else r["speaker"]
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
                        "@type": "Organization" if r["speaker"] == "article" else "Person",
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
