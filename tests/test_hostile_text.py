"""Hostile article text (docs/hostile-input.md §1-2): no figure carries unbounded text, the
speaker finder's work grows linearly with the text, and numbers written with invisible or
foreign characters are read whole or refused with a note, never split into wrong figures.

Time and memory are measured in benchmarks/hostile.py; here the work is counted, not timed."""

from __future__ import annotations

import random
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.documents.layout import load_layout
from analysis.figures import speakers
from analysis.figures.digits import GROUP_SPACES, unreadable_numbers
from analysis.figures.extract import extract_text, find_figures
from analysis.figures.sentences import (
    MAX_SENTENCE_CHARS,
    cut_points,
    joined_across,
    sentences_frame,
)
from benchmarks.hostile import one_line
from tests.conftest import REPO, cli

LAYOUT = load_layout(REPO / "data" / "layouts", "default", strict=True)


def _figures(text: str):
    return extract_text(text, LAYOUT, None, None).mentions


# ---------------------------------------------------------------- 1. long lines


def test_one_line_text_stores_bounded_sentences() -> None:
    """Finding 1: a scraped text with no sentence breaks gave every figure the whole text as
    its sentence (quadratic memory). Now each sentence is a piece of at most the limit, and
    still the exact text at its offset."""
    text = one_line(200_000)
    assert "\n" not in text.strip()
    figures = _figures(text)
    assert figures.height > 5_000
    lengths = figures["sentence"].str.len_chars()
    assert lengths.max() <= MAX_SENTENCE_CHARS
    assert lengths.sum() <= figures.height * MAX_SENTENCE_CHARS
    for row in figures.sample(200, seed=1).iter_rows(named=True):
        start = row["sentence_start"]
        assert text[start : start + len(row["sentence"])] == row["sentence"]
        assert start <= row["start"] and row["end"] <= start + len(row["sentence"])


def test_ordinary_sentences_are_not_cut() -> None:
    text = "The agency spent $2.5 billion in 2021. " + "It grew " * 100 + "by 40%."
    frame = sentences_frame([(0, text)])
    assert frame["sentence"].to_list()[0] == "The agency spent $2.5 billion in 2021."
    assert frame.height == 2 and len(frame["sentence"][1]) < MAX_SENTENCE_CHARS


@given(st.text(alphabet="ab1 \u00a0.", max_size=3_000), st.integers(4, 60))
@settings(max_examples=150, deadline=None)
def test_cut_points_cover_the_text_in_bounded_pieces(text: str, limit: int) -> None:
    pieces = cut_points(text, limit)
    at = 0
    for start, end in pieces:
        assert at <= start < end <= len(text) and end - start <= limit
        assert not text[at:start].strip()  # only white space left out between pieces
        assert not text[start].isspace() and not text[end - 1].isspace()
        at = end
    assert not text[at:].strip()


@pytest.mark.parametrize(
    "text",
    [
        'Spending will reach nearly Rs. 4.95 lakh crore," Rai said. It rose 5%.',
        "The fund holds Ksh. 2.1 billion. It rose 5%.",
        "Tickets cost approx. $2.5 million in all. It rose 5%.",
    ],
)
def test_a_figure_across_a_full_stop_keeps_one_sentence(text: str) -> None:
    """A full stop inside a figure (an abbreviation the sentence rules do not list) ends no
    sentence: every figure lies inside its sentence, which is the text at its offset."""
    figures = _figures(text)
    assert figures.height >= 2
    for row in figures.iter_rows(named=True):
        start = row["sentence_start"]
        assert start is not None, row["text"]
        assert text[start : start + len(row["sentence"])] == row["sentence"]
        assert start <= row["start"] and row["end"] <= start + len(row["sentence"])
    assert figures["sentence"][-1] == "It rose 5%."  # the next sentence is still its own


@pytest.mark.parametrize("chunk", [3, 20_000])
def test_sentences_of_many_documents_are_each_document_s_own(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worked out together (extraction does so for a batch), each document's sentences are
    those it has alone: none without paragraphs, offsets that repeat between documents, long
    unsegmented paragraphs cut into pieces in several of them, abbreviations, and batches of
    paragraphs that end inside a document (``chunk``)."""
    from analysis.figures import sentences

    rng = random.Random(7)
    words = ["Mr.", "U.N.", "rose", "5%.", "It", "The", "fund", "held", "$2.5", "billion."]
    documents = []
    for _doc in range(9):
        paragraphs, at = [], 0
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.2:
                text = "x" * rng.randint(1_001, 2_600)  # no full stop: cut into pieces
            else:
                text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
            paragraphs.append((at, text))
            at += len(text) + 2
        documents.append(paragraphs)
    assert any(not p for p in documents) and any(len(t) > 1_000 for p in documents for _, t in p)
    alone = [sentences.sentences_frame(p) for p in documents]
    monkeypatch.setattr(sentences, "CHUNK_PARAGRAPHS", chunk)
    together = sentences.sentences_frames(documents)
    assert len(together) == len(documents)
    for one, other in zip(alone, together, strict=True):
        assert one.equals(other) and one.schema == other.schema


def test_sentences_are_joined_only_within_a_line_and_the_limit() -> None:
    text = "Rs.\n4 crore. Next."
    sentences = sentences_frame([(0, "Rs."), (4, "4 crore. Next.")])
    figure = pl.DataFrame({"start": [0], "end": [11]})
    assert joined_across(sentences, figure, text).equals(sentences)
    long = "a" * (MAX_SENTENCE_CHARS - 5) + " Rs. 4 crore"
    sentences = sentences_frame([(0, long)])
    start = long.index("Rs.")
    figure = pl.DataFrame({"start": [start], "end": [len(long)]})
    assert sentences.height == 2
    assert joined_across(sentences, figure, long).equals(sentences)
    short = long[MAX_SENTENCE_CHARS // 2 :]
    sentences = sentences_frame([(0, short)])
    figure = pl.DataFrame({"start": [short.index("Rs.")], "end": [len(short)]})
    assert joined_across(sentences, figure, short)["sentence"].to_list() == [short]


def test_a_cut_never_splits_a_spaced_number() -> None:
    text = ("word " * 199) + "1 000 000 " + ("word " * 400)
    for start, end in cut_points(text):
        piece = text[start:end]
        assert not piece.endswith(("1", "1 000")) or piece.endswith("1 000 000")


# ---------------------------------------------------------------- 2. the speaker finder


class _Counting:
    """A compiled pattern that counts the characters it is asked to scan."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self._pattern, self._tally = pattern, tally

    def _count(self, string: str, pos: int = 0, endpos: int | None = None) -> None:
        self._tally[0] += (len(string) if endpos is None else min(endpos, len(string))) - pos

    def finditer(self, string: str, pos: int = 0, endpos: int = 2**62):  # type: ignore[no-untyped-def]
        self._count(string, pos, endpos)
        return self._pattern.finditer(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = 2**62):  # type: ignore[no-untyped-def]
        self._count(string, pos, endpos)
        return self._pattern.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = 2**62):  # type: ignore[no-untyped-def]
        return self._pattern.match(string, pos, endpos)  # anchored: bounded by the pattern

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._pattern, name)  # sub, split: on single words


def _scanned(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    tally = [0]
    with monkeypatch.context() as patched:
        for name in dir(speakers):
            value = getattr(speakers, name)
            if isinstance(value, re.Pattern):
                patched.setattr(speakers, name, _Counting(value, tally))
        speakers.find_quotes(text, [(0, len(text))], _lexicon())
    return tally[0]


def _lexicon():  # type: ignore[no-untyped-def]
    from analysis.figures.lexicon import load_lexicon

    return load_lexicon()


@pytest.mark.parametrize(
    "unit",
    [
        '"x," he said. ',  # finding 2: 20,000 of these took 291 s
        "A",  # 40 KB of capitals: 87 s
        "Word ",  # 40,000 capitalised words: 212 s
        '"The Fund Said 12 percent," Ann Lee Of The Bank said, “and 3 more” ',
        "“So it is,” she added, “and so” ",
    ],
)
def test_speaker_finder_work_grows_linearly(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    """Doubling a one-paragraph text at most doubles the characters the patterns scan (with
    slack for the constant part): no pattern re-reads the paragraph for every quotation."""
    small = _scanned(monkeypatch, unit * (4_000 // len(unit)))
    large = _scanned(monkeypatch, unit * (16_000 // len(unit)))
    assert large <= 4.5 * max(small, 1)


def test_pronoun_still_finds_the_speaker_named_in_the_sentence_before() -> None:
    text = (
        "Amy Pope, the agency's deputy, spoke in Geneva. "
        "“We need 12 percent more,” she said, “and soon.”"
    )
    figures = _figures(text)
    (row,) = figures.filter(figures["kind"] == "percent").iter_rows(named=True)
    assert row["speaker"] == "Amy Pope"


# ---------------------------------------------------------------- 8. Unicode inside numbers


@pytest.mark.parametrize("space", list(GROUP_SPACES))
def test_digit_groups_joined_by_unicode_spaces_are_one_figure(space: str) -> None:
    text = f"The fund paid 1{space}000{space}000 dollars to 5{space}000 staff."
    figures = _figures(text)
    money = figures.filter(figures["kind"] == "money").row(0, named=True)
    assert (money["text"], money["value"], money["unit"]) == (
        f"1{space}000{space}000 dollars",
        1_000_000,
        "USD",
    )
    assert 5_000 in figures["value"].to_list()
    assert 0 not in figures["value"].to_list() and 1 not in figures["value"].to_list()


@pytest.mark.parametrize(
    ("hidden", "name"),
    [
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u00ad", "SOFT HYPHEN"),
        ("\u0301", "COMBINING ACUTE ACCENT"),
    ],
)
def test_a_hidden_character_inside_a_number_is_refused_not_split(hidden: str, name: str) -> None:
    """Finding 8: "6‏7 percent" became 7 %. Now neither 6 nor 7 % is a figure, and the refusal
    names the character and its offset."""
    text = f"Support rose 6{hidden}7 percent in 2021."
    figures = _figures(text)
    assert figures["kind"].to_list() == ["year"]
    (note,) = unreadable_numbers(text)
    assert name in note.reason and note.start == text.index("6")


@pytest.mark.parametrize("digits", ["١٢٣", "۴۵", "४२", "４５", "١٬٢٣٤"])
def test_digits_of_another_script_are_reported(digits: str) -> None:
    text = f"Some {digits} people left."
    assert _figures(text).is_empty()
    (note,) = unreadable_numbers(text)
    assert text[note.start : note.end].startswith(digits[0]) and "another script" in note.reason


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Inflation was 6,1% in May, the minister said.", "6,1"),
        ("The plan costs €12,5 billion a year.", "12,5"),
        ("It spends 1,31 billion euros in 2021.", "1,31"),
        ("Rates rose 1,5 percentage points in 2022.", "1,5"),
        ("The plan costs €12,5m a year.", "12,5"),
        ("Sales were up 2,5pc in 2021.", "2,5"),
    ],
)
def test_a_decimal_comma_is_refused_not_read_as_two_figures(text: str, refused: str) -> None:
    """A quoted European official's "6,1%" was read as 6 and 1%, and "€12,5 billion" as €12:
    the number is refused with a note. Thousands and Indian groups stay numbers."""
    assert [k for k in _figures(text)["kind"].to_list() if k not in ("year", "date")] == []
    (note,) = unreadable_numbers(text)
    assert text[note.start : note.end] == refused and "decimal comma" in note.reason
    kept = "In 2020, 5,000 people came and 1,73,954 stayed; 3,250 million were spent."
    assert unreadable_numbers(kept) == []
    assert _figures(kept)["value"].to_list() == [2020, 5000, 173954, 3250e6]


# docs/hostile-input.md: one to three digits not after a digit, a point or a comma, a comma,
# one or two digits not followed by another or a comma, then (after at most one space on the
# same line) a percent or a scale word
_DECIMAL_COMMA_RULE = re.compile(
    r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d,])"
    r"(?=[^\S\n]?(?:%|(?:percent|percentage|per[^\S\n]?cent|pc|thousand|million|billion"
    r"|trillion|bn|mn|mln|bln|m)\b))",
    re.IGNORECASE,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "1",
                "12",
                "123",
                "7",
                ",",
                ".",
                " ",
                "\n",
                "\r",
                "%",
                "million",
                "M",
                "per cent",
                "per",
                "cent",
                "x",
                "\u0663",
                "\u00a0",
            ]
        ),
        max_size=30,
    ).map("".join)
)
@example("v1.12,7% and 12,34% and 3,4,5 million and 1,234 bn and 1234,5%")
@example("6,1\nmillion, 6,1 \n%, 6,1\r% and 1 2,5 per cent")
def test_decimal_commas_are_found_as_the_rule_reads_them(text: str) -> None:
    """The decimal commas refused are those the rule, as written, finds (the pattern opens
    with a digit instead of its look-behind, to be searched for faster)."""
    found = [(u.start, u.end) for u in unreadable_numbers(text) if "decimal comma" in u.reason]
    assert found == [m.span() for m in _DECIMAL_COMMA_RULE.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "1",
                "19",
                "20",
                "7",
                "\u0663",
                "\u0968",
                "\uff14",
                "/",
                "-",
                "'",
                ".",
                ",",
                " ",
                "s",
                "FY",
                "%",
                "March ",
                "\n",
            ]
        ),
        max_size=16,
    ).map("".join)
)
@example("\u0663/4")  # a fraction of another script's digit: a strict cast of it raised
@example("in 19\u0668\u0660s")  # a decade
def test_digits_of_other_scripts_in_a_figure_never_stop_extraction(text: str) -> None:
    """A figure's parts written partly in another script's digits (which the candidate
    pattern's Unicode digit class takes in) are refused with a note, never a crash."""
    found = find_figures(text)
    for start, end in zip(found["start"], found["end"], strict=True):
        assert not any(ch.isdigit() and not ch.isascii() for ch in text[start:end])


def test_extract_prints_a_note_for_each_number_it_does_not_read(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Title\n\nIt rose 6\u200f7 percent; ١٢٣ people; 1\u00a0000 staff.\n", "utf-8")
    done = cli("extract", str(f), "--format", "csv")
    assert done.returncode == 0, done.stderr
    notes = done.stderr.strip().splitlines()
    assert len(notes) == 2 and all(n.startswith(f"note: {f}: offset ") for n in notes)
    assert "U+200F" in notes[0] and "arabic-indic" in notes[1]
    assert "1\u00a0000" in done.stdout


@given(
    st.integers(1, 999),
    st.integers(0, 999),
    st.sampled_from("\u200b\u200c\u200d\u200e\u200f\u2060\u202a\u202c\u2067\ufeff\u00ad"),
)
@settings(max_examples=60, deadline=None)
def test_no_figure_is_read_from_part_of_a_hidden_number(a: int, b: int, hidden: str) -> None:
    text = f"The total was {a}{hidden}{b} dollars, up from 12 percent."
    start = text.index(str(a))
    end = text.index(" dollars")
    found = find_figures(text)
    for row in found.iter_rows(named=True):
        assert row["end"] <= start or row["start"] >= end, row
    assert [(u.start, u.end) for u in unreadable_numbers(text)] == [(start, end)]


@given(st.text(alphabet=st.sampled_from("0123456789١٢٣٫٬۴४５.,²½ⅷ𝟘a -"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_digits_of_another_script_are_found_as_the_plain_rule_says(text: str) -> None:
    """A run of decimal digits other than 0-9 (Python's Unicode \\d: not ², ½ or ⅷ), with the
    Arabic separators, a dot or a comma between its groups: the one character class the
    pattern searches for finds the runs the rule written with a lookahead finds."""
    from analysis.figures.digits import _FOREIGN

    rule = re.compile(r"(?:(?![0-9])\d)+(?:[\u066b\u066c.,](?:(?![0-9])\d)+)*")
    assert [m.span() for m in _FOREIGN.finditer(text)] == [m.span() for m in rule.finditer(text)]


def _calls(text: str) -> int:
    """Function calls (builtins included) the speaker finder makes on ``text``."""
    import cProfile
    import pstats

    lex = _lexicon()
    profile = cProfile.Profile()
    profile.runcall(speakers.find_quotes, text, [(0, len(text))], lex)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def test_an_acronym_quoted_again_and_again_costs_the_same_each_time() -> None:
    """A helper's review: once "the ONS" stood for the Office for National Statistics named
    before, each quotation attributed to it walked every organization named so far (1 MB of
    `“x,” the ONS said.` ran for over 900 s). Four times the text, at most about four times
    the calls."""
    head = "The Office for National Statistics published data. "
    unit = "“x,” the ONS said. "
    small = _calls(head + unit * 500)
    large = _calls(head + unit * 2_000)
    assert large <= 4.5 * small
