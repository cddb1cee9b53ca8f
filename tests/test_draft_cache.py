"""The per-document cache of drafted claims (analysis/build/drafts_cache.py)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.build import drafts_cache
from analysis.documents.corpus import read_documents
from analysis.figures.extract import extract_document
from analysis.figures.lexicon import load_lexicon
from analysis.files import remove_stale
from analysis.reference.tables import load_reference
from analysis.relations.draft import draft_all
from analysis.vocab import ARITHMETIC, REFERENCE
from tests.conftest import REPO

CORPUS = REPO / "tests" / "data" / "corpus"
SEED_ID = next(iter(read_documents(REPO / "seeds"))).doc_id


@pytest.fixture(scope="module")
def drafted() -> dict[str, tuple[str, list]]:
    """By document: its text and its drafted claims."""
    lex = load_lexicon()
    references = load_reference(REPO / "data" / "reference")
    out = {}
    # every third corpus article (all three kinds of drafted claim among them) and the seed
    for doc in read_documents(CORPUS)[::3] + read_documents(REPO / "seeds"):
        ex = extract_document(doc, REPO / "data" / "layouts", lex)
        out[doc.doc_id] = (
            doc.text,
            draft_all(
                doc.doc_id, doc.path, doc.text, ex.sections, ex.mentions, doc.as_of, lex, references
            ),
        )
    return out


def test_every_article_s_drafted_claims_come_back_exactly(drafted: dict[str, list]) -> None:
    """Field by field, types included (a date stays a date, a float a float, the order of a
    check's keys its order): the corpus and the seed."""
    origins = {c.origin for _, claims in drafted.values() for c in claims}
    assert {ARITHMETIC, REFERENCE} <= origins, origins
    assert any(c.checks[0]["recipe"] == "restatement" for _, cs in drafted.values() for c in cs)
    for doc_id, (text, claims) in drafted.items():
        raw = drafts_cache.encode(claims, text)
        back = drafts_cache.decode(raw, text)
        assert back == claims, doc_id
        assert repr(back) == repr(claims), doc_id  # types and key order too
        # no quote stored again: every drafted one is the text at its offsets (a short
        # sentence is also the claim's subject, a field of its own)
        assert all(record["quote"] is None for record in json.loads(raw)), doc_id


def test_a_quote_other_than_the_text_at_its_offsets_comes_back_as_it_was(
    drafted: dict[str, tuple[str, list]],
) -> None:
    """Quotes are stored only when they are not the text at their offsets; such a quote (none
    drafted is) comes back as drafting gave it, not as the text reads."""
    text, claims = drafted[SEED_ID]
    odd = replace(claims[0], quote=claims[0].quote + " (sic)")
    assert drafts_cache.decode(drafts_cache.encode([odd], text), text) == [odd]


def test_values_json_cannot_give_back_are_refused_not_bent(drafted: dict[str, list]) -> None:
    text, claims = drafted[SEED_ID]
    claim = claims[0]
    for odd in (math.nan, math.inf, dt.datetime(2023, 3, 29, 12), {1, 2}, {"__date__": "x"}):
        with pytest.raises(TypeError):
            drafts_cache.encode([replace(claim, checks=[{"recipe": "x", "odd": odd}])], text)
    kept = replace(claim, checks=[{"recipe": "x", "when": dt.date(2021, 1, 1), "pair": (1, 2.5)}])
    assert repr(drafts_cache.decode(drafts_cache.encode([kept], text), text)) == repr([kept])


def test_a_document_s_entries_are_never_another_s(tmp_path: Path) -> None:
    """``a`` and ``a-b`` are two documents: ``a``'s new entry replaces its older ones and
    leaves ``a-b``'s (and files no entry names); the folder is listed once for all."""
    old, new = "0" * 32, "1" * 32
    names = [f"a-{old}.json", f"a-{old}.sha256", f"a-b-{old}.json", "a-bc.json", "a-.json"]
    for name in [*names, f"a-{new}.json", f"a-{new}.sha256"]:
        (tmp_path / name).write_text("x", "utf-8")
    remove_stale([tmp_path / f"a-{new}.sha256"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*names[2:], f"a-{new}.json", f"a-{new}.sha256"]
    )
    remove_stale([tmp_path / f"a-b-{new}.json"])
    assert not (tmp_path / f"a-b-{old}.json").exists() and (tmp_path / "a-bc.json").exists()
    remove_stale([])
