"""The warehouse carried forward (analysis/build/carry.py, warehouse/load.carry and merge;
docs/architecture.md, "The warehouse carried forward"): a build that changes few documents
starts from a copy of the last published warehouse, and its tables hold exactly a cold
build's rows."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from analysis.build import carry
from analysis.build.pipeline import _new_warehouse
from analysis.build.state import fingerprint
from analysis.documents.corpus import read_documents
from analysis.documents.model import Document
from analysis.files import copy_file
from analysis.project import Project
from analysis.warehouse import load
from analysis.warehouse.diff import diff
from benchmarks.archive import _article
from tests.conftest import REPO, build
from tests.test_build import _drawn_digests, _tables

CORPUS = REPO / "tests" / "data" / "corpus"
CLAIMS = Path("data") / "claims" / "passblue-2023-iom-director-general-race.yaml"
CARRIED = "warehouse rows of "


def _carried(printed: str) -> int | None:
    """How many documents' rows a build's summary says it copied, or None."""
    for line in printed.splitlines():
        if CARRIED in line:
            return int(line.split(CARRIED)[1].split()[0])
    return None


def _build_info(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT * FROM build_info WHERE key <> 'built_at' ORDER BY ALL"
        ).fetchall()


def _archive(root: Path, articles: list[dict]) -> None:
    lines = [json.dumps(a) + "\n" for a in articles]
    (root / "seeds" / "archive.jsonl").write_text("".join(lines), "utf-8")


@pytest.fixture
def archive(fresh_project: Path) -> tuple[Path, list[dict]]:
    """The seed, three articles of the development corpus and eight generated ones, built."""
    for text in sorted(CORPUS.glob("*.txt"))[:3]:
        for part in (text, text.with_suffix(".meta.yaml")):
            if part.exists():
                shutil.copy(part, fresh_project / "seeds" / part.name)
    articles = [_article(i, 6_000) for i in range(8)]
    _archive(fresh_project, articles)
    assert _carried(build(fresh_project).stdout) is None  # nothing to carry from
    return fresh_project, articles


def test_a_carried_warehouse_holds_a_cold_build_s_rows(archive: tuple[Path, list[dict]]) -> None:
    """One article added, one changed, one taken out of the JSON Lines file (the articles
    after it move up a line: their ``path`` changes, so their rows are loaded again), and a
    claim of the desk edited: the build copies the rows of the documents unchanged, and
    every table (build_info but its time), every column's type and comment, and every report
    file are those of a ``--force`` build of the same inputs."""
    root, articles = archive
    before = {d.doc_id: d for d in read_documents(root / "seeds")}
    changed = dict(articles[2], text=articles[2]["text"].replace(" ", "  ", 3))
    after = [*articles[:2], changed, *articles[3:5], *articles[6:], _article(8, 6_000)]
    _archive(root, after)
    claims = root / CLAIMS
    claims.write_text(
        claims.read_text("utf-8").replace("subject: IOM membership\n", "subject: IOM (x)\n", 1),
        "utf-8",
    )
    docs = read_documents(root / "seeds")
    root_ = root.resolve()
    same = [
        d.doc_id
        for d in docs
        if d.doc_id in before
        and d.sha256 == before[d.doc_id].sha256
        and d.source(root_) == before[d.doc_id].source(root_)
    ]
    assert 0 < len(same) < len(docs) - 2  # the articles after the one taken out moved
    printed = build(root).stdout
    assert _carried(printed) == len(same), printed
    db = root / "data" / "warehouse.duckdb"
    # its changes, comparing the figures of the documents not carried, are all the changes
    whole = diff(db, root / "data" / "warehouse.previous.duckdb")
    assert whole.figures_added and whole.figures_lost
    assert f"changes       {whole.summary()}" in printed.splitlines()
    carried = (_tables(db), _build_info(db), _columns(db), _drawn_digests(root / "reports"))
    assert "(changed documents)" in (root / VALIDATION_PAGE).read_text("utf-8")
    build(root, "--force")
    cold = (_tables(db), _build_info(db), _columns(db), _drawn_digests(root / "reports"))
    for got, want in zip(carried, cold, strict=True):
        assert got == want
    assert "claims" in carried[0] and carried[0]["mentions"]
    # but the validation page: the carried build checked the by-document suites on the
    # changed documents' rows, the --force build on every row (tests/test_validation_scope.py)
    assert "(changed documents)" not in (root / VALIDATION_PAGE).read_text("utf-8")


VALIDATION_PAGE = Path("reports") / "validation" / "index.html"


def _columns(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
            "UNION ALL SELECT table_name, NULL, NULL, comment FROM duckdb_tables() "
            "UNION ALL SELECT view_name, NULL, NULL, sql FROM duckdb_views() WHERE NOT internal "
            "ORDER BY ALL"
        ).fetchall()


def test_a_warehouse_edited_by_hand_is_never_carried(archive: tuple[Path, list[dict]]) -> None:
    """A figure changed in the published warehouse (a desk's UPDATE in the DuckDB shell): the
    next build does not copy the file, and the figure is the extractor's again."""
    root, articles = archive
    db = root / "data" / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        mention, value = con.execute(
            "SELECT mention_id, value FROM mentions WHERE value IS NOT NULL ORDER BY mention_id"
        ).fetchone()
        con.execute("UPDATE mentions SET value = value + 1 WHERE mention_id = ?", [mention])
    _archive(root, [*articles, _article(8, 6_000)])
    printed = build(root).stdout
    assert _carried(printed) is None, printed
    with duckdb.connect(str(db), read_only=True) as con:
        (again,) = con.execute(
            "SELECT value FROM mentions WHERE mention_id = ?", [mention]
        ).fetchone()
    assert again == value


def test_most_of_the_archive_changed_is_loaded_afresh(archive: tuple[Path, list[dict]]) -> None:
    """Below carry.CARRY_FROM of the text unchanged, the build loads into an empty file."""
    root = archive[0]
    _archive(root, [_article(100 + i, 30_000) for i in range(8)])
    assert _carried(build(root).stdout) is None


def _planned(
    archive: tuple[Path, list[dict]],
) -> tuple[Project, list[Document], carry.Carried | None]:
    """The built archive with one article appended, and the plan of its next build."""
    root, articles = archive
    _archive(root, [*articles, _article(8, 6_000)])
    project = Project(root)
    docs = read_documents(project.seeds_dir)
    prints = fingerprint(project)
    keys = carry.document_keys(docs, prints, project.root)
    return project, docs, carry.plan(project, docs, keys, prints)


def test_a_warehouse_changed_after_the_plan_is_not_kept(archive: tuple[Path, list[dict]]) -> None:
    """The plan names the file as the last build published it; a file replaced since (a
    restore, a desk's copy) is no longer it."""
    project, docs, plan = _planned(archive)
    assert plan is not None and len(plan.kept) == len(docs) - 1
    assert plan.still_there()
    db = project.warehouse_path
    copy = db.with_name("copy.duckdb")
    shutil.copy2(db, copy)
    os.replace(copy, db)  # the same bytes, another file
    assert not plan.still_there()
    assert _planned(archive)[2] is not None  # the same bytes: the file is hashed, and carried


def _table(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(con.execute("SELECT * FROM dismissals").fetchall(), key=repr)


def test_merge_changes_only_the_rows_that_differ(tmp_path: Path) -> None:
    """Rows the new data also holds keep their place (no delete, no insert, nothing for the
    file to grow by); the others are deleted or inserted, a null equal to a null; rows that
    repeat, whose number a comparison cannot tell, are loaded whole."""
    con = load.create(tmp_path / "w.duckdb", 0, 10)
    try:
        rows = [
            {"mention_id": f"m{i}", "reason": "r", "note": None if i % 3 == 0 else f"n{i}"}
            for i in range(9)
        ]
        first = load.frame("dismissals", rows)
        load.insert(con, "dismissals", first)
        kept = dict(con.execute("SELECT mention_id, rowid FROM dismissals").fetchall())
        second = load.frame("dismissals", [*rows[:4], *rows[5:], {**rows[4], "mention_id": "new"}])
        load.merge(con, "dismissals", second)
        assert _table(con) == sorted(second.rows(), key=repr)
        now = dict(con.execute("SELECT mention_id, rowid FROM dismissals").fetchall())
        assert {m: now[m] for m in kept if m != "m4"} == {m: kept[m] for m in kept if m != "m4"}
        twice = pl.concat([second, second.head(2)])
        load.merge(con, "dismissals", twice)
        assert _table(con) == sorted(twice.rows(), key=repr)
        load.merge(con, "dismissals", second)  # the table repeats rows, the data does not
        assert _table(con) == sorted(second.rows(), key=repr)
        load.merge(con, "dismissals", twice.head(0))
        assert _table(con) == []
    finally:
        con.close()


def test_merge_tells_minus_zero_from_zero(tmp_path: Path) -> None:
    """A float is compared by its text: a rule's -0.0 replaces its 0.0, as a cold load has it."""
    con = load.create(tmp_path / "w.duckdb", 0, 10)
    try:
        rule = {"rule": "r", "relative": 0.0, "direction": "both", "applies_to": "x"}
        load.insert(con, "tolerance_rules", load.frame("tolerance_rules", [rule]))
        load.merge(
            con, "tolerance_rules", load.frame("tolerance_rules", [{**rule, "relative": -0.0}])
        )
        (relative,) = con.execute(
            "SELECT CAST(relative AS VARCHAR) FROM tolerance_rules"
        ).fetchone()
        assert relative == "-0.0"
    finally:
        con.close()


def test_a_copy_of_a_file_that_moved_is_thrown_away(archive: tuple[Path, list[dict]]) -> None:
    """The published warehouse replaced between the plan and the copy: the build's new
    warehouse is an empty one, nothing of the copy left beside it."""
    project, _, plan = _planned(archive)
    assert plan is not None
    root = project.root
    shutil.copy2(project.warehouse_path, root / "copy.duckdb")
    os.replace(root / "copy.duckdb", project.warehouse_path)
    new = project.data_dir / ".warehouse-test.duckdb"
    con, kept = _new_warehouse(new, plan, 1 << 20, 10)
    try:
        assert kept == frozenset()
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    finally:
        con.close()
    assert sorted(p.name for p in project.data_dir.glob(".warehouse-test*")) == [
        ".warehouse-test.duckdb",
        ".warehouse-test.staging",
    ]


def test_a_changed_layout_carries_nothing(archive: tuple[Path, list[dict]]) -> None:
    """Every document's figures depend on the layouts (and the lexicon), whichever its own:
    none is carried."""
    root, articles = archive
    layout = next((root / "data" / "layouts").glob("*.yaml"))
    layout.write_text(layout.read_text("utf-8") + "\n# a note of the desk\n", "utf-8")
    _archive(root, [*articles, _article(8, 6_000)])
    assert _carried(build(root).stdout) is None


def test_copy_file_copies_and_never_follows_a_link(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.write_bytes(os.urandom(3 << 20) + b"end")
    copy_file(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()
    with pytest.raises(FileExistsError):
        copy_file(source, tmp_path / "copy")
    (tmp_path / "link").symlink_to(source)
    with pytest.raises(OSError):
        copy_file(tmp_path / "link", tmp_path / "other")
    assert not (tmp_path / "other").exists()
