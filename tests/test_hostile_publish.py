"""Publishing against hostile conditions (docs/hostile-input.md §6): a reader never finds the
warehouse missing, "nothing changed" means the published bytes are intact, and a corrupt or
tampered extraction cache is detected."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from analysis.build import publish, state
from analysis.errors import BadInput
from analysis.files import remove_others, sha256_hex
from analysis.files_cache import cached_bytes, clock, sweep
from analysis.project import Project
from benchmarks.publish_gap import POLL
from tests.conftest import REPO, build, cli, run_cli


def _poller(db: Path, stop: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", POLL, str(db), str(stop)], stdout=subprocess.PIPE, text=True
    )


def test_a_reader_polling_through_many_publishes_never_misses_the_warehouse(
    tmp_path: Path,
) -> None:
    """Finding 7: publish renamed the old warehouse away before the new one was in place."""
    project = Project(tmp_path)
    project.data_dir.mkdir(parents=True)
    project.reports_dir.mkdir()
    project.warehouse_path.write_bytes(b"warehouse 0".ljust(4096, b"."))
    stop = tmp_path / "stop"
    reader = _poller(project.warehouse_path, stop)
    time.sleep(0.2)
    for n in range(1, 201):
        new_db = project.data_dir / f".warehouse-{n}.duckdb"
        new_db.write_bytes(f"warehouse {n}".encode().ljust(4096, b"."))
        new_reports = tmp_path / f".reports-{n}"
        new_reports.mkdir()
        (new_reports / "index.html").write_text(str(n), "utf-8")
        publish.publish(project, f"build-{n}", new_db, new_reports)
    stop.touch()
    polls, misses = map(int, reader.communicate(timeout=30)[0].split())
    assert polls > 100 and misses == 0
    assert project.warehouse_path.read_bytes().startswith(b"warehouse 200")
    assert project.previous_warehouse_path.read_bytes().startswith(b"warehouse 199")


def test_a_kill_in_the_middle_of_publishing_leaves_a_warehouse(project: Path) -> None:
    """Finding 7: kills aimed at publish left no warehouse until the next build."""
    db = project / "data" / "warehouse.duckdb"
    claims = project / "data" / "claims" / "passblue-2023-iom-director-general-race.yaml"
    claims.write_text(claims.read_text("utf-8") + "\n", "utf-8")
    done = run_cli(
        "build", "--validation", "sql", root=project, env={"ANALYSIS_CRASH_AT": "publish-linked"}
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with duckdb.connect(str(db), read_only=True) as con:  # the old one, complete
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
    done = build(project)
    assert "completed a publish interrupted by a crash" in done.stderr


def _up_to_date(root: Path, validation: str = "sql") -> bool:
    project = Project(root)
    return state.up_to_date(project, state.fingerprint(project), validation) is not None


def test_an_overwritten_warehouse_is_rebuilt_not_called_up_to_date(project: Path) -> None:
    """Finding 3's second half: after the warehouse was overwritten, the build said "nothing
    changed" because it only checked that the outputs existed."""
    assert _up_to_date(project)
    report = project / "reports" / "index.html"
    html = report.read_bytes()
    report.write_bytes(html + b"<!-- edited -->")
    assert not _up_to_date(project)
    report.write_bytes(html)
    assert _up_to_date(project)
    db = project / "data" / "warehouse.duckdb"
    db.write_bytes(b"1\n")
    assert not _up_to_date(project)
    done = build(project)
    assert "build complete" in done.stdout and "not compared with the previous file" in done.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
    assert _up_to_date(project)


def _cache_entry(project: Path) -> tuple[Path, Path, Path]:
    cache = project / "data" / ".cache" / "extract"
    (mentions,) = cache.glob("*.mentions.parquet")
    (sections,) = cache.glob("*.sections.json")
    (sums,) = cache.glob("*.sha256")
    return mentions, sections, sums


def _first_value(project: Path) -> float:
    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT value FROM mentions ORDER BY start_offset LIMIT 1").fetchone()[0]


def test_a_tampered_cache_is_detected_and_force_never_reads_it(project: Path) -> None:
    """Finding 10: a tampered extraction cache was trusted even with --force, and a corrupt one
    broke every build until deleted by hand."""
    true_value = _first_value(project)
    mentions, sections, sums = _cache_entry(project)
    tampered = pl.read_parquet(mentions).with_columns(pl.col("value") * 1000)
    tampered.write_parquet(mentions)  # its checksum is now stale
    (project / "data" / ".build-state.json").unlink()  # so that the build has work to do
    done = build(project)
    assert "discarded a corrupt extraction of passblue-2023" in done.stdout
    assert "reused        extraction" not in done.stdout and _first_value(project) == true_value
    # a tamperer who also rewrites the checksum is not caught by it; --force never reads it
    mentions, sections, sums = _cache_entry(project)
    tampered.write_parquet(mentions)
    sums.write_text(f"{sha256_hex(sections.read_bytes())} {sha256_hex(mentions.read_bytes())}\n")
    done = build(project, "--force")
    assert "reused" not in done.stdout and _first_value(project) == true_value


def _drafted_subjects(project: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT claim_id, subject FROM claims WHERE origin <> 'hand' ORDER BY 1"
        ).fetchall()


ARTICLE = "press_release-health-management-associates-q4-2004"  # no claims file: drafts kept


def _tamper_entry(project: Path, cache_name: str) -> tuple[Path, Path]:
    """The first claim's subject changed in the article's entry of the drafts' or the checks'
    cache."""
    cache = project / "data" / ".cache" / cache_name
    (entry,) = cache.glob(f"{ARTICLE}-*.json")
    (sums,) = cache.glob(f"{ARTICLE}-*.sha256")
    body = json.loads(entry.read_text("utf-8"))
    records = body if cache_name == "draft" else body["claims"]
    records[0]["subject"] = "TAMPERED"
    entry.write_text(json.dumps(body), "utf-8")  # its checksum is now stale
    return entry, sums


@pytest.mark.parametrize("cache_name", ["draft", "check"])
def test_a_tampered_claims_cache_is_discarded_and_force_never_reads_it(
    project: Path, cache_name: str
) -> None:
    """An article's checks are taken from the checks' cache, its drafted claims from theirs
    when its checks are not: a tampered entry of either is said and made again."""
    corpus = REPO / "tests" / "data" / "corpus"
    for ext in (".txt", ".meta.yaml"):
        shutil.copy(corpus / f"{ARTICLE}{ext}", project / "seeds" / f"{ARTICLE}{ext}")
    build(project)
    truth = _drafted_subjects(project)
    assert truth
    _tamper_entry(project, cache_name)
    if cache_name == "draft":  # so that the drafts are read
        shutil.rmtree(project / "data" / ".cache" / "check")
    (project / "data" / ".build-state.json").unlink()  # so that the build has work to do
    done = build(project)
    assert "reused        extraction of 2" in done.stdout
    if cache_name == "draft":
        assert "reused        drafted claims of 1 unchanged" in done.stdout  # the seed's alone
        assert f"discarded corrupt drafted claims of {ARTICLE} (ValueError" in done.stdout
    else:
        assert "reused        checks" not in done.stdout  # the seed's are never kept
        assert f"discarded corrupt checks of {ARTICLE} (ValueError" in done.stdout
        assert "reused        drafted claims of 2 unchanged" in done.stdout
    assert _drafted_subjects(project) == truth
    # a tamperer who also rewrites the checksum is not caught by it; --force never reads it
    entry, sums = _tamper_entry(project, cache_name)
    sums.write_text(sha256_hex(entry.read_bytes()) + "\n", "ascii")
    done = build(project, "--force")
    assert "reused" not in done.stdout and _drafted_subjects(project) == truth


def _aged(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (1_000_000, 1_000_000))  # 1970: unused by any build since
    return path


def test_the_render_sweep_removes_only_entries_and_never_through_a_link(tmp_path: Path) -> None:
    """The sweep removes the old entries of ``render/xx/`` and a half-written one, nothing
    else: not a file of another name, not one in another folder, not through a linked
    subfolder, and nothing at all when the cache folder, or one above it in the project, is
    a link (a planted link would point it at the desk's files)."""
    root = tmp_path / "project"
    render = root / "data" / ".cache" / "render"
    key = "ab" + "1" * 62
    entry = _aged(render / "ab" / key)
    half = _aged(render / "ab" / f".{key}.tmp-123")
    fresh = render / "ab" / ("ab" + "2" * 62)
    fresh.write_bytes(b"used")
    kept = [
        _aged(render / "ab" / "notes.txt"),
        _aged(render / "ab" / ("cd" + "1" * 62)),  # another folder's key
        _aged(render / "zz" / ("zz" + "1" * 62)),  # not a folder of entries
        _aged(render / ("ab" + "3" * 62)),  # not in a subfolder
    ]
    desk = tmp_path / "desk"
    precious = _aged(desk / ("cd" + "4" * 62))
    (render / "cd").symlink_to(desk, target_is_directory=True)
    since = clock(render)
    assert since is not None and abs(since - time.time()) < 60
    assert not list(render.glob(".clock-*"))  # its mark is gone
    assert sweep(render, since - 2, root) == 2
    assert not entry.exists() and not half.exists()
    assert fresh.exists() and all(p.exists() for p in kept) and precious.exists()
    # the cache folder a link, or a folder above it: nothing removed
    for linked in (render, render.parent, render.parent.parent):
        moved = tmp_path / "elsewhere"
        linked.rename(moved)
        linked.symlink_to(moved, target_is_directory=True)
        victim = _aged(render / "ef" / ("ef" + "5" * 62))
        assert sweep(render, time.time(), root) == 0 and victim.exists()
        linked.unlink()
        moved.rename(linked)
    assert clock(tmp_path / "no such folder") is None


def test_a_cache_never_removes_through_a_link(tmp_path: Path) -> None:
    """The per-document caches forget documents no longer in the seeds: only entries, only
    regular files, never in a folder reached through a link."""
    root = tmp_path / "project"
    folder = root / "data" / ".cache" / "extract"
    key = "0" * 32
    gone = _aged(folder / f"old-article-{key}.sha256")
    half = _aged(folder / f".old-article-{key}.json.tmp-123")  # gone too, not a document
    kept = [_aged(folder / f"article-{key}.sha256"), _aged(folder / "notes.txt")]
    linked = folder / f"linked-{key}.sha256"
    precious = _aged(tmp_path / "desk" / "precious.txt")
    linked.symlink_to(precious)
    assert remove_others([folder], {"article"}, time.time(), root) == {"old-article"}
    assert not gone.exists() and not half.exists()
    assert all(p.exists() for p in kept) and precious.exists()
    for moved_folder in (folder, folder.parent):
        moved = tmp_path / "elsewhere"
        moved_folder.rename(moved)
        moved_folder.symlink_to(moved, target_is_directory=True)
        victim = _aged(folder / f"victim-{key}.sha256")
        assert remove_others([folder], set(), time.time(), root) == set() and victim.exists()
        moved_folder.unlink()
        moved.rename(moved_folder)


def test_bytes_remembered_by_the_process_still_fill_each_projects_cache(tmp_path: Path) -> None:
    """A drawing the process made for one project is not made again for the next, but the next
    project's cache gets its own intact entry, and a tampered entry is replaced, not served."""
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return f"drawing {tmp_path.name}".encode()

    parts = ("test-drawing", str(tmp_path))  # unique to this test run
    first, second = tmp_path / "a", tmp_path / "b"
    assert cached_bytes(first, parts, make, remember=True) == make()
    made.clear()
    assert cached_bytes(second, parts, make, remember=True) == f"drawing {tmp_path.name}".encode()
    assert made == []  # remembered, not made again
    (entry,) = [p for p in second.rglob("*") if p.is_file()]
    content = entry.read_bytes().split(b"\n", 1)[1]
    assert content == f"drawing {tmp_path.name}".encode()
    assert entry.read_bytes()[:64].decode() == sha256_hex(content)
    entry.write_bytes(entry.read_bytes()[:65] + b"TAMPERED")
    assert cached_bytes(second, parts, make, remember=True) == content
    assert entry.read_bytes().split(b"\n", 1)[1] == content and made == []
    # without remember, every project makes its own
    assert cached_bytes(tmp_path / "c", (*parts, "x"), make) == content
    assert cached_bytes(tmp_path / "d", (*parts, "x"), make) == content and len(made) == 2


def test_the_vega_bundle_is_kept_once_per_machine(tmp_path: Path, monkeypatch) -> None:
    """The bundle depends on the library alone: it goes to the machine's cache folder, not to
    each project's, and a tampered entry there is made again, not served."""
    from analysis.files_cache import MACHINE_CACHE_ENV
    from analysis.report.env import vega_bundle

    machine, project_cache = tmp_path / "machine", tmp_path / "project-cache"
    monkeypatch.setenv(MACHINE_CACHE_ENV, str(machine))
    bundle = vega_bundle(project_cache)
    assert "vegaEmbed" in bundle and not project_cache.exists()
    (entry,) = [p for p in machine.rglob("*") if p.is_file()]
    content = entry.read_bytes()[65:]
    assert entry.read_bytes()[:64].decode() == sha256_hex(content)
    entry.write_bytes(entry.read_bytes()[:65] + b"alert('tampered')")
    assert vega_bundle(project_cache) == bundle
    assert entry.read_bytes()[65:] == content


def test_a_chart_drawn_once_on_this_machine_is_not_drawn_again(tmp_path: Path, monkeypatch) -> None:
    """A drawing depends on its spec and the library alone: a second project (in a new
    process, nothing remembered) reads it from the machine's cache instead of drawing it, and
    still gets its own copy; a tampered machine entry is drawn again, not served; and with no
    project cache (no folder) no disk is read at all."""
    from analysis import files_cache
    from analysis.files_cache import MACHINE_CACHE_ENV, read_cached

    machine = tmp_path / "machine"
    monkeypatch.setenv(MACHINE_CACHE_ENV, str(machine))
    monkeypatch.setattr(files_cache, "_REMEMBERED", {})
    drawn: list[bytes] = []

    def draw() -> bytes:
        drawn.append(b"<svg>%d</svg>" % len(drawn))
        return drawn[-1]

    def a_new_process_draws(folder: Path | None) -> bytes:
        files_cache._REMEMBERED.clear()
        return cached_bytes(
            folder, ("svg", "1.0", '{"mark": "bar"}'), draw, remember=True, machine=True
        )

    first = a_new_process_draws(tmp_path / "a")
    assert a_new_process_draws(tmp_path / "b") == first and len(drawn) == 1
    assert read_cached(tmp_path / "b", ("svg", "1.0", '{"mark": "bar"}')) == first
    (entry,) = [p for p in machine.rglob("*") if p.is_file()]
    entry.write_bytes(entry.read_bytes()[:65] + b"<svg>tampered</svg>")
    assert a_new_process_draws(tmp_path / "c") == drawn[-1] and len(drawn) == 2
    assert entry.read_bytes()[65:] == drawn[-1]
    a_new_process_draws(None)
    assert len(drawn) == 3


def test_a_stale_matching_memo_is_not_read(tmp_path: Path) -> None:
    """The matching memo is a derived file: edited (its checksum stale), cut short or made by
    other code, it is not used (the build then matches every sentence afresh)."""
    from analysis.build import matches_cache
    from analysis.checks.matching import MatchMemo

    project = Project(tmp_path)
    memo = MatchMemo([("c1", '["doc", "The fund paid $5 million.", [5000000.0]]')])
    memo.documents["other"] = ("print", {0: ("c1", 0.9), 40: (None, 0.0)})
    memo.buckets = {"a print": 7}
    matches_cache.write(project, "code-1", memo)
    assert matches_cache.read(project, "code-1") == memo
    assert matches_cache.read(project, "code-2") is None
    path = project.cache_dir / "match" / "memo.json"
    raw = path.read_bytes()
    for spoilt in (raw.replace(b"0.9", b"1.0"), raw[: len(raw) // 2], b""):
        path.write_bytes(spoilt)
        assert matches_cache.read(project, "code-1") is None


def test_a_build_that_starts_from_the_matching_memo_links_as_a_fresh_one(project: Path) -> None:
    """A second note restating the seed, added to a project whose last build left its memo:
    the links are those of a build from scratch."""

    def links(root: Path) -> list[tuple]:
        with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
            return con.execute("SELECT * FROM claim_matches ORDER BY ALL").fetchall()

    note = (
        "IOM race heats up\nIn 2021 the US contributed $668 million, about 67 percent of IOM "
        "total funding that year, or $998 million, the report said.\n"
    )
    (project / "seeds" / "restated-note.txt").write_text(note, "utf-8")
    build(project)
    first = links(project)
    assert first  # the note restates a statement checked in the seed
    (project / "seeds" / "restated-again.txt").write_text(note.replace("the US", "the U.S."))
    build(project)  # starts from the memo
    scratch = project.parent / "scratch"  # the same project without the memo
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("match", ".build-state.json"))
    assert "reused        extraction of 3" in build(scratch).stdout
    assert links(project) == links(scratch) and len(links(project)) > len(first)


def test_an_output_is_read_again_only_when_its_file_changed(project: Path) -> None:
    """A build with nothing to do trusts the recorded digest of an output whose size, times
    and inode are as recorded (it is not read: a recorded digest changed by hand stands);
    bytes rewritten with the same length and the modification time set back are read again,
    the change time having moved, and found."""
    root = Project(project)
    recorded = state.read_state(root)
    assert recorded is not None
    state.write_state(root, recorded["fingerprint"], recorded["summary"], "sql")
    assert _up_to_date(project)
    page = project / "reports" / "index.html"
    html, times = page.read_bytes(), page.stat()
    page.write_bytes(html.replace(b"<html", b"<HTML", 1))
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert page.stat().st_size == times.st_size and not _up_to_date(project)
    page.write_bytes(html)
    assert _up_to_date(project)
    recorded = state.read_state(root)
    assert recorded is not None
    state.write_state(root, recorded["fingerprint"], recorded["summary"], "sql")
    kept = json.loads(root.state_path.read_text("utf-8"))
    kept["outputs"]["reports/index.html"]["sha256"] = "0" * 64
    root.state_path.write_text(json.dumps(kept), "utf-8")
    assert _up_to_date(project)


def test_a_seed_is_read_again_only_when_its_file_changed(project: Path) -> None:
    """The seeds' digest trusts the recorded digest of a file whose size, times and inode are
    unchanged (a recorded digest changed by hand stands); a seed rewritten with the same
    length and its modification time set back is read again and found."""
    root = Project(project)
    recorded = state.read_state(root)
    assert recorded is not None
    inputs: dict = {}
    prints = state.fingerprint(root, inputs)
    state.write_state(root, prints, recorded["summary"], "sql", inputs)
    assert _up_to_date(project)
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    text, times = seed.read_bytes(), seed.stat()
    seed.write_bytes(text[:-1] + (b"X" if text[-1:] != b"X" else b"Y"))  # the same length
    os.utime(seed, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert seed.stat().st_size == times.st_size and not _up_to_date(project)
    seed.write_bytes(text)
    assert _up_to_date(project)
    inputs = {}
    prints = state.fingerprint(root, inputs)
    state.write_state(root, prints, recorded["summary"], "sql", inputs)
    kept = json.loads(root.state_path.read_text("utf-8"))
    kept["inputs"][seed.relative_to(project).as_posix()]["sha256"] = "0" * 64
    root.state_path.write_text(json.dumps(kept), "utf-8")
    assert state.fingerprint(root)["seeds"] != prints["seeds"]


def test_an_archive_file_is_fingerprinted_whatever_its_size(tmp_path: Path) -> None:
    """A JSON Lines archive is read in blocks (its reader streams it), so one over the size
    limit of one file (an archive of 100,000 articles is 2 GB) is fingerprinted; a text seed
    over it is refused, naming the file, as before."""
    from analysis.files import MAX_FILE_BYTES

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with (seeds / "archive.jsonl").open("wb") as big:
        big.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk written
    assert len(state.fingerprint(Project(tmp_path))["seeds"]) == 64
    (seeds / "archive.jsonl").rename(seeds / "archive.txt")
    with pytest.raises(BadInput, match="over the limit"):
        state.fingerprint(Project(tmp_path))


def test_a_state_file_that_is_not_an_object_means_a_rebuild(project: Path) -> None:
    assert _up_to_date(project)
    (project / "data" / ".build-state.json").write_text(json.dumps([1, 2]), "utf-8")
    assert not _up_to_date(project)


def test_leftover_link_of_a_killed_publish_is_cleared(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.data_dir.mkdir()
    previous = project.previous_warehouse_path
    leftover = previous.with_name(f".{previous.name}.tmp-{os.getpid()}")
    leftover.write_bytes(b"x")
    publish.recover(project)
    assert not leftover.exists()


def test_a_build_validated_in_duckdb_alone_does_not_stand_for_a_full_one(project: Path) -> None:
    """A build validated by ``--validation sql`` never ran the expectations that Great
    Expectations alone runs: the next default build validates in full instead of saying
    nothing changed; one that asks for SQL alone has nothing to do."""
    assert _up_to_date(project, "full")  # the shared build was validated in full
    build(project, "--force")  # in DuckDB alone
    assert not _up_to_date(project, "full") and _up_to_date(project, "sql")
    done = cli("build", "--validation", "sql", root=project)
    assert done.returncode == 0 and "nothing changed since the last build" in done.stdout
