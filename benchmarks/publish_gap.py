"""A reader polling the warehouse through N real builds: how often it found none.

`python -m benchmarks.publish_gap [--builds 10]` copies the project's seeds and data to a
temporary folder, builds it once, then runs N forced builds while a child process opens
``data/warehouse.duckdb`` as fast as it can. docs/hostile-input.md §6: misses must be 0.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

POLL = """
import os, sys
path, stop = sys.argv[1], sys.argv[2]
polls = misses = 0
while not os.path.exists(stop):
    polls += 1
    try:
        with open(path, "rb") as handle:
            if len(handle.read(16)) < 16:
                misses += 1
    except FileNotFoundError:
        misses += 1
print(polls, misses)
"""


def _build(root: Path, *extra: str) -> None:
    command = [sys.executable, "-m", "analysis", "build", "--validation", "sql", "--root"]
    done = subprocess.run([*command, str(root), *extra], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build of {root} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")


def measure(builds: int) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "seeds", root / "seeds")
        shutil.copytree(ROOT / "data", root / "data")
        shutil.rmtree(root / "data" / ".cache", ignore_errors=True)
        (root / "data" / "warehouse.duckdb").unlink(missing_ok=True)
        _build(root)
        stop = root / "stop"
        db = root / "data" / "warehouse.duckdb"
        reader = subprocess.Popen(
            [sys.executable, "-c", POLL, str(db), str(stop)], stdout=subprocess.PIPE, text=True
        )
        try:
            for _ in range(builds):
                _build(root, "--force")
        finally:
            stop.touch()
        polls, misses = map(int, reader.communicate()[0].split())
    return {"builds": builds, "polls": polls, "misses": misses}


def main(argv: list[str] | None = None) -> dict[str, int]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builds", type=int, default=10)
    result = measure(parser.parse_args(argv).builds)
    print(
        f"{result['builds']} builds, {result['polls']:,} polls, "
        f"{result['misses']} without a warehouse"
    )
    return result


if __name__ == "__main__":
    main()
