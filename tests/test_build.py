"""The foundation: the real pipeline on the real seed, end to end, through the real CLI."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import REPO, SEED, build, cli, copy_project, error_line, run_cli


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'build_info' ORDER BY 1"
            ).fetchall()
        ]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY ALL').fetchall() for n in names}


def _report_digests(reports: Path) -> dict[str, str]:
    return {
        p.relative_to(reports).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file()
    }


# what says how a build was validated, which differs between a build that carried the
# warehouse and one that did not (tests/test_validation_scope.py): the validation page, and
# the build's id, which digests it
HOW_VALIDATED = ("validation/index.html", ".build-id")


def _drawn_digests(reports: Path) -> dict[str, str]:
    """:func:`_report_digests` but the files that say how the build was validated."""
    return {k: v for k, v in _report_digests(reports).items() if k not in HOW_VALIDATED}


def test_build_writes_warehouse_and_report(built: Path) -> None:
    db = built / "data" / "warehouse.duckdb"
    for page in ("index.html", "validation/index.html", "methodology.html", "corrections.html"):
        assert (built / "reports" / page).stat().st_size > 1000, page
    assert not list(built.glob(".reports-*")), "staging folder left behind"
    assert not list((built / "data").glob(".warehouse-*")), "staging database left behind"
    with duckdb.connect(str(db), read_only=True) as con:
        (n_docs,) = con.execute("SELECT count(*) FROM documents").fetchone()
        (n_mentions,) = con.execute("SELECT count(*) FROM mentions").fetchone()
        keys = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    assert n_docs == len(list((built / "seeds").glob("*.txt")))
    gold = yaml.safe_load((REPO / "tests" / "data" / "seed_figures_gold.yaml").read_text("utf-8"))
    assert n_mentions == len(gold)
    assert {"built_at", "version_duckdb", "version_polars"} <= keys.keys()


def test_summary_reports_what_the_warehouse_holds(project: Path) -> None:
    done = run_cli("build", "--force", "--validation", "sql", root=project)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        (n_mentions,) = con.execute("SELECT count(*) FROM mentions").fetchone()
        (n_claims,) = con.execute("SELECT count(*) FROM claims").fetchone()
    assert f"figures       {n_mentions} (" in done.stdout
    assert f"claims        {n_claims} (" in done.stdout
    assert "expectations  " in done.stdout and " passed, 0 failed" in done.stdout
    stages = ("read", "extract", "check", "load", "validate", "report", "publish")
    for stage in stages:
        assert f"stage {stage}: done" in done.stderr  # plain progress lines off a terminal
    # each stage's time and the peak memory by its end, in the order they ran; the report
    # workers' peaks too (they drew the report: two jobs is the default)
    times = re.search(r"^stage times   (.*) s$", done.stdout, re.M)
    assert times and [t.split()[0] for t in times.group(1).split(", ")] == list(stages)
    peaks = re.search(
        r"^peak memory   (.*) MiB \(this process.*report workers (\d+) MiB$", done.stdout, re.M
    )
    assert peaks
    by_stage = [int(p.split()[1]) for p in peaks.group(1).split(", ")]
    assert by_stage == sorted(by_stage) and by_stage[0] > 0  # a peak never falls
    assert int(peaks.group(2)) > 0


def test_progress_reports_documents_rate_and_time_left() -> None:
    from analysis.build.pipeline import Meter

    events: list[tuple[str, str, str]] = []
    meter = Meter("extract", [1000, 2000, 3000], lambda *e: events.append(e), every=0)
    for size in (1000, 2000, 3000):
        meter.add(1, size)
    # one line per document but the last (the stage's own "done" line follows it)
    assert [e[:2] for e in events] == [("extract", "step")] * 2
    assert events[0][2].startswith("1/3 documents, ") and events[1][2].startswith("2/3 ")
    assert all(re.search(r"[\d.]+ MB/s, about \d+ (s|min|h) left$", e[2]) for e in events)


def test_no_time_left_is_estimated_on_a_hundredth_of_the_work() -> None:
    """One document of a thousand, done after the stage's set-up, gives no estimate (at 10,000
    articles a build once said "about 26.5 h left" of a check that took 47 s)."""
    from analysis.build.pipeline import Meter

    events: list[tuple[str, str, str]] = []
    meter = Meter("check", [20_000] * 1000, lambda *e: events.append(e), every=0)
    meter.add(1, 20_000)
    meter.add(9, 9 * 20_000)
    assert events[0][2].endswith("time left not yet known")
    assert re.search(r"about \d+ (s|min|h) left$", events[1][2])


def test_two_builds_are_identical(tmp_path: Path, built: Path) -> None:
    """Whatever the time zone, locale, hash seed, and whether the report is drawn beside
    validation (two jobs, as ``built`` was) or after it (one, here)."""
    second = copy_project(tmp_path / "b")
    env = {"TZ": "America/Los_Angeles", "LANG": "C", "PYTHONHASHSEED": "12345"}
    assert run_cli("build", "--jobs", "1", root=second, env=env).returncode == 0
    assert _tables(built / "data" / "warehouse.duckdb") == _tables(
        second / "data" / "warehouse.duckdb"
    )
    assert _report_digests(built / "reports") == _report_digests(second / "reports")


def test_seed_is_byte_for_byte_what_its_metadata_records() -> None:
    meta = yaml.safe_load(SEED.with_name(SEED.stem + ".meta.yaml").read_text("utf-8"))
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == meta["sha256"]


def test_a_second_document_needs_no_code_change(project: Path) -> None:
    text = (
        "Headline of another story\n\n"
        "The fund paid $12.5 million, some 40% of its budget, in 2022.\n"
    )
    path = project / "seeds" / "zz-second-story.txt"
    path.write_text(text, encoding="utf-8")
    (project / "seeds" / "zz-second-story.meta.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Headline of another story",
                "outlet": "Example Wire",
                "author": "A. Reporter",
                "language": "en",
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        ),
        encoding="utf-8",
    )
    build(project)
    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT surface, kind, value FROM mentions WHERE doc_id = 'zz-second-story' "
            "ORDER BY start_offset"
        ).fetchall()
    assert rows == [
        ("$12.5 million", "money", 12.5e6),
        ("40%", "percent", 40.0),
        ("2022", "year", 2022.0),
    ]
    # the report names each article by its title and annotates each
    index = (project / "reports" / "index.html").read_text("utf-8")
    for doc_id, title in (
        ("zz-second-story", "Headline of another story"),
        (SEED.stem, "Washington’s Bid for the Top Job"),
    ):
        assert re.search(rf'<a href="articles/{doc_id}.html"><strong>{title}', index), doc_id
        assert (project / "reports" / "articles" / f"{doc_id}.html").is_file()


def test_checksum_mismatch_is_refused_and_nothing_is_overwritten(project: Path) -> None:
    db = project / "data" / "warehouse.duckdb"
    before_db = db.read_bytes()
    before_reports = _report_digests(project / "reports")
    seed = project / "seeds" / SEED.name
    seed.write_text(seed.read_text("utf-8").replace("67 percent", "76 percent"), "utf-8")
    done = cli("build", root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert SEED.name in line and "SHA-256" in line
    assert db.read_bytes() == before_db
    assert _report_digests(project / "reports") == before_reports


def _children(name: str) -> list[int]:
    """Live child processes of this one whose command line names ``name``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and name in cmdline:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("stage", ["read", "check"])
def test_a_build_that_stops_before_validating_leaves_no_validator(
    project: Path, stage: str
) -> None:
    """A build validating with Great Expectations starts the validator before anything else
    (GE is imported meanwhile); a build that stops on bad input before validating stops it
    too, whether on reading (a seed whose SHA-256 does not match its metadata) or on checking
    (a claims file naming a figure the text does not hold): no process and no file of it is
    left."""
    if stage == "read":
        bad = project / "seeds" / SEED.name
        old, new = "67 percent", "76 percent"
    else:
        bad = project / "data" / "claims" / f"{SEED.stem}.yaml"
        old, new = "$668", "$669"
    bad.write_text(bad.read_text("utf-8").replace(old, new, 1), "utf-8")
    done = cli("build", "--validation", "full", "--jobs", "2", root=project)
    assert done.returncode == 2 and bad.name in error_line(done)
    assert _children("analysis.validation.worker") == []
    assert list((project / "data").glob(".validation-*")) == []
    # nor the report workers, started ahead with it
    assert _children("analysis.report.") == []
    assert list((project / "data").glob(".report-*")) == []


def test_a_build_interrupted_before_its_pipeline_leaves_no_validator(project: Path) -> None:
    """The command line starts the validator before importing the build's modules; an
    interrupt (Ctrl-C) or an import failure in between still stops it and removes its log."""
    from analysis.build import helpers
    from analysis.project import Project

    located = Project.locate(project, None)
    with pytest.raises(KeyboardInterrupt), helpers.validator_aside(located, "full", 2) as started:
        assert started is not None and started.poll() is None
        raise KeyboardInterrupt
    assert started.poll() is not None
    assert _children("analysis.validation.worker") == []
    assert list((project / "data").glob(".validation-*")) == []


def test_a_build_interrupted_before_its_pipeline_leaves_no_report_worker(project: Path) -> None:
    """The command line starts both report workers ahead too (they import their libraries
    while the build works); an interrupt before they are asked to draw stops them and removes
    their logs."""
    from analysis.build import helpers
    from analysis.project import Project

    located = Project.locate(project, None)
    archive = helpers.EXPORTS_APART_FROM
    with pytest.raises(KeyboardInterrupt), helpers.drawing_aside(located, 2, archive) as ahead:
        assert ahead is not None and ahead.exports is not None
        assert ahead.pages.poll() is None and ahead.exports.poll() is None
        assert len(list((project / "data").glob(".report-*.log"))) == 2
        raise KeyboardInterrupt
    assert ahead.pages.poll() is not None and ahead.exports.poll() is not None
    assert _children("analysis.report.") == []
    assert list((project / "data").glob(".report-*")) == []
    with helpers.drawing_aside(located, 1, archive) as none:  # one job: drawn in-process
        assert none is None


def test_a_small_archive_s_report_is_drawn_by_one_worker_as_by_two(
    project: Path, tmp_path: Path
) -> None:
    """Below ``EXPORTS_APART_FROM`` bytes of seeds the pages worker writes the exports too (an
    interpreter fewer in a small build); from there a worker of their own does. The report
    folders are the same, byte for byte, and no worker, log or folder of theirs is left."""
    from analysis.build import helpers
    from analysis.project import Project

    located = Project.locate(project, None)
    warehouse = project / "data" / "warehouse.duckdb"
    drawn = {}
    apart = helpers.EXPORTS_APART_FROM
    for seed_bytes, workers in ((apart - 1, 1), (apart, 2)):
        out = tmp_path / f"reports-{workers}"
        with helpers.drawing_aside(located, 2, seed_bytes) as ahead:
            assert ahead is not None and (ahead.exports is None) == (workers == 1)
            drawing = helpers.start_drawing(located, warehouse, out, None, ahead)
            try:
                assert helpers.finish_drawing(drawing, out) > 0
            finally:
                helpers.end_drawing(drawing)
        drawn[workers] = _report_digests(out)
        assert not out.with_name(out.name + ".exports").exists()
    assert drawn[1] == drawn[2] and "exports/claims.csv" in drawn[1]
    assert _children("analysis.report.") == []
    assert list((project / "data").glob(".report-*")) == []


@pytest.mark.parametrize("module", ["analysis.report.worker", "analysis.report.exports_worker"])
def test_a_report_worker_started_ahead_draws_when_asked_and_leaves_when_not(
    built: Path, tmp_path: Path, module: str
) -> None:
    """Started ahead (``--ahead``), a report worker reads its arguments as a JSON line on its
    standard input and draws what it would have drawn given them on its command line; its
    input closed without them (the build stopped before drawing), it leaves at once,
    successfully, having written nothing."""
    import json
    import subprocess
    import sys

    from analysis.workers import AHEAD, PARENT_VARIABLE

    env = {**os.environ, PARENT_VARIABLE: str(os.getpid())}
    warehouse = built / "data" / "warehouse.duckdb"
    outputs = {}
    for how in ("argv", "ahead", "none"):
        out = tmp_path / how
        args = [str(warehouse), str(out)]
        worker = subprocess.Popen(
            [sys.executable, "-m", module, *(args if how == "argv" else [AHEAD])],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            cwd=tmp_path,
            env=env,
        )
        request = (json.dumps(args) + "\n").encode() if how == "ahead" else b""
        _, err = worker.communicate(request, timeout=240)
        assert worker.returncode == 0, err.decode()
        outputs[how] = _report_digests(out) if out.exists() else None
    assert outputs["ahead"] and outputs["ahead"] == outputs["argv"]
    assert outputs["none"] is None


@pytest.mark.parametrize(
    "stray",
    [
        "data/claims/passblue-2023-iom-director-general-race.yml",
        "data/lexicon/extra.yml",
        "data/publication.yml",
        "seeds/passblue-2023-iom-director-general-race.meta.yml",
    ],
)
def test_a_yml_file_the_build_would_pass_over_is_refused(project: Path, stray: str) -> None:
    """The build reads YAML files that end in .yaml; a .yml one among its inputs was passed
    over without a word (a helper's probe): refused, naming it, and nothing written."""
    path = project / stray
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# written by a desk\n", "utf-8")
    before = (project / "data" / "warehouse.duckdb").read_bytes()
    done = cli("build", "--validation", "sql", "--force", root=project)
    assert done.returncode == 2
    assert error_line(done).startswith(f"error: {path}: the build reads YAML files ending in")
    assert (project / "data" / "warehouse.duckdb").read_bytes() == before


def test_a_yml_file_outside_the_input_folders_is_the_desk_s_own(project: Path) -> None:
    """Only the folders the build reads are looked at: a desk's data/raw/scraper.yml is not
    an input to rename (the review of this change)."""
    (project / "data" / "raw").mkdir()
    (project / "data" / "raw" / "scraper.yml").write_text("# a desk's own\n", "utf-8")
    build(project, "--force")


def test_a_text_without_metadata_builds(project: Path) -> None:
    """Every metadata field is optional: a bare .txt builds, titled by its first line, with
    its SHA-256 computed and recorded."""
    text = "Ten people came.\nThey stayed 3 days.\n"
    (project / "seeds" / "orphan.txt").write_text(text, encoding="utf-8")
    build(project)
    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("SELECT title, sha256 FROM documents WHERE doc_id = 'orphan'").fetchone()
    assert row == ("Ten people came.", hashlib.sha256(text.encode()).hexdigest())


def test_unknown_metadata_field_is_refused(project: Path) -> None:
    meta = project / "seeds" / (SEED.stem + ".meta.yaml")
    meta.write_text(meta.read_text("utf-8") + "colour: blue\n", "utf-8")
    done = cli("build", root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert "colour" in line and meta.name in line


def test_missing_seeds_folder(tmp_path: Path) -> None:
    done = cli("build", root=tmp_path)
    assert done.returncode == 2
    assert "seeds folder not found" in error_line(done)


def test_usage_error_exits_2() -> None:
    done = run_cli("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    _, _, rest = readme.partition("## Quick start")
    assert rest, "README has no 'Quick start' section"
    block = rest.split("```", 2)[1]
    commands = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    assert commands == ["make build", "make test"]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert "\nmake test\n" in ci


def test_leftovers_of_a_killed_build_do_not_block_the_next(project: Path) -> None:
    (project / "data" / ".warehouse-99999.duckdb").write_bytes(b"half-written")
    stale = project / ".reports-99999"
    stale.mkdir()
    build(project, "--force")
    assert not stale.exists() and not (project / "data" / ".warehouse-99999.duckdb").exists()


def test_the_terminal_summary_shows_names_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the summary is drawn in a panel: a file name or quoted text that looks
    like markup is shown as written (``[draft]`` vanished, a ``[/]`` crashed the build after
    it had published)."""
    import io
    import sys

    from analysis.build.summary import print_lines

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    lines = ["wrote seeds/[draft]story.txt", "a [/] and [bold]b[/bold]", "x\x1b]8;;h\x07y"]
    print_lines(lines, "build complete")
    assert "[draft]story.txt" in screen.getvalue()
    assert "a [/] and [bold]b[/bold]" in screen.getvalue()
    assert "x\\x1b]8;;h\\x07y" in screen.getvalue()  # a name's escape sequence, shown


def test_verdict_colours_only_where_a_terminal_takes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from analysis.output import colour_wanted

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not colour_wanted()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert not colour_wanted()


def test_the_cycle_collector_runs_less_often_during_a_build_and_as_before_after(
    project: Path,
) -> None:
    """The build spaces Python's cycle collections while its stages run (each collection of
    the oldest objects walked every object it holds) without pausing them (a build with one
    job makes garbage in cycles as it drafts and validates), and sets them back after, as the
    caller had them, whether the build completes or stops on bad input."""
    import gc

    from analysis.build.pipeline import BUILD_GC_THRESHOLDS
    from analysis.build.pipeline import build as build_in_process
    from analysis.errors import BadInput
    from analysis.project import Project

    seen: list[tuple[bool, tuple[int, ...]]] = []

    def progress(stage: str, event: str, detail: str) -> None:
        seen.append((gc.isenabled(), gc.get_threshold()))

    before = gc.get_threshold()
    assert before != BUILD_GC_THRESHOLDS
    build_in_process(Project(project), progress, validation="sql", jobs=1)
    assert seen and set(seen) == {(True, BUILD_GC_THRESHOLDS)}
    assert gc.get_threshold() == before
    stray = project / "data" / "claims" / "passblue-2023-iom-director-general-race.yml"
    stray.write_text("# a desk's\n", "utf-8")
    seen.clear()
    with pytest.raises(BadInput):
        build_in_process(Project(project), progress, validation="sql", jobs=1)
    assert seen and set(seen) == {(True, BUILD_GC_THRESHOLDS)}
    assert gc.get_threshold() == before
    gc.set_threshold(5000, 3, 2)
    try:
        with pytest.raises(BadInput):
            build_in_process(Project(project), progress, validation="sql", jobs=1)
        assert gc.get_threshold() == (5000, 3, 2)
    finally:
        gc.set_threshold(*before)
