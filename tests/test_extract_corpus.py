"""Extraction on the project's own corpus of real articles, scored strictly against gold written
by hand before any extractor output was seen (benchmarks/extraction_quality.py)."""

from __future__ import annotations

import pytest

from benchmarks.extraction_quality import (
    CORPUS,
    evaluate,
    load_corpus,
    read_yaml,
    report,
    score_article,
)

STYLES = {"wire", "broadsheet", "public_broadcaster", "trade_press", "press_release", "un_news"}
KINDS = {"money", "percent", "count", "fraction", "year", "date", "duration", "ordinal"}
SECTIONS = {"headline", "caption", "body", "editor_note", "author_bio", "reader_comment"}


@pytest.fixture(scope="module")
def articles():
    return load_corpus()


@pytest.fixture(scope="module")
def scores(articles):
    return evaluate(articles)


def test_corpus_is_real_sourced_and_well_formed(articles) -> None:
    corpus = [a for a in articles if a.style != "seed"]
    assert len(corpus) >= 30
    assert {a.style for a in corpus} == STYLES
    assert len({a.meta["outlet"] for a in corpus}) >= 5
    for a in corpus:
        assert a.meta["url"].startswith("http"), a.doc_id
        assert a.meta["title"], a.doc_id
        assert isinstance(a.meta["has_quoted_figure"], bool), a.doc_id
        previous_end = -1
        for g in a.gold:
            where = f"{a.doc_id}@{g['start']}"
            assert a.text[g["start"] : g["end"]] == g["text"], where
            assert g["start"] >= previous_end, where  # in text order, not overlapping
            previous_end = g["end"]
            assert g["kind"] in KINDS and g["section"] in SECTIONS, where
            assert (g["iso"] is not None) <= (g["kind"] == "date"), where


def test_every_gold_file_has_its_article() -> None:
    texts = {p.stem for p in CORPUS.glob("*.txt")}
    golds = {p.name.removesuffix(".gold.yaml") for p in CORPUS.glob("*.gold.yaml")}
    metas = {p.name.removesuffix(".meta.yaml") for p in CORPUS.glob("*.meta.yaml")}
    assert texts == golds == metas


@pytest.mark.parametrize("style", sorted(STYLES | {"seed", "overall"}))
def test_strict_quality_per_style(scores, style: str) -> None:
    s = scores[style]
    detail = report({style: s}, details=True)
    assert s.recall >= 0.97, detail
    assert s.precision >= 0.97, detail
    assert s.speakers >= 0.95, detail


def test_seed_is_complete(scores) -> None:
    seed = scores["seed"]
    assert seed.matched == seed.gold == seed.predicted


def test_scorer_counts_a_wrong_value_currency_or_speaker(articles) -> None:
    """The scorer is strict: a figure with the right span but a wrong value, currency or
    speaker does not count (a scorer that cannot fail would prove nothing)."""
    article = next(a for a in articles if any(g["kind"] == "money" for g in a.gold))
    exact = [dict(g) for g in article.gold]
    assert score_article(article, exact).recall == 1.0
    money = next(i for i, g in enumerate(exact) if g["kind"] == "money")
    wrong_value = [dict(g) for g in exact]
    wrong_value[money]["value"] = wrong_value[money]["value"] * 10
    wrong_unit = [dict(g) for g in exact]
    wrong_unit[money]["unit"] = "XXX"
    for found in (wrong_value, wrong_unit):
        s = score_article(article, found)
        assert s.matched == s.gold - 1
    quoted = next(a for a in articles if any(g["speaker"] not in ("article",) for g in a.gold))
    found = [dict(g) for g in quoted.gold]
    for f in found:
        f["speaker"] = "article"
    assert score_article(quoted, found).speakers < 1.0


def test_gold_files_are_plain_yaml() -> None:
    for path in CORPUS.glob("*.gold.yaml"):
        data = read_yaml(path)
        assert isinstance(data, list), path.name
