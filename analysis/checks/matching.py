"""Claim matching across documents (docs/relations.md, "Claims that come back"): a sentence
that restates a statement already checked in another document (the same sentence lightly
edited, with the same figures) is linked to that fact-check and shows its verdict, as the
established fact-checkers do for claims that keep coming back.

A restating sentence that has no claim of its own gets one, drafted with origin ``match`` and
the recipe ``matches``; a claim that already exists is linked in ``claim_matches``.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from cydifflib import SequenceMatcher  # difflib's, compiled: the same ratios, ~7x faster

from analysis.claims.register import Claim, figure_of
from analysis.figures.rows import sorted_by_start
from analysis.folding import fold
from analysis.vocab import MATCH, drafted_claim_id, mention_id

MIN_SIMILARITY = 0.8  # difflib ratio between two sentences, case, accents and spacing aside
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Checked:
    """A statement already checked: where, what it says, and its final verdict."""

    claim_id: str
    doc_id: str
    quote: str
    values: tuple[float, ...]  # its stated figures' values
    verdict: str  # final: the editor's where given
    explanation: str
    machine_verdict: str = ""  # the checks' (equal to verdict unless an editor overrode it)


@dataclass(frozen=True)
class Match:
    claim_id: str  # the restating claim
    matched_claim_id: str  # the claim checked in another document
    matched_doc_id: str
    similarity: float
    verdict: str  # the matched claim's final verdict
    explanation: str


@dataclass
class MatchMemo:
    """What a build's matching found, for the next build to start from: the statements it
    compared sentences with (claim id and :func:`statement_print`, in their order), and per
    document a print of its sentences and the closest statement (claim id and similarity) of
    each sentence that has one (a sentence absent has none: the print holds every sentence);
    and the length bucket of each statement's normalized text that a build worked out, by its
    print (a function of its words alone: the next build does not normalize it again)."""

    statements: list[tuple[str, str]] = field(default_factory=list)
    documents: dict[str, tuple[str, dict[int, tuple[str | None, float]]]] = field(
        default_factory=dict
    )
    buckets: dict[str, int] = field(default_factory=dict)


def statement_print(c: Checked) -> str:
    """What a statement's matching depends on: its document (never matched by its own), its
    words and its values (its verdict only shows through the link), as a digest: only
    compared for equality, and a memo holds one per statement (their quotes ran to 40 MB at
    1,000 articles). The quote is hashed as UTF-8 after the rest, whose print (a Python
    literal, so it ends where it ends) gives the quote's length: ``repr`` of a long quote
    scanned every character for escapes (2.4 s of 148,500 statements at 10,000 articles)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((c.doc_id, len(c.quote), sorted(c.values))).encode())
    digest.update(c.quote.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _digest(value: Any) -> str:
    """128 bits of BLAKE2b of ``repr(value)``: strings, ints, floats and their tuples and lists
    print the same way in every run (a float's repr gives it back exactly)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """A sentence compared: folded, its quotation marks plain, its spacing single (computed
    once per text: the index and the comparisons both need it)."""
    plain = fold(text)
    if not text.isascii():  # the marks replaced are not ASCII
        plain = plain.replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(plain.split())  # str.split's whitespace is the regular expressions' \s


@functools.lru_cache(maxsize=65536)
def normalized_length(text: str) -> int:
    """``len(normalize(text))``, without folding an ASCII text's case, which changes no
    character's length or spacing (nor do the quotation marks, replaced one for one): a
    statement's length bucket needs no more, and most statements' texts are never compared."""
    return len(" ".join((text if text.isascii() else fold(text)).split()))


@functools.lru_cache(maxsize=65536)
def _prepared(text: str) -> tuple[str, frozenset[str]]:
    """A sentence normalized, and its words (computed once per sentence, not per pair)."""
    plain = normalize(text)
    return plain, frozenset(_WORD.findall(plain))


@functools.lru_cache(maxsize=1024)
def _matcher(b: str) -> SequenceMatcher:
    """A matcher holding ``b`` (a statement already checked, normalized): its index of
    characters is built once, whatever the number of sentences compared with it."""
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(b)
    return matcher


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two sentences read (0-1); words must overlap by half before it is computed.
    With ``floor``, a pair that cannot reach it returns 0 without the full comparison (the
    score of any pair that can is the same)."""
    (na, wa), (nb, wb) = _prepared(a), _prepared(b)
    return _similar(na, wa, nb, wb, floor)


def _similar(na: str, wa: frozenset[str], nb: str, wb: frozenset[str], floor: float) -> float:
    """:func:`similarity` of two prepared sentences."""
    bound = _bound(na, wa, nb, wb, floor)
    if bound == 0.0 or (floor and bound < floor):
        return 0.0
    return _ratio(na, nb)


def _bound(
    na: str, wa: frozenset[str], nb: str, wb: frozenset[str], floor: float = MIN_SIMILARITY
) -> float:
    """A bound no lower than two prepared sentences' :func:`similarity`, cheap to compute: 0
    when they share too few words to be compared at all; else the ratio their lengths allow
    (real_quick_ratio) and their characters taken as bags allow (quick_ratio), the lower (the
    first alone when it is below ``floor`` already)."""
    if not wa or not wb:
        return 0.0
    if len(wa & wb) < 0.5 * min(len(wa), len(wb)):
        return 0.0
    by_length = 2.0 * min(len(na), len(nb)) / (len(na) + len(nb))
    if by_length < floor:
        return by_length
    # difflib's quick_ratio (the characters both hold, as bags), from each text's counts
    # made once: a matcher built for each statement met would cost its whole index
    ca, cb = _counts(na), _counts(nb)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    matches = sum(min(n, cb.get(ch, 0)) for ch, n in ca.items())
    return min(by_length, 2.0 * matches / (len(na) + len(nb)))


@functools.lru_cache(maxsize=65536)
def _counts(text: str) -> dict[str, int]:
    """How often each character occurs in a prepared sentence."""
    return dict(Counter(text))


def _ratio(na: str, nb: str) -> float:
    """difflib's ratio of two prepared sentences, the statement's index built once."""
    matcher = _matcher(nb)
    matcher.set_seq1(na)
    return matcher.ratio()


_LENGTH_STEP = math.log((2 - MIN_SIMILARITY) / MIN_SIMILARITY)


def _length_bucket(n: int) -> int:
    """Texts whose length buckets are more than one apart cannot be alike enough: the ratio
    of two texts of lengths a <= b is at most 2a / (a + b), which reaches
    :data:`MIN_SIMILARITY` m only when b / a <= (2 - m) / m, one bucket's width."""
    return int(math.log(max(n, 1)) / _LENGTH_STEP)


class Statements:
    """The statements already checked, indexed once per build by the set of their values (a
    sentence is compared only with those whose every value it holds) and by the length of
    their normalized text (only with those of about its length). The statements of a value
    set are split by length when a sentence first holds those values: a build that matches
    few sentences (the others reused from its memo) normalizes few statements."""

    def __init__(
        self,
        checked: list[Checked],
        only: set[str] | None = None,
        buckets: dict[str, int] | None = None,
    ) -> None:
        """``only``: index those claim ids alone, each at its place among all of ``checked``
        (the order decides between statements a sentence restates equally closely).
        ``buckets``: length buckets known by statement print (:class:`MatchMemo`), used when
        every statement is indexed (their prints are then worked out)."""
        self.by_id = {c.claim_id: c for c in checked}
        indexed = [x for x in checked if x.values]
        self.order = {c.claim_id: order for order, c in enumerate(indexed)}
        self.prints = [(c.claim_id, statement_print(c)) for c in indexed] if only is None else []
        self._known = buckets if buckets is not None and self.prints else {}
        self._bucket_of: dict[int, int] = {}  # by order: the buckets this build used
        self.known_used = 0  # statements put in a bucket ``buckets`` gave, not worked out
        # (order, statement) by the statement's values as a set, and those sets by their
        # smallest value
        self._by_set: dict[frozenset[float], list[tuple[int, Checked]]] = {}
        for order, c in enumerate(indexed):
            if only is not None and c.claim_id not in only:
                continue
            self._by_set.setdefault(frozenset(c.values), []).append((order, c))
        self._sets_by_min: dict[float, list[frozenset[float]]] = {}
        for values in self._by_set:
            self._sets_by_min.setdefault(min(values), []).append(values)
        self._by_length: dict[frozenset[float], dict[int, list[tuple[int, Checked]]]] = {}
        # a sentence's closest two statements (:meth:`restated_by`), by its text and values
        self._closest: dict[tuple[str, frozenset[float]], tuple[_Scored, _Scored]] = {}

    def __bool__(self) -> bool:
        return bool(self._by_set)

    def _of_set(self, values: frozenset[float]) -> dict[int, list[tuple[int, Checked]]]:
        """The statements of exactly these values, by length bucket."""
        found = self._by_length.get(values)
        if found is None:
            found = self._by_length[values] = {}
            for entry in self._by_set[values]:
                order = entry[0]
                bucket = self._known.get(self.prints[order][1]) if self._known else None
                if bucket is None:
                    bucket = _length_bucket(normalized_length(entry[1].quote))
                else:
                    self.known_used += 1
                self._bucket_of[order] = bucket
                found.setdefault(bucket, []).append(entry)
        return found

    def buckets(self) -> dict[str, int]:
        """The length buckets known, by statement print: those this build used, and those it
        was given for the statements it holds (a statement absent since is forgotten)."""
        if not self.prints:
            return {}
        return {
            printed: self._bucket_of[order] if order in self._bucket_of else self._known[printed]
            for order, (_, printed) in enumerate(self.prints)
            if order in self._bucket_of or printed in self._known
        }

    def _sets_within(self, values: set[float]) -> list[frozenset[float]]:
        """The indexed value sets that ``values`` holds whole: its subsets looked up, or the
        sets of each of its values scanned, whichever is fewer."""
        scanned = [self._sets_by_min.get(v, ()) for v in values]
        if len(values) < 20 and 2 ** len(values) - 1 < sum(len(sets) for sets in scanned):
            return [
                subset
                for size in range(1, len(values) + 1)
                for subset in map(frozenset, itertools.combinations(values, size))
                if subset in self._by_set
            ]
        return [subset for sets in scanned for subset in sets if subset <= values]

    def restated_by(
        self, doc_id: str, sentence: str, values: set[float]
    ) -> tuple[float, Checked] | None:
        """The statement of another document that ``sentence`` (holding ``values``) restates
        most closely, and how closely; the first checked of equals. A sentence reprinted in
        many documents (wire copy) is compared once: its closest statement, and the closest
        of a document other than that one's, are kept for the next documents that print it
        (the closest of another document than ``doc_id`` is one of the two)."""
        if not any(v in self._sets_by_min for v in values):
            return None  # no statement to compare with (the sentence is not even normalized)
        key = (sentence, frozenset(values))
        two = self._closest.get(key)
        if two is None:
            if len(self._closest) >= MEMO_SENTENCES:
                self._closest.clear()
            two = self._closest[key] = self._closest_two(sentence, values)
        first, other = two
        chosen = first if first is None or first[2].doc_id != doc_id else other
        return None if chosen is None else (chosen[0], chosen[2])

    def _closest_two(self, sentence: str, values: set[float]) -> tuple[_Scored, _Scored]:
        """The closest statement of any document, and the closest of a document other than
        that one's (each the first checked of equals)."""
        na, wa = _prepared(sentence)
        near = _length_bucket(len(na))
        candidates = sorted(
            (
                entry
                for subset in self._sets_within(values)
                for bucket in (near - 1, near, near + 1)
                for entry in self._of_set(subset).get(bucket, ())
            ),
            key=lambda e: e[0],
        )
        known: dict[str, tuple[float, float | None]] = {}  # by quote: bound, then score
        first = _nearest(na, wa, candidates, known)
        if first is None:
            return None, None
        others = [e for e in candidates if e[1].doc_id != first[2].doc_id]
        return first, _nearest(na, wa, others, known)


_Scored = tuple[float, int, Checked] | None  # (score, order, statement)
MEMO_SENTENCES = 65_536  # sentences whose closest statements a build keeps at once


def _nearest(
    na: str,
    wa: frozenset[str],
    candidates: list[tuple[int, Checked]],
    known: dict[str, tuple[float, float | None]],
) -> _Scored:
    """The candidate statement (order, statement) closest to a prepared sentence, the first
    checked of equals. Each statement's bound on its score (:func:`_bound`) is worked out once
    per quote (a statement reprinted scores the same, and the first of equals wins); the full
    comparison runs in the order of the bounds, highest first, and stops where no bound can
    beat the best score found, without comparing every near copy of a sentence reprinted
    across the archive in full. ``known``: bounds and scores by quote, kept between calls."""
    bounded: list[tuple[float, int, Checked]] = []
    quotes: set[str] = set()
    for order, c in candidates:
        if c.quote in quotes:
            continue
        quotes.add(c.quote)
        if c.quote not in known:
            nb, wb = _prepared(c.quote)
            known[c.quote] = (_bound(na, wa, nb, wb), None)
        bound = known[c.quote][0]
        if bound >= MIN_SIMILARITY:
            bounded.append((bound, order, c))
    bounded.sort(key=lambda b: (-b[0], b[1]))
    best: _Scored = None
    for bound, order, c in bounded:
        if best is not None and (bound < best[0] or (bound == best[0] and order > best[1])):
            if bound < best[0]:
                break  # the bounds after it are no higher
            continue
        score = known[c.quote][1]
        if score is None:
            score = _ratio(na, _prepared(c.quote)[0])
            known[c.quote] = (bound, score)
        if score < MIN_SIMILARITY:
            continue
        if best is None or score > best[0] or (score == best[0] and order < best[1]):
            best = (score, order, c)
    return best


@dataclass
class Reuse:
    """What a previous build's matching lets this one skip (:func:`reuse`)."""

    memo: MatchMemo
    fresh: Statements  # the statements added or changed since, at their places
    void: set[str]  # the claim ids whose earlier results no longer hold (changed or gone)


def reuse(checked: list[Checked], statements: Statements, memo: MatchMemo | None) -> Reuse | None:
    """How far ``memo`` holds for ``statements``: None when it cannot be used (none, or the
    statements kept from its build are not in the same order, which could turn a tie)."""
    if memo is None:
        return None
    before, now = dict(memo.statements), dict(statements.prints)
    kept_before = [c for c, p in memo.statements if now.get(c) == p]
    kept_now = [c for c, p in statements.prints if before.get(c) == p]
    if kept_before != kept_now:
        return None
    void = {c for c, p in before.items() if now.get(c) != p}
    fresh = {c for c, p in now.items() if before.get(c) != p}
    return Reuse(memo, Statements(checked, only=fresh), void)


def _sentences_print(sentences: list[tuple[int, str, list[float]]]) -> str:
    """A document's sentences that hold figures: start, text and their figures' values."""
    return _digest(sentences)


def restating(
    doc_id: str,
    mentions: pl.DataFrame,
    checked: Statements,
    earlier: Reuse | None = None,
    memo: MatchMemo | None = None,
) -> list[tuple[dict[str, Any], list[dict[str, Any]], Checked, float]]:
    """(sentence, its figures, the checked statement, similarity) for every sentence of this
    document that restates a statement checked in another document with the same figures.

    With ``earlier``, a sentence whose document is unchanged since the earlier build is compared
    only with the statements added or changed since (its earlier closest one stands unless it
    changed or went, or a new one reads as close or closer and comes first); the result is
    the same as comparing it with every statement. ``memo`` receives this document's results."""
    if mentions.is_empty() or (not checked and memo is None):
        return []
    # the frame's columns as lists (one conversion a document; a row becomes a dict only for
    # the figures of a restating sentence)
    columns = sorted_by_start(mentions).to_dict(as_series=False)
    values_of, sentence_of = columns["value"], columns["sentence"]
    by_sentence: dict[int, list[int]] = {}
    for i, start in enumerate(columns["sentence_start"]):
        if start is not None:
            by_sentence.setdefault(start, []).append(i)
    listed = [
        (
            start,
            sentence_of[rows[0]],
            sorted(float(values_of[i]) for i in rows if values_of[i] is not None),
        )
        for start, rows in by_sentence.items()
    ]
    sentences = _sentences_print(listed)
    before: dict[int, tuple[str | None, float]] | None = None
    if earlier is not None and doc_id in earlier.memo.documents:
        printed, results = earlier.memo.documents[doc_id]
        before = results if printed == sentences else None
    found, closest = [], {}
    for (start, sentence, stated), rows in zip(listed, by_sentence.values(), strict=True):
        values = set(stated)
        was = before.get(start, (None, 0.0)) if before is not None else None
        if was is None or (was[0] is not None and was[0] in earlier.void):
            best = checked.restated_by(doc_id, sentence, values)
        else:
            best = (was[1], checked.by_id[was[0]]) if was[0] is not None else None
            new = earlier.fresh.restated_by(doc_id, sentence, values)
            if new is not None and (
                best is None
                or new[0] > best[0]
                or (
                    new[0] == best[0]
                    and checked.order[new[1].claim_id] < checked.order[best[1].claim_id]
                )
            ):
                best = new
        if best is not None:
            closest[start] = (best[1].claim_id, best[0])
            figs = [{name: column[i] for name, column in columns.items()} for i in rows]
            used = [
                f for f in figs if f["value"] is not None and float(f["value"]) in best[1].values
            ]
            found.append((figs[0], used, best[1], round(best[0], 3)))
    if memo is not None:
        memo.documents[doc_id] = (sentences, closest)
    return found


def match_claims(
    doc_id: str,
    path: Any,
    mentions: pl.DataFrame,
    checked: Statements,
    own: list[Claim],
    earlier: Reuse | None = None,
    memo: MatchMemo | None = None,
) -> tuple[list[Claim], list[Match]]:
    """Claims drafted for the restating sentences that have none, and the links from every
    restating claim (new or existing) to the fact-check it restates (``earlier``, ``memo``:
    see :func:`restating`)."""
    drafted: list[Claim] = []
    links: list[Match] = []
    for first, figs, c, score in restating(doc_id, mentions, checked, earlier, memo):
        spans = {mention_id(doc_id, f["start"], f["end"]) for f in figs}
        existing = [o for o in own if spans & set(o.mention_ids)]
        if existing:
            links += [
                Match(o.claim_id, c.claim_id, c.doc_id, score, c.verdict, c.explanation)
                for o in existing
            ]
            continue
        figures = {
            f"figure_{i}": figure_of(doc_id, f"figure_{i}", f) for i, f in enumerate(figs, start=1)
        }
        claim_id = drafted_claim_id(doc_id, MATCH, "restates", figs[0]["start"])
        drafted.append(
            Claim(
                claim_id=claim_id,
                doc_id=doc_id,
                path=path,
                line=0,
                quote=first["sentence"],
                quote_start=first["sentence_start"],
                quote_end=first["sentence_start"] + len(first["sentence"]),
                speaker=figs[0]["speaker"],
                subject=f"restates {c.claim_id}",
                measure="a statement already checked in another document",
                as_of=None,
                figures=figures,
                checks=[{"recipe": "matches", "stated": "figure_1", "claim": c.claim_id}],
                mention_ids=[f.mention_id for f in figures.values()],
                origin=MATCH,
                confidence=score,
            )
        )
        links.append(Match(claim_id, c.claim_id, c.doc_id, score, c.verdict, c.explanation))
    return drafted, _closest(links)


def _closest(links: list[Match]) -> list[Match]:
    """One link per claim and statement: a claim quoting two sentences (a restatement) may
    restate one checked statement twice; the closer of its sentences is kept."""
    kept: dict[tuple[str, str], Match] = {}
    for link in links:
        key = (link.claim_id, link.matched_claim_id)
        if key not in kept or link.similarity > kept[key].similarity:
            kept[key] = link
    return list(kept.values())
