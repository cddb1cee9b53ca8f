"""Archives as they come (analysis/documents/corpus.py): JSON Lines and Parquet files of
articles beside plain texts, read from seeds/ or from the folder given by --seeds."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import duckdb
import polars as pl
import pytest

from analysis.build.pipeline import BuildResult, extract_all
from analysis.documents.corpus import read_documents
from analysis.figures.extract import extract_document
from analysis.figures.lexicon import load_lexicon
from analysis.project import Project
from tests.conftest import REPO, build, cli, copy_project, error_line, run_cli
from tests.test_build import _report_digests, _tables

CORPUS = REPO / "tests" / "data" / "corpus"


def _articles(n: int) -> list[dict]:
    texts = sorted(CORPUS.glob("*.txt"))[:n]
    return [
        {
            "id": path.stem,
            "title": f"Title of {path.stem}",
            "url": f"https://example.org/{i}",
            "outlet": "Example Times",
            "published": f"2023-0{i + 1}-15",
            "text": path.read_text("utf-8"),
        }
        for i, path in enumerate(texts)
    ]


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Three articles as JSON Lines, two as Parquet (one without a title), one plain text, and
    the seed with its metadata."""
    folder = tmp_path / "archive"
    folder.mkdir()
    records = _articles(6)
    _jsonl(folder / "feed.jsonl", records[:3])
    parquet = records[3:5]
    parquet[0] = {**parquet[0], "title": None}
    pl.DataFrame(parquet).write_parquet(folder / "backfile.parquet")
    (folder / "loose.txt").write_text(records[5]["text"], "utf-8")
    for seed in (REPO / "seeds").iterdir():  # the desk's article, whose claims are on file
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_records_become_documents_with_their_metadata(archive: Path) -> None:
    docs = read_documents(archive)
    by_id = {d.doc_id: d for d in docs}
    records = _articles(6)
    assert len(docs) == 7
    seed = "passblue-2023-iom-director-general-race"
    assert sorted(by_id) == sorted([*(r["id"] for r in records[:5]), "loose", seed])
    first = by_id[records[0]["id"]]
    assert (first.title, first.url, first.outlet) == (
        records[0]["title"],
        records[0]["url"],
        records[0]["outlet"],
    )
    assert first.date_published.isoformat() == records[0]["published"]
    assert first.as_of == first.date_published
    assert first.place == "1" and first.path.name == "feed.jsonl"
    untitled = by_id[records[3]["id"]]
    assert untitled.place == "row 1"
    assert untitled.title == records[3]["text"].strip().splitlines()[0].strip()[:300]
    assert not untitled.title_given
    import hashlib

    for doc in docs:
        assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def test_an_archive_builds_like_its_articles_one_by_one_on_either_engine(
    fresh_project: Path, archive: Path, tmp_path: Path
) -> None:
    """The figures of each record are those of its text extracted alone. On a local Ray
    cluster of two CPUs the seven articles go out in several batches (at least two per CPU),
    and every table and every report file is the same as the local engine's."""
    done = build(fresh_project, "--seeds", str(archive))
    assert "documents     7" in done.stdout
    lex = load_lexicon()
    with duckdb.connect(str(fresh_project / "data" / "warehouse.duckdb"), read_only=True) as con:
        paths = dict(con.execute("SELECT doc_id, path FROM documents").fetchall())
        assert paths[_articles(1)[0]["id"]] == f"{archive.as_posix()}/feed.jsonl:1"
        for doc in read_documents(archive):
            alone = extract_document(doc, fresh_project / "data" / "layouts", lex)
            stored = con.execute(
                "SELECT start_offset, end_offset, kind FROM mentions WHERE doc_id = ? ORDER BY 1",
                [doc.doc_id],
            ).fetchall()
            expected = [
                (r["start"], r["end"], r["kind"]) for r in alone.mentions.sort("start").to_dicts()
            ]
            assert stored == expected, doc.doc_id
    on_ray = copy_project(tmp_path / "on-ray")
    done = run_cli(
        "build",
        "--engine",
        "ray",
        "--jobs",
        "2",
        "--validation",
        "sql",
        "--seeds",
        str(archive),
        root=on_ray,
    )
    assert done.returncode == 0, done.stderr
    assert "documents     7" in done.stdout
    batches = re.search(r"engine +ray: 7 document\(s\) in (\d+) batch\(es\) on 2 CPU", done.stdout)
    assert batches and int(batches[1]) >= 4, done.stdout  # at least two per CPU
    local_db, ray_db = (p / "data" / "warehouse.duckdb" for p in (fresh_project, on_ray))
    local, remote = _tables(local_db), _tables(ray_db)
    with duckdb.connect(str(local_db), read_only=True) as con:
        (drafted,) = con.execute("SELECT count(*) FROM claims WHERE origin <> 'hand'").fetchone()
    assert local["mentions"] and drafted > 0  # figures and machine-drafted claims to compare
    assert remote == local
    assert _report_digests(on_ray / "reports") == _report_digests(fresh_project / "reports")


def test_an_unreachable_ray_cluster_is_one_line_and_nothing_is_written(
    fresh_project: Path,
) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = cli("build", "--engine", "ray", "--address", f"127.0.0.1:{port}", root=fresh_project)
    assert done.returncode == 2
    assert f"cannot reach the Ray cluster at 127.0.0.1:{port}: Connection refused" in error_line(
        done
    )
    assert not (fresh_project / "data" / "warehouse.duckdb").exists()


def test_an_address_without_the_ray_engine_is_a_usage_error(fresh_project: Path) -> None:
    done = cli("build", "--address", "auto", root=fresh_project)
    assert done.returncode == 2
    assert "--address is for --engine ray" in error_line(done)
    assert not (fresh_project / "data" / "warehouse.duckdb").exists()


def test_changing_one_record_extracts_that_record_alone(fresh_project: Path, archive: Path) -> None:
    project = Project(fresh_project, archive)
    lex = load_lexicon()
    prints = {"code": "x", "layouts": "y"}
    first = BuildResult()
    extract_all(project, read_documents(archive), lex, prints, first)
    assert first.cached == []
    records = _articles(3)
    records[1] = {**records[1], "title": "A corrected title"}
    _jsonl(archive / "feed.jsonl", records)
    second = BuildResult()
    extract_all(project, read_documents(archive), lex, prints, second)
    assert set(second.cached) == {d.doc_id for d in read_documents(archive)} - {records[1]["id"]}


BAD = [
    (
        "feed.jsonl",
        '{"id": "a", "text": "1"}\n{"id": "b", "text": \n',
        "feed.jsonl:2: invalid JSON",
    ),
    ("feed.jsonl", '{"id": "a"}\n', "feed.jsonl:1: missing field 'text'"),
    ("feed.jsonl", '{"text": "x"}\n', "feed.jsonl:1: missing field 'id'"),
    ("feed.jsonl", '{"id": "../up", "text": "x"}\n', "feed.jsonl:1: id '../up'"),
    # a final line break passed a "$"-anchored rule and named files "art-1\n.html"
    ("feed.jsonl", '{"id": "art-1\\n", "text": "x"}\n', "feed.jsonl:1: id 'art-1\\n'"),
    ("feed.jsonl", '{"id": "a", "text": "x", "body": 1}\n', "unknown field 'body'"),
    ("feed.jsonl", '{"id": "a", "text": 5}\n', "text: expected a string"),
    ("feed.jsonl", '{"id": "a", "text": "x", "published": "May 2023"}\n', "not an ISO date"),
    # a timestamp is taken as its day only when the whole of it is one
    (
        "feed.jsonl",
        '{"id": "a", "text": "x", "published": "2023-05-01Tgarbage!!"}\n',
        "feed.jsonl:1: published: '2023-05-01Tgarbage!!' is not an ISO date or timestamp",
    ),
    ("feed.jsonl", '{"id": "a", "text": "x", "url": "javascript:x"}\n', "not an http"),
    ("feed.jsonl", "[1, 2]\n", "feed.jsonl:1: expected an object"),
    ("feed.jsonl", b'{"id": "a", "text": "\xff"}\n', "feed.jsonl:1: not UTF-8"),
    ("feed.jsonl", '{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "id 'a' is also"),
    ("feed.parquet", b"PAR1 not really", "feed.parquet: not a readable Parquet file"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_a_bad_record_is_one_line_and_nothing_is_written(
    project: Path, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    target = folder / name
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = (project / "data" / "warehouse.duckdb").stat().st_mtime_ns
    done = cli("build", "--seeds", str(folder), "--validation", "sql", "--jobs", "1", root=project)
    assert done.returncode == 2, done.stderr
    assert message in error_line(done)
    assert (project / "data" / "warehouse.duckdb").stat().st_mtime_ns == before


def test_parquet_columns_are_checked(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    pl.DataFrame({"id": ["a"], "body": ["x"]}).write_parquet(folder / "a.parquet")
    done = cli("build", "--seeds", str(folder), root=project)
    assert done.returncode == 2 and "a.parquet: missing column 'text'" in error_line(done)
    pl.DataFrame({"id": ["a"], "text": ["x"], "section": ["y"]}).write_parquet(folder / "a.parquet")
    done = cli("build", "--seeds", str(folder), root=project)
    assert done.returncode == 2 and "unknown column 'section'" in error_line(done)


def test_a_missing_seeds_folder_is_named(project: Path, tmp_path: Path) -> None:
    done = cli("build", "--seeds", str(tmp_path / "nowhere"), root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert "nowhere" in line and "seeds folder not found" in line


def test_every_real_article_of_the_corpus_builds_and_validates(fresh_project: Path) -> None:
    """The development corpus's real articles of many outlets, as one archive, pass every
    expectation (in SQL; the same suites as Great Expectations'): real copy states percentages
    over 100 and below 0, multipliers above 1, numeric dates whose iso is the year alone,
    figures across an abbreviation's full stop and two relations from one figure; each once
    stopped the build."""
    records = _articles(len(list(CORPUS.glob("*.txt"))))
    _jsonl(fresh_project / "seeds" / "corpus.jsonl", [{**r, "published": None} for r in records])
    done = build(fresh_project)
    assert re.search(r"expectations\s+\d+ passed, 0 failed", done.stdout), done.stdout
    with duckdb.connect(str(fresh_project / "data" / "warehouse.duckdb"), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM documents").fetchone()
    assert n == len(records) + 1


@pytest.mark.parametrize(
    "published",
    ["2023-05-01", "2023-05-01T23:10:00Z", "2023-05-01 08:00", "2023-05-01T01:00+02:00"],
)
def test_a_published_timestamp_is_its_day(tmp_path: Path, published: str) -> None:
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "a", "text": "x", "published": published}) + "\n", "utf-8"
    )
    (doc,) = read_documents(tmp_path)
    assert doc.date_published.isoformat() == "2023-05-01"


def test_local_worker_processes_give_what_the_build_s_process_gives(fresh_project: Path) -> None:
    """The local pool (engines.PoolEngine: two spawned worker processes, batches of a few
    articles) returns for each real article the sections, figures and drafted claims that
    work_batch gives in this process, whatever order the batches come back in; and its
    workers cache them, entries that give back the same."""
    from analysis.build import drafts_cache, engines, extract_cache, state
    from analysis.reference.tables import load_reference

    project = Project(fresh_project, CORPUS)
    docs = read_documents(CORPUS)[:6]
    lex = load_lexicon()
    prints = state.fingerprint(project)
    pool = engines.PoolEngine(project, lex, 2, engines.Caching(project.cache_dir, prints))
    pooled = {done.doc_id: done for done in pool(docs)}
    assert all(done.cached for done in pooled.values())
    assert pool.summary.startswith(f"local: {len(docs)} document(s) in ")
    assert int(pool.summary.split(" in ")[1].split()[0]) >= 4  # two batches a worker or more
    shared = engines.shared_inputs(
        docs, project.layouts_dir, lex, load_reference(project.reference_dir)
    )
    here = engines.work_batch(docs, shared)
    assert sorted(pooled) == sorted(d.doc_id for d in here)
    drafted = 0
    for done in here:
        there = pooled[done.doc_id]
        assert there.extracted.sections == done.extracted.sections
        assert there.extracted.mentions.equals(done.extracted.mentions)
        assert there.extracted.unreadable == done.extracted.unreadable
        assert there.drafted == done.drafted
        drafted += len(done.drafted)
    assert drafted > 0  # claims to compare
    discarded: list[str] = []
    entries = [
        extract_cache.read(extract_cache.paths(project.cache_dir, d, prints), d, discarded)
        for d in docs
    ]
    assert all(entries) and not discarded
    cached = extract_cache.read_all([e for e in entries if e], [], discarded)
    for done in here:
        assert cached[done.doc_id].sections == done.extracted.sections
        assert cached[done.doc_id].mentions.equals(done.extracted.mentions)
    for doc in docs:
        again = drafts_cache.read(project, doc, prints, discarded)
        assert again == next(d.drafted for d in here if d.doc_id == doc.doc_id)
    assert not discarded


def test_work_goes_to_worker_processes_with_two_jobs_and_enough_text() -> None:
    from analysis.build.engines import POOL_FROM_CHARS, pooled

    docs = read_documents(CORPUS)
    size = sum(len(d.text) for d in docs)
    assert size < POOL_FROM_CHARS
    many = docs * (POOL_FROM_CHARS // size + 1)
    assert pooled(many, 2) and pooled(many, 4)
    assert not pooled(many, 1) and not pooled(docs, 2)


def test_a_local_worker_stops_when_its_build_is_killed(fresh_project: Path) -> None:
    """A build killed while its worker processes run (SIGKILL, as a power cut) leaves none
    working on for no one, and a script that builds in its own process starts no second build
    in its workers (they never import the caller's main script)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = fresh_project / "build_here.py"  # unguarded, as a desk's script may be
    script.write_text(
        "import time\n"
        "from pathlib import Path\n"
        "from analysis.build import engines\n"
        "from analysis.project import Project\n"
        f"worker = engines.start_worker(Project(Path({str(fresh_project)!r})), 0)\n"
        "print(worker.process.pid, flush=True)\n"
        "time.sleep(60)\n",
        "utf-8",
    )
    build = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(build.stdout.readline())
    time.sleep(0.5)  # the worker is up, waiting for its inputs
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:  # gone, or a zombie that init has yet to reap
            state = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        raise AssertionError("the worker outlived its killed build by 10 s")


def test_a_killed_build_s_worker_logs_are_cleared_by_the_next_build(project: Path) -> None:
    logs = [project / "data" / f".pool-99999-{n}.log" for n in range(2)]
    for log in logs:
        log.write_text("a worker's log, left by a build killed mid-extraction\n", "utf-8")
    build(project)
    assert not any(log.exists() for log in logs)
