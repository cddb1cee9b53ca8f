"""Finding figure candidates: one pattern over the text, linear in its length.

One compiled pattern (Rust regex syntax through polars: no look-around, no back-references)
scans the original text once. Words whose case matters are written in the pattern: month names
must be capitalised ("May 15", not "may be"), currency codes upper case ("USD 250", not
"all 5"), the rest is case-insensitive. Each match is wrapped in marker characters and the
lines are split on them, so every candidate comes with its character offsets and the text just
before and after it (from its neighbouring gaps, never by slicing a long line).
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

from analysis.figures.digits import GROUP_SPACES, LOW_COMMA
from analysis.figures.lexicon import NUMBER_WORDS, ORDINAL_WORDS, Lexicon, alternation

WINDOW = 64  # characters of context kept before and after each candidate
SEGMENT = 4096  # long lines are cut near this length (at a sentence end or a space)
B = r"(?-u:\b)"


def _ci(words: object) -> str:
    """A case-insensitive alternation of literal words."""
    return f"(?i:{alternation(words)})"


def _capitalised(words: object) -> str:
    """Words that must start with a capital (the rest in any case): ``May``, ``MAY``."""
    parts = sorted(set(words), key=lambda w: (-len(w), w))  # type: ignore[call-overload]
    return (
        "(?:" + "|".join(f"{re.escape(w[0].upper())}(?i:{re.escape(w[1:])})" for w in parts) + ")"
    )


@lru_cache(maxsize=8)
def candidate_pattern(lex: Lexicon) -> str:
    """The one pattern that finds every figure candidate, with a named group per part."""
    # "1,73,954" (Indian grouping), "19,000", "0.5"
    # "1 000 000" with no-break or thin spaces between its groups (docs/hostile-input.md)
    digits = (
        r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
        rf"|\d{{1,3}}(?:[{GROUP_SPACES}]\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:{LOW_COMMA}\d{{3}})+(?:\.\d+)?"
        r"|\d+(?:\.\d+)?"
    )
    words = _ci([w for w in NUMBER_WORDS if w != "zero"] + ["zero"])
    num = rf"(?:{B}(?:{digits})|{B}{words}{B})"
    num_after_sign = rf"(?:{digits}|\.\d+|{B}{words}{B})"
    year = r"(?:1[89]|20)\d{2}"
    full_month = _capitalised(lex.months)
    any_month = rf"(?:{full_month}|{_capitalised(lex.month_abbreviations)}\.?)"
    scales = _ci(lex.scales)
    scale_seq = rf"{scales}(?:\s+{scales})?"
    abbr = {k for k in lex.scale_abbreviations if len(k) > 1}
    signs = lex.currency_signs
    sign_alt = alternation(s for s in signs if not s[0].isalpha())
    code_alt = alternation(s for s in signs if s[0].isalpha())
    # a currency noun, possibly with the words of its full name before it ("Canadian dollars",
    # "Swiss francs"); the full name is resolved against CLDR's names when classifying
    cur_names = rf"(?:(?:[A-Z][A-Za-z]{{1,15}}|U\.S\.)\s){{0,2}}{_ci(lex.currency_nouns)}"
    subunits = _ci(lex.currency_subunits)
    # fractions are written in lower case ("two thirds"); "2018 Fourth Quarter" is no fraction
    denominators = f"(?:{alternation(lex.fraction_denominators)})"
    singular_denominators = _ci([d for d in lex.fraction_denominators if not d.endswith("s")])
    time_units = _ci(lex.time_units)
    glued = alternation(lex.glued_units)
    ordinals = _ci(ORDINAL_WORDS)
    cur_before = _ci(lex.currency_nouns_before)
    a_scales = _ci(["hundred", "thousand", "million", "billion", "trillion", "dozen"])
    return (
        # ---------------------------------------------------------------- not figures
        r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?i:[ap]\.?m\.?))?"
        rf"|\d{{1,2}}(?:[.:]\d{{2}})?\s?(?i:[ap]\.m\.|[ap]m{B})"
        rf"|\d{{4}}\s?(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|hrs|HRS){B}"
        # a phone number with its country code: "(+353) 1 498 4230", "+44 20 7946 0958"
        rf"|\(?\+\d{{1,3}}\)? \d{{1,4}}(?:[ -]\d{{2,4}}){{1,}}{B})"
        # ---------------------------------------------------------------- dates
        rf"|(?P<iso>{year}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])){B}"
        rf"|(?P<numdate>\d{{1,2}}[/.]\d{{1,2}}[/.](?:\d{{4}}|\d{{2}})){B}"
        rf"|(?P<md_month>{any_month})\s+(?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?{B}"
        rf"(?:\s?[-–]\s?(?P<md_day_to>\d{{1,2}}){B})?(?:,?\s+(?P<md_year>{year}){B})?"
        rf"|(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:(?:\s?[-–]\s?|\s+to\s+)(?P<dm_day_to>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?)?"
        rf"(?:\s+of)?\s+(?P<dm_month>{any_month}){B}"
        rf"(?:,?\s+(?P<dm_year>{year}){B})?"
        rf"|(?P<my_month>{any_month}),?\s+(?P<my_year>{year}{B}|'\d{{2}}{B})"
        rf"|(?P<mm_month>{full_month}{B}|{_capitalised(lex.month_abbreviations)}\.)"
        rf"(?:\s?[-–]\s?(?P<mm_month_to>{any_month}))?(?:,?\s+(?P<mm_year>{year}){B})?"
        # ---------------------------------------------------------------- money
        rf"|(?P<cur>{sign_alt}|{B}(?:{code_alt})\.?)\s?(?P<m_num>{num_after_sign})"
        rf"(?:[\s-]?(?P<m_scale>{scale_seq}){B}|\s?(?P<m_abbr>{_ci(abbr)}){B}"
        # a single letter written on the amount, or after one space ("$25.39 B", "$ 548.1 m")
        rf"|(?P<m_abbr1>(?i:[kmb])|\s[KMBmb]){B})?(?:\s(?P<m_name>{cur_names}){B})?"
        rf"|(?P<name_before>{B}{cur_before})\s+(?P<nb_num>{num})"
        rf"(?:[\s-]?(?P<nb_scale>{scale_seq}){B}|(?P<nb_abbr>{_ci(lex.scale_abbreviations)}){B})"
        # ---------------------------------------------------------------- words
        rf"|(?P<halfway>{B}(?i:halfway)){B}"
        rf"|(?P<half>{B}(?i:half)){B}"
        rf"|(?P<a_frac>{B}(?i:an?)\s+{singular_denominators}){B}"
        rf"|(?P<mult>{B}{_ci(lex.multipliers)}){B}"
        rf"|(?P<a_scale>{B}(?i:an?)\s+(?P<as_scale>{a_scales})){B}(?:\s(?P<as_name>{cur_names}){B})?"
        rf"|(?P<ordinal>(?:\d+(?:st|nd|rd|th)|{B}{ordinals}{B})(?:-[A-Za-z]+{B})?)"
        # ---------------------------------------------------------------- years
        rf"|(?P<decade>{year})s{B}"
        rf"|{B}(?:[1-4]Q|Q[1-4]|[12]H|H[12])?FY(?P<fy>{year}|\d{{2}}){B}"
        rf"|(?P<yr>{year})(?P<yr_sep>[-–/])(?P<yr_to>\d{{4}}|\d{{1,2}}){B}"
        rf"|(?P<slash_num>\d{{1,3}})/(?P<slash_den>\d{{1,3}}){B}"
        rf"|(?P<nfold>{B}(?:{words}|\d+))-?(?i:fold){B}"
        # ---------------------------------------------------------------- numbers
        rf"|(?P<num>{num})"
        rf"(?:[\s-](?P<scale>{scale_seq}){B}|(?P<abbr>{_ci(lex.scale_abbreviations)}){B})?"
        # points before percent: "0.19 per cent points" is a change in points
        rf"(?:[\s-](?P<pts>(?i:percentage|basis|per\s?cent|percent)[\s-]points?{B}|(?i:bps){B})"
        rf"|\s?-?\s?(?P<pct>%|(?i:percent|per[\s-]?cent|pct|pc){B})"
        rf"|\s?(?P<cur_name>{cur_names}|{subunits}){B}"
        rf"|\s+(?P<and_half>(?i:and\s+a\s+half)){B}(?:\s(?P<ah_unit>{time_units}){B})?"
        rf"|(?:\s+(?i:in)\s+|-(?i:in)-)(?P<in_den>\d{{1,3}}|{words}){B}"
        rf"(?:[\s-](?P<in_scale>{scale_seq}){B})?"
        rf"|[\s-](?P<frac_word>{denominators}){B}"
        rf"|\s(?P<time_unit>{time_units}){B}"
        rf"|-(?P<compound>[A-Za-z]+(?:-[A-Za-z]+)*){B}"
        rf"|\s(?P<times>(?i:times)){B}"
        rf"|-?(?P<fold>(?i:fold)){B}"
        rf"|(?P<glued>{glued}){B}"
        r")?"
    )


CANDIDATE_GROUPS = (
    "clock iso numdate md_month md_day md_day_to md_year dm_day dm_day_to dm_month dm_year "
    "my_month my_year mm_month mm_month_to mm_year cur m_num m_scale m_abbr m_abbr1 m_name "
    "name_before fy "
    "nb_num nb_scale nb_abbr halfway half a_frac mult a_scale as_scale as_name ordinal decade yr "
    "yr_sep "
    "yr_to slash_num slash_den nfold num scale abbr pct pts cur_name and_half ah_unit in_den "
    "in_scale "
    "frac_word "
    "time_unit compound times fold glued"
).split()

# Private-use characters that mark candidates while the text is split; two absent from the
# text are chosen per call, so no input can forge a marker: the Basic Multilingual Plane's
# private use area, 6,400 characters (texts joined for one pass, each using a few hundred of
# them, must still leave two free: each alone would)
_MARKER_FIRST, _MARKER_LAST = 0xE000, 0xF8FF
_PRIVATE_USE = re.compile(f"[{chr(_MARKER_FIRST)}-{chr(_MARKER_LAST)}]")


def markers(text: str) -> tuple[str, str]:
    first, second = chr(_MARKER_FIRST), chr(_MARKER_FIRST + 1)
    if first not in text and second not in text:  # usually: two passes over the text in C
        return first, second
    used = set(_PRIVATE_USE.findall(text))
    free = [chr(c) for c in range(_MARKER_FIRST, _MARKER_LAST + 1) if chr(c) not in used][:2]
    if len(free) < 2:
        raise ValueError("text uses every private-use marker character")  # pragma: no cover
    return free[0], free[1]


def segments(text: str, limit: int = SEGMENT) -> tuple[list[str], list[int]]:
    """The text cut into lines, and lines longer than ``limit`` cut again near it (after a
    sentence end if there is one, else at a space), with each piece's starting offset. No
    figure spans a sentence end or lives across the space chosen."""
    pieces: list[str] = []
    starts: list[int] = []
    at = 0
    for line in text.split("\n"):
        begin = 0
        while len(line) - begin > limit:
            window = line[begin + limit // 2 : begin + limit]
            cut = window.rfind(". ")
            cut = cut + 2 if cut >= 0 else window.rfind(" ") + 1
            cut = begin + limit // 2 + cut if cut > 0 else begin + limit
            pieces.append(line[begin:cut])
            starts.append(at + begin)
            begin = cut
        pieces.append(line[begin:])
        starts.append(at + begin)
        at += len(line) + 1
    return pieces, starts


@lru_cache(maxsize=8)
def finding_pattern(lex: Lexicon) -> str:
    """The candidate pattern without its capture groups: finding matches without resolving
    groups is ten times faster; groups are read afterwards from the (few, short) matches."""
    return re.sub(r"\(\?P<\w+>", "(?:", candidate_pattern(lex))


def scan(text: str, lex: Lexicon) -> pl.DataFrame:
    """Raw candidates: offsets, the matched text, the text around it and the pattern's parts."""
    pattern = candidate_pattern(lex)
    finding = finding_pattern(lex)
    open_mark, close_mark = markers(text)
    pieces, starts = segments(text)
    lines = pl.DataFrame(
        {"line": pieces, "line_start": starts}, schema={"line": pl.String, "line_start": pl.Int64}
    ).with_row_index("line_id")
    split = (
        lines.filter(pl.col("line").str.contains(finding))
        .select(
            "line_id",
            "line_start",
            piece=pl.col("line")
            .str.replace_all(finding, open_mark + "${0}" + close_mark)
            .str.split(open_mark),
        )
        .with_columns(lead=pl.col("piece").list.first())
        .with_columns(pl.col("piece").list.slice(1))
        .explode("piece")
        .filter(pl.col("piece").is_not_null())
        .with_columns(part=pl.col("piece").str.split_exact(close_mark, 1))
        .select(
            "line_id",
            "line_start",
            "lead",
            cand=pl.col("part").struct.field("field_0"),
            gap=pl.col("part").struct.field("field_1"),
        )
    )
    # the text just before and after a candidate, through its neighbours ("one of 17"); rows
    # are in text order, so a neighbour is the previous or next row of the same line
    same_prev = pl.col("line_id").shift(1) == pl.col("line_id")
    same_prev2 = pl.col("line_id").shift(2) == pl.col("line_id")
    same_next = pl.col("line_id").shift(-1) == pl.col("line_id")
    prev_cand = pl.when(same_prev).then(pl.col("cand").shift(1)).otherwise(pl.lit(""))
    gap_before = pl.when(same_prev).then(pl.col("gap").shift(1)).otherwise(pl.col("lead"))
    gap_before_previous = (
        pl.when(same_prev2)
        .then(pl.col("gap").shift(2))
        .when(same_prev)
        .then(pl.col("lead"))
        .otherwise(pl.lit(""))
    )
    before = gap_before_previous.str.slice(-WINDOW) + prev_cand + gap_before
    after = (
        pl.col("gap")
        + pl.when(same_next).then(pl.col("cand").shift(-1)).otherwise(pl.lit(""))
        + pl.when(same_next)
        .then(pl.col("gap").shift(-1).str.slice(0, WINDOW))
        .otherwise(pl.lit(""))
    )
    clen = pl.col("cand").str.len_chars().cast(pl.Int64)
    glen = pl.col("gap").str.len_chars().cast(pl.Int64)
    lead_len = pl.col("lead").str.len_chars().cast(pl.Int64)
    step = clen + glen
    exclusive = step.cum_sum() - step
    line_base = pl.when(~same_prev.fill_null(False)).then(exclusive).forward_fill()
    in_line = lead_len + exclusive - line_base
    # the pattern's parts, read once per distinct candidate text
    distinct = split.select(pl.col("cand").unique())
    parts = (
        distinct.with_columns(parts=pl.col("cand").str.extract_groups(f"^(?:{pattern})$"))
        .unnest("parts")
        .with_columns([pl.col(g).replace("", None) for g in CANDIDATE_GROUPS])
    )
    return (
        split.with_columns(
            start=pl.col("line_start") + in_line,
            before=before.str.slice(-WINDOW),
            after=after.str.slice(0, WINDOW),
            gap_after=glen,
        )
        .with_columns(end=pl.col("start") + clen)
        .drop("lead", "gap", "line_start")
        .join(parts, on="cand", how="left", maintain_order="left")
    )
