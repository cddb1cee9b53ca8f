"""Figures of a document: every number in it, with span, value, kind, unit, hedge, section,
sentence and speaker.

Candidates are found by :mod:`~analysis.figures.scan` and classified by
:mod:`~analysis.figures.classify`, a few megabytes at a time; sections, sentences and quotations
are attached by as-of joins on the character offsets.

Contract (``analysis extract --format json``): ``start``/``end`` are Python string offsets into
the decoded text (end exclusive) so that ``text[start:end] == surface``; percent values are in
points, fractions are ratios, money is in units of its currency; a date's ``value`` is its year
when the text gives one, and ``iso`` holds the partial ISO date ("--05-15", "2018-10").
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from analysis.documents.layout import Layout, load_layout
from analysis.documents.model import Document
from analysis.documents.sections import Section, segment
from analysis.documents.seeds import META_SUFFIX, read_document
from analysis.figures.classify import DOC, classify
from analysis.figures.digits import Unreadable, unreadable_numbers
from analysis.figures.lexicon import Lexicon, load_lexicon
from analysis.figures.scan import scan
from analysis.figures.sentences import joined_across, sentences_frame, sentences_frames
from analysis.figures.shared_currency import with_document_currencies
from analysis.figures.speakers import Quote, find_quotes
from analysis.files import read_text
from analysis.vocab import ARTICLE_VOICE, COMMENT_VOICE

# Fields of `analysis extract --format json`, in order.
RECORD_FIELDS = (
    "start",
    "end",
    "text",
    "value",
    "kind",
    "unit",
    "approx",
    "iso",
    "sentence",
    "section",
    "comment_no",
    "speaker",
)

CHUNK_CHARS = 4_000_000


def find_figures(
    text: str,
    lex: Lexicon | None = None,
    chunk_chars: int = CHUNK_CHARS,
    dollar: str = "USD",
    starts: Sequence[int] = (0,),
) -> pl.DataFrame:
    """:func:`classify` of :func:`scan`, a few megabytes at a time (cut at line breaks), so time
    and memory stay proportional to the text's length however long it is. ``starts``: where
    each document of ``text`` starts (:func:`find_figures_many` joins many), in order from 0;
    a chunk ends where a document starts when one does within its length. No figure and no
    rule reaches across a line break, except a subunit's currency ("30 cents" after "€5"),
    which looks back within its document: within its chunk only in a document longer than a
    chunk (docs/figure-rules.md)."""
    lex = lex or load_lexicon()
    documents = pl.Series(starts, dtype=pl.Int64) if len(starts) > 1 else None
    parts = []
    start = 0
    while start < len(text) or not parts:
        if len(text) - start <= chunk_chars:
            end = len(text)
        else:  # the line break before the last document to start within a chunk, else any
            end = starts[bisect.bisect_right(starts, start + chunk_chars) - 1] - 1
            if end <= start:
                end = text.rfind("\n", start, start + chunk_chars)
        if end <= start:  # one line longer than a chunk: take it whole
            end = text.find("\n", start + chunk_chars)
            end = len(text) if end < 0 else end
        cands = scan(text[start:end], lex)
        if documents is not None:
            doc = documents.search_sorted(cands["start"] + start, side="right") - 1
            cands = cands.with_columns(doc.cast(pl.Int64).alias(DOC))
        found = classify(cands, lex, dollar)
        parts.append(found.with_columns(pl.col("start") + start, pl.col("end") + start))
        start = end
        if start >= len(text):
            break
    found = pl.concat(parts) if len(parts) > 1 else parts[0]
    found = with_document_currencies(found, text, starts, lex)
    return without_unreadable(found, unreadable_numbers(text))


def find_figures_many(
    texts: Sequence[str], lex: Lexicon | None = None, dollar: str = "USD"
) -> list[pl.DataFrame]:
    """:func:`find_figures` of each text, found in one pass over the texts joined by line
    breaks: the classifier costs tens of milliseconds per call whatever the length, so many
    short articles are classified together. The result is the same as one call per text:
    no figure and no rule reaches across a line break but a subunit's currency, which looks
    back within its own text (tested on both)."""
    if not texts:
        return []
    lex = lex or load_lexicon()
    offsets = []
    at = 0
    for text in texts:
        offsets.append(at)
        at += len(text) + 1
    found = find_figures("\n".join(texts), lex, CHUNK_CHARS, dollar, offsets)
    starts = pl.Series(offsets, dtype=pl.Int64)
    found = found.with_columns(
        (starts.search_sorted(found["start"], side="right") - 1).cast(pl.Int64).alias(DOC)
    )
    parts = found.partition_by(DOC, as_dict=True, include_key=False, maintain_order=True)
    empty = found.clear().drop(DOC)
    return [
        parts[(i,)].with_columns(pl.col("start") - offset, pl.col("end") - offset)
        if (i,) in parts
        else empty
        for i, offset in enumerate(offsets)
    ]


def without_unreadable(found: pl.DataFrame, unreadable: list[Unreadable]) -> pl.DataFrame:
    """``found`` without the candidates that overlap a number it must not read ("6‏7 percent"
    is neither 6 nor 7 %): the last unreadable span starting at or before a candidate, and the
    first starting after it, are the only ones it can overlap."""
    if not unreadable or found.is_empty():
        return found
    spans = pl.DataFrame(
        {"u_start": [u.start for u in unreadable], "u_end": [u.end for u in unreadable]},
        schema={"u_start": pl.Int64, "u_end": pl.Int64},
    ).sort("u_start")
    keyed = found.with_row_index("_row").sort("start")
    before = keyed.join_asof(spans, left_on="start", right_on="u_start", strategy="backward")
    after = keyed.join_asof(
        spans, left_on="start", right_on="u_start", strategy="forward", allow_exact_matches=False
    )
    hit = set(before.filter(pl.col("u_end") > pl.col("start"))["_row"].to_list())
    hit |= set(after.filter(pl.col("u_start") < pl.col("end"))["_row"].to_list())
    return found.with_row_index("_row").filter(~pl.col("_row").is_in(list(hit))).drop("_row")


MENTION_SCHEMA = {
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "value": pl.Float64,
    "kind": pl.String,
    "unit": pl.String,
    "approx": pl.String,
    "iso": pl.String,
    "sentence": pl.String,
    "sentence_start": pl.Int64,
    "section": pl.String,
    "section_no": pl.Int64,
    "comment_no": pl.Int64,
    "speaker": pl.String,
}


def _attach(
    mentions: pl.DataFrame, spans: pl.DataFrame, name: str, keep_start: bool = False
) -> pl.DataFrame:
    """Join each mention to the span (section, sentence, quote) that contains it."""
    joined = mentions.sort("start").join_asof(
        spans.sort(f"{name}_start"), left_on="start", right_on=f"{name}_start", strategy="backward"
    )
    inside = pl.col("end") <= pl.col(f"{name}_end")
    kept = [c for c in spans.columns if keep_start or c != f"{name}_start"]
    joined = joined.with_columns([pl.when(inside).then(pl.col(c)).alias(c) for c in kept])
    return joined.drop([f"{name}_end"] + ([] if keep_start else [f"{name}_start"]))


@dataclass(frozen=True)
class ExtractedDocument:
    sections: list[Section]
    mentions: pl.DataFrame
    # notes on the numbers the text writes in a way not read (digits.unreadable_numbers), for
    # the build's summary; the build's extraction fills them, other callers find their own
    unreadable: tuple[str, ...] = ()


def extract_mentions(
    text: str, sections: list[Section], lex: Lexicon | None = None, dollar: str = "USD"
) -> pl.DataFrame:
    """Every figure in ``text`` outside page furniture, with section, sentence and speaker; a
    plain "$" is ``dollar`` (the document's dollar, docs/figure-rules.md)."""
    lex = lex or load_lexicon()
    with ThreadPoolExecutor(max_workers=1) as pool:
        finding = pool.submit(find_figures, text, lex, CHUNK_CHARS, dollar)
        return _placed([_parts(text, sections, finding.result, lex)])[0]


def extract_mentions_many(
    documents: Sequence[tuple[str, list[Section]]], lex: Lexicon | None = None, dollar: str = "USD"
) -> list[pl.DataFrame]:
    """:func:`extract_mentions` of each (text, sections), the figures found in one pass
    (:func:`find_figures_many`)."""
    lex = lex or load_lexicon()
    found = find_figures_many([text for text, _ in documents], lex, dollar)
    sentences = sentences_frames([_paragraphs(sections) for _, sections in documents])
    return _placed(
        [
            _parts(text, sections, figures.clone, lex, sentence)
            for (text, sections), figures, sentence in zip(documents, found, sentences, strict=True)
        ]
    )


def extract_text(
    text: str,
    layout: Layout,
    title: str | None,
    author: str | None,
    lex: Lexicon | None = None,
    dollar: str = "USD",
    figures: pl.DataFrame | None = None,
) -> ExtractedDocument:
    """Sections and figures of a text: :func:`segment` then :func:`extract_mentions`, with the
    figures found (by polars, in Rust, without the interpreter lock) while Python segments the
    text and finds its quotations; ``figures`` when they were found already
    (:func:`find_figures_many`)."""
    lex = lex or load_lexicon()
    if figures is not None:
        sections = segment(text, layout, title, author)
        return ExtractedDocument(sections, _placed([_parts(text, sections, figures.clone, lex)])[0])
    with ThreadPoolExecutor(max_workers=1) as pool:
        finding = pool.submit(find_figures, text, lex, CHUNK_CHARS, dollar)
        sections = segment(text, layout, title, author)
        return ExtractedDocument(
            sections, _placed([_parts(text, sections, finding.result, lex)])[0]
        )


def _kept(sections: list[Section]) -> list[Section]:
    """The sections whose figures are kept: all but boilerplate."""
    return [s for s in sections if s.kind != "boilerplate"]


def _paragraphs(sections: list[Section]) -> list[tuple[int, str]]:
    """The (offset, text) of the sections whose figures are kept."""
    return [(s.start, s.text) for s in _kept(sections)]


@dataclass(frozen=True)
class _Parts:
    """What one document's figures are placed in: its text, kept sections, figures, the
    sentences they fall in and its quotations."""

    text: str
    kept: list[Section]
    found: pl.DataFrame
    sentences: pl.DataFrame
    quotes: list[Quote]


def _parts(
    text: str,
    sections: list[Section],
    figures: Callable[[], pl.DataFrame],
    lex: Lexicon,
    sentences: pl.DataFrame | None = None,
) -> _Parts:
    """What the figures (``figures()``, which may wait for them to be found) are placed in:
    ``sentences``, the sentence frame of the sections' paragraphs when it was worked out
    already (:func:`extract_many`)."""
    kept = _kept(sections)
    quotes = find_quotes(text, [(s.start, s.end) for s in kept], lex)
    found = figures()
    if sentences is None:
        sentences = sentences_frame(_paragraphs(sections))
    return _Parts(text, kept, found, joined_across(sentences, found.sort("start"), text), quotes)


def _placed(docs: list[_Parts]) -> list[pl.DataFrame]:
    """Each document's figures placed in their sections, sentences and quotations, in one
    pass over all of them (polars' fixed costs were about six milliseconds a document): the
    documents' offsets are shifted as if their texts were joined by line breaks, so that no
    span of one contains a figure of another, and shifted back."""
    if not docs:
        return []
    bases, at = [], 0
    for doc in docs:
        bases.append(at)
        at += len(doc.text) + 1
    pairs = list(zip(docs, bases, strict=True))
    text = "\n".join(doc.text for doc in docs) if len(docs) > 1 else docs[0].text
    shift = [pl.col("start") + pl.col("_base"), pl.col("end") + pl.col("_base")]
    found = pl.concat(
        [d.found.with_columns(_base=pl.lit(b, pl.Int64)) for d, b in pairs],
        how="vertical_relaxed",
    ).with_columns(shift)
    section_spans = pl.DataFrame(
        {
            "section_start": [b + s.start for d, b in pairs for s in d.kept],
            "section_end": [b + s.end for d, b in pairs for s in d.kept],
            "section": [s.kind for d in docs for s in d.kept],
            "section_no": [s.section_no for d in docs for s in d.kept],
            "comment_no": [s.comment_no for d in docs for s in d.kept],
        },
        schema={
            "section_start": pl.Int64,
            "section_end": pl.Int64,
            "section": pl.String,
            "section_no": pl.Int64,
            "comment_no": pl.Int64,
        },
    )
    sentence_frame = pl.concat(
        [
            d.sentences.with_columns(pl.col("sentence_start") + b, pl.col("sentence_end") + b)
            for d, b in pairs
        ]
    )
    quote_frame = pl.DataFrame(
        {
            "quote_start": [b + q.start for d, b in pairs for q in d.quotes],
            "quote_end": [b + q.end for d, b in pairs for q in d.quotes],
            "quote_speaker": [q.speaker for d in docs for q in d.quotes],
        },
        schema={"quote_start": pl.Int64, "quote_end": pl.Int64, "quote_speaker": pl.String},
    )
    placed = _attach(found, section_spans, "section").filter(pl.col("section").is_not_null())
    placed = _attach(placed, sentence_frame, "sentence", keep_start=True)
    placed = _attach(placed, quote_frame, "quote")
    voice = (
        pl.when(pl.col("section") == "reader_comment")
        .then(pl.lit(COMMENT_VOICE) + pl.col("comment_no").cast(pl.String))
        .otherwise(pl.lit(ARTICLE_VOICE))
    )
    starts = placed["start"].to_list()
    ends = placed["end"].to_list()
    surfaces = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    placed = (
        placed.with_columns(
            text=pl.Series(surfaces, dtype=pl.String),
            speaker=pl.coalesce(pl.col("quote_speaker"), voice),
            _doc=pl.Series(bases, dtype=pl.Int64).search_sorted(placed["start"], side="right") - 1,
        )
        .with_columns((pl.col(c) - pl.col("_base")) for c in ("start", "end", "sentence_start"))
        .select([*MENTION_SCHEMA, "_doc"])
        .cast(MENTION_SCHEMA)
        .sort("start")
    )
    if len(docs) == 1:
        return [placed.drop("_doc")]
    parts = placed.partition_by("_doc", as_dict=True, include_key=False, maintain_order=True)
    empty = placed.clear().drop("_doc")
    return [parts.get((i,), empty) for i in range(len(docs))]


def extract_document(
    doc: Document,
    layouts_dir: Path | None,
    lex: Lexicon,
    *,
    strict_layout: bool | None = None,
    figures: pl.DataFrame | None = None,
) -> ExtractedDocument:
    """Sections and figures of one document, segmented with its layout (``figures``: found
    already, with the document's dollar)."""
    return extract_with(doc, document_layout(doc, layouts_dir, strict_layout), lex, figures)


def document_layout(
    doc: Document, layouts_dir: Path | None, strict_layout: bool | None = None
) -> Layout:
    """The layout ``doc`` is segmented with: the one its metadata names (an error when there
    is no such file), else the one named after its outlet, else the generic one."""
    strict = doc.layout is not None if strict_layout is None else strict_layout
    return load_layout(layouts_dir, doc.layout_name, strict=strict)


def extract_many(
    docs: Sequence[Document],
    layouts: Mapping[str, Layout],
    lex: Lexicon,
    found: Sequence[pl.DataFrame],
) -> list[ExtractedDocument]:
    """:func:`extract_with` of each document (``layouts`` by document id, ``found``: each one's
    figures, found already), the sentences of all of them worked out in one pass."""
    sections = [segment(d.text, layouts[d.doc_id], d.headline, d.author or None) for d in docs]
    sentences = sentences_frames([_paragraphs(s) for s in sections])
    placed = _placed(
        [
            _parts(d.text, secs, figures.clone, lex, sentence)
            for d, secs, sentence, figures in zip(docs, sections, sentences, found, strict=True)
        ]
    )
    return [ExtractedDocument(secs, m) for secs, m in zip(sections, placed, strict=True)]


def extract_with(
    doc: Document, layout: Layout, lex: Lexicon, figures: pl.DataFrame | None = None
) -> ExtractedDocument:
    """:func:`extract_document` with its layout given (an engine's worker reads no file)."""
    return extract_text(
        doc.text, layout, doc.headline, doc.author or None, lex, doc.dollar, figures
    )


def extract_any(
    path: Path,
    layouts_dir: Path | None,
    lexicon_dir: Path | None,
    layout_name: str | None = None,
) -> tuple[Document | None, str, ExtractedDocument]:
    """Sections and figures of any UTF-8 text file, with its seed metadata when it has some.

    A file with a metadata file beside it (a seed) is segmented with its title, author and
    outlet layout; any other file with the named layout, else the generic one.
    """
    lex = load_lexicon(lexicon_dir)
    if path.with_name(path.stem + META_SUFFIX).exists():
        doc = read_document(path)
        if layout_name:
            doc = replace(doc, layout=layout_name)
        return doc, doc.text, extract_document(doc, layouts_dir, lex)
    text = read_text(path)
    layout = load_layout(layouts_dir, layout_name or "default", strict=True)
    return None, text, extract_text(text, layout, None, None, lex)


def extract_file(
    path: Path,
    layouts_dir: Path | None,
    lexicon_dir: Path | None,
    layout_name: str | None = None,
) -> pl.DataFrame:
    """Figures of any UTF-8 text file (see :func:`extract_any`), as `analysis extract`
    prints them."""
    return extract_any(path, layouts_dir, lexicon_dir, layout_name)[2].mentions.select(
        RECORD_FIELDS
    )
