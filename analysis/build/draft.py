"""`analysis draft`: the claims the machine drafts for any text, checked, as JSON records or
as a claims file ready to be reviewed and moved into ``data/claims/`` (docs/relations.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis.checks.matching import Checked, Match, Statements, match_claims
from analysis.checks.model import CheckResult, Context
from analysis.checks.run import claim_verdict, run_checks
from analysis.checks.tolerance import load_tolerance
from analysis.claims.register import Claim
from analysis.figures.extract import extract_any
from analysis.figures.lexicon import load_lexicon
from analysis.project import Project
from analysis.reference.tables import load_reference
from analysis.relations.draft import draft_all

# Fields of `analysis draft --format json`, in order (the contract the issue names).
DRAFT_FIELDS = (
    "claim_id",
    "quote",
    "start",
    "end",
    "figures",
    "recipe",
    "origin",
    "verdict",
    "explanation",
    "confidence",
    "restates",
)


@dataclass
class Drafted:
    doc_id: str
    text: str
    claims: list[Claim]
    results: list[CheckResult]
    matches: list[Match]


def draft_file(
    project: Project, path: Path, as_of: dt.date | None, layout: str | None = None
) -> Drafted:
    """Extract ``path``, draft its claims, run their checks."""
    doc, text, extracted = extract_any(path, project.layouts_dir, project.lexicon_dir, layout)
    doc_id = doc.doc_id if doc else path.stem
    as_of = as_of or (doc.as_of if doc else None)
    lex = load_lexicon(project.lexicon_dir)
    references = load_reference(project.reference_dir) if project.reference_dir.is_dir() else {}
    claims = draft_all(
        doc_id, path, text, extracted.sections, extracted.mentions, as_of, lex, references
    )
    tolerance = load_tolerance(project.tolerance_path, lex.hedge_words)
    ctx = Context({c.claim_id: c for c in claims}, references, tolerance)
    results = run_checks(claims, ctx)
    # claims that come back: this text's sentences that restate a statement of the warehouse
    checked = Statements(warehouse_statements(project.warehouse_path))
    matched, links = match_claims(doc_id, path, extracted.mentions, checked, claims)
    ctx.checked = checked.by_id
    ctx.claims |= {c.claim_id: c for c in matched}
    results += run_checks(matched, ctx)
    return Drafted(doc_id, text, claims + matched, results, links)


def warehouse_statements(path: Path) -> list[Checked]:
    """The decided claims of the last build (none when there is no warehouse yet)."""
    if not path.exists():
        return []
    from analysis.warehouse.query import connect, fetch_dicts

    with connect(path) as con:
        rows = fetch_dicts(
            con,
            """SELECT c.claim_id, c.doc_id, c.quote, v.final_verdict, c.verdict, c.explanation,
                      list(m.value) FILTER (WHERE m.value IS NOT NULL) AS vals
               FROM claims c JOIN claim_verdicts v USING (claim_id)
               LEFT JOIN claim_mentions cm USING (claim_id)
               LEFT JOIN mentions m ON m.mention_id = cm.mention_id
               WHERE v.final_verdict <> 'unverifiable' AND c.origin <> 'match'
               GROUP BY ALL ORDER BY c.claim_id""",
        )
    return [
        Checked(
            r["claim_id"],
            r["doc_id"],
            r["quote"],
            tuple(float(v) for v in r["vals"] or []),
            r["final_verdict"],
            r["explanation"],
            r["verdict"],
        )
        for r in rows
    ]


def records(drafted: Drafted) -> list[dict[str, Any]]:
    """One record per drafted check (JSON output)."""
    claims = {c.claim_id: c for c in drafted.claims}
    out = []
    for r in drafted.results:
        c = claims[r.claim_id]
        restates = [
            {"claim_id": m.matched_claim_id, "doc_id": m.matched_doc_id, "verdict": m.verdict}
            for m in drafted.matches
            if m.claim_id == c.claim_id
        ]
        out.append(
            {
                "claim_id": c.claim_id,
                "quote": drafted.text[c.quote_start : c.quote_end],
                "start": c.quote_start,
                "end": c.quote_end,
                "figures": [
                    {"name": f.name, "text": f.text, "start": f.start, "end": f.end}
                    for f in c.figures.values()
                ],
                "recipe": r.recipe,
                "origin": c.origin,
                "verdict": r.verdict,
                "explanation": r.explanation,
                "confidence": c.confidence,
                "restates": restates,
            }
        )
    return out


def claims_yaml(drafted: Drafted) -> str:
    """The drafted claims in the claims-file format (docs/claims.md): each quote verbatim, each
    figure by its text (and occurrence inside the quote), each check as drafted; the machine's
    verdict and explanation in the note, for the reviewer."""
    entries = []
    for c in drafted.claims:
        quote = drafted.text[c.quote_start : c.quote_end]
        occurrence = drafted.text.count(quote, 0, c.quote_start) + 1
        figures: dict[str, Any] = {}
        for name, f in c.figures.items():
            inside = f.start - c.quote_start
            nth = quote.count(f.text, 0, inside) + 1
            figures[name] = f.text if nth == 1 else {"text": f.text, "occurrence": nth}
        verdict, explanation = claim_verdict(
            [r for r in drafted.results if r.claim_id == c.claim_id]
        )
        entry: dict[str, Any] = {"id": c.claim_id.replace("~", "-"), "quote": quote}
        if occurrence > 1:
            entry["occurrence"] = occurrence
        entry |= {
            "subject": c.subject,
            "measure": c.measure,
            "figures": figures,
            "checks": [_plain(spec) for spec in c.checks],
            "note": f"machine-drafted ({c.origin}, confidence {c.confidence}): "
            f"{verdict} — {explanation}",
        }
        entries.append(entry)
    header = (
        f"# Claims drafted by the machine for {drafted.doc_id} (docs/relations.md). Review each,\n"
        "# delete what is not a statement, then move the file to data/claims/.\n"
    )
    body = yaml.safe_dump(
        {"document": drafted.doc_id, "claims": entries},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return header + body


def _plain(value: Any) -> Any:
    """Plain dicts and lists (the YAML reader's line-tracking mappings are not dumpable)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
