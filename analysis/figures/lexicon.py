"""The words the figure extractor reads: number words, currencies, scales, time units, hedges.

The base lexicon ships with the package (``package_data/lexicon.yaml``); a project may extend
it with ``data/lexicon/*.yaml`` files of the same fields (mappings are merged, lists extended).
Loading is strict: an unknown field or a value of the wrong type is an error naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.project import PACKAGE_DATA
from analysis.yamlfile import load_with_lines

PACKAGE_LEXICON = PACKAGE_DATA / "lexicon.yaml"

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
        if key in into:
            into[key] = {**into[key], **value} if isinstance(value, dict) else into[key] + value
        else:
            into[key] = value


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


def alternation(words: list[str] | dict[str, Any]) -> str:
    """A regex alternation of literal words, longest first so none shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
