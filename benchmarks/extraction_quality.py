"""Extraction quality on the project's own corpus of real articles, scored strictly.

`python -m benchmarks.extraction_quality [--details]` prints, per outlet style and overall:

- recall and precision: a figure counts as found only when its span, kind, value and (for money)
  currency are all right;
- speaker accuracy: of the figures found at the right span that sit in a quotation (by the gold or
  by the extractor), the share whose speaker is right.

The corpus is ``tests/data/corpus/<id>.txt`` with ``<id>.meta.yaml`` (where the text was read,
its outlet style, title, dollar) and ``<id>.gold.yaml`` (hand-annotated by the rules in
docs/figure-rules.md before any extractor output was looked at), plus the seed and its gold.
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "corpus"
SEED = REPO / "seeds" / "passblue-2023-iom-director-general-race.txt"
SEED_GOLD = REPO / "tests" / "data" / "seed_figures_gold.yaml"
VOICES = ("article",)


@dataclass
class Article:
    doc_id: str
    style: str
    text: str
    gold: list[dict[str, Any]]
    meta: dict[str, Any]
    path: Path


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    quoted: int = 0
    speaker_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "predicted", "matched", "quoted", "speaker_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras
        self.wrong_speakers += other.wrong_speakers

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def speakers(self) -> float:
        return self.speaker_right / self.quoted if self.quoted else 1.0


def read_yaml(path: Path) -> Any:
    """A gold or metadata file of the corpus (plain YAML), parsed by libyaml when PyYAML has
    it: the same data as ``yaml.safe_load``, several times faster on the gold lists."""
    return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_corpus(corpus: Path = CORPUS, with_seed: bool = True) -> list[Article]:
    """The corpus articles (and the seed), each with its gold list."""
    articles = []
    for text_path in sorted(corpus.glob("*.txt")):
        meta = read_yaml(text_path.with_suffix(".meta.yaml"))
        gold = read_yaml(text_path.with_suffix(".gold.yaml")) or []
        articles.append(
            Article(
                text_path.stem,
                meta["style"],
                text_path.read_text("utf-8"),
                gold,
                meta,
                text_path,
            )
        )
    if not with_seed:
        return articles
    seed_meta = read_yaml(SEED.with_name(SEED.stem + ".meta.yaml"))
    articles.append(
        Article(
            SEED.stem,
            "seed",
            SEED.read_text("utf-8"),
            read_yaml(SEED_GOLD),
            seed_meta,
            SEED,
        )
    )
    return articles


def extract(article: Article) -> list[dict[str, Any]]:
    """The extractor's figures for one article, segmented as the build would segment it."""
    return extract_many([article])[0]


def extract_many(articles: list[Article]) -> list[list[dict[str, Any]]]:
    """:func:`extract` of each article, their figures found together as a build finds them
    (``extract_mentions_many``, per dollar: the same figures as one text at a time, tested in
    tests/test_extract_properties.py), which spares the classifier's fixed cost per text."""
    from analysis.documents.layout import load_layout
    from analysis.documents.sections import segment
    from analysis.figures.extract import extract_mentions_many
    from analysis.figures.lexicon import load_lexicon

    def sections(meta: dict[str, Any], text: str) -> list:
        layout = load_layout(
            REPO / "data" / "layouts", meta.get("layout") or "default", strict=False
        )
        return segment(text, layout, meta.get("title"), meta.get("author"))

    lex = load_lexicon()
    dollars = [a.meta.get("dollar") or "USD" for a in articles]
    out: list[list[dict[str, Any]]] = [[] for _ in articles]
    for dollar in dict.fromkeys(dollars):
        group = [i for i, d in enumerate(dollars) if d == dollar]
        documents = [
            (articles[i].text, sections(articles[i].meta, articles[i].text)) for i in group
        ]
        for i, mentions in zip(group, extract_mentions_many(documents, lex, dollar), strict=True):
            out[i] = mentions.to_dicts()
    return out


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _strict_key(kind: str, value: Any, unit: Any) -> tuple:
    return kind, unit if kind == "money" else None


def _quoted(speaker: str | None) -> bool:
    return bool(speaker) and speaker not in VOICES and not speaker.startswith("reader comment")


def score_article(article: Article, found: list[dict[str, Any]]) -> Score:
    score = Score(gold=len(article.gold), predicted=len(found))
    by_span = {(f["start"], f["end"]): f for f in found}
    gold_spans = set()
    for g in article.gold:
        span = (g["start"], g["end"])
        gold_spans.add(span)
        f = by_span.get(span)
        label = f"{article.doc_id}@{g['start']} {g['text']!r}"
        if (
            f is not None
            and f["kind"] == g["kind"]
            and _same_value(f["value"], g["value"])
            and _strict_key(f["kind"], f["value"], f["unit"])
            == _strict_key(g["kind"], g["value"], g["unit"])
        ):
            score.matched += 1
        else:
            got = f"{f['kind']} {f['value']} {f['unit']}" if f else "nothing"
            score.misses.append(f"{label}: want {g['kind']} {g['value']} {g['unit']}, got {got}")
        if f is not None and (_quoted(g["speaker"]) or _quoted(f["speaker"])):
            score.quoted += 1
            if f["speaker"] == g["speaker"]:
                score.speaker_right += 1
            else:
                score.wrong_speakers.append(f"{label}: want {g['speaker']!r}, got {f['speaker']!r}")
    for f in found:
        if (f["start"], f["end"]) not in gold_spans:
            score.extras.append(f"{article.doc_id}@{f['start']} {f['text']!r} {f['kind']}")
    return score


def evaluate(articles: list[Article] | None = None) -> dict[str, Score]:
    """Scores per style and ``overall``."""
    articles = articles if articles is not None else load_corpus()
    scores: dict[str, Score] = defaultdict(Score)
    for article, found in zip(articles, extract_many(articles), strict=True):
        one = score_article(article, found)
        scores[article.style].add(one)
        scores["overall"].add(one)
    return dict(scores)


def report(scores: dict[str, Score], details: bool = False) -> str:
    header = ("style", "gold", "found", "recall", "precision", "speakers")
    lines = ["{:<20} {:>5} {:>6} {:>7} {:>9} {:>9}".format(*header)]
    for style in sorted(scores, key=lambda s: (s == "overall", s)):
        s = scores[style]
        lines.append(
            f"{style:<20} {s.gold:>5} {s.predicted:>6} {s.recall:>7.3f} {s.precision:>9.3f} "
            f"{s.speakers:>9.3f}"
        )
    if details:
        overall = scores.get("overall") or next(iter(scores.values()))
        lines += ["", "missed or wrong:", *overall.misses, "", "not in the gold:", *overall.extras]
        lines += ["", "wrong speakers:", *overall.wrong_speakers]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss and extra")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="score another folder of <id>.txt, <id>.meta.yaml and <id>.gold.yaml (no seed)",
    )
    args = parser.parse_args(argv)
    articles = load_corpus(args.corpus, with_seed=False) if args.corpus else load_corpus()
    print(report(evaluate(articles), args.details))


if __name__ == "__main__":
    main()
