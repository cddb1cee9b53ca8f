"""Incremental, crash-safe, concurrent builds."""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from analysis.validation.run import validate_warehouse
from tests.conftest import REPO, build, run_cli
from tests.test_build import _drawn_digests, _report_digests, _tables

CLAIMS = Path("data") / "claims" / "passblue-2023-iom-director-general-race.yaml"


def _edit_claims(root: Path) -> None:
    path = root / CLAIMS
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("subject: IOM membership\n", "subject: IOM membership (edited)\n", 1), "utf-8"
    )


def _build_loading(project: Path, *args: str, watched: tuple[str, ...]) -> tuple[str, list]:
    """A build of ``project`` in a new interpreter: what it printed, and which of the
    ``watched`` modules it imported."""
    code = (
        "import sys\n"
        "from analysis.cli import cli\n"
        f"cli(['build', *{list(args)!r}, '--root', {str(project)!r}], standalone_mode=False)\n"
        f"print([m for m in {watched!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    printed, _, imported = done.stdout.rstrip().rpartition("\n")
    return printed, ast.literal_eval(imported)


def test_noop_rebuild_imports_nothing_heavy(project: Path) -> None:
    heavy = ("great_expectations", "altair", "polars", "vl_convert")
    printed, imported = _build_loading(project, watched=heavy)
    assert "nothing changed since the last build" in printed
    assert imported == []


def test_a_build_imports_neither_pandas_nor_pyarrow(project: Path) -> None:
    """Frames reach DuckDB as Parquet files and query parameters as SQL literals: DuckDB's
    scan of a Python frame and its binding of a value would each import pyarrow and pandas
    (0.4 s a process). A build that checks, loads, validates in DuckDB and draws its report
    beside it imports neither in its own process."""
    _edit_claims(project)  # work to do: checks, the leadership recomputation, load, validation
    printed, imported = _build_loading(
        project, "--validation", "sql", watched=("pandas", "pyarrow", "polars", "duckdb")
    )
    assert "build complete" in printed
    assert "IOM membership (edited)" in (project / "reports" / "index.html").read_text("utf-8")
    assert imported == ["polars", "duckdb"]  # the build did import what it works with


def test_force_rebuilds(project: Path) -> None:
    assert "nothing changed since the last build" in build(project).stdout
    assert "build complete" in build(project, "--force").stdout


def _cached_pages(root: Path) -> set[Path]:
    """The article pages in the render cache (an entry: its checksum, a newline, the page)."""
    cache = root / "data" / ".cache" / "render"
    return {p for p in cache.rglob("*") if p.is_file() and p.read_bytes()[65:].startswith(b"<!")}


def test_editing_one_claims_file_matches_a_full_rebuild(project: Path, fresh_project: Path) -> None:
    """Beside the seed, a real article of another outlet; then the seed's claims edited and a
    second article added: nothing unchanged is extracted, drafted or checked again, the new
    article's page is the only one rendered, and every table and report file equals a build
    from scratch."""
    incremental, scratch = project, fresh_project
    first, second = sorted((REPO / "tests" / "data" / "corpus").glob("*.txt"))[:2]
    for root in (incremental, scratch):
        (root / "seeds" / first.name).write_bytes(first.read_bytes())
    build(incremental)
    cached = _cached_pages(incremental)
    for root in (incremental, scratch):
        _edit_claims(root)
        (root / "seeds" / second.name).write_bytes(second.read_bytes())
    done = build(incremental)
    assert "reused        extraction of 2 unchanged document(s)" in done.stdout
    # the seed has a claims file: checked anew, from its drafted claims; the other article's
    # checks are taken as they were
    assert "reused        drafted claims of 1 unchanged document(s)" in done.stdout
    assert "reused        checks of 1 unchanged document(s)" in done.stdout
    (rendered,) = _cached_pages(incremental) - cached
    page = incremental / "reports" / "articles" / f"{second.stem}.html"
    assert rendered.read_bytes()[65:] == page.read_bytes()
    assert "reused" not in build(scratch).stdout
    assert _tables(incremental / "data" / "warehouse.duckdb") == _tables(
        scratch / "data" / "warehouse.duckdb"
    )
    # the incremental build checked the by-document suites on the changed documents' rows
    assert _drawn_digests(incremental / "reports") == _drawn_digests(scratch / "reports")


def _renderings(root: Path) -> dict[Path, int]:
    """The render cache's entries, with their inodes (an entry written again gets a new one:
    it is replaced, never written in place)."""
    cache = root / "data" / ".cache" / "render"
    return {p: p.stat().st_ino for p in cache.rglob("*") if p.is_file()}


def test_a_build_removes_the_renderings_it_did_not_use(project: Path) -> None:
    """Entries of the render cache that no build used for a week are removed by the next
    published build (the page of an article taken out of the seeds, a stray file); what it
    used stays, so that the next build renders nothing again; ``--force``, which reads no
    page, removes none."""
    article = sorted((REPO / "tests" / "data" / "corpus").glob("*.txt"))[0]
    (project / "seeds" / article.name).write_bytes(article.read_bytes())
    build(project)
    first = _renderings(project)
    stray = project / "data" / ".cache" / "render" / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"not an entry")
    long_ago = time.time() - 30 * 86_400  # as if those builds were a month old
    for path in [*first, stray]:
        os.utime(path, (long_ago, long_ago))
    (project / "seeds" / article.name).unlink()
    done = build(project)
    second = _renderings(project)
    gone = set(first) - set(second)
    assert not stray.exists() and gone  # the article's page among them
    assert set(second) < set(first)  # nothing new to render: the seed's page was there
    assert f"cache         removed {len(gone) + 1} rendering(s)" in done.stdout
    reports = _drawn_digests(project / "reports")  # the next build validates every row
    (project / "data" / ".build-state.json").unlink()  # work to do, nothing to render
    again = build(project)
    assert _renderings(project) == second and "removed" not in again.stdout
    assert _drawn_digests(project / "reports") == reports
    for path in second:
        os.utime(path, (long_ago, long_ago))
    forced = build(project, "--force")
    assert set(_renderings(project)) >= set(second) and "removed" not in forced.stdout


def test_an_article_taken_out_of_the_seeds_leaves_no_cached_work(project: Path) -> None:
    """Its extraction, drafted claims and checks stay in the per-document caches for a week
    (put back, it is not extracted again), then go with the next build that publishes; the
    other documents' entries stay."""
    article = sorted((REPO / "tests" / "data" / "corpus").glob("*.txt"))[0]
    (project / "seeds" / article.name).write_bytes(article.read_bytes())
    build(project)
    cache = project / "data" / ".cache"

    def entries(doc_id: str) -> dict[str, list[Path]]:
        return {
            name: sorted((cache / name).glob(f"{doc_id}-*"))
            for name in ("extract", "draft", "check")
        }

    seed = next(p.stem for p in (project / "seeds").glob("passblue-*.txt"))
    seed_entries, kept = entries(seed), entries(article.stem)
    assert all(kept.values())  # its extraction, drafts and checks
    long_ago = time.time() - 30 * 86_400

    def written_long_ago() -> None:
        for path in [p for found in kept.values() for p in found]:
            os.utime(path, (long_ago, long_ago))
        (project / "data" / ".build-state.json").unlink()  # so that a build has work to do

    written_long_ago()
    assert "reused        checks of 1" in build(project).stdout  # read: used now
    (project / "seeds" / article.name).unlink()
    done = build(project)
    assert entries(article.stem) == kept and "no longer in the seeds" not in done.stdout
    written_long_ago()
    forced = build(project, "--force")
    assert entries(article.stem) == kept and "no longer in the seeds" not in forced.stdout
    written_long_ago()
    for path in [p for found in entries(seed).values() for p in found]:
        os.utime(path, (long_ago, long_ago))  # a document in the seeds is never forgotten
    done = build(project)
    assert not any(entries(article.stem).values())
    assert entries(seed) == seed_entries and all(seed_entries[n] for n in ("extract", "draft"))
    assert "removed the cached work of 1 document(s) no longer in the seeds" in done.stdout


@pytest.mark.slow
def test_killed_builds_leave_the_previous_outputs_intact(project: Path) -> None:
    db = project / "data" / "warehouse.duckdb"
    good_db = db.read_bytes()
    good_reports = _report_digests(project / "reports")
    _edit_claims(project)  # so that every build below has work to do
    for point in ("read", "extract", "check", "load", "validate", "report", "publish-start"):
        done = run_cli(
            "build", "--validation", "sql", root=project, env={"ANALYSIS_CRASH_AT": point}
        )
        assert done.returncode == -signal.SIGKILL, (point, done.stderr)
        assert db.read_bytes() == good_db, point
        assert _report_digests(project / "reports") == good_reports, point
    outcome = validate_warehouse(db, project / "data" / "expectations", "sql")
    assert outcome.failed == 0
    # killed in the middle of publishing: the next build completes it, then builds
    done = run_cli(
        "build", "--validation", "sql", root=project, env={"ANALYSIS_CRASH_AT": "publish-between"}
    )
    assert done.returncode == -signal.SIGKILL
    done = run_cli("build", "--validation", "sql", root=project)
    assert done.returncode == 0, done.stderr
    assert "completed a publish interrupted by a crash" in done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        (subject,) = con.execute(
            "SELECT subject FROM claims WHERE claim_id = 'iom-member-states'"
        ).fetchone()
    assert subject == "IOM membership (edited)"
    assert (project / "reports" / ".build-id").exists()
    assert (
        not list(project.glob(".reports-*")) and not (project / "data" / ".publish.json").exists()
    )


def test_reader_keeps_working_during_a_build(project: Path) -> None:
    """A reader holding the warehouse open in the building process itself (a desk's notebook)
    keeps its file, and the build's summary counts the new one."""
    db = project / "data" / "warehouse.duckdb"
    reader = duckdb.connect(str(db), read_only=True)
    try:
        (before,) = reader.execute("SELECT count(*) FROM claims").fetchone()
        (sections,) = reader.execute("SELECT count(*) FROM sections").fetchone()
        article = sorted((REPO / "tests" / "data" / "corpus").glob("*.txt"))[0]
        (project / "seeds" / article.name).write_bytes(article.read_bytes())
        done = build(project)
        (during,) = reader.execute("SELECT count(*) FROM claims").fetchone()
        assert during == before
        sql = run_cli("sql", "SELECT count(*) AS n FROM sections", "--format", "csv", root=project)
        assert sql.returncode == 0
        (now,) = sql.stdout.split()[1:]
        assert int(now) > sections
        assert re.search(rf"^sections +{now}$", done.stdout, re.M), done.stdout
    finally:
        reader.close()


BUILD_AGAIN = [
    sys.executable,
    "-m",
    "analysis",
    "build",
    "--force",
    "--validation",
    "sql",
    "--root",
]


def test_two_builds_at_once_take_turns(project: Path) -> None:
    lock = project / "data" / ".build.lock"
    env = {**os.environ}
    first = subprocess.Popen(
        [*BUILD_AGAIN, str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and "pid" in lock.read_text()):
        time.sleep(0.05)
    second = subprocess.run(
        [*BUILD_AGAIN, str(project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert "waiting for another build to finish" in second.stderr
    outcome = validate_warehouse(
        project / "data" / "warehouse.duckdb", project / "data" / "expectations", "sql"
    )
    assert outcome.failed == 0
