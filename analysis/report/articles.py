"""Annotated articles: each document's full text, every figure marked with what became of it
(checked and its claim's final verdict, dismissed and why, or unchecked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.report.env import environment, write_atomic
from analysis.warehouse.query import fetch_dicts


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
                      c.dismissal_reason, c.claim_ids, c.verdict, c.machine_drafted
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


def write_articles(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    folder = out_dir / "articles"
    folder.mkdir(exist_ok=True)
    written = []
    template = environment().get_template("article.html.j2")
    for doc in annotated_documents(con):
        page = folder / f"{doc['doc_id']}.html"
        write_atomic(page, template.render(doc=doc).encode())
        written.append(page)
    return written
