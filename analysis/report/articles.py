"""Annotated articles: each document's full text, every figure marked with what became of it
(checked and its claim's final verdict, dismissed and why, or unchecked)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from analysis.files_cache import read_cached, store_cached
from analysis.report.env import environment, write_atomic
from analysis.vocab import VERDICT, VERDICTS, most_severe, verdict_label
from analysis.warehouse.query import fetch_dicts, fetch_rows

CHUNK_DOCUMENTS = 200  # documents whose rows are fetched together (bounded memory)


def _by_doc(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.pop("doc_id"), []).append(row)
    return out


# Per document, digests of every row :func:`_annotated_chunk` reads for its page (the same
# tables and columns), and its claims: a page is drawn again only when one changed. A
# document's rows are digested as their count and the sum of their rows' 64-bit hashes,
# not as the hash of their ordered list: each row holds its key and its place (offsets), so
# the set of rows says all the list says, and sorting two million figures into lists took
# most of this query (10,000 articles, alternated: 7.4-9.4 s before, 3.4-3.7 s after).
_PAGE_INPUTS = """
WITH d AS (SELECT doc_id, md5(body) AS body, hash(title, outlet, author, as_of, url) AS h
           FROM documents),
s AS (SELECT doc_id, concat(count(*), '.',
                            sum(hash(section_no, kind, comment_no, start_offset, end_offset)))
                     AS h
      FROM sections GROUP BY doc_id),
f AS (SELECT m.doc_id, concat(count(*), '.',
                              sum(hash(m.mention_id, m.start_offset, m.end_offset, m.kind,
                                       c.status, c.dismissal_reason, c.claim_ids, c.verdict,
                                       c.machine_drafted))) AS h
      FROM mentions m JOIN mention_coverage c USING (mention_id) GROUP BY m.doc_id),
v AS (SELECT v.doc_id, concat(count(*), '.',
                              sum(hash(cm.mention_id, cm.claim_id, v.final_verdict))) AS h
      FROM claim_mentions cm JOIN claim_verdicts v USING (claim_id) GROUP BY v.doc_id),
w AS (SELECT c.doc_id, concat(count(*), '.',
                              sum(hash(c.claim_id, c.quote_start, c.quote_end, v.final_verdict,
                                       v.machine_drafted))) AS h
      FROM claims c JOIN claim_verdicts v USING (claim_id)
      WHERE NOT EXISTS (SELECT 1 FROM claim_mentions cm WHERE cm.claim_id = c.claim_id)
      GROUP BY c.doc_id),
k AS (SELECT doc_id, list(claim_id ORDER BY claim_id) AS claims FROM claims GROUP BY doc_id)
SELECT d.doc_id,
       concat_ws(' ', d.body, d.h, coalesce(CAST(s.h AS VARCHAR), '-'),
                 coalesce(CAST(f.h AS VARCHAR), '-'), coalesce(CAST(v.h AS VARCHAR), '-'),
                 coalesce(CAST(w.h AS VARCHAR), '-')),
       coalesce(k.claims, [])
FROM d LEFT JOIN s USING (doc_id) LEFT JOIN f USING (doc_id) LEFT JOIN v USING (doc_id)
LEFT JOIN w USING (doc_id) LEFT JOIN k USING (doc_id)
ORDER BY d.doc_id
"""


def annotated_documents(
    con: duckdb.DuckDBPyConnection, ids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Each document (or those of ``ids``) as paragraphs of text pieces, every figure marked
    with what became of it and every claim without a figure marked on its own words, each mark
    labelled with the final verdict of each claim it belongs to. Documents come one at a time;
    their rows are fetched :data:`CHUNK_DOCUMENTS` documents at once (five queries a chunk,
    not four a document)."""
    if ids is None:
        ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    for at in range(0, len(ids), CHUNK_DOCUMENTS):
        chunk = ids[at : at + CHUNK_DOCUMENTS]
        yield from _annotated_chunk(con, chunk)


def _annotated_chunk(con: duckdb.DuckDBPyConnection, chunk: list[str]) -> Iterator[dict[str, Any]]:
    documents = fetch_dicts(
        con,
        "SELECT doc_id, title, outlet, author, as_of, url, body FROM documents "
        "WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id",
        [chunk],
    )
    all_sections = _by_doc(
        fetch_dicts(
            con,
            "SELECT doc_id, section_no, kind, comment_no, start_offset, end_offset "
            "FROM sections WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY doc_id, section_no",
            [chunk],
        )
    )
    # The coverage view sums up every figure's claims: given the range of the chunk's figure
    # ids (exact whatever the ids look like), DuckDB sums up only those in it, not the whole
    # archive's once a chunk (at 10,000 articles, 0.64 s a chunk against 0.12 s)
    _, [(first, last)] = fetch_rows(  # values bound as literals: no pandas (fetch_rows)
        con,
        "SELECT min(mention_id), max(mention_id) FROM mentions "
        "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
        [chunk],
    )
    all_figures = _by_doc(
        fetch_dicts(
            con,
            """SELECT m.doc_id, m.mention_id, m.start_offset, m.end_offset, m.kind, c.status,
                      c.dismissal_reason, c.claim_ids, c.verdict, c.machine_drafted
               FROM mentions m JOIN mention_coverage c USING (mention_id)
               WHERE m.doc_id IN (SELECT unnest(?::VARCHAR[]))
                 AND c.mention_id BETWEEN ? AND ?
               ORDER BY m.doc_id, m.start_offset""",
            [chunk, first, last],
        )
    )
    all_verdicts = _by_doc(
        fetch_dicts(
            con,
            """SELECT v.doc_id, cm.mention_id, cm.claim_id, v.final_verdict
               FROM claim_mentions cm JOIN claim_verdicts v USING (claim_id)
               WHERE v.doc_id IN (SELECT unnest(?::VARCHAR[]))
               ORDER BY v.doc_id, cm.mention_id, cm.claim_id""",
            [chunk],
        )
    )
    all_wordings = _by_doc(
        fetch_dicts(
            con,
            """SELECT c.doc_id, c.claim_id, c.quote_start, c.quote_end, v.final_verdict,
                      v.machine_drafted
               FROM claims c JOIN claim_verdicts v USING (claim_id)
               WHERE c.doc_id IN (SELECT unnest(?::VARCHAR[])) AND NOT EXISTS (
                   SELECT 1 FROM claim_mentions cm WHERE cm.claim_id = c.claim_id)
               ORDER BY c.doc_id, c.quote_start, c.claim_id""",
            [chunk],
        )
    )
    for doc in documents:
        doc_id = doc["doc_id"]
        sections = all_sections.get(doc_id, [])
        figures = all_figures.get(doc_id, [])
        verdicts: dict[str, list[tuple[str, str]]] = {}
        for r in all_verdicts.get(doc_id, []):
            verdicts.setdefault(r["mention_id"], []).append((r["claim_id"], r["final_verdict"]))
        marks = [_figure_mark(f, verdicts.get(f["mention_id"], [])) for f in figures]
        for claim in all_wordings.get(doc_id, []):
            mark = _claim_mark(claim, marks)
            if mark is not None:
                marks.append(mark)
        marks.sort(key=lambda m: m["start"])
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
            for m in marks:
                if m["start"] < s["start_offset"] or m["end"] > s["end_offset"]:
                    continue
                pieces.append({"text": body[at : m["start"]]})
                pieces.append({"text": body[m["start"] : m["end"]], "mark": m})
                at = m["end"]
            pieces.append({"text": body[at : s["end_offset"]]})
            paragraphs.append({**s, "pieces": pieces})
        doc["paragraphs"] = paragraphs
        yield doc


def _figure_mark(f: dict[str, Any], claims: list[tuple[str, str]]) -> dict[str, Any]:
    """A figure's mark: checked ones take the most severe final verdict of their claims (the
    desk's where an editor reviewed it) and name every claim's; others say why not."""
    if f["status"] == "checked":
        finals = [v for _, v in claims] or [f["verdict"]]
        verdict = most_severe(finals)
        label = ", ".join(dict.fromkeys(verdict_label(v) for v in sorted(finals, key=_severity)))
        claim = next((c for c, v in claims if v == verdict), claims[0][0] if claims else None)
    else:
        verdict, claim = None, None
        label = (
            f"dismissed: {f['dismissal_reason'].replace('_', ' ')}"
            if f["status"] == "dismissed"
            else "not checked"
        )
    return {
        "start": f["start_offset"],
        "end": f["end_offset"],
        "status": f["status"],
        "verdict": verdict,
        "machine": bool(f["machine_drafted"]),
        "claim": claim,
        "label": label,
        "figure": True,
        "mention": f["mention_id"],
    }


def _severity(verdict: str) -> int:
    return VERDICT[verdict].severity


def _claim_mark(claim: dict[str, Any], marks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A claim with no figure ("it has never had a woman at the helm") marked on its words: from
    the first of its words no mark covers up to the next mark (None when marks cover them all)."""
    start, end = claim["quote_start"], claim["quote_end"]
    for m in sorted(marks, key=lambda m: m["start"]):
        if m["end"] <= start or m["start"] >= end:
            continue
        if m["start"] <= start:
            start = m["end"]  # the quote begins inside a mark: begin after it
            continue
        end = m["start"]
        break
    if end <= start:
        return None
    return {
        "start": start,
        "end": end,
        "status": "checked",
        "verdict": claim["final_verdict"],
        "machine": bool(claim["machine_drafted"]),
        "claim": claim["claim_id"],
        "label": verdict_label(claim["final_verdict"]),
        "figure": False,
    }


def write_articles(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    on_index: frozenset[str],
    published: frozenset[str] = frozenset(),
    cache_dir: Path | None = None,
    code: str = "",
) -> list[Path]:
    """Each document's annotated page. A checked mark links to its claim in the front page's
    ledger when the ledger shows it (``on_index``), else to its published fact-check, else
    to nothing (an archive's front page lists only the most severe claims).

    With ``cache_dir``, a page is drawn only when the rows it is drawn from (digested in SQL,
    :data:`_PAGE_INPUTS`), the links of its claims or the package (``code``, its fingerprint)
    changed since it was last drawn; otherwise its bytes come from the cache, checksummed, and
    the document is not even read (an archive's unchanged articles cost a query, not a page)."""
    folder = out_dir / "articles"
    folder.mkdir(exist_ok=True)
    template = environment().get_template("article.html.j2")
    pages: dict[str, Path] = {}
    keys: dict[str, tuple[str, ...]] = {}
    if cache_dir is not None:
        for doc_id, inputs, claims in con.execute(_PAGE_INPUTS).fetchall():
            links = [claim_link(c, on_index, published) for c in claims]
            keys[doc_id] = ("article", code, doc_id, inputs, json.dumps([claims, links]))
            html = read_cached(cache_dir, keys[doc_id])
            if html is not None:
                pages[doc_id] = folder / f"{doc_id}.html"
                write_atomic(pages[doc_id], html)
        missing = [doc_id for doc_id in keys if doc_id not in pages]
    else:
        missing = None  # every document
    for doc in annotated_documents(con, missing):
        for paragraph in doc["paragraphs"]:
            for piece in paragraph["pieces"]:
                mark = piece.get("mark")
                if mark and mark["status"] == "checked":
                    mark["link"] = claim_link(mark["claim"], on_index, published)
        page = folder / f"{doc['doc_id']}.html"
        html = template.render(doc=doc, legend=VERDICTS, root="../").encode()
        if cache_dir is not None:
            store_cached(cache_dir, keys[doc["doc_id"]], html)
        write_atomic(page, html)
        pages[doc["doc_id"]] = page
    return [pages[doc_id] for doc_id in sorted(pages)]


def claim_link(claim: str | None, on_index: frozenset[str], published: frozenset[str]) -> str:
    """Where a checked mark leads: "index" (its row in the front page's ledger), "page" (its
    published fact-check) or "" (nowhere). The template builds the address from the claim's
    id, never from a value (docs/hostile-input.md)."""
    if claim in on_index:
        return "index"
    if claim in published:
        return "page"
    return ""
