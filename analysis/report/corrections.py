"""The corrections memo: every statement whose final verdict is incorrect or inconsistent, with
its evidence and sources, and the names the text spells differently from the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.formatting import date_text, shorten_middle
from analysis.report.cells import markdown_text as md
from analysis.report.cells import markdown_url
from analysis.report.env import environment, write_atomic
from analysis.vocab import FINDINGS_SQL, MACHINE_DRAFTED, UNREVIEWED, verdict_label
from analysis.warehouse.query import fetch_dicts


def corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One entry per sentence holding a statement found incorrect or inconsistent (final
    verdict): its findings, each with its evidence, sources and a suggested correction."""
    findings = fetch_dicts(
        con,
        f"""WITH first_mention AS (
               SELECT cm.claim_id, arg_min(m.sentence, m.start_offset) AS sentence,
                      min(m.sentence_start) AS sentence_start
               FROM claim_mentions cm JOIN mentions m USING (mention_id) GROUP BY 1)
           SELECT c.claim_id, c.doc_id, c.quote, c.speaker, c.subject, c.measure,
                  v.machine_verdict, v.editor_verdict, v.final_verdict, v.override_reason,
                  v.origin, v.machine_drafted, v.review_status,
                  d.title, d.outlet, d.url,
                  coalesce(f.sentence, c.quote) AS sentence,
                  coalesce(f.sentence_start, c.quote_start) AS sentence_start
           FROM claims c JOIN claim_verdicts v USING (claim_id) JOIN documents d
             ON d.doc_id = c.doc_id
           LEFT JOIN first_mention f ON f.claim_id = c.claim_id
           WHERE v.final_verdict IN {FINDINGS_SQL}
           ORDER BY c.doc_id, CASE WHEN c.speaker = 'article' THEN 0 ELSE 1 END,
                    c.quote_start, c.claim_id""",
    )
    checks: dict[str, list[dict[str, Any]]] = {}
    for k in fetch_dicts(  # every finding's failing checks, in one query
        con,
        f"""SELECT k.claim_id, k.check_id, k.recipe, k.verdict, k.explanation, k.tolerance_rule,
                  k.source_ids, k.stated_text, k.computed_text
           FROM claim_checks k JOIN claim_verdicts v USING (claim_id)
           WHERE v.final_verdict IN {FINDINGS_SQL}
             AND k.verdict IN {FINDINGS_SQL}
           ORDER BY k.claim_id, k.check_id""",
    ):
        checks.setdefault(k.pop("claim_id"), []).append(k)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for source in fetch_dicts(
        con,
        "SELECT source_id, publisher, title, url, date_published, date_consulted "
        "FROM reference_sources",
    ):
        by_source.setdefault(source.pop("source_id"), []).append(source)
    for item in findings:
        item["checks"] = checks.get(item["claim_id"], [])
        ids = sorted({s for k in item["checks"] for s in (k["source_ids"] or "").split(",") if s})
        item["sources"] = _sources_cited([r for i in ids for r in by_source.get(i, [])])
        item["suggestion"] = suggestion(item)
    entries: dict[tuple, dict[str, Any]] = {}
    for item in findings:
        key = (item["doc_id"], item["sentence_start"], awaiting_review(item))
        entry = entries.setdefault(
            key,
            {
                **{k: item[k] for k in ("doc_id", "title", "outlet", "url", "sentence")},
                "speaker": item["speaker"],
                "pending": awaiting_review(item),
                "findings": [],
            },
        )
        entry["findings"].append(item)
    return list(entries.values())


def _sources_cited(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per publisher, title and address among ``rows`` (the sources a finding's
    checks cite, from every table that lists them), with the latest dates any of them gives,
    ordered by publisher, title and address (a missing one last)."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["publisher"], r["title"], r["url"]), []).append(r)

    def latest(values: list[Any]) -> Any:
        present = [v for v in values if v is not None]
        return max(present) if present else None

    def order(key: tuple) -> tuple:
        return tuple((part is None, part or "") for part in key)

    return [
        {
            "publisher": key[0],
            "title": key[1],
            "url": key[2],
            "date_published": latest([r["date_published"] for r in group]),
            "date_consulted": latest([r["date_consulted"] for r in group]),
        }
        for key, group in sorted(groups.items(), key=lambda kv: order(kv[0]))
    ]


def suggestion(item: dict[str, Any]) -> str:
    """The correction a desk would propose, from the finding's own evidence (docs/outputs.md):
    the editor's reason where an editor decided; else the computed figure in place of the
    stated one where a check computed one; else make the contradicting statements agree; else
    what to correct."""
    if item["editor_verdict"] and item["override_reason"]:
        return f"Correct or qualify the statement: {item['override_reason']}"
    for k in item["checks"]:
        if k["stated_text"] and k["computed_text"] and k["stated_text"] != k["computed_text"]:
            return f"Replace “{k['stated_text']}” with “{k['computed_text']}”."
    for k in item["checks"]:
        if k["verdict"] == "inconsistent":
            return f"Make the statements agree: {k['explanation']}"
    first = item["checks"][0]["explanation"] if item["checks"] else item["measure"]
    return f"Correct or remove the statement: {first}"


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


def corrections_markdown(entries: list[dict], variants: list[dict]) -> str:
    out = ["# Corrections memo", ""]
    reviewed = [e for e in entries if not e["pending"]]
    pending = [e for e in entries if e["pending"]]
    if not reviewed:
        out.append("No statement was found incorrect or inconsistent.")
    out += _markdown_entries(reviewed)
    if pending:
        out += [
            f"## Machine findings awaiting review ({len(pending)})",
            "",
            f"Statements the machine drafted and found wrong ({MACHINE_DRAFTED}, not yet "
            "reviewed by an editor): check them before they count as corrections.",
            "",
        ]
        out += _markdown_entries(pending, level="###")
    if variants:
        out += ["## Names spelled differently from the record", ""]
        for v in variants:
            out.append(
                f"- “{md(v['surface'])}” ({md(v['speaker'])}, {v['times']}×): "
                f"{md(v['kind'])} of {md(v['canonical'])}"
            )
        out.append("")
    return "\n".join(out)


def _markdown_entries(entries: list[dict], level: str = "##") -> list[str]:
    out: list[str] = []
    by_title: dict[str, list[dict]] = {}  # in the order they first come, grouped once
    for e in entries:
        by_title.setdefault(e["title"], []).append(e)
    for doc_title, own in by_title.items():
        first = own[0]
        out += [
            f"{level} {md(doc_title)}",
            "",
            md(first["outlet"] or "") + (f", {markdown_url(first['url'])}" if first["url"] else ""),
            "",
        ]
        for e in own:
            out += [
                f"{level}# “{md(shorten_middle(e['sentence']))}”",
                "",
                f"- Said by: {md(e['speaker'])}",
            ]
            for i in e["findings"]:
                verdict = verdict_label(i["final_verdict"])
                out.append(
                    f"- Finding: “{md(shorten_middle(i['quote'], 200))}” is **{verdict}**"
                    + (
                        f" (the desk's verdict; the checks said "
                        f"{verdict_label(i['machine_verdict'])}: {md(i['override_reason'])})"
                        if i["editor_verdict"]
                        else ""
                    )
                )
                for k in i["checks"]:
                    out.append(f"  - Evidence ({md(k['recipe'])}): {md(k['explanation'])}")
                for s in i["sources"]:
                    out.append(
                        f"  - Source: {md(s['publisher'])}, *{md(s['title'])}*, "
                        f"{markdown_url(s['url'])} "
                        f"(consulted {date_text(str(s['date_consulted']))})"
                    )
                out.append(f"  - Suggested correction: {md(i['suggestion'])}")
            out.append("")
    return out


def write_corrections(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    entries = corrections(con)
    variants = name_variants(con)
    memo = out_dir / "corrections.md"
    write_atomic(memo, corrections_markdown(entries, variants).encode())
    page = out_dir / "corrections.html"
    write_atomic(
        page,
        environment()
        .get_template("corrections.html.j2")
        .render(
            entries=[e for e in entries if not e["pending"]],
            pending=[e for e in entries if e["pending"]],
            variants=variants,
        )
        .encode(),
    )
    return [memo, page]
