"""Shared fixtures: real copies of the project in temporary folders, real builds.

- ``built``: one full build of the real seed (Great Expectations included), shared by the tests
  that only read its outputs, and by every test worker of a run (the first to need it builds).
  No test writes to it, not even the same bytes or a build that fails: the other worker may be
  copying it for ``project`` at that moment, and a copy caught mid-write is not up to date.
- ``project``: a private copy of that built project (warehouse, reports, caches), for tests that
  change an input and build again; its extraction and chart drawings are reused from the copy.
- ``fresh_project``: the inputs only, never built.
- ``cli``: the real command line in this process (fast); ``run_cli``: in a subprocess (for
  crashes, concurrency, imports and terminal behaviour).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "passblue-2023-iom-director-general-race.txt"


def copy_project(dest: Path) -> Path:
    """Copy seeds/ and data/ (inputs only, no warehouse, no cache) into ``dest``."""
    shutil.copytree(REPO / "seeds", dest / "seeds")
    shutil.copytree(
        REPO / "data",
        dest / "data",
        ignore=shutil.ignore_patterns(
            "warehouse*.duckdb*",
            ".warehouse*",
            ".build*",
            ".cache",
            ".publish*",
            ".report-*",
            ".pool-*",
        ),
    )
    return dest


def run_cli(
    *args: str,
    root: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `analysis` command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    cmd = [sys.executable, "-m", "analysis", *args]
    if root is not None:
        cmd += ["--root", str(root)]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        cwd=root or REPO,
        timeout=600,
    )


@dataclass
class Done:
    """What an in-process command printed and returned (the fields of a CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, root: Path | None = None, stdin: str | None = None) -> Done:
    """Run the real `analysis` command line in this process."""
    from analysis.cli import cli as command

    full = [*args, "--root", str(root)] if root is not None else list(args)
    result = CliRunner().invoke(command, full, input=stdin, catch_exceptions=False)
    return Done(result.exit_code, result.stdout, result.stderr)


def build(root: Path, *args: str) -> Done:
    """A build of ``root`` in this process, validated in DuckDB only (Great Expectations is
    exercised by the tests that are about it), its report drawn here too (``--jobs 1``: the
    suite already keeps every core busy, and a second interpreter per build would only add
    its start-up; the report worker is exercised by the builds run as subprocesses); it must
    succeed."""
    done = cli("build", "--validation", "sql", "--jobs", "1", *args, root=root)
    assert done.returncode == 0, done.stderr
    return done


def error_line(done: Done | subprocess.CompletedProcess[str]) -> str:
    """The one error line a failed command printed (progress lines aside), no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith(("error:", "validation"))]
    assert len(errors) == 1, done.stderr
    return errors[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules that need no build of the seed first, then those that read the shared one
    (``built``, ``project``), each module whole and in its own order. Under xdist the second
    worker starts on the latter and makes the build while the first runs the others, instead
    of one worker waiting idle for the build the other is making."""
    reading = {
        item.module.__name__
        for item in items
        if {"built", "project"} & set(getattr(item, "fixturenames", ()))
    }
    items.sort(key=lambda item: item.module.__name__ in reading)


def _build_once(folder: Path) -> Path:
    """The shared build in ``folder``, made by whichever process asks first (the others wait
    on its lock and reuse it): ``folder/project``."""
    folder.mkdir(parents=True, exist_ok=True)
    root, done_marker = folder / "project", folder / "built-ok"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done_marker.exists():
            shutil.rmtree(root, ignore_errors=True)  # a failed attempt's leftovers
            copy_project(root)
            done = run_cli("build", root=root)
            assert done.returncode == 0, done.stderr
            done_marker.touch()
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One real build of the real seed (Great Expectations included), shared by the tests that
    only read its outputs. It runs as a subprocess, as a desk runs it (and, with two
    jobs, its report worker beside it). Under xdist the workers share one build in the run's
    common temporary folder instead of each making its own."""
    if worker_id == "master":
        return _build_once(tmp_path_factory.mktemp("built"))
    return _build_once(tmp_path_factory.getbasetemp().parent / "shared-built")


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project, to change and build again."""
    dest = tmp_path / "project"
    shutil.copytree(built, dest, symlinks=True)
    return dest


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """The project's inputs only, never built."""
    return copy_project(tmp_path / "fresh")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the browser tests of a module (each page its own, with its
    own viewport, routes and listeners; the report keeps nothing in the browser's storage),
    instead of a launch per visit. Closed when the module's tests end, so Playwright's event
    loop, which counts as running while the browser is open, never reaches another module."""
    from tests.browser import browser_context

    with browser_context() as browser:
        yield browser
