"""Shared fixtures: real copies of the project's inputs in temporary folders, real builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "passblue-2023-iom-director-general-race.txt"


def copy_project(dest: Path) -> Path:
    """Copy seeds/ and data/ (inputs only, no warehouse) into ``dest``."""
    shutil.copytree(REPO / "seeds", dest / "seeds")
    shutil.copytree(
        REPO / "data",
        dest / "data",
        ignore=shutil.ignore_patterns("warehouse.duckdb*", ".warehouse*", ".build*"),
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


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one error line a failed command printed (progress lines aside), no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith(("error:", "validation"))]
    assert len(errors) == 1, done.stderr
    return errors[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real build of the real seed, shared by the tests that only read its outputs."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    done = run_cli("build", root=root)
    assert done.returncode == 0, done.stderr
    return root
