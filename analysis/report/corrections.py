"""The corrections memo: every statement whose final verdict is incorrect or inconsistent, with
its evidence and sources, and the names the text spells differently from the record.

An archive's memo summarizes instead of listing (docs/outputs.md, "An archive's memo"): past
:class:`MemoLimits` the machine's findings awaiting review are counted by article, and only
the most used spellings are listed; the corrections an editor reviewed always are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from analysis.formatting import date_text, shorten_middle
from analysis.report.articles import claim_link
from analysis.report.cells import markdown_text as md
from analysis.report.cells import markdown_url
from analysis.report.env import environment, write_atomic
from analysis.vocab import FINDINGS_SQL, MACHINE_DRAFTED, UNREVIEWED, verdict_label
from analysis.warehouse.query import fetch_dicts


@dataclass(frozen=True)
class MemoLimits:
    """How much the memo lists before it summarizes."""

    pending: int = 500  # machine findings awaiting review, listed one by one
    documents: int = 100  # articles listed by their number of findings awaiting review
    variants: int = 500  # names spelled differently from the record


# a machine-drafted finding no editor has reviewed: listed apart, never as a correction (in
# SQL over claim_verdicts ``v``; the one statement of the rule, the entries' and the counts')
PENDING_SQL = f"(v.machine_drafted AND v.review_status = '{UNREVIEWED}')"
# every such finding with its document (as the memo's entries are joined with theirs)
PENDING_FINDINGS = f"""SELECT v.claim_id, v.doc_id FROM claim_verdicts v
    JOIN documents d ON d.doc_id = v.doc_id
    WHERE v.final_verdict IN {FINDINGS_SQL} AND {PENDING_SQL}"""


def corrections(con: duckdb.DuckDBPyConnection, pending: bool = True) -> list[dict[str, Any]]:
    """One entry per sentence holding a statement found incorrect or inconsistent (final
    verdict): its findings, each with its evidence, sources and a suggested correction;
    without ``pending``, only those an editor reviewed or the desk wrote."""
    only = "" if pending else f"AND NOT {PENDING_SQL}"
    findings = fetch_dicts(
        con,
        f"""WITH first_mention AS (
               SELECT cm.claim_id, arg_min(m.sentence, m.start_offset) AS sentence,
                      min(m.sentence_start) AS sentence_start
               FROM claim_mentions cm JOIN mentions m USING (mention_id) GROUP BY 1)
           SELECT c.claim_id, c.doc_id, c.quote, c.speaker, c.subject, c.measure,
                  v.machine_verdict, v.editor_verdict, v.final_verdict, v.override_reason,
                  v.origin, v.machine_drafted, v.review_status,
                  {PENDING_SQL} AS awaiting_review,
                  d.title, d.outlet, d.url,
                  coalesce(f.sentence, c.quote) AS sentence,
                  coalesce(f.sentence_start, c.quote_start) AS sentence_start
           FROM claims c JOIN claim_verdicts v USING (claim_id) JOIN documents d
             ON d.doc_id = c.doc_id
           LEFT JOIN first_mention f ON f.claim_id = c.claim_id
           WHERE v.final_verdict IN {FINDINGS_SQL} {only}
           ORDER BY c.doc_id, CASE WHEN c.speaker = 'article' THEN 0 ELSE 1 END,
                    c.quote_start, c.claim_id""",
    )
    checks: dict[str, list[dict[str, Any]]] = {}
    for k in fetch_dicts(  # every finding's failing checks, in one query
        con,
        f"""SELECT k.claim_id, k.check_id, k.recipe, k.verdict, k.explanation, k.tolerance_rule,
                  k.source_ids, k.stated_text, k.computed_text
           FROM claim_checks k JOIN claim_verdicts v USING (claim_id)
           WHERE v.final_verdict IN {FINDINGS_SQL} {only}
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
        key = (item["doc_id"], item["sentence_start"], item["awaiting_review"])
        entry = entries.setdefault(
            key,
            {
                **{k: item[k] for k in ("doc_id", "title", "outlet", "url", "sentence")},
                "speaker": item["speaker"],
                "pending": item["awaiting_review"],
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


@dataclass(frozen=True)
class Listed:
    """What of a list the memo shows: its ``rows`` of ``total``."""

    rows: list[dict[str, Any]]
    total: int

    @property
    def whole(self) -> bool:
        return len(self.rows) == self.total


def name_variants(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> Listed:
    """The spellings of names that differ from the record, in order of first use; past
    ``limit``, the ``limit`` used most often."""
    grouped = """SELECT surface, canonical, kind, speaker, count(*) AS times,
                        min(start_offset) AS first
                 FROM name_variants WHERE kind <> 'alternative name'
                 GROUP BY surface, canonical, kind, speaker"""
    (total,) = con.execute(f"SELECT count(*) FROM ({grouped})").fetchone()
    order = "first, surface, canonical, kind, speaker"
    if limit is not None and total > limit:
        order = f"times DESC, {order} LIMIT {int(limit)}"
    rows = fetch_dicts(
        con, f"SELECT surface, canonical, kind, speaker, times FROM ({grouped}) ORDER BY {order}"
    )
    return Listed(rows, total)


def pending_by_article(con: duckdb.DuckDBPyConnection, limit: int) -> Listed:
    """The articles holding machine findings awaiting review, those with the most first (then
    by id), at most ``limit``: each with its title, outlet and number of such findings."""
    by_doc = f"SELECT doc_id, count(*) AS findings FROM ({PENDING_FINDINGS}) GROUP BY 1"
    (total,) = con.execute(f"SELECT count(*) FROM ({by_doc})").fetchone()
    rows = fetch_dicts(
        con,
        f"""SELECT p.doc_id, d.title, d.outlet, p.findings FROM ({by_doc}) p
            JOIN documents d USING (doc_id)
            ORDER BY p.findings DESC, p.doc_id LIMIT {int(limit)}""",
    )
    return Listed(rows, total)


@dataclass(frozen=True)
class Memo:
    """What the memo shows (docs/outputs.md, "Corrections memo")."""

    entries: list[dict[str, Any]]  # the corrections; and the pending ones when listed
    variants: Listed
    n_pending: int  # machine findings awaiting review, listed or not
    pending_articles: Listed | None  # past the limit, instead of listing them

    @property
    def reviewed(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if not e["pending"]]

    @property
    def pending(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["pending"]]


def memo(
    con: duckdb.DuckDBPyConnection,
    on_index: frozenset[str] = frozenset(),
    published: frozenset[str] = frozenset(),
    limits: MemoLimits = MemoLimits(),
) -> Memo:
    """The memo of the warehouse; ``on_index`` names the claims the front page's ledger shows,
    ``published`` those with a fact-check page of their own (where each finding links)."""
    (n_pending,) = con.execute(f"SELECT count(*) FROM ({PENDING_FINDINGS})").fetchone()
    listed = n_pending <= limits.pending
    entries = corrections(con, pending=listed)
    for e in entries:
        for item in e["findings"]:
            item["link"] = claim_link(item["claim_id"], on_index, published)
    return Memo(
        entries,
        name_variants(con, limits.variants),
        n_pending,
        None if listed else pending_by_article(con, limits.documents),
    )


# the command that lists the findings awaiting review, when the memo does not
PENDING_COMMAND = "analysis claims --verdict incorrect --verdict inconsistent --origin machine"


def _counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def pending_summary(m: Memo) -> str:
    """The sentence that counts the findings awaiting review the memo does not list."""
    assert m.pending_articles is not None
    articles = m.pending_articles
    shown = "" if articles.whole else f"; the {len(articles.rows):,} with the most are listed here"
    return (
        f"{_counted(m.n_pending, 'finding')} awaiting review, in "
        f"{_counted(articles.total, 'article')}: too many to list here{shown}."
    )


# the command that lists every spelling, when the memo does not
VARIANTS_COMMAND = 'analysis sql "select * from name_variants"'


def variants_summary(variants: Listed) -> str:
    """The sentence that says how many spellings there are, when not all are listed (before
    :data:`VARIANTS_COMMAND`, which lists every use)."""
    return f"The {len(variants.rows):,} used most often of {variants.total:,} spellings;"


def no_corrections(m: Memo) -> str:
    """What the memo says when it has no correction to list."""
    if m.n_pending:
        return (
            "No statement an editor reviewed or the desk wrote was found incorrect or inconsistent."
        )
    return "No statement was found incorrect or inconsistent."


def corrections_markdown(m: Memo) -> str:
    out = ["# Corrections memo", ""]
    reviewed, pending = m.reviewed, m.pending
    if not reviewed:
        out.append(no_corrections(m))
    out += _markdown_entries(reviewed)
    if m.n_pending:
        out += [
            f"## Machine findings awaiting review ({m.n_pending:,})",
            "",
            f"Statements the machine drafted and found wrong ({MACHINE_DRAFTED}, not yet "
            "reviewed by an editor): check them before they count as corrections.",
            "",
        ]
        if m.pending_articles is None:
            out += _markdown_entries(pending, level="###")
        else:
            out += [
                f"{pending_summary(m)} Each is marked on its article's page, listed in "
                f"claims.csv and by `{PENDING_COMMAND}` (with those already reviewed).",
                "",
            ]
            for a in m.pending_articles.rows:
                out.append(
                    f"- {md(a['title'])}"
                    + (f" ({md(a['outlet'])})" if a["outlet"] else "")
                    + f": {a['findings']:,} ({md('articles/' + a['doc_id'] + '.html')})"
                )
            out.append("")
    if m.variants.total:
        out += ["## Names spelled differently from the record", ""]
        if not m.variants.whole:
            out += [f"{variants_summary(m.variants)} `{VARIANTS_COMMAND}` lists every use.", ""]
        for v in m.variants.rows:
            out.append(
                f"- “{md(v['surface'])}” ({md(v['speaker'])}, {v['times']}×): "
                f"{md(v['kind'])} of {md(v['canonical'])}"
            )
        out.append("")
    return "\n".join(out)


def by_article(entries: list[dict]) -> list[list[dict]]:
    """``entries`` grouped by article, in the order they first come (two articles of one
    title are two groups)."""
    groups: dict[str, list[dict]] = {}
    for e in entries:
        groups.setdefault(e["doc_id"], []).append(e)
    return list(groups.values())


def _markdown_entries(entries: list[dict], level: str = "##") -> list[str]:
    out: list[str] = []
    for own in by_article(entries):
        first = own[0]
        out += [
            f"{level} {md(first['title'])}",
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


def write_corrections(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    on_index: frozenset[str] = frozenset(),
    published: frozenset[str] = frozenset(),
    limits: MemoLimits = MemoLimits(),
) -> list[Path]:
    """The memo as Markdown and as a page; ``on_index`` and ``published`` as :func:`memo`."""
    m = memo(con, on_index, published, limits)
    path = out_dir / "corrections.md"
    write_atomic(path, corrections_markdown(m).encode())
    page = out_dir / "corrections.html"
    write_atomic(
        page,
        environment()
        .get_template("corrections.html.j2")
        .render(
            memo=m,
            pending_summary=pending_summary(m) if m.pending_articles is not None else "",
            pending_command=PENDING_COMMAND,
            variants_command=VARIANTS_COMMAND,
            no_corrections=no_corrections(m),
            reviewed_by_article=by_article(m.reviewed),
            variants_summary="" if m.variants.whole else variants_summary(m.variants),
        )
        .encode(),
    )
    return [path, page]
