"""Great Expectations' part of a validation in two processes, when there are two cores.

Most of that part is GE's own bookkeeping, about 20 ms an expectation, in one interpreter. The
validator process (:mod:`analysis.validation.worker`) has imported GE and made its context
before the warehouse is ready; it then forks, and each process runs about half of the
hand-written suites (:func:`halves`, by their number of expectations) with its own read-only
connection. The copy shares the imported modules, so it costs no second import. On the seed
this takes GE's part from about 3.6 s to about 2 s.

The second process is only ever a speed-up. When it fails, is killed, or has not answered
long after this process finished its own half (:data:`PATIENCE`), this process runs that half
itself (the build's summary says so): the results are the same. Bad input found in either half is
part of its results (:class:`~analysis.validation.run.Part`), so the first one is raised as
validating in one process would raise it.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from analysis.validation.expectations import Suite
from analysis.validation.run import Part, validate_in_great_expectations
from analysis.validation.scope import Scope
from analysis.workers import die_with_parent

# How long to wait for the other half once this one is done: this many times what this half
# took, and never less than the floor in seconds.
PATIENCE = (10.0, 20.0)


def halves(every: list[Suite]) -> tuple[set[int], set[int]]:
    """The positions (in ``every``) of the hand-written suites, in two sets of about as many
    expectations each: the larger suites first, each to the lighter set."""
    sizes = [(len(s.expectations), i) for i, s in enumerate(every) if not s.structural]
    sets: tuple[set[int], set[int]] = (set(), set())
    weight = [0, 0]
    for size, i in sorted(sizes, key=lambda x: (-x[0], x[1])):
        lighter = 0 if weight[0] <= weight[1] else 1
        sets[lighter].add(i)
        weight[lighter] += size
    return sets


def in_two(path: Path, every: list[Suite], runner: Any, scope: Scope | None = None) -> Part:
    """:func:`~analysis.validation.run.validate_in_great_expectations`, each half of the
    suites (read once, before the fork) in its own process when there are two cores; the same
    part either way."""
    mine, theirs = halves(every)
    if not theirs or len(os.sched_getaffinity(0)) < 2:
        return validate_in_great_expectations(path, every, runner, scope=scope)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(
            write_end,
            lambda: validate_in_great_expectations(path, every, runner, theirs, scope),
            parent,
            every,
        )
    os.close(write_end)
    began = time.monotonic()
    try:
        here = validate_in_great_expectations(path, every, runner, mine, scope)
    except BaseException:
        _end(pid, read_end)
        raise
    factor, floor = PATIENCE
    there, trouble = _collect(pid, read_end, max(floor, factor * (time.monotonic() - began)), every)
    if there is None:  # said in the build's summary: a speed-up that silently fails is lost
        there = validate_in_great_expectations(path, every, runner, theirs, scope)
        there.notes.append(f"the second process of Great Expectations {trouble}; ran its half here")
    return here + there


def _child(write_end: int, work: Callable[[], Part], parent: int, every: list[Suite]) -> NoReturn:
    """The forked half: run ``work``, write its part as JSON and leave at once. It prints
    nothing (the validator's log ends with the validator's own last line); any failure is
    its exit code, and the parent then runs the half itself."""
    code = 1
    try:
        die_with_parent(parent)  # the validator, not the build that started it
        data = work().to_json(every).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    finally:
        os._exit(code)


def _collect(
    pid: int, read_end: int, patience: float, every: list[Suite]
) -> tuple[Part | None, str]:
    """The forked half's part; or None and what went wrong, when it failed or did not finish
    within ``patience`` seconds (it is then killed)."""
    deadline = time.monotonic() + patience
    chunks = []
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                _end(pid, None)
                return None, f"gave no answer in {round(patience, 1):g} s"
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return None, f"ended with exit code {code}"
    try:
        part, _ = Part.from_json(b"".join(chunks).decode("utf-8"))  # the same suites: forked
    except (ValueError, TypeError, KeyError):
        return None, "sent results that could not be read"
    if len(part.results) != len(every) + 1:
        return None, "sent results for other suites"
    return part, ""


def _end(pid: int, read_end: int | None) -> None:
    """Stop the forked half and reap it."""
    if read_end is not None:
        os.close(read_end)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
