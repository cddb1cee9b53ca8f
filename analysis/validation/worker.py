"""Validate the new warehouse in a separate process, with Great Expectations imported ahead:
`python -m analysis.validation.worker`.

A build that validates with Great Expectations and has two jobs or more starts this process
once it has read its documents. While the build extracts, checks and loads, it imports Great
Expectations and makes its context (about two seconds, the longest part of a small cold
build).
It then reads one request on its standard input, a JSON line ``{"warehouse", "expectations",
"engine", "out"}``, validates the warehouse as :func:`validate_warehouse` does, and writes the
outcome as JSON to ``out``. If its standard input closes without a request (the build stopped
before validating), it exits. Like every helper process of the build
(:mod:`analysis.workers`), it dies with its parent and reports a failure as the last line of
its log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.workers import run


def main() -> int:
    request: dict[str, str] = {}

    def validate() -> None:
        from analysis.files import write_atomic
        from analysis.validation.gx import GxRunner
        from analysis.validation.run import validate_warehouse

        runner = GxRunner()
        line = sys.stdin.readline()
        if not line.strip():
            return  # the build stopped before validating
        request.update(json.loads(line))
        outcome = validate_warehouse(
            Path(request["warehouse"]), Path(request["expectations"]), request["engine"], runner
        )
        write_atomic(Path(request["out"]), outcome.to_json().encode("utf-8"))

    return run(validate, lambda: Path(request["out"]) if "out" in request else None)


if __name__ == "__main__":
    sys.exit(main())
