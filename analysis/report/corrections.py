"""The corrections memo: every statement whose final verdict is incorrect or inconsistent, with
its evidence and sources, and the names the text spells differently from the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.formatting import shorten_middle
from analysis.report.env import environment, write_atomic
from analysis.vocab import MACHINE_DRAFTED, UNREVIEWED
from analysis.warehouse.query import fetch_dicts


def corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Statements found incorrect or inconsistent (final verdict), with evidence and sources."""
    items = fetch_dicts(
        con,
        """SELECT c.claim_id, c.doc_id, c.quote, c.speaker, c.subject, c.measure,
                  v.machine_verdict, v.editor_verdict, v.final_verdict, v.override_reason,
                  v.origin, v.machine_drafted, v.review_status,
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


def awaiting_review(item: dict) -> bool:
    """A machine-drafted finding no editor has reviewed: listed apart, never as a correction."""
    return bool(item["machine_drafted"]) and item["review_status"] == UNREVIEWED


def corrections_markdown(items: list[dict], variants: list[dict]) -> str:
    out = ["# Corrections memo", ""]
    reviewed = [i for i in items if not awaiting_review(i)]
    pending = [i for i in items if awaiting_review(i)]
    if not reviewed:
        out.append("No statement was found incorrect or inconsistent.")
    out += _markdown_items(reviewed)
    if pending:
        out += [
            f"## Machine findings awaiting review ({len(pending)})",
            "",
            f"Statements the machine drafted and found wrong ({MACHINE_DRAFTED}, not yet "
            "reviewed by an editor): check them before they count as corrections.",
            "",
        ]
        out += _markdown_items(pending, level="###")
    if variants:
        out += ["## Names spelled differently from the record", ""]
        for v in variants:
            out.append(
                f"- “{v['surface']}” ({v['speaker']}, {v['times']}×): "
                f"{v['kind']} of {v['canonical']}"
            )
        out.append("")
    return "\n".join(out)


def _markdown_items(items: list[dict], level: str = "##") -> list[str]:
    out: list[str] = []
    for doc_title in dict.fromkeys(i["title"] for i in items):
        own = [i for i in items if i["title"] == doc_title]
        first = own[0]
        out += [
            f"{level} {doc_title}",
            "",
            f"{first['outlet']}" + (f", {first['url']}" if first["url"] else "") + "",
            "",
        ]
        for i in own:
            verdict = i["final_verdict"].replace("_", " ")
            out += [
                f"{level}# “{shorten_middle(i['quote'])}”",
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
    return out


def write_corrections(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    items = corrections(con)
    variants = name_variants(con)
    memo = out_dir / "corrections.md"
    write_atomic(memo, corrections_markdown(items, variants).encode())
    page = out_dir / "corrections.html"
    write_atomic(
        page,
        environment()
        .get_template("corrections.html.j2")
        .render(
            items=[i for i in items if not awaiting_review(i)],
            pending=[i for i in items if awaiting_review(i)],
            variants=variants,
        )
        .encode(),
    )
    return [memo, page]
