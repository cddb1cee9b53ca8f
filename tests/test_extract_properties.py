"""Property tests: extraction never raises, and every span is exact, on arbitrary text."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.documents.layout import load_layout
from analysis.documents.sections import QUOTES, _norm, segment
from analysis.figures.extract import (
    extract_mentions,
    extract_mentions_many,
    find_figures,
    find_figures_many,
)
from analysis.figures.lexicon import load_lexicon
from analysis.vocab import ARTICLE_VOICE, COMMENT_VOICE, MENTION_KINDS

LAYOUT = load_layout(None, "default")
CORPUS = Path(__file__).parent / "data" / "corpus"
LEXICON = load_lexicon()

newsy = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "$",
                "£",
                "€",
                "%",
                " percent",
                " million",
                "-",
                "–",
                "“",
                "”",
                "’",
                "\n",
                "\n\n",
                "1)",
                "(",
                ")",
                ",",
                ".",
                "0",
                "19,000",
                "2021",
                "May 15",
                "two-thirds",
                "one of",
                " or so",
                "approximately ",
                "İ",
                "ß",
                "ﬁ",
                "\u0130",
                "\u00a0",
                "10th",
                "seven",
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(), newsy), min_size=1, max_size=10))
def test_extraction_never_raises_and_spans_are_exact(texts: list[str]) -> None:
    """On about 330 texts a run (lists of up to ten, classified together as a build does)."""
    documents = [(text, segment(text, LAYOUT, title=None, author=None)) for text in texts]
    for text, found in zip(texts, extract_mentions_many(documents), strict=True):
        rows = found.to_dicts()
        for r in rows:
            assert 0 <= r["start"] < r["end"] <= len(text)
            assert text[r["start"] : r["end"]] == r["text"]
            assert r["kind"] in MENTION_KINDS
        starts = [r["start"] for r in rows]
        assert starts == sorted(starts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(newsy, min_size=2, max_size=5))
# a decimal comma at a text's end, a scale word at the next one's start: joined by a line
# break they once made a decimal comma, and the first text's 6 went unread
@example(["Inflation reached 6,1", "million people voted."])
@example(["It rose 2,5", "% in May", "by 3,75\r", "Bn"])
@example(["Up 6,1 per", "cent here."])
# a subunit takes its currency from the last money figure before it in its own text only
@example(["It cost €5.", "It cost 30 cents."])
# texts that use private-use characters (the markers of candidates), each leaving some free
@example(
    [
        "It cost $5 million. " + "".join(map(chr, range(0xE000, 0xE080))),
        "It rose 7% in 2020. " + "".join(map(chr, range(0xE080, 0xE100))),
    ]
)
def test_figures_found_together_equal_figures_found_one_by_one(texts: list[str]) -> None:
    together = find_figures_many(texts, LEXICON)
    for text, found in zip(texts, together, strict=True):
        assert found.equals(find_figures(text, LEXICON)), text


def test_the_corpus_found_together_equals_one_by_one() -> None:
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    assert len(texts) >= 15
    together = find_figures_many(texts, LEXICON)
    for text, found in zip(texts, together, strict=True):
        assert found.equals(find_figures(text, LEXICON))
        assert found.height > 0


def test_the_corpus_placed_together_equals_one_by_one() -> None:
    """Sections, sentences and speakers are attached to many documents' figures in one pass
    (as a build does), each document's offsets shifted and shifted back: every document gets
    what it gets alone, its quotations' speakers included."""
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    documents = [(text, segment(text, LAYOUT, title=None, author=None)) for text in texts]
    together = extract_mentions_many(documents, LEXICON)
    assert extract_mentions_many([], LEXICON) == []
    quoted = 0
    for (text, sections), found in zip(documents, together, strict=True):
        assert found.equals(extract_mentions(text, sections, LEXICON))
        said = (pl.col("speaker") != ARTICLE_VOICE) & ~pl.col("speaker").str.starts_with(
            COMMENT_VOICE
        )
        quoted += found.filter(said).height
    assert quoted > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(newsy, min_size=2, max_size=5))
def test_figures_placed_together_equal_figures_placed_one_by_one(texts: list[str]) -> None:
    documents = [(text, segment(text, LAYOUT, title=None, author=None)) for text in texts]
    together = extract_mentions_many(documents, LEXICON)
    for (text, sections), found in zip(documents, together, strict=True):
        assert found.equals(extract_mentions(text, sections, LEXICON)), text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsy, st.integers(min_value=1, max_value=60))
@example("0\u0ed0", 1)
def test_chunked_extraction_equals_whole(text: str, chunk: int) -> None:
    """Cutting a text into chunks of lines changes nothing: the figures are those the whole
    text's scan and classification give, less those overlapping a number it must not read
    (the oracle once left that last step out, so "0\u0ed0", a digit beside a Lao one, failed)."""
    from analysis.figures.classify import classify
    from analysis.figures.digits import unreadable_numbers
    from analysis.figures.extract import without_unreadable
    from analysis.figures.scan import scan

    whole = without_unreadable(
        classify(scan(text, LEXICON), LEXICON), unreadable_numbers(text)
    ).sort("start")
    assert find_figures(text, chunk_chars=chunk).sort("start").equals(whole)


def test_a_text_without_candidates_gets_what_the_query_gives_for_none() -> None:
    """classify answers an empty candidate list without running its query (it costs the same
    whatever the input): the answer is the query's own, columns and types included, for each
    dollar, and stays empty however often it is given out."""
    from analysis.figures import classify as module
    from analysis.figures.scan import scan

    for text in ("", "No figure is written here.", "a\n\nb"):
        cands = scan(text, LEXICON)
        assert cands.is_empty(), text
        for dollar in ("USD", "AUD"):
            short, full = (
                module.classify(cands, LEXICON, dollar),
                module._classify(cands, LEXICON, dollar),
            )
            assert short.schema == full.schema and short.equals(full) and short.is_empty()
    given = module.classify(scan("", LEXICON), LEXICON)
    given.extend(find_figures("It cost $5 million.", LEXICON))
    assert module.classify(scan("", LEXICON), LEXICON).is_empty()  # not the frame given out


def test_the_plan_gives_the_same_figures_optimized_or_as_written(monkeypatch) -> None:
    """The plan runs with two of Polars' optimizations (classify.PLAN_FLAGS): on every fourth
    corpus article, and on those at once, it finds the same figures as with none and with
    every one."""
    from analysis.figures import classify as module
    from analysis.figures.scan import scan

    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))][::4]
    for text in [*texts, "\n".join(texts)]:
        cands = scan(text, LEXICON)
        found = []
        for flags in (module.PLAN_FLAGS, pl.QueryOptFlags.none(), pl.QueryOptFlags()):
            monkeypatch.setattr(module, "PLAN_FLAGS", flags)
            found.append(module.classify(cands, LEXICON))
        assert found[0].height > 0 and found[0].equals(found[1]) and found[0].equals(found[2])


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.characters(), st.sampled_from([*QUOTES, " ", "\u00a0", "\n"]))))
def test_a_line_compared_with_the_title_reads_its_curly_quotes_as_plain(line: str) -> None:
    """A line and the title are compared with their curly quotation marks plain (each
    replaced by its plain mark, as a translation table would), single-spaced, case folded."""
    plain = line.translate(str.maketrans(QUOTES))
    assert _norm(line) == " ".join(plain.split()).casefold()


def test_a_batch_is_cut_where_a_document_starts_and_cents_look_back_within_it() -> None:
    """Texts classified together are cut into chunks where a text starts, when one does
    within a chunk's length, and a subunit's currency is looked for within its own text:
    each text's figures are its own alone, whatever the chunk size."""
    texts = ["It cost €5 and 20 cents.", "Filler words here " * 3, "It cost 30 cents, then £2."]
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    joined = "\n".join(texts)
    alone = [find_figures(text, LEXICON) for text in texts]
    assert alone[0]["unit"].to_list() == ["EUR", "EUR"] and alone[2]["unit"][0] == "USD"
    for chunk in (10, 30, 60, 200):
        found = find_figures(joined, LEXICON, chunk, "USD", starts)
        for text, start, own in zip(texts, starts, alone, strict=True):
            mine = found.filter(pl.col("start").is_between(start, start + len(text)))
            shifted = mine.with_columns(pl.col("start") - start, pl.col("end") - start)
            assert shifted.equals(own), (chunk, text)
