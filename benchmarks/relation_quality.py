"""In-text checks on the project's own corpus, against statements judged by hand.

`python -m benchmarks.relation_quality [--details] [--corpus DIR]` prints, per relation and
overall (docs/relations.md, "The hand-judged development set"):

- detection recall: the share of hand-judged statements for which the machine drafted a check
  with the same relation and the same figures;
- verdict agreement: the share of detected statements whose machine verdict equals the hand's;
- false alarms: machine-drafted checks that call a statement `incorrect` or `inconsistent` when
  the hand does not (including statements the hand does not list). The target is zero.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.extraction_quality import CORPUS, SEED, Article, load_corpus, read_yaml

ALARMS = ("incorrect", "inconsistent")
SEED_RELATIONS = CORPUS.parent / "seed.relations.yaml"


@dataclass
class Tally:
    gold: int = 0
    drafted: int = 0
    detected: int = 0
    agreed: int = 0
    false_alarms: int = 0
    misses: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("gold", "drafted", "detected", "agreed", "false_alarms"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("misses", "disagreements", "alarms", "extras"):
            getattr(self, name).extend(getattr(other, name))

    @property
    def recall(self) -> float:
        return self.detected / self.gold if self.gold else 1.0

    @property
    def agreement(self) -> float:
        return self.agreed / self.detected if self.detected else 1.0


def gold_statements(article: Article) -> list[dict[str, Any]]:
    path = (
        SEED_RELATIONS
        if article.path == SEED
        else article.path.with_name(article.path.stem + ".relations.yaml")
    )
    if not path.exists():
        return []
    return read_yaml(path) or []


def drafted(
    article: Article, figures: list[dict[str, Any]] | None = None
) -> list[tuple[str, frozenset, str, str]]:
    """(relation, figure spans, verdict, explanation) of each in-text check the package drafts
    (``figures``: the article's, when they were extracted already)."""
    import polars as pl

    from analysis.checks.model import Context
    from analysis.checks.run import claim_verdict, run_checks
    from analysis.checks.tolerance import load_tolerance
    from analysis.figures.lexicon import load_lexicon
    from analysis.relations.draft import draft_arithmetic
    from benchmarks.extraction_quality import REPO
    from benchmarks.extraction_quality import extract as extract_figures

    mentions = pl.DataFrame(extract_figures(article) if figures is None else figures)
    claims = draft_arithmetic(
        article.doc_id, article.path, article.text, mentions, None, load_lexicon()
    )
    tolerance = load_tolerance(REPO / "data" / "methodology" / "tolerance.yaml")
    ctx = Context({c.claim_id: c for c in claims}, {}, tolerance)
    results = run_checks(claims, ctx)
    out = []
    for claim in claims:
        verdict, explanation = claim_verdict([r for r in results if r.claim_id == claim.claim_id])
        relation = claim.claim_id.split("~", 1)[1].split("-")[1]
        spans = frozenset((f.start, f.end) for f in claim.figures.values())
        out.append((relation, spans, verdict, explanation))
    return out


def score(article: Article, figures: list[dict[str, Any]] | None = None) -> Tally:
    gold = gold_statements(article)
    machine = drafted(article, figures)
    tally = Tally(gold=len(gold), drafted=len(machine))
    by_key = {(rel, spans): (verdict, why) for rel, spans, verdict, why in machine}
    judged: dict[frozenset, str] = {}
    for g in gold:
        spans = frozenset((f["start"], f["end"]) for f in g["figures"].values())
        judged[spans] = g["verdict"]
        label = f"{article.doc_id}: {g['relation']} {[f['text'] for f in g['figures'].values()]}"
        hit = by_key.get((g["relation"], spans))
        if hit is None:
            tally.misses.append(f"{label}")
            continue
        tally.detected += 1
        if hit[0] == g["verdict"]:
            tally.agreed += 1
        else:
            tally.disagreements.append(f"{label}: hand {g['verdict']}, machine {hit[0]}: {hit[1]}")
    for rel, spans, verdict, why in machine:
        label = f"{article.doc_id}: {rel} {sorted(spans)} {verdict}"
        if spans not in judged:
            tally.extras.append(f"{label}: {why}")
        if verdict in ALARMS and judged.get(spans) not in ALARMS:
            tally.false_alarms += 1
            tally.alarms.append(f"{label}: {why}")
    return tally


def evaluate(articles: list[Article]) -> dict[str, Tally]:
    from benchmarks.extraction_quality import extract_many

    tallies: dict[str, Tally] = defaultdict(Tally)
    for article, figures in zip(articles, extract_many(articles), strict=True):
        one = score(article, figures)
        tallies["overall"].add(one)
        tallies[article.style].add(one)
    return dict(tallies)


def report(tallies: dict[str, Tally], details: bool = False) -> str:
    lines = [
        "{:<20} {:>5} {:>8} {:>7} {:>9} {:>12}".format(
            "style", "gold", "drafted", "recall", "agreement", "false alarms"
        )
    ]
    for style in sorted(tallies, key=lambda s: (s == "overall", s)):
        t = tallies[style]
        lines.append(
            f"{style:<20} {t.gold:>5} {t.drafted:>8} {t.recall:>7.3f} {t.agreement:>9.3f} "
            f"{t.false_alarms:>12}"
        )
    if details:
        overall = tallies.get("overall") or next(iter(tallies.values()))
        lines += ["", "not detected:", *overall.misses]
        lines += ["", "verdicts that differ:", *overall.disagreements]
        lines += ["", "false alarms:", *overall.alarms]
        lines += ["", "drafted, not in the hand list:", *overall.extras]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss and alarm")
    parser.add_argument("--corpus", type=Path, help="another folder of the corpus format")
    args = parser.parse_args(argv)
    articles = load_corpus(args.corpus, with_seed=False) if args.corpus else load_corpus()
    print(report(evaluate(articles), args.details))


if __name__ == "__main__":
    main()
