"""Time of every expression of the relations file on hostile text, against an ordinary gap.

`python -m benchmarks.relation_patterns` runs each pattern's `before` (searched in the text
before a statement's first figure: at most a sentence, 1,000 characters), `between`, `joins`
and `after` expressions on texts of that size written to make a regular expression backtrack
(a token of 800 digits, runs of short words, commas, dashes, brackets, repeated cue words) and
prints the slowest. The budget of docs/hostile-input.md: none over 50 ms on a sentence.
Written to benchmarks/out/relation_patterns.json; never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from analysis.figures.lexicon import load_lexicon
from analysis.relations.rules import load_relations

OUT = Path(__file__).resolve().parent / "out" / "relation_patterns.json"
BUDGET_SECONDS = 0.05
HOSTILE = {
    "ordinary": "Revenue rose 8% to $3.6bn in the three months to June from ",
    "800 digits": "rose by " + "1" * 800,
    "digits and separators": "rose " + "1,2,3.4.5" * 100,
    "short words": "rose " + "ab " * 300,
    "commas": "rose " + "a, " * 300,
    "dashes": "rose " + "a — " * 200,
    "brackets": "rose " + "1 (" * 300,
    "cue words": "rose " + "from the " * 100,
    "named starts": "rose " + "net income of " * 60,
    "new ends": " to" * 300,
}


def measure() -> list[dict]:
    rows = []
    for relation in load_relations(load_lexicon()):
        for p_no, pattern in enumerate(relation.patterns):
            exprs = [("before", pattern.before, "search")]
            exprs += [(f"between {i}", e, "fullmatch") for i, e in enumerate(pattern.between)]
            exprs += [("joins", pattern.joins, "fullmatch")]
            exprs += [("last_join", pattern.last_join, "fullmatch")]
            exprs += [("after", pattern.after, "match")]
            for part, expr, how in exprs:
                if expr is None:
                    continue
                for name, text in HOSTILE.items():
                    began = time.perf_counter()
                    getattr(expr, how)(text)
                    seconds = time.perf_counter() - began
                    rows.append(
                        {
                            "relation": relation.name,
                            "pattern": p_no,
                            "part": part,
                            "text": name,
                            "seconds": round(seconds, 4),
                        }
                    )
    return sorted(rows, key=lambda r: -r["seconds"])


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = measure()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    over = [r for r in rows if r["seconds"] > BUDGET_SECONDS]
    print(f"{len(rows)} runs, {len(over)} over {BUDGET_SECONDS * 1000:.0f} ms; the slowest:")
    for r in rows[:10]:
        print(f"  {r['seconds']:>8} s  {r['relation']} #{r['pattern']} {r['part']}: {r['text']}")
    print(f"wrote {args.out}")
    return rows


if __name__ == "__main__":
    main()
