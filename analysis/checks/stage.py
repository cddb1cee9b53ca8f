"""Claims of every document checked against the reference data: the check stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.checks.matching import Checked, Match, MatchMemo, Statements, match_claims, reuse
from analysis.checks.model import CheckResult, Context, DocumentChecks
from analysis.checks.run import claim_verdict, run_checks
from analysis.checks.tolerance import Tolerance, load_tolerance
from analysis.claims.dismissals import Dismissal, load_dismissals
from analysis.claims.names import find_variants, variants_of
from analysis.claims.register import Claim, load_claims
from analysis.claims.reviews import Review, load_reviews
from analysis.documents.model import Document
from analysis.errors import BadInput
from analysis.figures.extract import ExtractedDocument
from analysis.figures.lexicon import load_lexicon
from analysis.project import Project
from analysis.reference.tables import ReferenceTable, load_reference
from analysis.relations.draft import draft_all, drafted_beside
from analysis.vocab import MATCH, UNVERIFIABLE


@dataclass
class Register:
    references: dict[str, ReferenceTable]
    claims: list[Claim] = field(default_factory=list)
    results: list[CheckResult] = field(default_factory=list)
    verdicts: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)
    dismissals: list[Dismissal] = field(default_factory=list)
    tolerance: Tolerance | None = None
    name_variants: dict[str, list] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    machine: dict[str, list[Claim]] = field(default_factory=dict)  # by document, as drafted
    match_memo: MatchMemo = field(default_factory=MatchMemo)  # for the next build's matching
    # each document's part before matching, but those given as ``kept`` (to cache)
    checked: dict[str, DocumentChecks] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[str, Claim]:
        return {c.claim_id: c for c in self.claims}


def check_documents(
    project: Project,
    docs: list[Document],
    extracted: dict[str, ExtractedDocument],
    drafted_one: Callable[[int, int], None] | None = None,
    predrafted: dict[str, list[Claim]] | None = None,
    earlier: MatchMemo | None = None,
    kept: dict[str, DocumentChecks] | None = None,
) -> Register:
    """Load every claims file, link its figures, run its checks. Documents without a claims
    file are fine: their figures are still extracted and loaded. ``drafted_one(1, bytes)``
    is called as each document's claims are drafted (for progress). ``predrafted``: the
    machine's claims of the documents an engine drafted already (:mod:`analysis.build.engines`);
    the others are drafted here. ``earlier``: the matching memo of an earlier build of this
    project, which spares comparing unchanged sentences with unchanged statements again.
    ``kept``: documents' parts checked by an earlier build (:mod:`analysis.build.checks_cache`:
    only documents without a claims or dismissals file), taken as they are; the part of every
    other document is in the register's ``checked``."""
    # a desk's file written since the parts were read: its document is checked anew
    kept = {d: part for d, part in (kept or {}).items() if not desk_files(project, d)}
    register = Register(references=load_reference(project.reference_dir))
    lex = load_lexicon(project.lexicon_dir)
    tolerance = load_tolerance(project.tolerance_path, lex.hedge_words)
    register.tolerance = tolerance
    known = {d.doc_id for d in docs}
    if project.claims_dir.is_dir():
        for path in sorted(project.claims_dir.glob("*.yaml")):
            if path.stem not in known:
                raise BadInput(path, f"no seed named {path.stem}.txt for this claims file")
    seen: dict[str, str] = {}
    drafted: dict[str, list[Claim]] = {}
    for doc in docs:
        if doc.doc_id in kept:  # no claims file: its claims are all drafted
            drafted[doc.doc_id] = kept[doc.doc_id].claims
            if drafted_one is not None:
                drafted_one(1, doc.size)
            continue
        path = project.claims_dir / f"{doc.doc_id}.yaml"
        ex = extracted[doc.doc_id]
        claims = (
            load_claims(path, doc.doc_id, doc.text, ex.mentions, doc.as_of, ex.sections)
            if path.exists()
            else []
        )
        for claim in claims:
            if claim.claim_id in seen:
                raise BadInput(
                    path,
                    f"claim id {claim.claim_id!r} is also used in {seen[claim.claim_id]}",
                    place=str(claim.line),
                )
            seen[claim.claim_id] = path.name
        register.claims.extend(claims)
        machine = (predrafted or {}).get(doc.doc_id)
        if machine is None:
            machine = draft_all(
                doc.doc_id,
                doc.path,
                doc.text,
                ex.sections,
                ex.mentions,
                doc.as_of,
                lex,
                register.references,
            )
        register.machine[doc.doc_id] = machine
        drafted[doc.doc_id] = drafted_beside(claims, machine)
        if drafted_one is not None:
            drafted_one(1, doc.size)
    for doc in docs:
        dismissal_path = project.dismissals_dir / f"{doc.doc_id}.yaml"
        dismissed_ids: set[str] = set()
        if dismissal_path.exists():
            dismissed = load_dismissals(
                dismissal_path, doc.doc_id, doc.text, extracted[doc.doc_id].mentions
            )
            linked = {m for c in register.claims if c.doc_id == doc.doc_id for m in c.mention_ids}
            clash = sorted(d.mention_id for d in dismissed if d.mention_id in linked)
            if clash:
                raise BadInput(
                    dismissal_path,
                    f"figure {clash[0]} is both dismissed and linked to a claim; keep one",
                )
            register.dismissals += dismissed
            dismissed_ids = {d.mention_id for d in dismissed}
        # a figure the desk dismissed ("not a claim") feeds no machine-drafted claim either
        register.claims += [
            c for c in drafted[doc.doc_id] if not dismissed_ids & set(c.mention_ids)
        ]
    claims_of: dict[str, list[Claim]] = {}
    for c in register.claims:
        claims_of.setdefault(c.doc_id, []).append(c)
    for doc in docs:
        own = {c.claim_id for c in claims_of.get(doc.doc_id, [])}
        review_path = project.reviews_dir / f"{doc.doc_id}.yaml"
        if review_path.exists():
            register.reviews += load_reviews(review_path, doc.doc_id, own)
    for folder in (project.reviews_dir, project.dismissals_dir):
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in known:
                raise BadInput(path, f"no seed named {path.stem}.txt for this file")
    variants = variants_of(register.references)
    for doc in docs:
        register.name_variants[doc.doc_id] = (
            kept[doc.doc_id].variants
            if doc.doc_id in kept
            else find_variants(doc.text, extracted[doc.doc_id].sections, variants)
        )
    context = Context(register.by_id, register.references, tolerance)
    fresh = run_checks([c for c in register.claims if c.doc_id not in kept], context)
    register.results = _in_claims_order(register, docs, kept, fresh)
    _record_verdicts(register, register.claims)
    # claims that come back: sentences restating a statement checked in another document
    statements = checked_statements(register)
    checked = Statements(statements, buckets=earlier.buckets if earlier else None)
    context.checked = checked.by_id
    since = reuse(statements, checked, earlier)
    register.match_memo.statements = checked.prints
    matched: list[Claim] = []
    for doc in docs:
        own = claims_of.get(doc.doc_id, [])
        new, links = match_claims(
            doc.doc_id,
            doc.path,
            extracted[doc.doc_id].mentions,
            checked,
            own,
            since,
            register.match_memo,
        )
        matched += new
        register.matches += links
    register.match_memo.buckets = checked.buckets()
    register.claims += matched
    context.claims = register.by_id
    register.results += run_checks(matched, context)
    _record_verdicts(register, matched)
    return register


def desk_files(project: Project, doc_id: str) -> bool:
    """Whether the desk wrote a claims or a dismissals file for the document: its claims are
    then not all drafted, nor all kept."""
    name = f"{doc_id}.yaml"
    return (project.claims_dir / name).exists() or (project.dismissals_dir / name).exists()


def _in_claims_order(
    register: Register,
    docs: list[Document],
    kept: dict[str, DocumentChecks],
    fresh: list[CheckResult],
) -> list[CheckResult]:
    """The results of the register's claims in their order (a claim's checks in theirs), each
    from its document's kept part or from ``fresh`` (those of every other claim, in order);
    each other document's part recorded in the register's ``checked``."""
    given = {doc_id: iter(part.results) for doc_id, part in kept.items()}
    rest = iter(fresh)
    claims_of: dict[str, list[Claim]] = {}
    results_of: dict[str, list[CheckResult]] = {}
    out: list[CheckResult] = []
    for claim in register.claims:
        source = given.get(claim.doc_id, rest)
        own = [next(source) for _ in claim.checks]
        out += own
        claims_of.setdefault(claim.doc_id, []).append(claim)
        results_of.setdefault(claim.doc_id, []).extend(own)
    for doc in docs:
        if doc.doc_id not in kept:
            register.checked[doc.doc_id] = DocumentChecks(
                claims_of.get(doc.doc_id, []),
                results_of.get(doc.doc_id, []),
                register.name_variants[doc.doc_id],
            )
    return out


def _record_verdicts(register: Register, claims: list[Claim]) -> None:
    wanted = {c.claim_id for c in claims}
    by_claim: dict[str, list] = {claim_id: [] for claim_id in wanted}
    for r in register.results:  # one pass over the results, not one per claim
        if r.claim_id in wanted:
            by_claim[r.claim_id].append(r)
    for claim in claims:
        own = by_claim[claim.claim_id]
        verdict, explanation = claim_verdict(own)
        register.verdicts[claim.claim_id] = (verdict, explanation, len(own))


def checked_statements(register: Register) -> list[Checked]:
    """Every decided claim of the build with its final verdict (the editor's where given)."""
    editor = {r.claim_id: r.editor_verdict for r in register.reviews if r.editor_verdict}
    out = []
    for claim in register.claims:
        verdict, explanation, _ = register.verdicts[claim.claim_id]
        final = editor.get(claim.claim_id, verdict)
        if final == UNVERIFIABLE or claim.origin == MATCH:
            continue
        values = tuple(float(f.value) for f in claim.figures.values() if f.value is not None)
        out.append(
            Checked(claim.claim_id, claim.doc_id, claim.quote, values, final, explanation, verdict)
        )
    return out
