"""Deterministic, news-like corpora for the benchmarks.

- :func:`generate`: sentences assembled from templates with a seeded random generator, so the
  same size always gives the same bytes; the mix of figures (money, percent, counts, years,
  dates, number words, hedges, quotes, curly punctuation) mirrors wire copy, at about three
  times its density of figures. Used to measure extraction against its regular-expression floor.
- :func:`realistic`: real paragraphs of many outlets' articles, drawn at random and given new
  digits. Used to measure an archive's build, where the density of figures and how often
  they repeat set the cost of drafting and matching claims.
"""

from __future__ import annotations

import functools
import random
import re
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"

TEMPLATES = [
    "In {year}, the {org} contributed ${amount} million, approximately {pct} percent of the "
    "total of ${total} million.",
    "The agency, founded in {year}, has {count} member states and some {staff:,} staff in "
    "{count2} countries.",
    "“We need more {noun} leading,” {name} said in {month} {year}, adding that {pct}% of "
    "{noun} had never been led by a woman.",
    "The vote was {tally1}-{tally2}, and the election is one of {count2} in the next {word} years.",
    "{name}, who led the {org} from {year} to {year2}, did not run for a {ordinal} term.",
    "Some {big} million people are on the move, nearly {pct} per cent more than in {year}.",
    "It was the {nth} director-general of the {count}-member body and took office on "
    "{month} {day}.",
    "Over {word} decades, two-thirds of the {count2}-nation bloc voted yes; the rest abstained.",
    "The report, published on {day} {month} {year}, puts the cost at £{amount}m or €{decimal} "
    "billion.",
    "Critics said the plan — announced in {month} {year} — would cost {amount} million euros.",
]
NAMES = ["Crisp", "Malcorra", "Pope", "Vitorino", "Swing", "Thompson", "Okafor", "Lindqvist"]
ORGS = ["IOM", "UNHCR", "WFP", "ITU", "agency", "fund", "bank"]
NOUNS = ["women", "agencies", "organizations", "banks", "ministries"]
MONTHS = ["January", "March", "May", "July", "October", "December"]
WORDS = ["two", "three", "four", "five", "seven", "nine", "twelve"]
ORDINALS = ["second", "third", "fourth"]


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        template = rng.choice(TEMPLATES)
        sentences.append(
            template.format(
                year=rng.randint(1945, 2023),
                year2=rng.randint(1950, 2024),
                org=rng.choice(ORGS),
                amount=rng.randint(1, 999),
                total=rng.randint(100, 2999),
                pct=rng.randint(1, 99),
                count=rng.randint(10, 200),
                count2=rng.randint(2, 60),
                staff=rng.randint(1000, 30000),
                noun=rng.choice(NOUNS),
                name=rng.choice(NAMES),
                month=rng.choice(MONTHS),
                day=rng.randint(1, 28),
                tally1=rng.randint(50, 120),
                tally2=rng.randint(10, 90),
                word=rng.choice(WORDS),
                ordinal=rng.choice(ORDINALS),
                big=rng.randint(2, 300),
                nth=f"{rng.randint(2, 20)}th",
                decimal=f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
            )
        )
    return " ".join(sentences)


def generate(n_bytes: int, seed: int = 2023) -> str:
    """About ``n_bytes`` of UTF-8 text (never less), the same for the same arguments."""
    rng = random.Random(seed)
    parts: list[str] = ["A headline about migration and money", ""]
    size = 0
    while size < n_bytes:
        p = paragraph(rng)
        parts.append(p)
        parts.append("")
        size += len(p.encode("utf-8")) + 2
    return "\n".join(parts)


def write(path: Path, n_bytes: int, seed: int = 2023) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(n_bytes, seed), encoding="utf-8")
    return path


@functools.cache
def _real_paragraphs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(headlines, paragraphs) of the real articles of the development corpus
    (``tests/data/corpus``: wire copy, results releases, reports of many outlets)."""
    heads: list[str] = []
    body: list[str] = []
    for path in sorted(REAL.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        if lines:
            heads.append(lines[0])
            body += lines[1:]
    return tuple(heads), tuple(body)


_DIGITS = re.compile(r"\d+")


def _new_digits(rng: random.Random, text: str) -> str:
    """The figures of ``text`` with new digits: a number of two digits or more keeps its
    length, first digit and punctuation ("$43.2 billion" may become "$48.7 billion"), so an
    article drawn from real paragraphs does not restate their figures; a year stays that year
    and a single digit stays ("1 in 4" does not become "5 in 2")."""

    def digits(m: re.Match[str]) -> str:
        d = m.group()
        if len(d) == 1 or (len(d) == 4 and d[:2] in ("19", "20")):
            return d
        return d[0] + "".join(str(rng.randint(0, 9)) for _ in d[1:])

    return _DIGITS.sub(digits, text)


def realistic(n_bytes: int, seed: int = 2023) -> str:
    """About ``n_bytes`` bytes of UTF-8 news text (never less) in the styles of real
    articles: a real headline and real paragraphs drawn from the development corpus's
    articles of many outlets, their figures given new digits; the same for the same
    arguments."""
    rng = random.Random(seed)
    heads, body = _real_paragraphs()
    parts = [_new_digits(rng, rng.choice(heads)), ""]
    size = 0
    while size < n_bytes:
        paragraph = _new_digits(rng, rng.choice(body))
        parts += [paragraph, ""]
        size += len(paragraph.encode("utf-8")) + 2
    return "\n".join(parts)
