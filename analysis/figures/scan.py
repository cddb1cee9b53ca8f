"""Finding figure candidates: one pattern over the lower-cased text, linear in its length.

One compiled pattern (Rust regex syntax through polars: no look-around, no back-references)
scans the text once and yields the raw parts of each candidate (currency, digits or number
words, scale, percent, compound, time unit, month) with its character offsets.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from analysis.figures.lexicon import (
    NUMBER_WORDS,
    ORDINAL_WORDS,
    Lexicon,
    alternation,
)

_WINDOW = 48
_alt = alternation


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


def scan(text: str, lex: Lexicon) -> pl.DataFrame:
    """Raw candidates: offsets, the matched parts, and the text just around each one.

    The text is split into lines; in each line polars (Rust regex, linear time) wraps every
    candidate in marker characters and splits on them, so each candidate's character offset
    is the running sum of the lengths before it.
    """
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
