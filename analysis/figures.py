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
from analysis.sentences import sentence_spans
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
def scanner(lex: Lexicon) -> re.Pattern[str]:
    """The one pattern that finds figure candidates in lower-cased text."""
    word_num = _alt([w for w in NUMBER_WORDS if " " not in w])
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    number = rf"(?:{digits}|(?:{word_num})(?![a-z]))"
    months = _alt(lex.months)
    month = rf"(?:{months})(?![a-z])"
    day = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
    year = r"\d{4}(?!\d)"
    cur_pre = _alt([c for c in lex.currency_symbols if not c.isalpha()])
    cur_code = _alt([c for c in lex.currency_symbols if c.isalpha()])
    cur_word = _alt(lex.currency_words)
    scale = _alt(lex.scales)
    abbr = _alt(lex.money_scale_abbreviations)
    time_unit = _alt(lex.time_units)
    denominators = _alt(lex.fraction_denominators)
    ordinal_word = _alt(ORDINAL_WORDS)
    pattern = rf"""
    (?<![\w$£€¥.,/])(?<![a-z]-)
    (?:
        (?P<date>
            (?P<d_month>{month})\.?\s+(?P<d_day>{day})(?:,?\s+(?P<d_year>{year}))?
          | (?P<d_day2>{day})\s+(?P<d_month2>{month})(?:,?\s+(?P<d_year2>{year}))?
          | (?P<d_month3>{month})\.?,?\s+(?P<d_year3>{year})
        )
      | (?P<ordinal>\d+(?:st|nd|rd|th)(?![a-z0-9])|(?:{ordinal_word})(?![a-z-]))
      | (?P<half>half)(?=\s+(?:of|a|an)\s)
      | (?P<a_frac>a\s(?:{denominators}))(?=\s+of\s)
      | (?:(?P<cur>{cur_pre})\s?|(?P<cur_code>{cur_code})\s)
        (?P<m_num>{number})(?:\s?(?P<m_scale>{scale})(?![a-z])|(?P<m_abbr>{abbr})(?![a-z]))?
      | (?P<num>{number})
        (?:\s(?P<scale>{scale})(?![a-z]))?
        (?:
            \s?(?P<pct>%|percent(?![a-z])|per\scent(?![a-z]))
          | \s(?P<cur_word>{cur_word})(?![a-z])
          | -(?P<compound>[a-z]+(?:-[a-z]+)*)
          | \s(?P<time_unit>{time_unit})(?![a-z])
        )?
    )
    """
    return re.compile(pattern, re.VERBOSE)


def _lowered(text: str) -> tuple[str, bool]:
    """Lower-case ``text`` when that keeps every offset; else scan case-insensitively."""
    low = text.lower()
    if len(low) == len(text):
        return low, False
    return text, True


_CANDIDATE_GROUPS = [
    "date",
    "d_month",
    "d_day",
    "d_year",
    "d_day2",
    "d_month2",
    "d_year2",
    "d_month3",
    "d_year3",
    "ordinal",
    "half",
    "a_frac",
    "cur",
    "cur_code",
    "m_num",
    "m_scale",
    "m_abbr",
    "num",
    "scale",
    "pct",
    "cur_word",
    "compound",
    "time_unit",
]


def scan(text: str, lex: Lexicon | None = None) -> pl.DataFrame:
    """Raw candidates: offsets, the matched parts, and the text just around each one."""
    lex = lex or load_lexicon()
    haystack, fold_case = _lowered(text)
    pattern = scanner(lex)
    if fold_case:
        pattern = re.compile(pattern.pattern, re.VERBOSE | re.IGNORECASE)
    columns: dict[str, list[Any]] = {g: [] for g in _CANDIDATE_GROUPS}
    starts: list[int] = []
    ends: list[int] = []
    befores: list[str] = []
    afters: list[str] = []
    for m in pattern.finditer(haystack):
        s, e = m.span()
        starts.append(s)
        ends.append(e)
        befores.append(haystack[max(0, s - _WINDOW) : s].lower())
        afters.append(text[e : e + _WINDOW])
        groups = m.groupdict()
        for g in _CANDIDATE_GROUPS:
            value = groups[g]
            columns[g].append(value.lower() if (value and fold_case) else value)
    return pl.DataFrame(
        {"start": starts, "end": ends, "before": befores, "after": afters, **columns},
        schema={
            "start": pl.Int64,
            "end": pl.Int64,
            "before": pl.String,
            "after": pl.String,
            **{g: pl.String for g in _CANDIDATE_GROUPS},
        },
    )


def _word_value(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(NUMBER_WORDS, default=None, return_dtype=pl.Float64)


def _number_value(col: str) -> pl.Expr:
    """Digits ("19,000", "0.00000125") or number words ("seven") as a float."""
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
    plural_noun_after = pl.col("after").str.contains(r"^\s+[a-z]+s\b")
    year_cue = _ends_with_any("before", lex.year_cues_before).is_not_null()
    compound_time = pl.col("compound").replace_strict(time_units, default=None)
    compound_denominator = pl.col("compound").replace_strict(
        denominators, default=None, return_dtype=pl.Float64
    )
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
        .when(is_year_number & (year_cue | ~plural_noun_after))
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
    "section": pl.String,
    "section_no": pl.Int64,
    "comment_no": pl.Int64,
    "speaker": pl.String,
}


def _attach(mentions: pl.DataFrame, spans: pl.DataFrame, name: str) -> pl.DataFrame:
    """Join each mention to the span (section, sentence, quote) that contains it."""
    joined = mentions.sort("start").join_asof(
        spans.sort(f"{name}_start"), left_on="start", right_on=f"{name}_start", strategy="backward"
    )
    inside = pl.col("end") <= pl.col(f"{name}_end")
    return joined.with_columns(
        [pl.when(inside).then(pl.col(c)).alias(c) for c in spans.columns if c != f"{name}_start"]
    ).drop(f"{name}_start", f"{name}_end")


def extract_mentions(text: str, sections: list[Section]) -> pl.DataFrame:
    """Every figure in ``text`` outside page furniture, with section, sentence and speaker."""
    figures = classify(scan(text))
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
    sentences = [
        (s0, s1, text[s0:s1]) for s in kept for (s0, s1) in sentence_spans(s.text, s.start)
    ]
    sentence_frame = pl.DataFrame(
        {
            "sentence_start": [r[0] for r in sentences],
            "sentence_end": [r[1] for r in sentences],
            "sentence": [r[2] for r in sentences],
        },
        schema={"sentence_start": pl.Int64, "sentence_end": pl.Int64, "sentence": pl.String},
    )
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
    placed = _attach(placed, sentence_frame, "sentence")
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
