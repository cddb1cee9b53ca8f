"""Commands stopped by Ctrl-C or SIGTERM (docs/hostile-input.md, "A command stopped midway"):
one line, the shell's exit code for the signal, nothing half-written left, and a build's
publishing never split between the warehouse and the pages. Real processes, real signals."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, error_line, run_cli
from tests.test_build import _report_digests
from tests.test_incremental import _edit_claims


def _stopped(done: subprocess.CompletedProcess[str], signum: int) -> None:
    """The command ended as the rule says: the exit code a shell gives, one line naming the
    signal."""
    assert done.returncode == 128 + signum, done.stderr
    name = signal.Signals(signum).name
    assert error_line(done).startswith(f"error: interrupted by {name} before the command finished")


@pytest.fixture
def sandbox(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project's data (no caches) and seeds."""
    dest = tmp_path / "project"
    shutil.copytree(built / "seeds", dest / "seeds")
    shutil.copytree(built / "data", dest / "data", ignore=shutil.ignore_patterns(".cache"))
    return dest


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_query_written_to_a_file_stops_cleanly(
    sandbox: Path, tmp_path: Path, signum: int
) -> None:
    """Stopped while it streams rows into its temporary file: the file given to --out keeps
    its earlier content and the temporary file goes (SIGTERM used to leave it, as large as
    the rows written by then)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = scratch / "rows.csv"
    out.write_bytes(b"earlier result")
    query = "SELECT range AS i, 'row ' || range AS label FROM range(10000000000)"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "sql", query, "--out", str(out), "--root", str(sandbox)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    deadline = time.monotonic() + 120
    while not [p for p in scratch.iterdir() if p != out and p.stat().st_size > 0]:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    _stopped(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), signum)
    assert [p.name for p in scratch.iterdir()] == [out.name]
    assert out.read_bytes() == b"earlier result"


def _counting(sandbox: Path, preexec: Callable[[], object] | None = None) -> subprocess.Popen:
    """``analysis sql`` counting for ever, once DuckDB has started (its threads start with its
    database); ``preexec`` runs in the child first."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "sql", "SELECT count(*) AS n FROM range(10000000000000)",
         "--format", "csv", "--root", str(sandbox)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        preexec_fn=preexec,
    )  # fmt: skip
    tasks = Path(f"/proc/{proc.pid}/task")
    deadline = time.monotonic() + 120
    while len(list(tasks.iterdir())) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_query_stopped_inside_duckdb_is_the_same_line(sandbox: Path, signum: int) -> None:
    """Stopped while DuckDB computes, before any row: DuckDB stops the query and reports
    "Query interrupted" (a RuntimeError, which printed a traceback); the command says what
    stopped it."""
    proc = _counting(sandbox)
    time.sleep(1.0)  # the query under way
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    _stopped(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), signum)
    assert stdout == ""


def _warehouse_subject(root: Path) -> str:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        (subject,) = con.execute(
            "SELECT subject FROM claims WHERE claim_id = 'iom-member-states'"
        ).fetchone()
    return subject


def _leftovers(root: Path) -> list[str]:
    """What a build writes beside the published outputs, still there."""
    found = list(root.glob(".reports-*")) + list((root / "data").glob(".warehouse-*"))
    found += list((root / "data").glob(".publish.json"))
    return sorted(p.name for p in found)


@pytest.mark.parametrize(
    ("point", "signum"),
    [("load", signal.SIGINT), ("load", signal.SIGTERM), ("report", signal.SIGTERM)],
)
def test_a_build_stopped_before_publishing_keeps_the_published_outputs(
    project: Path, point: str, signum: int
) -> None:
    """Stopped once the new warehouse is loaded, or its report drawn: its files beside the
    outputs are removed on the way out (a SIGTERM left the new warehouse and report folder for
    the next build to clear), and the outputs are the earlier build's."""
    db = project / "data" / "warehouse.duckdb"
    good_db = db.read_bytes()
    good_reports = _report_digests(project / "reports")
    _edit_claims(project)
    env = {"ANALYSIS_CRASH_AT": point, "ANALYSIS_CRASH_SIGNAL": signal.Signals(signum).name[3:]}
    done = run_cli("build", "--validation", "sql", root=project, env=env)
    _stopped(done, signum)
    assert _leftovers(project) == []
    assert db.read_bytes() == good_db
    assert _report_digests(project / "reports") == good_reports


NO_RAY = pytest.mark.skipif(not find_spec("ray"), reason="Ray is not installed")


@pytest.mark.parametrize(
    ("signum", "engine"),
    [
        (signal.SIGINT, "local"),
        (signal.SIGTERM, "local"),
        pytest.param(signal.SIGTERM, "ray", marks=NO_RAY),
    ],
)
def test_a_signal_while_publishing_waits_for_the_pair(
    project: Path, signum: int, engine: str
) -> None:
    """A signal between the new pages and the new warehouse going in: the build publishes
    both, then stops with the line. Unwinding at once would have removed the new warehouse
    the publish journal names, and the next build would have found the new pages beside the
    earlier warehouse. Ray's start and stop put its own SIGTERM handler below Python's, which
    ended the build there at once (--force: every article goes to Ray)."""
    assert _warehouse_subject(project) == "IOM membership"
    _edit_claims(project)
    env = {
        "ANALYSIS_CRASH_AT": "publish-between",
        "ANALYSIS_CRASH_SIGNAL": signal.Signals(signum).name[3:],
    }
    args = ["--engine", "ray", "--force"] if engine == "ray" else []
    done = run_cli("build", "--validation", "sql", *args, root=project, env=env)
    _stopped(done, signum)
    assert _leftovers(project) == []
    assert _warehouse_subject(project) == "IOM membership (edited)"
    assert "IOM membership (edited)" in (project / "reports" / "index.html").read_text("utf-8")
    done = run_cli("build", "--validation", "sql", root=project)  # nothing left to complete
    assert done.returncode == 0, done.stderr
    assert "completed a publish" not in done.stderr


def test_an_ignored_sigint_stays_ignored(sandbox: Path) -> None:
    """A shell starts a background job ignoring SIGINT, so a Ctrl-C meant for the foreground
    leaves it running; catching the signal must not undo that."""
    proc = _counting(sandbox, lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    proc.send_signal(signal.SIGINT)
    time.sleep(1.0)
    assert proc.poll() is None  # still counting
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    _stopped(
        subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), signal.SIGTERM
    )


def test_an_error_raised_while_unwinding_is_the_interruption() -> None:
    """DuckDB's import turns a signal's exception into "ImportError: initialization failed"
    (a traceback): the interruption is found as its cause."""
    from analysis.interrupts import Interrupted, interrupted_by

    try:
        try:
            raise Interrupted(signal.SIGTERM)
        except Interrupted as cause:
            raise ImportError("initialization failed") from cause
    except ImportError as err:
        found = interrupted_by(err)
    assert found is not None and found.exit_code == 128 + signal.SIGTERM
    assert interrupted_by(RuntimeError("something else")) is None
