"""Classifying figure candidates: kinds, values, units and hedges, as polars expressions over
the table of candidates (no Python loop per figure). The rules are docs/figure-rules.md.

1. Drop what is not a figure: clock times, digits inside names and identifiers, bare months
   with nothing that makes them dates, "half" naming a period, "24/7".
2. Split the candidates that hold two figures (a fiscal range "2030-31", a day range
   "July 9-11", a month range "January-March 2023") into two rows.
3. Kinds and values; a range's unit, scale and currency written once apply to both ends.
4. Units, hedges and the currency of subunits.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import polars as pl

from analysis.figures.digits import GROUP_SPACES, LOW_COMMA
from analysis.figures.lexicon import DOLLAR, NUMBER_WORDS, ORDINAL_WORDS, Lexicon, alternation
from analysis.figures.scan import WINDOW
from analysis.vocab import METRE_UNIT, SIGNED_KINDS

_SEPARATORS = f"[,{LOW_COMMA}{GROUP_SPACES}]"  # between digit groups: "19,000", "1 000 000"

MONEY_PARTS = ("cur", "name_before", "m_name")
_COLLECT: dict = {"engine": "in-memory"}


def _plan_flags() -> pl.QueryOptFlags:
    """Of Polars' query optimizations, the two that pay on this plan (hundreds of expressions,
    many repeated: ``bare``, the lower-cased windows): common subexpressions evaluated once,
    and columns no later step reads never computed. The whole optimizer costs about 10 ms a call
    whatever the input; these two alone make a one-sentence text 15-25 % cheaper than the
    plan as written and half a megabyte as fast as the whole optimizer (measured side by side;
    docs/architecture.md). The results are the same under any flags (a test compares)."""
    flags = pl.QueryOptFlags.none()
    flags.comm_subexpr_elim = True
    flags.projection_pushdown = True
    return flags


PLAN_FLAGS = _plan_flags()


def _lower_map(mapping: dict) -> dict:
    return {str(k).lower(): v for k, v in mapping.items()}


def _word(col: str | pl.Expr, mapping: dict, dtype: pl.DataType = pl.Float64) -> pl.Expr:
    expr = pl.col(col) if isinstance(col, str) else col
    return expr.str.to_lowercase().replace_strict(
        _lower_map(mapping), default=None, return_dtype=dtype
    )


def _number(col: str) -> pl.Expr:
    """Digits ("19,000", "0.5") or number words ("seven", "Twenty-five") as a float."""
    digits = pl.col(col).str.replace_all(_SEPARATORS, "").cast(pl.Float64, strict=False)
    return pl.coalesce(digits, _word(col, {k: float(v) for k, v in NUMBER_WORDS.items()}))


def _scale(col: str, lex: Lexicon) -> pl.Expr:
    """A scale word or two ("million", "lakh crore") as their product; 1 when absent."""
    table = {k.lower(): float(v) for k, v in lex.scales.items()}
    words = pl.col(col).str.to_lowercase().str.split(" ")
    first = words.list.first().replace_strict(table, default=None, return_dtype=pl.Float64)
    second = (
        pl.when(words.list.len() > 1)
        .then(words.list.last().replace_strict(table, default=None, return_dtype=pl.Float64))
        .otherwise(1.0)
    )
    return first * second


def _capital_first(words: list[str]) -> str:
    """An alternation of ``words`` each written with a capital first letter."""
    return alternation(w[:1].upper() + w[1:] for w in words)


def _two_digit_year(col: str | pl.Expr) -> pl.Expr:
    """ "19" → 2019, "99" → 1999: a two-digit year from 70 is in the 1900s (figure rules)."""
    yy = (pl.col(col) if isinstance(col, str) else col).cast(pl.Float64, strict=False)
    return pl.when(yy >= 70).then(yy + 1900).otherwise(yy + 2000)


def _ends_with(col: str, words: list[str]) -> pl.Expr:
    """The word or phrase of ``words`` that the (lower-case) column ends with, else null."""
    return pl.col(col).str.extract(rf"(?:^|[^a-z])({alternation(words)})\s+$", 1)


def _explode_tails(cands: pl.LazyFrame) -> pl.LazyFrame:
    """Candidates that hold two figures become two rows: the first keeps the head of the text,
    the second (``tail = True``) starts after the separator."""
    head_len = (
        pl.when(pl.col("md_day_to").is_not_null())
        .then(pl.col("cand").str.extract(r"^(.*?\d{1,2})(?:st|nd|rd|th)?\s?[-–]", 1))
        .when(pl.col("dm_day_to").is_not_null())
        .then(pl.col("dm_day"))
        .when(pl.col("season"))
        .then(pl.col("slash_num"))
        .when(pl.col("mm_month_to").is_not_null())
        .then(pl.col("cand").str.extract(r"^([A-Za-z]+\.?)\s?[-–]", 1))
        .when(pl.col("yr_to").is_not_null())
        .then(pl.col("yr"))
        .str.len_chars()
        .cast(pl.Int64)
    )
    tail_at = (
        pl.when(pl.col("md_day_to").is_not_null() | pl.col("dm_day_to").is_not_null())
        .then(pl.col("cand").str.find(r"[-–]\s?\d|\s+to\s+\d"))
        .when(pl.col("season"))
        .then(pl.col("cand").str.find("/", literal=True))
        .when(pl.col("mm_month_to").is_not_null())
        .then(pl.col("cand").str.find(r"[-–]\s?[A-Z]"))
        .when(pl.col("yr_to").is_not_null())
        .then(pl.col("cand").str.find(r"[-–/]\d"))
    ).cast(pl.Int64)
    cands = cands.with_columns(head_len=head_len, tail_at=tail_at)
    double = pl.col("head_len").is_not_null()
    heads = cands.with_columns(
        end=pl.when(double).then(pl.col("start") + pl.col("head_len")).otherwise(pl.col("end")),
        tail=pl.lit(False),
    )
    sep = pl.col("cand").str.slice(pl.col("tail_at")).str.extract(r"^([-–/]\s?|\s+to\s+)", 1)
    tails = cands.filter(double).with_columns(
        start=pl.col("start") + pl.col("tail_at") + sep.str.len_chars().cast(pl.Int64),
        tail=pl.lit(True),
    )
    return pl.concat([heads, tails], how="vertical").drop("head_len", "tail_at").sort("start")


# the "in M" of a candidate "N in M", a scale word or two included ("in 292 million")
_IN_WHOLE = r"(?:\s+(?i:in)\s+|-(?i:in)-)\S+(?:[\s-][^\W\d]+)*$"


def _parts_of_wholes(cands: pl.LazyFrame) -> pl.LazyFrame:
    """A candidate "N in M" is a part of a whole only when N, without a scale word, is at most
    M ("one in four", "7-in-10"); otherwise it is N alone, its "in M" the text after it
    ("killed 150 in 3 days" → 150; "2.5 million in 140 nations" → 2.5 million)."""
    whole = pl.coalesce(
        pl.col("in_den").cast(pl.Float64, strict=False),
        _word("in_den", {k: float(v) for k, v in NUMBER_WORDS.items()}),
    )
    part = pl.col("in_den").is_null() | (
        pl.col("scale").is_null()
        & pl.col("abbr").is_null()
        & (_number("num") <= whole).fill_null(False)
    )
    rest = pl.col("cand").str.extract(f"({_IN_WHOLE})", 1)
    cut = rest.str.len_chars().cast(pl.Int64)
    return cands.with_columns(
        cand=pl.when(part).then(pl.col("cand")).otherwise(pl.col("cand").str.head(-cut)),
        end=pl.when(part).then(pl.col("end")).otherwise(pl.col("end") - cut),
        after=pl.when(part)
        .then(pl.col("after"))
        .otherwise((rest + pl.col("after")).str.slice(0, WINDOW)),
        gap_after=pl.when(part).then(pl.col("gap_after")).otherwise(pl.col("gap_after") + cut),
        in_den=pl.when(part).then(pl.col("in_den")),
    )


def classify(cands: pl.DataFrame, lex: Lexicon, dollar: str = "USD") -> pl.DataFrame:
    """Kinds, values, units and hedges of the candidates that are figures. The query costs
    about 30 ms whatever its input, so a text (or a chunk of one) without candidates gets the
    result of no candidates, worked out once per process: the same empty frame."""
    if cands.is_empty():
        key = (dollar, tuple(cands.schema.items()))
        if key not in _NO_CANDIDATES:
            _NO_CANDIDATES[key] = _classify(cands, lex, dollar)
        return _NO_CANDIDATES[key].clear()
    return _classify(cands, lex, dollar)


_NO_CANDIDATES: dict[tuple, pl.DataFrame] = {}  # the empty result, by dollar and input schema
# the candidates' document, when several are classified together (find_figures_many): a rule
# that looks back past a line break ("30 cents" after "€5") looks only within its document
DOC = "_doc"

Step = Callable[[pl.LazyFrame], pl.LazyFrame]
_PLANS: dict[tuple[int, str], tuple[Lexicon, Callable[[pl.DataFrame], pl.DataFrame]]] = {}
_PLANS_MAX = 8  # lexicons and dollars a process classifies with (a build: one or two)
_PLANS_LOCK = threading.Lock()


def _classify(cands: pl.DataFrame, lex: Lexicon, dollar: str) -> pl.DataFrame:
    """The plan for ``lex`` and ``dollar`` run on ``cands``. Its hundreds of expressions are
    built once per lexicon (an immutable object, held while its plan is kept) and dollar, not
    once per call: building them cost about a third of a short text's classification."""
    key = (id(lex), dollar)
    with _PLANS_LOCK:  # threads of one process may classify at once
        held = _PLANS.get(key)
        if held is None or held[0] is not lex:
            while len(_PLANS) >= _PLANS_MAX:
                _PLANS.pop(next(iter(_PLANS)))
            held = _PLANS[key] = (lex, _plan(lex, dollar))
    return held[1](cands)


def _cut_to(cands: pl.LazyFrame, when: pl.Expr, keep: pl.Expr, cleared: str) -> pl.LazyFrame:
    """Candidates for which ``when`` holds keep their first ``keep`` characters; the rest goes
    back to the text after them, and the part ``cleared`` read from it is dropped."""
    cut = pl.col("cand").str.len_chars() - keep
    return cands.with_columns(
        end=pl.when(when).then(pl.col("end") - cut).otherwise(pl.col("end")),
        after=pl.when(when)
        .then(pl.col("cand").str.slice(keep) + pl.col("after"))
        .otherwise(pl.col("after")),
        cand=pl.when(when).then(pl.col("cand").str.head(keep)).otherwise(pl.col("cand")),
        gap_after=pl.when(when).then(pl.col("gap_after") + cut).otherwise(pl.col("gap_after")),
        **{cleared: pl.when(when).then(None).otherwise(pl.col(cleared))},
    )


def _no_spaced_letter_of_a_word(cands: pl.LazyFrame) -> pl.LazyFrame:
    """A capital after one space is a scale only when no word goes on from it: not the M of
    "£40 M&S vouchers" or the B of "$5 B-side" (docs/figure-rules.md, Money)."""
    word = pl.col("m_abbr1").str.starts_with(" ") & pl.col("after").str.contains(r"^[\w&'’²³-]")
    return _cut_to(cands, word, pl.col("cand").str.len_chars() - 2, "m_abbr1")


def _no_fraction_after_a_year(cands: pl.LazyFrame) -> pl.LazyFrame:
    """A year before a fraction word stands alone: "the 2020 half year", "the 2019 third
    quarter" name periods, not 1,010 or 673 (docs/figure-rules.md, Word fractions)."""
    year = pl.col("frac_word").is_not_null() & pl.col("num").str.contains(r"^(?:1[89]|20)\d\d$")
    return _cut_to(cands, year, pl.col("num").str.len_chars(), "frac_word")


def _month_number(month: pl.Expr, months: dict[str, int]) -> pl.Expr:
    """A month's number from its name or abbreviation, any case ("Sept." → 9)."""
    return (
        month.str.strip_chars_end(".")
        .str.to_lowercase()
        .replace_strict(months, default=None, return_dtype=pl.Int64)
    )


def _with(**exprs: pl.Expr) -> Step:
    return lambda lazy: lazy.with_columns(**exprs)


def _plan(lex: Lexicon, dollar: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """The classification of candidates as steps over their lazy frame, expressions built."""
    steps: list[Step] = [_parts_of_wholes, _no_spaced_letter_of_a_word, _no_fraction_after_a_year]
    low_before = pl.col("before").str.to_lowercase()
    low_after = pl.col("after").str.to_lowercase()
    # "19/20": two consecutive two-digit years, a season (docs/figure-rules.md)
    season = (
        (pl.col("slash_num").str.len_chars() == 2)
        & (pl.col("slash_den").str.len_chars() == 2)
        & (
            (pl.col("slash_num").cast(pl.Int64, strict=False) + 1) % 100
            == pl.col("slash_den").cast(pl.Int64, strict=False)
        )
    ).fill_null(False)
    steps.append(_with(lb=low_before, la=low_after, season=season))
    steps.append(_explode_tails)
    months = _lower_map(lex.month_numbers)
    is_year4 = (
        pl.col("num").str.contains(r"^(?:1[89]|20)\d{2}$")
        & pl.col("scale").is_null()
        & (pl.col("abbr").is_null())
    )
    bare = pl.col("num").is_not_null() & pl.all_horizontal(
        pl.col(c).is_null()
        for c in (
            "scale",
            "abbr",
            "pct",
            "pts",
            "cur_name",
            "and_half",
            "in_den",
            "frac_word",
            "time_unit",
            "compound",
            "times",
            "fold",
            "glued",
        )
    )
    month_col = pl.coalesce("md_month", "dm_month", "my_month", "mm_month")
    # ------------------------------------------------------------ not figures
    identifier = (
        pl.col("lb").str.contains(r"(?:/|[a-z]-|\d[.,]|[a-z0-9_]@)$")
        & pl.col("mult").is_null()  # "near-doubling" is a multiplier
        & ~(  # "mid-June", "late-2019"; not "mid-40 percent", "mid-$2,000s"
            pl.col("lb").str.contains(r"(?:^|[^a-z])(?:mid|early|late)-$")
            & (
                month_col.is_not_null()
                | (is_year4 & bare)
                | pl.col("decade").is_not_null()  # "the mid-1990s"
                | pl.col("fy").is_not_null()  # "mid-FY2024"
            )
        )
    )
    glued_letters = bare & pl.col("after").str.contains(r"^[A-Za-z0-9_]")
    ordinal_before = pl.col("lb").str.contains(
        rf"(?:^|[^a-z])(?:{alternation(['first', *ORDINAL_WORDS])}|the|[0-9]+(?:st|nd|rd|th))\s+$"
    )
    half_period = pl.col("half").is_not_null() & (
        pl.col("after").str.starts_with("-") | ordinal_before
    )
    a_fraction_ok = (
        pl.col("la").str.contains(r"^\s+of\b")
        | _ends_with("lb", [*lex.hedges_before, "than", "about", "only", "just"]).is_not_null()
        # a change's size: "up by a quarter", "fell by a third in 2020"; not "by a third party"
        | (
            pl.col("lb").str.contains(r"(?:^|[^a-z])by\s+$")
            & pl.col("la").str.contains(
                r"^(?:\s*[,.;:)]|\s*$|\s+(?:in|to|from|on|since|over|last|this|compared|"
                r"between|after|before|during|and|or|while|as|year|month|week)\b)"
            )
        )
        # a percent restates it: "a third, or 33%, of voters", "a quarter (25%)"
        | pl.col("la").str.contains(
            rf"^(?:\s*,\s*or\s+|\s*\(\s*)(?:(?:{alternation(lex.hedges_before)})\s+)?"
            r"\d[\d.,]*\s*(?:%|per\s*cent|percent)"
        )
    )
    bare_month = (
        pl.col("mm_month").is_not_null()
        & pl.col("mm_month_to").is_null()
        & pl.col("mm_year").is_null()
    )
    # a month range written with words carries the year of its second month back to a first
    # month that comes earlier in the year ("between January and July 2017", docs/figure-rules.md)
    # (the second month capitalized: not "may 2018 bring"; without a preposition before the
    # first, only "to", "through" or a dash join them, and no name is before it: not "Theresa
    # May until July 2018")
    range_to = pl.col("after").str.extract_groups(
        r"^\s*(to|through|thru|until|till|and|[-–])\s+"
        rf"({alternation([m.capitalize() for m in months])})\.?,?\s+((?:1[89]|20)\d\d)(?:[^\w]|$)"
    )
    range_to_month = _month_number(range_to.struct.field("2"), months)
    this_month = _month_number(pl.col("mm_month"), months)
    date_cue = pl.col("lb").str.contains(
        rf"(?:^|[^a-z])(?:{alternation(lex.date_cues_before)})\s+(?:(?:the|a|an|this|that|each)\s+)?"
        r"(?:(?:mid|early|late)-)?$"
    )
    range_year = (
        pl.when(
            bare_month
            & (this_month < range_to_month)
            & (
                date_cue
                | (
                    range_to.struct.field("1").is_in(["to", "through", "thru", "-", "–"])
                    & ~pl.col("before").str.contains(r"[A-Z][\w.’'-]*\s+$")
                )
            )
        )
        .then(range_to.struct.field("3").cast(pl.Int64, strict=False))
        .otherwise(None)
    )
    not_name_words = [*lex.not_names, *lex.months, *lex.month_abbreviations]
    not_names = alternation(not_name_words)
    name_before = (
        pl.col("before").str.contains(
            r"(?:^|[^\w’']|(?:^|\s)['‘\"“])(?:[A-Z]|[a-z]+[A-Z][A-Za-z])[\w.&-]* $"  # "iPhone 15"
        )
        & ~pl.col("lb").str.contains(rf"(?:^|[^a-z])(?:{not_names})\.? $")
    ) | pl.col("before").str.contains(r"(?:^|\W)No\.$")  # "No.7"
    # a lower-case label noun right after a preposition names the number after it ("in week
    # 14", "for round 3"); not "over the past week 14 people", "will table 40 amendments"
    name_before = name_before | pl.col("lb").str.contains(
        r"(?:^|[^a-z])(?:in|at|for|of|on|from|to|into|during|through|until|till|by|after|before|"
        r"since|under|within|with|without|across|over|among|near|between|via|beyond|than|and|or)"
        rf"\s+(?:{alternation(lex.label_nouns)}) $"
    )
    # a number listed with one a capitalized word names: "Articles 5 and 6", "Chapters 3 to 5"
    # (of one order: "Covid 19 and 200 deaths" lists no name)
    listed = pl.col("before").str.extract_groups(
        r"(?:^|[^\w’'])([A-Z][\w.&-]*) (\d{1,3})(?:,\s*\d{1,3})*"
        r"(?:,\s*|,?\s+(?:and|or|to|through|&)\s+)$"
    )
    listed_first = listed.struct.field("2").cast(pl.Float64, strict=False)
    listed_value = pl.col("num").cast(pl.Float64, strict=False)
    name_before = name_before | (
        listed.struct.field("1").is_not_null()
        & ~listed.struct.field("1")
        .str.to_lowercase()
        .str.strip_chars_end(".")
        .is_in([w.lower() for w in not_name_words])
        & pl.col("num").str.contains(r"^\d{1,3}$")
        & (listed_value < listed_first * 10)
        & (listed_value * 10 > listed_first)
    )
    # a place's name does not name a count of a plural noun after it: "In Syria 500 people
    # died", "Across England 34 sports" (docs/figure-rules.md, "Not figures")
    place_count = pl.col("before").str.contains(
        r"(?i:\b(?:in|across|throughout|from|of|for|at|on|to|within|around|inside|outside))\s+"
        rf"(?:the\s+)?(?:{alternation(lex.places)}) $"
    ) & pl.col("after").str.contains(
        r"^\s+(?:[a-z][a-z’'-]*[a-rt-z]s|"
        rf"{alternation(lex.counted_without_s)})(?:[^\w’'-]|$)"
    )
    named = pl.concat_str(pl.col("before"), pl.col("num")).str.contains(
        rf"(?:^|[^\w’'])(?:{alternation(lex.place_name_numbers)})$"
    )  # "From Europe 1 journalists": a station
    name_before = name_before & ~(place_count & ~named)
    tally_after = pl.col("after").str.contains(r"^\s?[-–]\s?\d|^\s\d")  # "3-1", a table row
    # a score line of upper-case names, each with its score: "LAKERS 114, PISTONS 99"
    score_line = pl.col("after").str.contains(
        r"^,\s+[A-Z][A-Z.'’&-]+(?:\s+[A-Z][A-Z.'’&-]+)*\s+\d"
    ) | (
        pl.col("before").str.contains(r"\d,\s+[A-Z][A-Z.'’&-]+(?:\s+[A-Z][A-Z.'’&-]+)*\s$")
        & pl.col("before").str.contains(r"[A-Z]{2,} \d+,\s")
    )
    # "(AES)(1)", "per cent(2)": a footnote marker written onto what it annotates
    footnote = (
        bare
        & pl.col("before").str.contains(r"[\w)]\($")
        & pl.col("after").str.starts_with(")")
        & pl.col("num").str.contains(r"^\d{1,2}$")
    )
    street = pl.col("after").str.contains(
        # a street is named with a capital: "10 Downing Street", not "40 road games"
        rf"^\s+(?:[A-Z][a-z]+\s+){{0,2}}(?:{_capital_first(lex.street_words)})\.?(?:\s|$|,)"
    )
    line_before = pl.col("before").str.extract(r"([^\n]*)$", 1)  # its line up to it
    enumerator = (
        bare
        & pl.col("num").str.contains(r"^\d{1,2}$")
        & (
            (
                pl.col("after").str.starts_with(")")
                & ~pl.col("before").str.ends_with("(")
                # not the end of a bracket opened before it on its line: "78% (42 of 54)"
                & (line_before.str.count_matches(r"\(") <= line_before.str.count_matches(r"\)"))
            )
            | (pl.col("after").str.contains(r"^\.\s") & pl.col("before").str.contains(r"^\s*$"))
        )
    )
    bare_one = pl.col("num").str.to_lowercase() == "one"
    one_is_figure = (
        ~bare
        | pl.col("lb").str.contains(r"(?:^|[^a-z])only\s+$")
        | pl.col("la").str.contains(rf"^\s+of\s+(?:\d|(?:{alternation(NUMBER_WORDS)})\b)")
    )
    slash_value = pl.col("slash_num").cast(pl.Float64, strict=False) / pl.col("slash_den").cast(
        pl.Float64, strict=False
    )

    # "per second", "a split second", "in under a second.": the unit of time, no position
    time_second = (pl.col("ordinal").str.to_lowercase() == "second") & (
        pl.col("lb").str.contains(r"(?:^|[^a-z])(?:per|split|each)\s+$")
        | (
            pl.col("lb").str.contains(r"(?:^|[^a-z])a\s+$")
            & pl.col("la").str.contains(
                r"^(?:\s*(?:[.!?;:)]|$)|\s+(?:or|ago|later|earlier|behind|apart|faster|slower|too)\b)"
            )
            # "a second or third attempt": a position among others
            & ~pl.col("la").str.contains(rf"^\s+(?:or|and)\s+(?:{alternation(ORDINAL_WORDS)})\b")
        )
    )
    a_frac_word = pl.col("a_frac").str.extract(r"\s(\w+)$", 1)
    a_frac_ordinal = a_frac_word.str.to_lowercase().is_in(list(ORDINAL_WORDS))
    drop = (
        pl.col("clock").is_not_null()
        | identifier
        | glued_letters
        | half_period
        | (pl.col("a_frac").is_not_null() & ~a_fraction_ok & ~a_frac_ordinal)
        | (bare_month & ~date_cue & range_year.is_null())
        | (
            pl.col("slash_num").is_not_null()
            & ~pl.col("season")
            & (
                ~((slash_value < 1) & (slash_value > 0))
                | (pl.col("slash_den").cast(pl.Int64, strict=False) > 10)
            )
        )
        | (
            bare
            & ~is_year4
            & name_before
            & ~tally_after
            & ~score_line
            & pl.col("num").str.contains(r"^\d")
            # thousands separators name nothing: a title-case headline's "Reach 314,003"
            & ~pl.col("num").str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
        )
        | footnote
        # "N95": a prefix that is a currency only with a scale ("N101 million")
        | (
            pl.col("cur").is_in(list(lex.currency_prefixes_with_scale))
            & pl.col("m_scale").is_null()
            & pl.col("m_abbr").is_null()
            & pl.col("m_abbr1").is_null()
        )
        # "a double murder": "double" is a multiplier only before its cue ("double the total")
        | (
            pl.col("mult").str.to_lowercase().is_in(lex.multipliers_needing_cue)
            & ~pl.col("la").str.contains(rf"^\s+(?:{alternation(lex.multiplier_cues_after)})\b")
        )
        | (bare & street)
        | enumerator
        # an ordinal word opening a sentence with a comma ("Second, a proposed budget …"),
        # and a capitalized one in a name ("the Fifth Committee", "the Second World War")
        | (
            pl.col("ordinal").str.contains(r"^[A-Za-z]")
            & pl.col("after").str.starts_with(",")
            & pl.col("before").str.contains(r"(?:^|[.!?:;]\s+|\n\s*)$")
        )
        | (
            pl.col("ordinal").str.contains(r"^[A-Z][a-z]")
            & pl.col("after").str.contains(rf"^\s+(?:{alternation(lex.ordinal_names)})\b")
        )
        | (bare_one & ~one_is_figure)
        | time_second
        | pl.col("before").str.contains(r"\bGroup of $")  # "the Group of Seven": a name
    ).fill_null(False)
    keep = ~drop
    steps.append(lambda lazy: lazy.filter(keep))
    # "a third term": not a fraction but the ordinal "third"
    as_ordinal = pl.col("a_frac").is_not_null() & ~a_fraction_ok
    steps.append(
        _with(
            start=pl.when(as_ordinal)
            .then(pl.col("end") - a_frac_word.str.len_chars().cast(pl.Int64))
            .otherwise(pl.col("start")),
            ordinal=pl.when(as_ordinal).then(a_frac_word).otherwise(pl.col("ordinal")),
            a_frac=pl.when(as_ordinal).then(None).otherwise(pl.col("a_frac")),
        )
    )
    steps.append(
        _with(
            start=pl.when(pl.col("fy").is_not_null())  # "FY2024", "2QFY2025": the digits
            .then(pl.col("end") - pl.col("fy").str.len_chars())
            .otherwise("start")
        )
    )
    # a percentage named before its number: "a pass percentage of 47.13"
    percentage_before = bare & pl.col("lb").str.contains(
        r"(?:^|[^a-z])percentage (?:of|was|is|stood at|at)\s+$"
    )
    # a rank: "ranked 318", "number three" (lower case: "Number 10" names a house)
    rank = bare & pl.col("before").str.contains(r"(?:^|[^\w])(?:ranked|rank|number)\s+$")
    # ------------------------------------------------------------ kinds
    year_cue = _ends_with("lb", lex.year_cues_before).is_not_null() | pl.col("lb").str.contains(
        r"[’']s\s+$"
    )
    not_a_unit = alternation(lex.not_a_unit)
    unit_words = pl.col("after").str.extract_groups(
        rf"^(?:\s+(?:{alternation(lex.hedges_after)}))?\s+(?P<w1>[A-Za-z][\w’'.-]*)"
        r"(?:\s+(?P<w2>[A-Za-z][\w’'-]*))?"
    )
    w1 = unit_words.struct.field("w1").str.strip_chars_end(".")
    w2 = unit_words.struct.field("w2")
    w1_ok = w1.is_not_null() & ~w1.str.to_lowercase().str.contains(rf"^(?:{not_a_unit})$")
    w2_ok = (
        w2.is_not_null()
        & ~w2.str.to_lowercase().str.contains(rf"^(?:{not_a_unit})$")
        & ~w1.str.contains(r"s$")
        & w2.str.contains(r"s$")
    )
    plural_noun_follows = (
        w1_ok
        & ~w1.is_in(lex.year_nouns)  # "2019 stats": a noun a year qualifies
        & (
            (w1.str.contains(r"^[a-z][a-z’'-]*s$") & ~w1.str.contains(r"ss$"))
            | w1.is_in(lex.counted_without_s)
        )
    )
    compound_time = _word(pl.col("compound").str.split("-").list.first(), lex.time_units, pl.String)
    compound_denominator = _word(
        "compound", {k: float(v) for k, v in lex.fraction_denominators.items()}
    )
    multiplier_cue = pl.col("la").str.contains(
        rf"^\s+(?:{alternation(lex.multiplier_cues_after)})\b"
    )
    counts_m_as_million = (
        pl.col("la").str.contains(rf"^\s+(?:[a-z]+s|{alternation(lex.counted_without_s)})\b")
        & ~pl.col("la").str.contains(rf"^\s+(?:{alternation(lex.distance_words)})\b")
    ) | pl.col("la").str.contains(r"^\s+of\s+(?:those|them|these|whom)\b")  # a part
    is_money = (
        pl.col("cur").is_not_null()
        | pl.col("name_before").is_not_null()
        # "a billion dollars"; not "a thousand pounds of cannabis", a weight
        | (
            pl.col("as_name").is_not_null()
            & ~(
                pl.col("as_name").str.to_lowercase().str.contains(r"^pounds?$")
                & pl.col("la").str.contains(r"^\s+of\b")
            )
        )
        | (
            pl.col("cur_name").is_not_null()
            & ~pl.col("cur_name").str.to_lowercase().is_in(list(lex.currency_subunits))
        )
        | pl.col("cur_name").str.to_lowercase().is_in(list(lex.currency_subunits))
    )
    is_date = pl.any_horizontal(
        pl.col(c).is_not_null()
        for c in ("iso", "numdate", "md_month", "dm_month", "my_month", "mm_month")
    )
    kind = (
        pl.when(is_date)
        .then(pl.lit("date"))
        .when(pl.col("ordinal").is_not_null() | rank)
        .then(pl.lit("ordinal"))
        .when(
            pl.col("decade").is_not_null()
            | pl.col("yr").is_not_null()
            | pl.col("fy").is_not_null()
            | pl.col("season")
        )
        .then(pl.lit("year"))
        .when(
            pl.any_horizontal(
                pl.col(c).is_not_null()
                for c in ("halfway", "a_frac", "in_den", "frac_word", "slash_num", "fold", "nfold")
            )
            | (
                pl.col("half").is_not_null()
                & ~pl.col("la").str.contains(
                    r"^\s+an?\s+(?:hour|year|day|month|week|century|decade)"
                )
            )
            | compound_denominator.is_not_null()
            | (
                pl.col("mult").is_not_null()
                & (multiplier_cue | ~pl.col("mult").str.to_lowercase().is_in(["twice", "thrice"]))
            )
            | (pl.col("times").is_not_null() & multiplier_cue)
        )
        .then(pl.lit("fraction"))
        .when(is_money)
        .then(pl.lit("money"))
        .when(pl.col("pct").is_not_null() | pl.col("pts").is_not_null() | percentage_before)
        .then(pl.lit("percent"))
        .when(
            pl.col("time_unit").is_not_null()
            | pl.col("ah_unit").is_not_null()
            | compound_time.is_not_null()
            | pl.col("half").is_not_null()
        )
        .then(pl.lit("duration"))
        .when(is_year4 & bare & (year_cue | ~plural_noun_follows))
        .then(pl.lit("year"))
        .otherwise(pl.lit("count"))
    )
    steps.append(_with(kind=kind))
    # ------------------------------------------------------------ values
    abbreviations = {k.lower(): float(v) for k, v in lex.scale_abbreviations.items()}
    num_value = pl.coalesce(_number("m_num"), _number("nb_num"), _number("num"))
    abbr_col = (
        pl.coalesce("m_abbr", "m_abbr1", "nb_abbr", "abbr").str.strip_chars().str.to_lowercase()
    )
    abbr_value = (
        pl.when((pl.col("kind") != "money") & (abbr_col == "m") & ~counts_m_as_million)
        .then(None)  # "100m" before anything but a plural noun is metres
        .when((pl.col("kind") != "money") & (abbr_col == "k"))
        .then(None)
        .otherwise(abbr_col.replace_strict(abbreviations, default=None, return_dtype=pl.Float64))
    )
    scale = pl.coalesce(
        _scale("m_scale", lex),
        _scale("nb_scale", lex),
        _scale("scale", lex),
        abbr_value,
        pl.lit(1.0),
    )
    subunit = pl.col("cur_name").str.to_lowercase().is_in(list(lex.currency_subunits))
    amount = num_value * scale * pl.when(subunit).then(0.01).otherwise(1.0)
    denominators = {k.lower(): float(v) for k, v in lex.fraction_denominators.items()}
    a_frac_den = (
        pl.col("a_frac")
        .str.to_lowercase()
        .str.extract(r"\s(\w+)$", 1)
        .replace_strict(denominators, default=None, return_dtype=pl.Float64)
    )
    in_den = pl.coalesce(
        pl.col("in_den").cast(pl.Float64, strict=False),
        _word("in_den", {k: float(v) for k, v in NUMBER_WORDS.items()}),
    ) * pl.when(pl.col("in_scale").is_not_null()).then(_scale("in_scale", lex)).otherwise(1.0)
    frac_den = _word("frac_word", denominators)
    fraction = (
        pl.when(pl.col("halfway").is_not_null() | pl.col("half").is_not_null())
        .then(0.5)
        .when(pl.col("a_frac").is_not_null())
        .then(1.0 / a_frac_den)
        .when(pl.col("in_den").is_not_null())
        .then(num_value / in_den)
        .when(pl.col("frac_word").is_not_null())
        .then(num_value / frac_den)
        .when(pl.col("slash_num").is_not_null())
        .then(slash_value)
        .when(pl.col("mult").is_not_null())
        .then(_word("mult", {k: float(v) for k, v in lex.multipliers.items()}))
        .when(pl.col("fold").is_not_null() | pl.col("times").is_not_null())
        .then(num_value)
        .when(pl.col("nfold").is_not_null())
        .then(
            pl.coalesce(
                pl.col("nfold").cast(pl.Float64, strict=False),
                _word("nfold", {k: float(v) for k, v in NUMBER_WORDS.items()}),
            )
        )
        .otherwise(num_value / compound_denominator)
    )
    # 4 decimals; 4 significant digits below 0.0001, which 4 decimals would make 0
    # ("1 in 292 million" → 0.000000003425)
    fraction = (
        pl.when(fraction.abs() < 0.0001)
        .then(fraction.round_sig_figs(4))
        .otherwise(fraction.round(4))
    )
    month_to = _month_number(pl.col("mm_month_to"), months)
    month = (
        pl.when(pl.col("tail") & pl.col("mm_month_to").is_not_null())
        .then(month_to)
        .otherwise(_month_number(month_col, months))
    )
    two_digit = pl.col("my_year").str.extract(r"^'(\d{2})$", 1).cast(pl.Int64, strict=False) + 2000
    date_year = pl.coalesce(
        pl.col("iso").str.slice(0, 4).cast(pl.Int64, strict=False),
        pl.col("numdate").str.extract(r"(\d{4})$", 1).cast(pl.Int64, strict=False),
        pl.col("numdate").str.extract(r"[/.](\d{2})$", 1).cast(pl.Int64, strict=False) + 2000,
        pl.col("md_year").cast(pl.Int64, strict=False),
        pl.col("dm_year").cast(pl.Int64, strict=False),
        pl.col("my_year").cast(pl.Int64, strict=False),
        two_digit,
        pl.col("mm_year").cast(pl.Int64, strict=False),
        range_year,
    )
    day = (
        pl.when(pl.col("tail") & pl.col("md_day_to").is_not_null())
        .then(pl.col("md_day_to"))
        .when(pl.col("tail") & pl.col("dm_day_to").is_not_null())
        .then(pl.col("dm_day_to"))
        .otherwise(pl.coalesce("md_day", "dm_day"))
        .cast(pl.Int64, strict=False)
    )
    iso = (
        pl.when(pl.col("iso").is_not_null())
        .then(pl.col("iso"))
        .when(pl.col("numdate").is_not_null())
        .then(date_year.cast(pl.String))
        .otherwise(
            pl.when(date_year.is_not_null()).then(date_year.cast(pl.String)).otherwise(pl.lit("-"))
            + pl.lit("-")
            + month.cast(pl.String).str.zfill(2)
            + pl.when(day.is_not_null())
            .then(pl.lit("-") + day.cast(pl.String).str.zfill(2))
            .otherwise(pl.lit(""))
        )
    )
    yr_to = pl.col("yr_to")
    yr_from = pl.col("yr").cast(pl.Int64, strict=False)
    tail_year = (
        pl.when(yr_to.str.len_chars() == 4)
        .then(yr_to.cast(pl.Int64, strict=False))
        .otherwise(
            (yr_from // (10 ** yr_to.str.len_chars().cast(pl.Int64)))
            * (10 ** yr_to.str.len_chars().cast(pl.Int64))
            + yr_to.cast(pl.Int64, strict=False)
        )
    )
    ordinal_value = pl.coalesce(
        pl.col("ordinal").str.extract(r"^(\d+)", 1).cast(pl.Float64, strict=False),
        _word(pl.col("ordinal").str.extract(r"^([A-Za-z]+(?:-[A-Za-z]+)?)", 1), ORDINAL_WORDS),
        _word(pl.col("ordinal").str.extract(r"^([A-Za-z]+)", 1), ORDINAL_WORDS),
    )
    value = (
        pl.when(pl.col("kind") == "date")
        .then(date_year.cast(pl.Float64, strict=False))
        .when(pl.col("kind") == "ordinal")
        .then(pl.coalesce(ordinal_value, num_value))
        .when(pl.col("season"))
        .then(_two_digit_year(pl.when(pl.col("tail")).then("slash_den").otherwise("slash_num")))
        .when(pl.col("fy").is_not_null())
        .then(
            pl.when(pl.col("fy").str.len_chars() == 2)
            .then(_two_digit_year(pl.col("fy")))
            .otherwise(pl.col("fy").cast(pl.Float64, strict=False))
        )
        .when(pl.col("decade").is_not_null())
        .then(pl.col("decade").cast(pl.Float64, strict=False))
        .when(pl.col("yr").is_not_null())
        .then(
            pl.when(pl.col("tail"))
            .then(tail_year)
            .otherwise(yr_from)
            .cast(pl.Float64, strict=False)
        )
        .when(pl.col("kind") == "fraction")
        .then(fraction)
        .when(pl.col("a_scale").is_not_null())
        .then(_word("as_scale", {k.lower(): float(v) for k, v in lex.scales.items()}))
        .when(pl.col("and_half").is_not_null())
        .then(num_value + 0.5)
        .when(pl.col("half").is_not_null())
        .then(0.5)
        .when(pl.col("kind").is_in(["duration", "year"]))
        .then(num_value)
        .when(
            pl.col("pts").str.to_lowercase().str.starts_with("basis")
            | (pl.col("pts").str.to_lowercase() == "bps")
        )
        .then(num_value / 100)
        .otherwise(amount)
    )
    steps.append(_with(value=value, iso=pl.when(pl.col("kind") == "date").then(iso)))
    # ------------------------------------------------------------ currency
    signs = lex.currency_signs
    names = lex.currency_names
    subunits = {k.lower(): v for k, v in lex.currency_subunits.items()}
    currency = pl.coalesce(
        pl.col("cur")
        .str.strip_chars_end(".")
        .replace_strict({k.rstrip("."): v for k, v in signs.items()}, default=None),
        pl.col("cur").replace_strict(signs, default=None),
        _word("name_before", names, pl.String),
        _word("m_name", names, pl.String),
        _word("as_name", names, pl.String),
        _word("cur_name", {**names, **subunits}, pl.String),
    )
    steps.append(_with(currency=currency.replace(DOLLAR, dollar)))
    last_money = (
        pl.when((pl.col("kind") == "money") & (pl.col("currency") != "*"))
        .then(pl.col("currency"))
        .forward_fill()
        .shift(1)
        .over(DOC)
    )
    steps.append(
        _with(
            currency=pl.when(pl.col("currency") == "*")
            .then(pl.coalesce(last_money, pl.lit(dollar)))
            .otherwise(pl.col("currency"))
        )
    )
    # ------------------------------------------------------------ ranges
    steps.append(functools.partial(_propagate_ranges, lex=lex))
    # ------------------------------------------------------------ units and hedges
    counted_noun = (
        pl.when(w1_ok & w2_ok).then(w1 + " " + w2).when(w1_ok).then(w1).str.strip_chars_end(".")
    )
    glued = pl.col("glued").str.replace("º", "°", literal=True)
    # "-5.8 °C": a degree sign after one space is the unit as a noun would be ("º" read as "°")
    spaced_degrees = (
        pl.col("after")
        .str.extract(r"^ ([°º][CF])(?:[^\w]|$)", 1)
        .str.replace("º", "°", literal=True)
    )
    metres = (abbr_col == "m") & (pl.col("kind") == "count") & ~counts_m_as_million
    unit = (
        pl.when(pl.col("kind") == "money")
        .then(pl.col("currency"))
        .when(pl.col("kind") == "percent")
        .then(
            pl.when(pl.col("pts").is_not_null())
            .then(pl.lit("percentage points"))
            .otherwise(pl.lit("percent"))
        )
        .when(pl.col("kind") == "duration")
        .then(
            pl.coalesce(
                _word("time_unit", lex.time_units, pl.String),
                _word("ah_unit", lex.time_units, pl.String),
                compound_time,
                pl.col("la").str.extract(rf"^\s+an?\s+({_AN_UNITS})", 1),
            )
        )
        .when(pl.col("kind") == "year")
        .then(pl.when(pl.col("decade").is_not_null()).then(pl.lit("decade")))
        .when(pl.col("kind") == "fraction")
        .then(
            pl.when(
                pl.col("mult").is_not_null()
                | pl.col("times").is_not_null()
                | pl.col("fold").is_not_null()
                | pl.col("nfold").is_not_null()
            ).then(pl.lit("times"))
        )
        .when(pl.col("kind") == "count")
        .then(
            pl.coalesce(
                glued,
                spaced_degrees,
                pl.when(metres).then(pl.lit(METRE_UNIT)),
                pl.when(pl.col("times").is_not_null() | pl.col("mult").is_not_null()).then(
                    pl.lit("times")
                ),
                pl.col("compound"),
                counted_noun,
            )
        )
    )
    hedge = pl.coalesce(
        _ends_with("lb", lex.hedges_before),
        pl.col("la").str.extract(rf"^\s+({alternation(lex.hedges_after)})(?:[^a-z]|$)", 1),
    )
    count_value = (
        pl.when((pl.col("kind") == "count") & (pl.col("mult").is_not_null()))
        .then(_word("mult", {k: float(v) for k, v in lex.multipliers.items()}))
        .otherwise(pl.col("value"))
    )

    # a duration written as a compound ends with its time unit: "four-year-olds" → "four-year"
    unit_word = pl.col("compound").str.split("-").list.first()
    duration_end = (
        pl.col("start")
        + pl.coalesce("num", "m_num").str.len_chars()
        + 1
        + unit_word.str.len_chars()
    ).cast(pl.Int64)
    cut = (
        (pl.col("kind") == "duration")
        & compound_time.is_not_null()
        & pl.col("cand").str.contains("-", literal=True)
        & ~pl.col("tail")
    )
    # "half an hour", "half a day": the duration spans its unit, as "four years" does
    an_unit = pl.col("la").str.extract(rf"^(\s+an?\s+(?:{_AN_UNITS}))\b", 1).str.len_chars()
    an_unit_end = (
        pl.when((pl.col("kind") == "duration") & pl.col("half").is_not_null())
        .then(pl.col("end") + an_unit.cast(pl.Int64))
        .otherwise(pl.col("end"))
    )
    bracketed = pl.col("before").str.ends_with("(") & pl.col("after").str.starts_with(")")
    # "-5%", "−5.8°C", "-$5 million": a minus written on the number, after a space or an opening
    # bracket on its line ("2015-16", "COVID-19", "+/-2.5" and a spaced dash are no sign)
    signed = (
        pl.col("before").str.contains(r"[ \t\u00a0(\[][-−]$")
        & ~pl.col("before").str.contains(r"\d[%$€£]?\s*[-−]$")  # a range: "52 -48", "10 -15%"
        & pl.col("kind").is_in(SIGNED_KINDS)
    )
    steps.append(
        _with(
            value=pl.when(signed).then(-count_value).otherwise(count_value),
            start=pl.when(signed).then(pl.col("start") - 1).otherwise(pl.col("start")),
            unit=unit,
            approx=hedge,
            end=pl.when(cut).then(duration_end).otherwise(pl.coalesce(an_unit_end, "end")),
            bracketed=bracketed & pl.col("kind").is_in(SIGNED_KINDS),
        )
    )
    steps.append(lambda lazy: lazy.select(*OUTPUT, "bracketed", "line_id", "after", "gap_after"))

    def run(cands: pl.DataFrame) -> pl.DataFrame:
        lazy = cands.lazy()
        if DOC not in cands.columns:  # one document
            lazy = lazy.with_columns(pl.lit(0, pl.Int64).alias(DOC))
        for step in steps:
            lazy = step(lazy)
        found = lazy.collect(**_COLLECT, optimizations=PLAN_FLAGS)
        return _table_negatives(found).select(OUTPUT)

    return run


# the time units "half" takes after "a" or "an" ("half an hour", "half a day")
_AN_UNITS = "hour|year|day|month|week|century|decade"

OUTPUT = ("start", "end", "kind", "value", "unit", "approx", "iso")


def _table_negatives(found: pl.DataFrame) -> pl.DataFrame:
    """A table row is a line of three or more figures with nothing but spaces and brackets
    between them; a figure in brackets there is negative, as accounts write it: "(6.5%)" → -6.5.
    Only the (few) lines holding a bracketed figure are looked at."""
    lines = found.filter(pl.col("bracketed"))["line_id"].unique()
    if lines.is_empty():
        return found
    between = pl.col("after").str.slice(0, pl.col("gap_after"))
    rows = (
        found.filter(pl.col("line_id").is_in(lines.implode()))
        .group_by("line_id")
        .agg(n=pl.len(), plain=between.str.contains(r"^[\s()]*$").all())
        .filter((pl.col("n") >= 3) & pl.col("plain"))["line_id"]
    )
    negative = pl.col("bracketed") & pl.col("line_id").is_in(rows.implode())
    return found.with_columns(value=pl.when(negative).then(-pl.col("value")).otherwise("value"))


_CONNECTOR = r"^\s*(?:-|–|—|to|and|or)\s*$"


def _propagate_ranges(cands: pl.LazyFrame, lex: Lexicon) -> pl.LazyFrame:
    """ "$5-6 billion", "between 20 and 30 percent", "2 to 3 million people", "3 or 3.5 billion
    euros", "three and four-year-olds": a first end with no unit or scale of its own takes those
    written once at the second end; a second end with no currency takes the first's."""

    def nxt(col: str) -> pl.Expr:
        return pl.col(col).shift(-1)

    gap = pl.col("after").str.slice(0, pl.col("gap_after"))
    connected = (
        (nxt("line_id") == pl.col("line_id"))
        & (pl.col("gap_after") <= 6)
        & gap.str.contains(_CONNECTOR)
        & (nxt("start") - pl.col("end") == pl.col("gap_after"))
    ).fill_null(False)
    number = pl.coalesce("num", "m_num")
    unscaled = pl.all_horizontal(
        pl.col(c).is_null()
        for c in ("scale", "abbr", "m_scale", "m_abbr", "m_abbr1", "compound", "glued")
    ) & pl.all_horizontal(pl.col(c).is_null() for c in ("time_unit", "pct", "pts", "cur_name"))
    first_plain = (
        unscaled
        & number.is_not_null()
        & pl.col("kind").is_in(["count", "money"])
        & ~(number.str.contains(r"^(?:1[89]|20)\d{2}$") & pl.col("cur").is_null())
    )
    next_number = pl.coalesce(nxt("num"), nxt("m_num"))
    next_base = pl.coalesce(
        next_number.str.replace_all(_SEPARATORS, "").cast(pl.Float64, strict=False),
        next_number.str.to_lowercase().replace_strict(
            {k: float(v) for k, v in NUMBER_WORDS.items()}, default=None, return_dtype=pl.Float64
        ),
    )
    next_scale = (
        pl.when(next_base.is_not_null() & (next_base != 0) & nxt("kind").is_in(["money", "count"]))
        .then(nxt("value") / next_base)
        .otherwise(1.0)
    )
    # a range's ends are of one order: a scale carried back may not make the first end more
    # than ten times the second ("grew by 40,000 to 7.42 million" is no range of billions)
    same_order = (next_scale == 1.0) | (
        (pl.col("value") * next_scale).abs() <= 10 * nxt("value").abs()
    )
    takes = (
        connected
        & first_plain
        & same_order
        & (
            nxt("kind").is_in(["percent", "duration"])
            | ((nxt("kind") == "money") & (pl.col("kind") == "count"))
            | (next_scale != 1.0)
        )
    )
    becomes = pl.when(pl.col("kind") == "money").then(pl.lit("money")).otherwise(nxt("kind"))
    carried = ("time_unit", "compound", "pct", "pts")
    out = cands.with_columns(
        kind=pl.when(takes).then(becomes).otherwise(pl.col("kind")),
        value=pl.when(takes).then(pl.col("value") * next_scale).otherwise(pl.col("value")),
        currency=pl.when(takes & (pl.col("kind") == "count"))
        .then(nxt("currency"))
        .otherwise(pl.col("currency")),
        **{
            c: pl.when(takes & (pl.col("kind") == "count")).then(nxt(c)).otherwise(pl.col(c))
            for c in carried
        },
    )
    # the second end of a money range with no currency of its own ("€3 billion to 3.5 billion")
    # (after "and" or "or", of one order: in "two for more than $1million and three for …" the
    # three are no money; "from $800 to 12,000" is a range of money)
    alternatives = gap.shift(1).str.contains(r"(?i)\b(?:and|or)\b").fill_null(False)
    same_order_as_first = (pl.col("value").abs() * 10 >= pl.col("value").shift(1).abs()) & (
        pl.col("value").abs() <= 10 * pl.col("value").shift(1).abs()
    )
    gets_currency = (
        connected.shift(1).fill_null(False)
        & (pl.col("kind").shift(1) == "money")
        & (pl.col("kind") == "count")
        & pl.col("num").is_not_null()
        & pl.all_horizontal(pl.col(c).is_null() for c in ("compound", "glued", "time_unit"))
        & (~alternatives | same_order_as_first.fill_null(False))
    )
    return out.with_columns(
        kind=pl.when(gets_currency).then(pl.lit("money")).otherwise(pl.col("kind")),
        currency=pl.when(gets_currency)
        .then(pl.col("currency").shift(1))
        .otherwise(pl.col("currency")),
    )
