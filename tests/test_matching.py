"""Claims that come back (docs/relations.md): the index of checked statements finds exactly what
comparing a sentence with every statement finds, and a claim links to a statement once."""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.checks.matching import (
    MIN_SIMILARITY,
    Checked,
    Statements,
    _bound,
    _prepared,
    _ratio,
    match_claims,
    normalize,
    similarity,
)
from analysis.figures.extract import extract_mentions
from analysis.figures.lexicon import load_lexicon
from analysis.folding import fold
from tests.test_relations import arithmetic, paragraphs

CORPUS = Path(__file__).parent / "data" / "corpus"
WORDS = (
    "the agency said its budget rose to million dollars in from donors states migration "
    "report officials funding total share percent of United States IOM Geneva year"
).split()


def _brute_force(
    doc_id: str, sentence: str, values: set[float], checked: list[Checked]
) -> tuple[float, Checked] | None:
    """The rule read literally: every statement of another document whose values the sentence
    holds, compared in full; the closest, the first of equals."""
    best = None
    for c in checked:
        if c.doc_id == doc_id or not c.values or not set(c.values) <= values:
            continue
        score = similarity(sentence, c.quote)
        if score >= MIN_SIMILARITY and (best is None or score > best[0]):
            best = (score, c)
    return best


def _sentence(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words)) + "."


def test_the_index_finds_what_comparing_every_statement_finds() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(40):
        base = [_sentence(rng, rng.randint(3, 30)) for _ in range(6)]
        checked = []
        for i in range(60):
            quote = rng.choice(base)
            words = quote.split()
            for _ in range(rng.randint(0, 4)):  # light edits: the near misses and near hits
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            if rng.random() < 0.3:
                words += rng.sample(WORDS, rng.randint(1, 6))
            values = tuple(rng.sample([5.0, 67.0, 998e6, 668e6], rng.randint(1, 2)))
            checked.append(
                Checked(f"c{i}", f"doc{i % 3}", " ".join(words), values, "correct", "why")
            )
        index = Statements(checked)
        for sentence in base + [c.quote for c in checked[:10]]:
            values = set(rng.sample([5.0, 67.0, 998e6, 668e6], rng.randint(1, 4)))
            # the same sentence printed in each document (the index keeps its closest two)
            for doc in ("doc0", "doc1", "doc2", "doc3"):
                expected = _brute_force(doc, sentence, values, checked)
                got = index.restated_by(doc, sentence, values)
                assert got == expected, (doc, sentence)
                found += expected is not None
    assert found > 100  # the comparison is not vacuous: many sentences restate one


def test_equal_scores_go_to_the_first_checked_whatever_their_bounds() -> None:
    """Statements are compared in the order of their bounds, highest first; one checked
    earlier whose score equals the best so far (and whose bound is that score, so it comes
    later) still wins the tie."""
    rng = random.Random(11)
    for _ in range(20_000):
        sentence = _sentence(rng, rng.randint(4, 9))
        first, second = (_edited(rng, sentence) for _ in range(2))
        (ns, ws), (n1, w1), (n2, w2) = (_prepared(t) for t in (sentence, first, second))
        score = _ratio(ns, n1)
        if (
            len({sentence, first, second}) == 3
            and score >= MIN_SIMILARITY
            and _ratio(ns, n2) == score
            and _bound(ns, ws, n1, w1) == score < _bound(ns, ws, n2, w2)
        ):
            break
    else:
        raise AssertionError("no such pair of statements found")
    checked = [
        Checked("first", "doc1", first, (5.0,), "correct", "why"),
        Checked("second", "doc2", second, (5.0,), "correct", "why"),
    ]
    got = Statements(checked).restated_by("doc0", sentence, {5.0})
    assert got == _brute_force("doc0", sentence, {5.0}, checked)
    assert got is not None and got[1].claim_id == "first"


def test_the_compiled_matcher_gives_difflibs_ratios() -> None:
    """docs/relations.md defines the similarity as difflib's ratio; the compiled matcher the
    index uses must give the same numbers, and its bound difflib's own bounds, on real
    sentences and their near copies (a word changed, a figure's digits changed)."""
    sentences = [
        normalize(line)
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text("utf-8").splitlines()
        if 40 < len(line) < 400
    ]
    rng = random.Random(3)
    pairs = [(rng.choice(sentences), rng.choice(sentences)) for _ in range(150)]
    for sentence in rng.sample(sentences, 150):
        words = sentence.split()
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        pairs.append((sentence, re.sub(r"\d", lambda _: str(rng.randint(0, 9)), " ".join(words))))
    for a, b in pairs:
        theirs = difflib.SequenceMatcher(None, a, b, autojunk=False)
        ratio = _ratio(a, b)
        assert ratio == theirs.ratio()
        bound = _bound(a, _prepared(a)[1], b, _prepared(b)[1])
        assert bound == 0.0 or bound >= ratio  # 0: too few words shared to compare
        if bound >= MIN_SIMILARITY:  # the bound is difflib's own two
            assert bound == min(theirs.real_quick_ratio(), theirs.quick_ratio())
    assert sum(_ratio(a, b) >= MIN_SIMILARITY for a, b in pairs) > 50


def test_a_floor_returns_0_for_a_pair_that_cannot_reach_it_and_the_ratio_otherwise() -> None:
    """Below the index's own floor too: the lengths alone keep "x y aaaa" and "x y
    bbbbbbbbbb" under half alike (a review found the bound stopped at the index's floor)."""
    assert similarity("x y aaaa", "x y bbbbbbbbbb", 0.5) == 0.0
    assert 0 < similarity("x y aaaa", "x y bbbbbbbbbb") < 0.5
    rng = random.Random(5)
    for _ in range(300):
        a, b = _sentence(rng, rng.randint(2, 12)), _sentence(rng, rng.randint(2, 12))
        full, floor = similarity(a, b), rng.choice([0.3, 0.5, MIN_SIMILARITY, 0.9])
        assert similarity(a, b, floor) in ((full,) if full >= floor else (0.0, full))


def _edited(rng: random.Random, sentence: str) -> str:
    words = sentence.split()
    for _ in range(rng.randint(1, 2)):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def test_a_claim_quoting_two_restating_sentences_links_once() -> None:
    text = (
        "The United States gave IOM $668 million in 2021, the agency's annual report said.\n"
        "Officials noted that the United States gave IOM $668 million in 2021, the report said."
    )
    lex = load_lexicon()
    mentions = extract_mentions(text, paragraphs(text), lex)
    own = arithmetic(text)
    (restatement,) = [c for c in own if "restatement" in c.claim_id]
    assert "\n" in restatement.quote  # it quotes both sentences
    checked = Statements(
        [
            Checked(
                "earlier",
                "other",
                "The United States gave IOM $668 million in 2021, the annual report said.",
                (668e6,),
                "correct",
                "Matches the report.",
            )
        ]
    )
    drafted, links = match_claims("doc", Path("doc.txt"), mentions, checked, own)
    assert drafted == []
    assert [(m.claim_id, m.matched_claim_id) for m in links] == [(restatement.claim_id, "earlier")]
    # the closer of the two sentences is the one kept
    first, second = text.split("\n")
    assert links[0].similarity == round(
        max(similarity(s, checked.by_id["earlier"].quote) for s in (first, second)), 3
    )


_ANY_TEXT = st.text(
    st.one_of(
        st.characters(),  # any code point, marks and astral characters included
        st.sampled_from(list(" \t\n\u00a0\u2009\u3000\x1c\x85’“”éÉßﬁ\u0301\u20dd")),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT)
def test_folding_drops_every_combining_mark_and_folds_case(text: str) -> None:
    """docs/relations.md: names and sentences compare decomposed (NFKD), without combining
    marks, case folded; read character by character here."""
    decomposed = unicodedata.normalize("NFKD", text)
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_folding_reads_every_code_point_as_its_decomposition_does() -> None:
    """fold() replaces each character beyond ASCII by its own fold and folds the case of the
    whole: the same as the rule only if every character's fold is the rule's, folding the
    case again leaves it as it is, and each character of a fold is its own fold (a later
    replacement then changes nothing an earlier one put in, whatever their order). Checked for
    every code point, after an ASCII capital and before a combining mark (which the rule drops
    wherever it stands)."""

    def rule(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    wrong = [
        hex(code)
        for code in range(0x80, 0x110000)
        if fold(f"A{chr(code)}\u0301") != rule(f"A{chr(code)}\u0301")
        or rule(chr(code)).casefold() != rule(chr(code))
        or any(rule(char) != char for char in rule(chr(code)) if not char.isascii())
    ]
    assert wrong == []


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT)
def test_a_compared_sentence_has_single_spaces_and_plain_quotes(text: str) -> None:
    """A sentence compared is folded, its curly quotation marks plain and every run of white
    space (as regular expressions define it) one space, none at its ends."""
    plain = fold(text).replace("’", "'").replace("“", '"').replace("”", '"')
    assert normalize(text) == re.sub(r"\s+", " ", plain).strip()


def _document(rng: random.Random, base: list[str], n: int) -> pl.DataFrame:
    """A document's figures as matching reads them: sentences drawn (lightly edited) from
    ``base``, each holding one or two values."""
    rows, at = [], 0
    for _ in range(n):
        words = rng.choice(base).split()
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        sentence = " ".join(words)
        for value in rng.sample([5.0, 67.0, 998e6, 668e6], rng.randint(1, 2)):
            rows.append({"start": at, "sentence_start": at, "sentence": sentence, "value": value})
            at += 1
        at += len(sentence)
    return pl.DataFrame(rows)


def _statements(rng: random.Random, base: list[str], ids: range) -> list[Checked]:
    out = []
    for i in ids:
        words = rng.choice(base).split()
        for _ in range(rng.randint(0, 4)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        values = tuple(rng.sample([5.0, 67.0, 998e6, 668e6], rng.randint(1, 2)))
        out.append(Checked(f"c{i}", f"doc{i % 4}", " ".join(words), values, "correct", "why"))
    return out


def test_matching_from_an_earlier_build_finds_what_matching_afresh_finds() -> None:
    """A build that starts from the memo of an earlier one (statements added, changed and gone,
    a document edited, another added) finds for every sentence the statement that comparing it
    with every statement finds, ties included; a memo whose kept statements changed order is
    not used."""
    from analysis.checks.matching import MatchMemo, _length_bucket, normalize, restating, reuse

    rng = random.Random(11)
    reused = known = 0
    for _ in range(25):
        base = [_sentence(rng, rng.randint(4, 20)) for _ in range(5)]
        docs = {f"doc{d}": _document(rng, base, rng.randint(3, 12)) for d in range(4)}
        first = _statements(rng, base, range(40))
        memo = MatchMemo()
        index = Statements(first)
        memo.statements = index.prints
        for doc_id, mentions in docs.items():
            restating(doc_id, mentions, index, None, memo)
        memo.buckets = index.buckets()
        assert memo.buckets == {
            printed: _length_bucket(len(normalize(c.quote)))
            for c, (_, printed) in zip([c for c in first if c.values], index.prints, strict=True)
            if printed in memo.buckets
        }
        # the next build: some statements gone, some changed, some added (reprints among them)
        second = [c for c in first if rng.random() > 0.2]
        for j, c in enumerate(second):
            if rng.random() < 0.15:
                second[j] = _statements(
                    rng, base, range(int(c.claim_id[1:]), int(c.claim_id[1:]) + 1)
                )[0]
        second += _statements(rng, base, range(100, 100 + rng.randint(0, 15)))
        second += [
            Checked(f"r{k}", "doc9", c.quote, c.values, "correct", "why")
            for k, c in enumerate(second[:3])
        ]
        docs["doc1"] = _document(rng, base, 6)  # edited
        docs["doc5"] = _document(rng, base, 5)  # new
        index = Statements(second, buckets=memo.buckets)
        since = reuse(second, index, memo)
        assert since is not None
        for doc_id, mentions in docs.items():
            afresh = restating(doc_id, mentions, Statements(second))
            assert restating(doc_id, mentions, index, since) == afresh
        reused += len(since.memo.documents)
        known += index.known_used
        assert index.buckets().keys() >= memo.buckets.keys() & dict(index.prints).values()
    assert reused > 50
    assert known > 20  # statements put in the memo's bucket, their quotes not normalized
    # kept statements in another order: a tie could go the other way, so the memo is not used
    index = Statements(list(reversed(first)))
    assert reuse(list(reversed(first)), index, memo) is None
