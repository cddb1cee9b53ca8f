"""Claims of every document checked against the reference data: the check stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.checks.model import CheckResult, Context
from analysis.checks.run import claim_verdict, run_checks
from analysis.checks.tolerance import Tolerance, load_tolerance
from analysis.claims.dismissals import Dismissal, load_dismissals
from analysis.claims.names import find_variants
from analysis.claims.register import Claim, load_claims
from analysis.claims.reviews import Review, load_reviews
from analysis.documents.model import Document
from analysis.errors import BadInput
from analysis.figures.extract import ExtractedDocument
from analysis.project import Project
from analysis.reference.tables import ReferenceTable, load_reference


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

    @property
    def by_id(self) -> dict[str, Claim]:
        return {c.claim_id: c for c in self.claims}


def check_documents(
    project: Project, docs: list[Document], extracted: dict[str, ExtractedDocument]
) -> Register:
    """Load every claims file, link its figures, run its checks. Documents without a claims
    file are fine: their figures are still extracted and loaded."""
    register = Register(references=load_reference(project.reference_dir))
    tolerance = load_tolerance(project.tolerance_path)
    register.tolerance = tolerance
    known = {d.doc_id for d in docs}
    if project.claims_dir.is_dir():
        for path in sorted(project.claims_dir.glob("*.yaml")):
            if path.stem not in known:
                raise BadInput(path, f"no seed named {path.stem}.txt for this claims file")
    seen: dict[str, str] = {}
    for doc in docs:
        path = project.claims_dir / f"{doc.doc_id}.yaml"
        if not path.exists():
            continue
        ex = extracted[doc.doc_id]
        claims = load_claims(path, doc.doc_id, doc.text, ex.mentions, doc.as_of, ex.sections)
        for claim in claims:
            if claim.claim_id in seen:
                raise BadInput(
                    path,
                    f"claim id {claim.claim_id!r} is also used in {seen[claim.claim_id]}",
                    place=str(claim.line),
                )
            seen[claim.claim_id] = path.name
        register.claims.extend(claims)
    for doc in docs:
        own = {c.claim_id for c in register.claims if c.doc_id == doc.doc_id}
        review_path = project.reviews_dir / f"{doc.doc_id}.yaml"
        if review_path.exists():
            register.reviews += load_reviews(review_path, doc.doc_id, own)
        dismissal_path = project.dismissals_dir / f"{doc.doc_id}.yaml"
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
    for folder in (project.reviews_dir, project.dismissals_dir):
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in known:
                raise BadInput(path, f"no seed named {path.stem}.txt for this file")
    for doc in docs:
        register.name_variants[doc.doc_id] = find_variants(
            doc.text, extracted[doc.doc_id].sections, register.references
        )
    context = Context(register.by_id, register.references, tolerance)
    register.results = run_checks(register.claims, context)
    for claim in register.claims:
        own = [r for r in register.results if r.claim_id == claim.claim_id]
        verdict, explanation = claim_verdict(own)
        register.verdicts[claim.claim_id] = (verdict, explanation, len(own))
    return register
