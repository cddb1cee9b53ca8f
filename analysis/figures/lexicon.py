"""The words the figure extractor reads: number words, currencies, scales, time units, hedges.

The base lexicon ships with the package (``package_data/lexicon.yaml``); a project may extend
it with ``data/lexicon/*.yaml`` files of the same fields (mappings are merged, lists extended).
Currency signs, names and plurals come from CLDR through ``babel`` (every currency CLDR names in
English), with the news-specific forms of the YAML on top. Loading is strict: an unknown field
or a value of the wrong type is an error naming the file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.project import PACKAGE_DATA
from analysis.yamlfile import line_of, load_with_lines

PACKAGE_LEXICON = PACKAGE_DATA / "lexicon.yaml"
DOLLAR = "$"  # in currency maps: the document's own dollar

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"


def _number_words() -> dict[str, int]:
    words = {w: i for i, w in enumerate(_UNITS)}
    for t, tens in enumerate(_TENS):
        base = (t + 2) * 10
        words[tens] = base
        for u in range(1, 10):
            words[f"{tens}-{_UNITS[u]}"] = base + u
    return words


def _ordinal_words() -> dict[str, int]:
    words = {w: i + 1 for i, w in enumerate(_ORDINAL_UNITS)}
    for t, (tens, tens_ord) in enumerate(zip(_TENS, _ORDINAL_TENS.split(), strict=True)):
        base = (t + 2) * 10
        words[tens_ord] = base
        for u in range(1, 10):
            words[f"{tens}-{_ORDINAL_UNITS[u - 1]}"] = base + u
    del words["first"]  # never a figure (docs/figure-rules.md)
    return words


NUMBER_WORDS = _number_words()
ORDINAL_WORDS = _ordinal_words()


@dataclass(frozen=True, eq=False)
class Lexicon:
    currency_prefixes: dict[str, str]
    currency_prefixes_with_scale: dict[str, str]
    shared_currencies: dict[str, dict[str, list[str]]]
    currency_codes_not_prefixes: list[str]
    currency_nouns: dict[str, str]
    currency_nouns_before: list[str]
    currency_subunits: dict[str, str]
    scales: dict[str, float]
    scale_abbreviations: dict[str, float]
    glued_units: list[str]
    counted_without_s: list[str]
    year_nouns: list[str]
    ordinal_names: list[str]
    distance_words: list[str]
    time_units: dict[str, str]
    fraction_denominators: dict[str, int]
    multipliers: dict[str, float]
    multipliers_needing_cue: list[str]
    multiplier_cues_after: list[str]
    months: dict[str, int]
    month_abbreviations: dict[str, int]
    date_cues_before: list[str]
    hedges_before: list[str]
    hedges_after: list[str]
    not_a_unit: list[str]
    unit_spellings: dict[str, list[str]]
    label_nouns: list[str]
    year_cues_before: list[str]
    not_names: list[str]
    street_words: list[str]
    place_names: list[str]
    place_name_numbers: list[str]
    title_words: list[str]
    organization_words: list[str]
    not_speaker_words: list[str]

    @property
    def hedge_words(self) -> frozenset[str]:
        """Every hedge the extractor reads (a figure's ``approx``): the tolerance rules must
        name exactly these (:func:`analysis.checks.tolerance.load_tolerance`)."""
        return frozenset(self.hedges_before) | frozenset(self.hedges_after)

    @property
    def currency_signs(self) -> dict[str, str]:
        """Every sign or code read before an amount, CLDR's and the lexicon's."""
        return (
            _cldr()[0]
            | {k: v for k, v in self.currency_prefixes.items()}
            | {k: v for k, v in self.currency_prefixes_with_scale.items()}
            | {code: code for code in _cldr()[2] if code not in self.currency_codes_not_prefixes}
        )

    @property
    def places(self) -> list[str]:
        """Every place name whose number a plural noun shows to be a count: CLDR's English
        names of countries and territories and the lexicon's ``place_names``."""
        return sorted(set(_territories()) | set(self.place_names))

    @property
    def currency_names(self) -> dict[str, str]:
        """Every currency name read after an amount (lower case): CLDR's and the lexicon's."""
        return _cldr()[1] | {k.lower(): v for k, v in self.currency_nouns.items()}

    @property
    def unit_of_spelling(self) -> dict[str, str]:
        """A counted unit's spellings (lower case), each to its unit."""
        return {
            spelling.lower(): unit
            for unit, spellings in self.unit_spellings.items()
            for spelling in [unit, *spellings]
        }

    @property
    def month_numbers(self) -> dict[str, int]:
        return self.months | self.month_abbreviations


@lru_cache(maxsize=1)
def _cldr() -> tuple[dict[str, str], dict[str, str], list[str]]:
    """CLDR's English currency signs (those that are not just the code), names and plurals, and
    the ISO codes."""
    from babel import Locale
    from babel.numbers import get_currency_name, list_currencies

    locale = Locale("en")
    signs: dict[str, str] = {}
    names: dict[str, str] = {}
    codes = sorted(list_currencies())
    for code in codes:
        sign = locale.currency_symbols.get(code)
        if sign and sign != code and not sign.isalpha():
            # "$" is the document's dollar; others ("CA$", "£", "₹") say which currency
            signs.setdefault(sign, DOLLAR if sign == "$" else code)
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            if name != code.lower() and re.fullmatch(r"[a-z .'’()-]+", name):
                names.setdefault(name, code)
    signs["$"] = DOLLAR
    return signs, names, codes


@lru_cache(maxsize=1)
def _territories() -> tuple[str, ...]:
    """CLDR's English names of countries and territories (two-letter codes), without the
    names of pseudo-locales and groupings ("Unknown Region", "Outlying Oceania")."""
    from babel import Locale

    return tuple(
        name
        for code, name in Locale("en").territories.items()
        if re.fullmatch(r"[A-Z]{2}", code)
        and re.fullmatch(r"[A-Z][\w’'.& -]*", name)
        and not re.search(r"Pseudo|Unknown|Outlying|United Nations|SAR", name)
    )


def _lexicon_fields() -> dict[str, type]:
    return {f.name: (dict if f.type.startswith("dict") else list) for f in fields(Lexicon)}


def _merge(into: dict[str, Any], path: Path, data: Any) -> None:
    if not isinstance(data, dict):
        raise BadInput(path, "expected a mapping of lexicon fields")
    known = _lexicon_fields()
    for key, value in data.items():
        if key not in known:
            raise BadInput(path, f"unknown lexicon field {key!r} (allowed: {', '.join(known)})")
        if not isinstance(value, known[key]):
            raise BadInput(path, f"{key}: expected a {known[key].__name__}")
        entries = value if isinstance(value, list) else list(value)
        odd = [e for e in entries if not isinstance(e, str)]
        if odd:
            raise BadInput(
                path, f"{key}: {odd[0]!r} is not text (quote words YAML reads otherwise: 'on')"
            )
        if isinstance(value, dict):
            _check_values(path, key, value, into.get(key))
        if key in into:
            into[key] = {**into[key], **value} if isinstance(value, dict) else into[key] + value
        else:
            into[key] = value


# What the values of a mapping field must be (the keys are words): a positive number (given
# as a number or as text, as the package's lexicon writes "1e6"), a month's number, or one of
# the values the package's lexicon already uses. Anything else used to give an impossible
# date ("Brumaire: 13" read 2021-13-03), a unit nothing knows, or a traceback.
_POSITIVE = frozenset(["scales", "scale_abbreviations", "multipliers", "fraction_denominators"])
_MONTHS = frozenset(["months", "month_abbreviations"])
_KNOWN_VALUES = frozenset(["time_units"])


def _check_values(path: Path, key: str, value: dict[str, Any], base: Any) -> None:
    for word, v in value.items():
        where = line_of(value, word)
        if key in _POSITIVE:
            try:
                number = float(v) if not isinstance(v, bool) else math.nan
            except (TypeError, ValueError):
                number = math.nan
            if not (math.isfinite(number) and number > 0):
                raise BadInput(path, f"{key}: {word!r}: {v!r} is not a positive number", where)
        elif key in _MONTHS:
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 12:
                raise BadInput(path, f"{key}: {word!r}: {v!r} is not a month (1 to 12)", where)
        elif key == "unit_spellings":
            if not isinstance(v, list) or not all(isinstance(e, str) for e in v):
                raise BadInput(path, f"{key}: {word!r}: expected a list of spellings", where)
        elif key == "shared_currencies":
            _check_shared(path, key, word, v, where)
        elif key in _KNOWN_VALUES and isinstance(base, dict):
            known = sorted(set(base.values()))
            if v not in known:
                raise BadInput(
                    path, f"{key}: {word!r}: {v!r} is not one of {', '.join(known)}", where
                )


def _check_shared(path: Path, key: str, word: str, v: Any, where: str | None) -> None:
    """A shared currency: its ISO code, then the codes it may stand for, each with a list of
    the place names that say it, its own first."""
    codes = [word, *(v if isinstance(v, dict) else {})]
    bad = next((c for c in codes if not re.fullmatch(r"[A-Z]{3}", str(c))), None)
    if bad is not None:
        raise BadInput(path, f"{key}: {bad!r} is not an ISO 4217 code", where)
    if not isinstance(v, dict) or next(iter(v), None) != word:
        raise BadInput(path, f"{key}: {word!r}: expected a mapping of codes, {word} first", where)
    for code, names in v.items():
        if not isinstance(names, list) or not all(isinstance(e, str) and e for e in names):
            raise BadInput(path, f"{key}: {word!r}: {code}: expected a list of place names", where)


@lru_cache(maxsize=8)
def _load(paths: tuple[tuple[Path, int], ...]) -> Lexicon:
    merged: dict[str, Any] = {}
    for path, _ in paths:
        _merge(merged, path, load_with_lines(path))
    missing = [k for k in _lexicon_fields() if k not in merged]
    if missing:
        raise BadInput(paths[0][0], f"lexicon field {missing[0]!r} is missing")
    return Lexicon(**merged)


def lexicon_files(lexicon_dir: Path | None = None) -> list[Path]:
    """The base lexicon and the project's extensions, in the order they are merged."""
    extra = sorted(lexicon_dir.glob("*.yaml")) if lexicon_dir and lexicon_dir.is_dir() else []
    return [PACKAGE_LEXICON, *extra]


def load_lexicon(lexicon_dir: Path | None = None) -> Lexicon:
    """The package's lexicon extended with ``lexicon_dir/*.yaml`` (cached per file version)."""
    return _load(tuple((p, p.stat().st_mtime_ns) for p in lexicon_files(lexicon_dir)))


def counted_noun(unit: str | None) -> str | None:
    """A count's counted noun, case, adjectives and spelling aside ("new teams" → "teams",
    "metric tons" → "tonne": the package lexicon's unit_spellings; docs/relations.md)."""
    if not unit:
        return None
    word = unit.lower().split()[-1]
    return _spellings().get(word, word)


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    return load_lexicon().unit_of_spelling


def alternation(words: Any) -> str:
    """A regex alternation of literal words, longest first so none shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
