"""Classifying figure candidates: kinds, values, units and hedges as polars expressions."""

from __future__ import annotations

import re

import polars as pl

from analysis.figures.lexicon import NUMBER_WORDS, ORDINAL_WORDS, Lexicon


def _word_value(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(NUMBER_WORDS, default=None, return_dtype=pl.Float64)


def _number_value(col: str) -> pl.Expr:
    """Digits ("19,000", "0.5") or number words ("seven") as a float."""
    digits = pl.col(col).str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    return pl.coalesce(digits, _word_value(col))


def _ends_with_any(col: str, words: list[str]) -> pl.Expr:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return pl.col(col).str.extract(rf"(?:^|[^a-z])({alternation})\s+$", 1)


def classify(cands: pl.DataFrame, lex: Lexicon) -> pl.DataFrame:
    """Kinds, values, units and hedges for every candidate, as polars expressions."""
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
