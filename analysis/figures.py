"""Figure extraction: every number in a text, with its span, value, kind, unit and hedge.

One compiled pattern scans the lower-cased text once (linear in its length) and yields the raw
parts of each candidate (currency, digits or number words, scale, percent, compound, time
unit, month). Classifying and normalising the candidates is a table operation in polars
expressions: kinds, values, units and hedges are columns computed for all candidates at once.
Sections, sentences and speakers are attached by as-of joins on the character offsets.

Contract (``analysis extract --format json``): ``start``/``end`` are Python string offsets into
the decoded text (end exclusive) so that ``text[start:end] == surface``; percent values are in
points, fractions are ratios, money is in units of its currency; a date's ``value`` is its year
when the text gives one, and ``iso`` holds the partial ISO date ("--05-15", "2018-10").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from analysis.sections import Section
from analysis.sentences import sentences_frame
from analysis.speakers import ARTICLE_VOICE, find_quotes

MENTION_KINDS = ("money", "percent", "count", "year", "date", "duration", "ordinal", "fraction")

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "units.yaml"

_UNITS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = [
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_WINDOW = 48


def _number_words() -> dict[str, int]:
    words = {w: i + 1 for i, w in enumerate(_UNITS)}
    for t, tens in enumerate(_TENS):
        base = (t + 2) * 10
        words[tens] = base
        for u, unit in enumerate(_UNITS[:9]):
            words[f"{tens}-{unit}"] = base + u + 1
            words[f"{tens} {unit}"] = base + u + 1
    words["hundred"] = 100
    words["dozen"] = 12
    return words


NUMBER_WORDS = _number_words()
ORDINAL_WORDS = {w: i + 2 for i, w in enumerate(_ORDINALS)}


@dataclass(frozen=True, eq=False)
class Lexicon:
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    scales: dict[str, float]
    money_scale_abbreviations: dict[str, float]
    time_units: dict[str, str]
    fraction_denominators: dict[str, int]
    months: dict[str, int]
    hedges_before: list[str]
    hedges_after: list[str]
    not_a_unit: list[str]
    year_cues_before: list[str]


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Lexicon(**data)


def _alt(words: list[str] | dict[str, Any]) -> str:
    """A regex alternation of literal words, longest first so none shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def candidate_pattern(lex: Lexicon) -> str:
    """The one pattern (Rust regex syntax: no look-around) that finds figure candidates in
    lower-cased text. Boundaries are ASCII ``\\b``; what look-around would have excluded is
    filtered afterwards from the text around each candidate."""
    b = r"(?-u:\b)"
    word_num = _alt([w for w in NUMBER_WORDS if " " not in w])
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    number = rf"(?:{b}(?:{digits})|{b}(?:{word_num}){b})"
    month = rf"{b}(?:{_alt(lex.months)})"
    day = rf"\d{{1,2}}(?:st|nd|rd|th)?{b}"
    year = rf"\d{{4}}{b}"
    cur_pre = _alt([c for c in lex.currency_symbols if not c.isalpha()])
    cur_code = _alt([c for c in lex.currency_symbols if c.isalpha()])
    scale = _alt(lex.scales)
    return (
        r"(?P<date>"
        rf"(?P<d_month>{month})\.?\s+(?P<d_day>{b}{day})(?:,?\s+(?P<d_year>{year}))?"
        rf"|(?P<d_day2>{b}{day})\s+(?P<d_month2>{month}){b}(?:,?\s+(?P<d_year2>{year}))?"
        rf"|(?P<d_month3>{month})\.?,?\s+(?P<d_year3>{year})"
        r")"
        rf"|(?P<ordinal>{b}\d+(?:st|nd|rd|th){b}|{b}(?:{_alt(ORDINAL_WORDS)}){b})"
        rf"|(?P<half>{b}half)(?P<half_tail>\s+(?:of|a|an)){b}"
        rf"|(?P<a_frac>{b}a\s(?:{_alt(lex.fraction_denominators)}))(?P<frac_tail>\s+of){b}"
        rf"|(?:(?P<cur>{cur_pre})\s?|(?P<cur_code>{b}(?:{cur_code}))\s)"
        rf"(?P<m_num>{number})"
        rf"(?:\s?(?P<m_scale>{scale}){b}|(?P<m_abbr>{_alt(lex.money_scale_abbreviations)}){b})?"
        rf"|(?P<num>{number})(?:\s(?P<scale>{scale}){b})?"
        rf"(?:\s?(?P<pct>%|percent{b}|per\scent{b})"
        rf"|\s(?P<cur_word>{_alt(lex.currency_words)}){b}"
        r"|-(?P<compound>[a-z]+(?:-[a-z]+)*)"
        rf"|\s(?P<time_unit>{_alt(lex.time_units)}){b})?"
    )


_CANDIDATE_GROUPS = (
    "date d_month d_day d_year d_day2 d_month2 d_year2 d_month3 d_year3 ordinal half half_tail "
    "a_frac frac_tail cur cur_code m_num m_scale m_abbr num scale pct cur_word compound time_unit"
).split()
# Private-use characters that mark candidates while the text is split; two absent from the
# text are chosen per call, so no input can forge a marker.
_MARKER_POOL = [chr(c) for c in range(0xE000, 0xE040)]


def _markers(text: str) -> tuple[str, str]:
    free = [c for c in _MARKER_POOL if c not in text]
    if len(free) < 2:
        raise ValueError("text uses every private-use marker character")  # pragma: no cover
    return free[0], free[1]


def scan(text: str, lex: Lexicon | None = None) -> pl.DataFrame:
    """Raw candidates: offsets, the matched parts, and the text just around each one.

    The text is split into lines; in each line polars (Rust regex, linear time) wraps every
    candidate in marker characters and splits on them, so each candidate's character offset
    is the running sum of the lengths before it.
    """
    lex = lex or load_lexicon()
    low = text.lower()
    fold_case = len(low) != len(text)  # a few letters lower-case to two code points
    haystack = text if fold_case else low
    pattern = ("(?i)" if fold_case else "") + candidate_pattern(lex)
    open_mark, close_mark = _markers(haystack)
    hay_lines = haystack.split("\n")
    lines = pl.DataFrame(
        {"hay": hay_lines, "orig": text.split("\n")}, schema={"hay": pl.String, "orig": pl.String}
    ).with_row_index("line_id")
    lines = lines.with_columns(
        pl.col("orig").str.len_chars().cast(pl.Int64).alias("n")
    ).with_columns(
        line_start=(pl.col("orig").str.len_chars() + 1).cum_sum()
        - (pl.col("orig").str.len_chars() + 1)
    )
    pieces = (
        lines.filter(pl.col("hay").str.contains(pattern))
        .select(
            "line_id",
            "line_start",
            piece=pl.col("hay")
            .str.replace_all(pattern, open_mark + "${0}" + close_mark)
            .str.split(open_mark),
        )
        .with_columns(lead=pl.col("piece").list.first().str.len_chars())
        .with_columns(pl.col("piece").list.slice(1))
        .explode("piece")
        .filter(pl.col("piece").is_not_null())
        .with_columns(part=pl.col("piece").str.split_exact(close_mark, 1))
        .select(
            "line_id",
            "line_start",
            "lead",
            cand=pl.col("part").struct.field("field_0"),
            gap_len=pl.col("part").struct.field("field_1").str.len_chars(),
        )
        .with_columns(
            clen=pl.col("cand").str.len_chars().cast(pl.Int64),
            lead=pl.col("lead").cast(pl.Int64),
            gap_len=pl.col("gap_len").cast(pl.Int64),
        )
        .with_columns(
            in_line=pl.col("lead")
            + (pl.col("clen") + pl.col("gap_len")).cum_sum().over("line_id")
            - (pl.col("clen") + pl.col("gap_len"))
        )
    )
    groups = pl.col("cand").str.extract_groups(f"^(?:{pattern.removeprefix('(?i)')})$")
    if fold_case:
        groups = (
            pl.col("cand").str.to_lowercase().str.extract_groups(f"^(?:{candidate_pattern(lex)})$")
        )
    window = _WINDOW
    # "half of", "a third of": the trailing word confirms the fraction but is not its span.
    tail = (
        pl.coalesce(
            pl.col("parts").struct.field("half_tail"), pl.col("parts").struct.field("frac_tail")
        )
        .str.len_chars()
        .fill_null(0)
        .cast(pl.Int64)
    )
    return (
        pieces.join(lines.select("line_id", "orig"), on="line_id", how="left")
        .with_columns(parts=groups)
        .with_columns(clen=pl.col("clen") - tail)
        .select(
            start=pl.col("line_start") + pl.col("in_line"),
            end=pl.col("line_start") + pl.col("in_line") + pl.col("clen"),
            before=pl.col("orig")
            .str.slice(
                (pl.col("in_line") - window).clip(lower_bound=0),
                pl.min_horizontal(pl.col("in_line"), pl.lit(window)),
            )
            .str.to_lowercase(),
            after=pl.col("orig").str.slice(pl.col("in_line") + pl.col("clen"), window),
            parts=pl.col("parts"),
        )
        .unnest("parts")
        .with_columns([pl.col(g).replace("", None) for g in _CANDIDATE_GROUPS])
        .filter(
            # what look-behind excluded: inside identifiers ("A/RES/73", "COVID-19", "1.2.3")
            ~pl.col("before").str.contains(r"(?:/|[a-z]-|\d[.,])$")
        )
        .sort("start")
    )


def _word_value(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(NUMBER_WORDS, default=None, return_dtype=pl.Float64)


def _number_value(col: str) -> pl.Expr:
    """Digits ("19,000", "0.5") or number words ("seven") as a float."""
    digits = pl.col(col).str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    return pl.coalesce(digits, _word_value(col))


def _ends_with_any(col: str, words: list[str]) -> pl.Expr:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return pl.col(col).str.extract(rf"(?:^|[^a-z])({alternation})\s+$", 1)


def classify(cands: pl.DataFrame, lex: Lexicon | None = None) -> pl.DataFrame:
    """Kinds, values, units and hedges for every candidate, as polars expressions."""
    lex = lex or load_lexicon()
    time_units = lex.time_units
    denominators = {k: float(v) for k, v in lex.fraction_denominators.items()}
    months = {k.rstrip("."): v for k, v in lex.months.items()}
    is_year_number = (
        pl.col("num").str.contains(r"^\d{4}$")
        & pl.col("num").cast(pl.Int64, strict=False).is_between(1800, 2100)
        & pl.col("scale").is_null()
    )
    year_cue = _ends_with_any("before", lex.year_cues_before).is_not_null()
    compound_time = pl.col("compound").replace_strict(time_units, default=None)
    compound_denominator = pl.col("compound").replace_strict(
        denominators, default=None, return_dtype=pl.Float64
    )
    after_hedge = "|".join(re.escape(h) for h in lex.hedges_after)
    stop = set(lex.not_a_unit)
    stop_alt = "|".join(re.escape(w) for w in sorted(stop, key=len, reverse=True))
    # The counted noun: one or two words right after the number (after any "or so"),
    # the second only when the first is not already plural ("member states", "IOM leaders").
    unit_words = pl.col("after").str.extract_groups(
        rf"^(?:\s+(?:{after_hedge}))?\s+(?P<w1>[A-Za-z][\w’'-]*)(?:\s+(?P<w2>[A-Za-z][\w’'-]*))?"
    )
    w1 = unit_words.struct.field("w1")
    w2 = unit_words.struct.field("w2")
    w1_ok = w1.is_not_null() & ~w1.str.to_lowercase().str.contains(rf"^(?:{stop_alt})$")
    w2_ok = (
        w2.is_not_null()
        & ~w2.str.to_lowercase().str.contains(rf"^(?:{stop_alt})$")
        & ~w1.str.contains(r"s$")
        & w2.str.contains(r"s$")
    )
    noun_follows = w1_ok & pl.col("after").str.contains(r"^\s+[a-z]")
    kind = (
        pl.when(pl.col("date").is_not_null())
        .then(pl.lit("date"))
        .when(pl.col("ordinal").is_not_null())
        .then(pl.lit("ordinal"))
        .when(
            pl.col("half").is_not_null()
            | pl.col("a_frac").is_not_null()
            | compound_denominator.is_not_null()
        )
        .then(pl.lit("fraction"))
        .when(pl.col("m_num").is_not_null() | pl.col("cur_word").is_not_null())
        .then(pl.lit("money"))
        .when(pl.col("pct").is_not_null())
        .then(pl.lit("percent"))
        .when(pl.col("time_unit").is_not_null() | compound_time.is_not_null())
        .then(pl.lit("duration"))
        .when(is_year_number & (year_cue | ~noun_follows))
        .then(pl.lit("year"))
        .otherwise(pl.lit("count"))
    )
    scale = pl.coalesce(
        pl.col("scale").replace_strict(lex.scales, default=None, return_dtype=pl.Float64),
        pl.col("m_scale").replace_strict(lex.scales, default=None, return_dtype=pl.Float64),
        pl.col("m_abbr").replace_strict(
            lex.money_scale_abbreviations, default=None, return_dtype=pl.Float64
        ),
        pl.lit(1.0),
    )
    base = pl.coalesce(_number_value("m_num"), _number_value("num"))
    ordinal_value = pl.coalesce(
        pl.col("ordinal").str.extract(r"^(\d+)", 1).cast(pl.Float64, strict=False),
        pl.col("ordinal").replace_strict(ORDINAL_WORDS, default=None, return_dtype=pl.Float64),
    )
    fraction_value = (
        pl.when(pl.col("half").is_not_null())
        .then(pl.lit(0.5))
        .when(pl.col("a_frac").is_not_null())
        .then(
            1.0
            / pl.col("a_frac")
            .str.slice(2)
            .replace_strict(denominators, default=None, return_dtype=pl.Float64)
        )
        .otherwise(base / compound_denominator)
        .round(4)
    )
    date_year = pl.coalesce("d_year", "d_year2", "d_year3").cast(pl.Int64, strict=False)
    date_month = (
        pl.coalesce("d_month", "d_month2", "d_month3")
        .str.strip_chars_end(".")
        .replace_strict(months, default=None, return_dtype=pl.Int64)
    )
    date_day = pl.coalesce("d_day", "d_day2").str.extract(r"^(\d+)", 1).cast(pl.Int64)
    iso = (
        pl.when(date_year.is_not_null()).then(date_year.cast(pl.String)).otherwise(pl.lit("-"))
        + pl.lit("-")
        + date_month.cast(pl.String).str.zfill(2)
        + pl.when(date_day.is_not_null())
        .then(pl.lit("-") + date_day.cast(pl.String).str.zfill(2))
        .otherwise(pl.lit(""))
    )
    currency = pl.coalesce(
        pl.col("cur").replace_strict(lex.currency_symbols, default=None),
        pl.col("cur_code").replace_strict(lex.currency_symbols, default=None),
        pl.col("cur_word").replace_strict(lex.currency_words, default=None),
    )
    counted_noun = pl.when(w1_ok & w2_ok).then(w1 + " " + w2).when(w1_ok).then(w1)
    unit = (
        pl.when(pl.col("kind") == "money")
        .then(currency)
        .when(pl.col("kind") == "percent")
        .then(pl.lit("percent"))
        .when(pl.col("kind") == "duration")
        .then(
            pl.coalesce(pl.col("time_unit").replace_strict(time_units, default=None), compound_time)
        )
        .when(pl.col("kind") == "count")
        .then(pl.coalesce(pl.col("compound"), counted_noun))
    )
    hedge = pl.coalesce(
        _ends_with_any("before", lex.hedges_before),
        pl.col("after").str.extract(rf"^\s+({after_hedge})(?:[^a-z]|$)", 1),
    )
    value = (
        pl.when(pl.col("kind") == "date")
        .then(date_year.cast(pl.Float64))
        .when(pl.col("kind") == "ordinal")
        .then(ordinal_value)
        .when(pl.col("kind") == "fraction")
        .then(fraction_value)
        .when(pl.col("kind").is_in(["duration", "year"]))
        .then(base)
        .otherwise(base * scale)
    )
    bare_one = pl.col("num") == "one"
    one_is_figure = (
        pl.col("compound").is_not_null()
        | pl.col("time_unit").is_not_null()
        | pl.col("before").str.contains(r"(?:^|[^a-z])only\s+$")
        | pl.col("after").str.contains(r"^\s+of\s+(?:\d|[a-z]+(?:\s|$))")
    )
    enumerator = pl.col("num").str.contains(r"^\d{1,2}$") & (
        (pl.col("after").str.starts_with(")") & ~pl.col("before").str.ends_with("("))
        | (pl.col("after").str.contains(r"^\.\s") & pl.col("before").str.contains(r"(?:^|\n)\s*$"))
    )
    return (
        cands.with_columns(kind=kind)
        .filter(~(bare_one & ~one_is_figure).fill_null(False) & ~enumerator.fill_null(False))
        .with_columns(
            value=value,
            unit=unit,
            approx=hedge,
            iso=pl.when(pl.col("kind") == "date").then(iso),
        )
        .select("start", "end", "kind", "value", "unit", "approx", "iso")
    )


CHUNK_CHARS = 4_000_000


def find_figures(text: str, chunk_chars: int = CHUNK_CHARS) -> pl.DataFrame:
    """:func:`classify` of :func:`scan`, a few megabytes at a time (cut at line breaks), so time
    and memory stay proportional to the text's length however long it is."""
    parts = []
    start = 0
    while start < len(text) or not parts:
        end = (
            len(text)
            if len(text) - start <= chunk_chars
            else text.rfind("\n", start, start + chunk_chars)
        )
        if end <= start:  # one line longer than a chunk: take it whole
            end = text.find("\n", start + chunk_chars)
            end = len(text) if end < 0 else end
        found = classify(scan(text[start:end]))
        parts.append(found.with_columns(pl.col("start") + start, pl.col("end") + start))
        start = end
        if start >= len(text):
            break
    return pl.concat(parts) if len(parts) > 1 else parts[0]


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


def extract_mentions(text: str, sections: list[Section]) -> pl.DataFrame:
    """Every figure in ``text`` outside page furniture, with section, sentence and speaker."""
    figures = find_figures(text)
    kept = [s for s in sections if s.kind != "boilerplate"]
    section_spans = pl.DataFrame(
        {
            "section_start": [s.start for s in kept],
            "section_end": [s.end for s in kept],
            "section": [s.kind for s in kept],
            "section_no": [s.section_no for s in kept],
            "comment_no": [s.comment_no for s in kept],
        },
        schema={
            "section_start": pl.Int64,
            "section_end": pl.Int64,
            "section": pl.String,
            "section_no": pl.Int64,
            "comment_no": pl.Int64,
        },
    )
    sentence_frame = sentences_frame([(s.start, s.text) for s in kept])
    quotes = find_quotes(text, [(s.start, s.end) for s in kept])
    quote_frame = pl.DataFrame(
        {
            "quote_start": [q.start for q in quotes],
            "quote_end": [q.end for q in quotes],
            "quote_speaker": [q.speaker for q in quotes],
        },
        schema={"quote_start": pl.Int64, "quote_end": pl.Int64, "quote_speaker": pl.String},
    )
    placed = _attach(figures, section_spans, "section").filter(pl.col("section").is_not_null())
    placed = _attach(placed, sentence_frame, "sentence", keep_start=True)
    placed = _attach(placed, quote_frame, "quote")
    voice = (
        pl.when(pl.col("section") == "reader_comment")
        .then(pl.lit("reader comment ") + pl.col("comment_no").cast(pl.String))
        .otherwise(pl.lit(ARTICLE_VOICE))
    )
    starts = placed["start"].to_list()
    ends = placed["end"].to_list()
    surfaces = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    return (
        placed.with_columns(
            text=pl.Series(surfaces, dtype=pl.String),
            speaker=pl.coalesce(pl.col("quote_speaker"), voice),
        )
        .select(list(MENTION_SCHEMA))
        .cast(MENTION_SCHEMA)
        .sort("start")
    )
