"""The per-document cache of checked claims (analysis/build/checks_cache.py)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from analysis.build import checks_cache
from analysis.build.state import fingerprint
from analysis.checks.model import DocumentChecks
from analysis.checks.stage import Register, check_documents
from analysis.documents.corpus import read_documents
from analysis.documents.model import Document
from analysis.figures.extract import ExtractedDocument, extract_document
from analysis.figures.lexicon import load_lexicon
from analysis.files import write_entry
from analysis.project import Project
from benchmarks.archive import _article
from tests.conftest import REPO, copy_project

CORPUS = REPO / "tests" / "data" / "corpus"

Checked = tuple[Project, list[Document], dict[str, ExtractedDocument], Register]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """The seed, every fourth article of the development corpus and twelve articles of the
    generated archive (which restate reference facts, rightly and wrongly), checked from
    scratch."""
    root = copy_project(tmp_path_factory.mktemp("checks"))
    for text in sorted(CORPUS.glob("*.txt"))[::4]:
        for part in (text, text.with_suffix(".meta.yaml")):
            if part.exists():
                shutil.copy(part, root / "seeds" / part.name)
    lines = [json.dumps(_article(i)) + "\n" for i in range(12)]
    (root / "seeds" / "archive.jsonl").write_text("".join(lines), "utf-8")
    project = Project(root)
    docs = read_documents(project.seeds_dir)
    lex = load_lexicon(project.lexicon_dir)
    extracted = {d.doc_id: extract_document(d, project.layouts_dir, lex) for d in docs}
    return project, docs, extracted, check_documents(project, docs, extracted)


def _cacheable(checked: Checked) -> list[Document]:
    project, docs, _, _ = checked
    return [d for d in docs if checks_cache.cacheable(project, d)]


def test_every_document_s_part_comes_back_exactly(checked: Checked) -> None:
    """Claims, results and name variants, types included, for every article the cache takes."""
    project, docs, _, register = checked
    cacheable = _cacheable(checked)
    assert 0 < len(cacheable) < len(docs)  # the seed has the desk's claims: not cacheable
    verdicts = {r.verdict for d in cacheable for r in register.checked[d.doc_id].results}
    assert len(verdicts) >= 3, verdicts
    for doc in cacheable:
        part = register.checked[doc.doc_id]
        back = checks_cache.decode(checks_cache.encode(part, doc.text), doc.text)
        assert repr(back) == repr(part), doc.doc_id
    seed = next(d for d in docs if not checks_cache.cacheable(project, d))
    variants = register.checked[seed.doc_id].variants
    assert variants  # the seed spells names as the reference does not: they come back too
    only = DocumentChecks([], [], variants)
    assert checks_cache.decode(checks_cache.encode(only, seed.text), seed.text) == only


def test_checks_taken_from_the_cache_are_the_checks_made_anew(checked: Checked) -> None:
    """Every claim, result (in order), verdict, name variant and match of a check stage given
    the cached parts equals the stage's from scratch; its own ``checked`` leaves them out."""
    project, docs, extracted, fresh = checked
    kept = {
        d.doc_id: checks_cache.decode(checks_cache.encode(fresh.checked[d.doc_id], d.text), d.text)
        for d in _cacheable(checked)
    }
    again = check_documents(project, docs, extracted, kept=kept)
    for name in ("claims", "results", "verdicts", "name_variants", "matches"):
        assert repr(getattr(again, name)) == repr(getattr(fresh, name)), name
    assert set(again.checked) == {d.doc_id for d in docs} - set(kept)


def test_the_next_check_stage_takes_the_memo_s_length_buckets(checked: Checked) -> None:
    """The check stage records the length bucket of each statement it indexed in its matching
    memo, and a stage started from that memo keeps them (none worked out again) and finds the
    same claims and matches."""
    project, docs, extracted, fresh = checked
    assert fresh.match_memo.buckets
    again = check_documents(project, docs, extracted, earlier=fresh.match_memo)
    assert again.match_memo.buckets == fresh.match_memo.buckets
    for name in ("claims", "verdicts", "matches"):
        assert repr(getattr(again, name)) == repr(getattr(fresh, name)), name


def test_written_entries_are_read_back_and_damaged_ones_said(checked: Checked) -> None:
    project, docs, _, register = checked
    prints = fingerprint(project)
    checks_cache.write_all(project, docs, prints, register.checked)
    folder = project.cache_dir / "check"
    cacheable = _cacheable(checked)
    assert len(list(folder.glob("*.sha256"))) == len(cacheable)  # the seed has none
    discarded: list[str] = []
    first, second = [d for d in cacheable if register.checked[d.doc_id].results][:2]
    assert repr(checks_cache.read(project, first, prints, discarded)) == repr(
        register.checked[first.doc_id]
    )
    data = next(folder.glob(f"{first.doc_id}-*.json"))
    data.write_bytes(data.read_bytes().replace(b'"verdict"', b'"verdicts"', 1))
    assert checks_cache.read(project, first, prints, discarded) is None  # its checksum fails
    # a checksummed entry whose results are not its checks' (one left out)
    part = register.checked[second.doc_id]
    short = replace(part, results=part.results[:-1])
    data, sums = checks_cache._paths(project.cache_dir, second, prints)
    write_entry(sums, [(data, checks_cache.encode(short, second.text))])
    assert checks_cache.read(project, second, prints, discarded) is None
    assert [d.split(" ")[0] for d in discarded] == [first.doc_id, second.doc_id]
    assert "not its claims' checks" in discarded[1]


def test_documents_the_desk_wrote_claims_or_dismissals_for_are_not_cached(
    checked: Checked,
) -> None:
    """Not read, also when the file is written after the entry (and between the cache's read
    and the check stage: the stage checks such a document anew, as a build from scratch)."""
    project, docs, extracted, register = checked
    prints = fingerprint(project)
    doc = next(d for d in _cacheable(checked) if register.checked[d.doc_id].claims)
    part = register.checked[doc.doc_id]
    checks_cache.write_all(project, [doc], prints, register.checked)
    assert repr(checks_cache.read(project, doc, prints, [])) == repr(part)
    figure = next(iter(part.claims[0].figures.values()))
    dismissed = figure.mention_id
    dismissals = project.dismissals_dir / f"{doc.doc_id}.yaml"
    dismissals.write_text(
        f"document: {doc.doc_id}\ndismissed:\n  - text: {json.dumps(figure.text)}\n"
        "    all: true\n    reason: not_a_claim\n",
        "utf-8",
    )
    try:
        assert not checks_cache.cacheable(project, doc)
        assert checks_cache.read(project, doc, prints, []) is None
        kept = {doc.doc_id: part}  # read before the file was written
        again = check_documents(project, docs, extracted, kept=kept)
        scratch = check_documents(project, docs, extracted)
        assert dismissed not in {m for c in scratch.claims for m in c.mention_ids}
        for name in ("claims", "results", "verdicts", "dismissals"):
            assert repr(getattr(again, name)) == repr(getattr(scratch, name)), name
    finally:
        dismissals.unlink()
    assert checks_cache.cacheable(project, doc)


def test_an_entry_whose_results_are_not_its_claims_checks_is_discarded(checked: Checked) -> None:
    """A checksummed entry is still taken only as the stage would use it: every claim the
    document's own, and each result of its claims' checks in their order."""
    project, _, _, register = checked
    prints = fingerprint(project)
    doc, other = [d for d in _cacheable(checked) if len(register.checked[d.doc_id].results) > 1][:2]
    part = register.checked[doc.doc_id]
    damaged = [
        replace(part, results=part.results[::-1]),
        replace(part, claims=register.checked[other.doc_id].claims),
    ]
    discarded: list[str] = []
    for bad in damaged:
        data, sums = checks_cache._paths(project.cache_dir, doc, prints)
        write_entry(sums, [(data, checks_cache.encode(bad, doc.text))])
        assert checks_cache.read(project, doc, prints, discarded) is None
    assert "in their order" in discarded[0] and "another document's" in discarded[1]


def test_a_change_of_the_tolerance_rules_is_a_change_of_every_entry(checked: Checked) -> None:
    """Checks depend on the tolerance rules (drafted claims do not): once they change, no
    entry written before is read, and the checks made anew differ."""
    project, docs, extracted, register = checked
    checks_cache.write_all(project, docs, fingerprint(project), register.checked)
    rules = project.tolerance_path
    before = rules.read_text("utf-8")
    rules.write_text(before.replace("  measured: 0.05\n", "  measured: 0.0\n"), "utf-8")
    try:
        prints = fingerprint(project)
        assert all(checks_cache.read(project, d, prints, []) is None for d in _cacheable(checked))
        stricter = check_documents(project, docs, extracted)
        assert stricter.verdicts != register.verdicts  # the edit does change some verdict
    finally:
        rules.write_text(before, "utf-8")


def test_the_key_holds_exactly_what_checks_depend_on(checked: Checked) -> None:
    project = checked[0]
    doc = _cacheable(checked)[0]
    prints = fingerprint(project)
    key = checks_cache.check_key(doc, prints)
    for part in ("layouts", "reference", "methodology", "code"):
        assert checks_cache.check_key(doc, {**prints, part: "changed"}) != key, part
    for part in set(prints) - {"layouts", "reference", "methodology", "code"}:
        assert checks_cache.check_key(doc, {**prints, part: "changed"}) == key, part
    for field in ("sha256", "meta_sha256"):
        assert checks_cache.check_key(replace(doc, **{field: "0" * 64}), prints) != key, field
