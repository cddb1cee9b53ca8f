"""Validate the new warehouse in a separate process, with Great Expectations imported ahead:
`python -m analysis.validation.worker`.

A build that validates with Great Expectations and has two jobs or more starts this process
first (the command line starts it before importing the build's own modules). While the build
extracts, checks and loads, it imports Great Expectations and makes its context (two to three
seconds, the longest part of a small cold build).
It then reads one request on its standard input, a JSON line ``{"warehouse", "expectations",
"out", "scope"}`` (the scope: :class:`~analysis.validation.scope.Scope`, or null), runs Great
Expectations' part of the validation
(:func:`~analysis.validation.run.in_great_expectations`, in two processes when there are two
cores: :mod:`analysis.validation.halves`; the build runs the SQL part meanwhile), and writes it
as JSON to ``out``. If its standard input closes without a request (the build
stopped before validating), it exits. Like every helper process of the build
(:mod:`analysis.workers`), it dies with its parent and reports a failure as the last line of
its log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

from analysis.workers import run


def main() -> NoReturn:
    request: dict[str, str] = {}

    def validate() -> None:
        from analysis.files import write_atomic
        from analysis.validation.gx import GxRunner
        from analysis.validation.halves import in_two
        from analysis.validation.run import suites
        from analysis.validation.scope import Scope

        runner = GxRunner()
        line = sys.stdin.readline()
        if not line.strip():
            return  # the build stopped before validating
        request.update(json.loads(line))
        every = suites(Path(request["expectations"]))
        scope = Scope.from_json(request.get("scope"))
        part = in_two(Path(request["warehouse"]), every, runner, scope)
        write_atomic(Path(request["out"]), part.to_json(every).encode("utf-8"))

    run(validate, lambda: Path(request["out"]) if "out" in request else None)


if __name__ == "__main__":
    main()
