"""Sentence boundaries inside paragraphs, kept as character offsets.

A boundary is end punctuation (optionally closed by quotes or brackets) and white space,
followed by a capital, a digit or an opening quote, unless the word before is an
abbreviation ("U.N.", "Mr.") or a single initial. Computed with polars expressions for all
the paragraphs of a batch of documents at once (a sentence never leaves its paragraph). A
boundary inside a figure is none (``joined_across``: "nearly Rs. 4.95 lakh crore", an
abbreviation the list does not hold): every figure lies in one sentence.

A "sentence" longer than ``MAX_SENTENCE_CHARS`` is unsegmented text (a scraped page with no
full stops), not a sentence: it is cut at white space into pieces of at most that length, each
counted as a sentence (docs/hostile-input.md). Every figure stores its sentence, so without the
cut a one-line text would cost memory quadratic in its length.
"""

from __future__ import annotations

import bisect

import polars as pl

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = sorted(
    set(
        "mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.n u.k n.c b.a m.a ph.d no gen gov sen "
        "rep jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp".split()
    )
)
_END = r"[.!?][\"”’)\]]*\s+"
_MARK = "\ue000"


MAX_SENTENCE_CHARS = 1_000

SCHEMA = {"sentence_start": pl.Int64, "sentence_end": pl.Int64, "sentence": pl.String}
CHUNK_PARAGRAPHS = 20_000


def sentences_frame(paragraphs: list[tuple[int, str]]) -> pl.DataFrame:
    """Sentences of paragraphs given as (offset, text): sentence_start, sentence_end, sentence.
    Paragraphs are processed in batches so that cost stays linear in the text's length."""
    return sentences_frames([paragraphs])[0]


def sentences_frames(documents: list[list[tuple[int, str]]]) -> list[pl.DataFrame]:
    """:func:`sentences_frame` of each document's paragraphs, worked out together: a sentence
    never leaves its paragraph, so the paragraphs of many documents go through one pass (a
    document's own took about eight milliseconds of polars' fixed costs, a sixth of its
    extraction)."""
    flat = [
        (doc, start, text) for doc, paragraphs in enumerate(documents) for start, text in paragraphs
    ]
    empty = pl.DataFrame(schema=SCHEMA)
    if not flat:
        return [empty for _ in documents]
    every = pl.concat(
        [
            _bounded(_sentences(flat[i : i + CHUNK_PARAGRAPHS]))
            for i in range(0, len(flat), CHUNK_PARAGRAPHS)
        ]
    )
    parts = every.partition_by("doc", as_dict=True, maintain_order=True, include_key=False)
    return [parts.get((doc,), empty) for doc in range(len(documents))]


def joined_across(sentences: pl.DataFrame, figures: pl.DataFrame, text: str) -> pl.DataFrame:
    """``sentences`` (of ``text``) with those a figure runs across made one: a boundary inside
    a figure is none ("nearly Rs. 4.95 lakh crore", where "Rs." is no sentence's end). Not
    across a line break, nor into a sentence longer than ``MAX_SENTENCE_CHARS`` (the figure
    then has no sentence, as before)."""
    if sentences.is_empty() or figures.is_empty():
        return sentences
    starts = sentences["sentence_start"].to_list()
    ends = sentences["sentence_end"].to_list()
    runs: list[list[int]] = []  # [first, last] sentence of each run to join, in order
    for start, end in zip(figures["start"].to_list(), figures["end"].to_list(), strict=True):
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or start >= ends[i] or end <= ends[i]:
            continue  # inside one sentence, or outside every one
        j = bisect.bisect_left(starts, end) - 1
        if runs and runs[-1][1] >= i:
            runs[-1][1] = max(runs[-1][1], j)
        else:
            runs.append([i, j])
    if not runs:
        return sentences
    joined = {}
    for i, j in runs:
        span = text[starts[i] : ends[j]]
        if "\n" not in span and len(span) <= MAX_SENTENCE_CHARS:
            joined[i] = (j, span)
    if not joined:
        return sentences
    rows: dict[str, list] = {"sentence_start": [], "sentence_end": [], "sentence": []}
    sentence_texts = sentences["sentence"].to_list()
    k = 0
    while k < len(starts):
        j, span = joined.get(k, (k, sentence_texts[k]))
        rows["sentence_start"].append(starts[k])
        rows["sentence_end"].append(ends[j])
        rows["sentence"].append(span)
        k = j + 1
    return pl.DataFrame(rows, schema=SCHEMA)


def cut_points(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of ``text``, each at most ``limit`` characters, cut at the last
    white space in the second half of each piece that does not stand between two digits (so
    "1 000 000" stays whole), else at exactly ``limit``; white space between pieces is left out."""
    pieces = []
    at, n = 0, len(text)
    while at < n:
        while at < n and text[at].isspace():
            at += 1
        if at >= n:
            break
        end = at + limit
        if end >= n:
            end = n
        else:
            cut = end
            while cut > at + limit // 2:
                cut -= 1
                if text[cut].isspace() and not (
                    text[cut - 1].isdigit() and text[cut + 1].isdigit()
                ):
                    end = cut
                    break
        stop = end
        while stop > at and text[stop - 1].isspace():
            stop -= 1
        pieces.append((at, stop))
        at = end
    return pieces


def _bounded(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (sentences of documents numbered ``doc``) with every sentence longer than
    ``MAX_SENTENCE_CHARS`` cut into pieces."""
    long = pl.col("sentence").str.len_chars() > MAX_SENTENCE_CHARS
    over = frame.filter(long)
    if over.is_empty():
        return frame
    rows: dict[str, list] = {"doc": [], "sentence_start": [], "sentence_end": [], "sentence": []}
    for doc, start, sentence in zip(
        over["doc"], over["sentence_start"], over["sentence"], strict=True
    ):
        for a, b in cut_points(sentence):
            rows["doc"].append(doc)
            rows["sentence_start"].append(start + a)
            rows["sentence_end"].append(start + b)
            rows["sentence"].append(sentence[a:b])
    pieces = pl.DataFrame(rows, schema={"doc": pl.Int64, **SCHEMA})
    return pl.concat([frame.filter(~long), pieces]).sort("doc", "sentence_start")


def _sentences(paragraphs: list[tuple[int, int, str]]) -> pl.DataFrame:
    """Sentences of paragraphs given as (document number, offset, text), with ``doc``."""
    schema = {"doc": pl.Int64, **SCHEMA}
    mark = _MARK
    while any(mark in text for _, _, text in paragraphs):
        mark = chr(ord(mark) + 1)
    paras = pl.DataFrame(
        {
            "doc": [p[0] for p in paragraphs],
            "p_start": [p[1] for p in paragraphs],
            "p_text": [p[2] for p in paragraphs],
        },
        schema={"doc": pl.Int64, "p_start": pl.Int64, "p_text": pl.String},
    ).with_row_index("pid")
    pieces = (
        paras.select(
            "pid",
            "doc",
            "p_start",
            "p_text",
            piece=pl.col("p_text").str.replace_all(f"({_END})", "${1}" + mark).str.split(mark),
        )
        .explode("piece")
        .filter(pl.col("piece") != "")
        .with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int64))
        .with_columns(offset=pl.col("n").cum_sum().over("pid") - pl.col("n"))
    )
    previous = pl.col("piece").shift(1).over("pid")
    last_word = (
        previous.str.extract(r"([\w.]+)" + _END + "$", 1).str.to_lowercase().str.strip_chars(".")
    )
    is_abbreviation = last_word.is_in(ABBREVIATIONS) | last_word.str.contains(r"^[a-z]$")
    starts_sentence = pl.col("piece").str.contains(r"^[\"“‘(\[]?[A-Z0-9]")
    boundary = previous.is_null() | (starts_sentence & ~is_abbreviation.fill_null(False))
    trailing = pl.col("n") - pl.col("piece").str.strip_chars_end().str.len_chars()
    return (
        pieces.with_columns(group=boundary.cast(pl.Int64).cum_sum().over("pid"))
        .group_by("pid", "group", maintain_order=True)
        .agg(
            pl.col("doc").first(),
            pl.col("p_start").first(),
            pl.col("p_text").first(),
            start=pl.col("offset").first(),
            end=(pl.col("offset") + pl.col("n") - trailing).last(),
        )
        .select(
            "doc",
            sentence_start=pl.col("p_start") + pl.col("start"),
            sentence_end=pl.col("p_start") + pl.col("end"),
            sentence=pl.col("p_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")),
        )
        .cast(schema)
    )
