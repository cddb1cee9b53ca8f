"""Validation carried forward (analysis/validation/scope.py; docs/architecture.md,
"Validation carried forward"): a build that carries the warehouse runs the by-document suites
on the rows of the documents that changed, and every other expectation on every row."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analysis.build import carry
from analysis.errors import BadInput
from analysis.validation import scope
from analysis.validation.expectations import load_suites
from analysis.validation.run import digest, suites, validate_warehouse
from analysis.warehouse.catalog import PER_DOCUMENT, TABLES
from benchmarks.archive import _article
from tests.conftest import build, cli
from tests.test_carry import _archive, archive  # noqa: F401  (the fixture)

NARROWED = re.compile(r"suites checked the rows of the (\d+) document\(s\) that changed")


def _expectations(root: Path) -> Path:
    return root / "data" / "expectations"


def test_a_carried_build_checks_the_changed_documents_rows(
    archive: tuple[Path, list[dict]],  # noqa: F811
) -> None:
    """One article added: the by-document suites check its rows (and those of any document
    whose claims or checks changed with it), every other suite every row; the page says so,
    and the same warehouse validated whole passes too."""
    root, articles = archive
    _archive(root, [*articles, _article(8, 6_000)])
    printed = build(root).stdout
    found = NARROWED.search(printed)
    assert found, printed
    changed = int(found.group(1))
    db = root / "data" / "warehouse.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        (documents,) = con.execute("SELECT count(*) FROM documents").fetchone()
    assert 1 <= changed < documents
    page = (root / "reports" / "validation" / "index.html").read_text("utf-8")
    assert "(changed documents)" in page and "checked every row" in page
    whole = validate_warehouse(db, _expectations(root), "sql")
    assert whole.failed == 0 and all(r.documents is None for r in whole.results)
    narrowed = {r.suite for r in whole.results} & {
        s.name for s in load_suites(_expectations(root)) if s.by_document
    }
    assert narrowed == {"mentions", "sections", "claims", "claim_checks"}


def test_changed_suites_validate_every_row(archive: tuple[Path, list[dict]]) -> None:  # noqa: F811
    """A suite edited since the last build: the last warehouse did not pass these suites, so
    every row is checked again."""
    root, articles = archive
    suite = _expectations(root) / "documents.yaml"
    text = suite.read_text("utf-8")
    suite.write_text(text.replace("max_value: 10000000", "max_value: 9000000"), "utf-8")
    _archive(root, [*articles, _article(8, 6_000)])
    printed = build(root).stdout
    assert "warehouse rows of" in printed  # carried
    assert not NARROWED.search(printed), printed


def _scope(root: Path, documents: set[str]) -> scope.Scope:
    """The scope of the changed ``documents`` with nothing else changed, after a warehouse
    that passed the project's suites in both engines."""
    # every table of the catalog merged without a change, as a carried build sees them
    merged = {t.name: frozenset[str | None]() for t in TABLES if t.name not in PER_DOCUMENT}
    made = scope.of_carried(documents, (), merged, digest(suites(_expectations(root))), True)
    assert made is not None
    return made


def _corrupt_copy(db: Path, target: Path) -> tuple[str, str]:
    """A copy of ``db`` in which one figure of each of two documents no longer reads as the
    text at its offsets; the two documents' ids."""
    shutil.copy(db, target)
    with duckdb.connect(str(target)) as con:
        docs = [
            r[0]
            for r in con.execute(
                "SELECT doc_id FROM mentions GROUP BY doc_id ORDER BY doc_id LIMIT 2"
            ).fetchall()
        ]
        for doc in docs:
            con.execute(
                "UPDATE mentions SET surface = surface || 'x' WHERE mention_id = "
                "(SELECT min(mention_id) FROM mentions WHERE doc_id = ?)",
                [doc],
            )
    return docs[0], docs[1]


def test_a_narrowed_suite_sees_the_changed_documents_rows_and_only_those(
    archive: tuple[Path, list[dict]],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A bad figure in a changed document fails the narrowed mentions suite; one in a document
    outside the scope is not looked at (the premise: the last warehouse passed on it); the
    whole validation finds both."""
    root = archive[0]
    changed, other = _corrupt_copy(root / "data" / "warehouse.duckdb", tmp_path / "w.duckdb")
    everything = validate_warehouse(tmp_path / "w.duckdb", _expectations(root), "sql")
    failing = [r for r in everything.results if not r.success]
    assert {r.suite for r in failing} == {"mentions"}
    assert all(len(r.unexpected) == 2 for r in failing)
    # with a document taken out of the archive, which has no rows left: not counted
    within = _scope(root, {changed, "article-taken-out"})
    narrowed = validate_warehouse(tmp_path / "w.duckdb", _expectations(root), "sql", within)
    bad = [r for r in narrowed.results if not r.success]
    assert {r.suite for r in bad} == {"mentions"}
    assert all(len(r.unexpected) == 1 and r.documents == 1 for r in bad)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        query = "SELECT count(*) FROM mentions WHERE doc_id = ?"
        (rows,) = con.execute(query, [changed]).fetchone()
    mentions = [r for r in narrowed.results if r.suite == "mentions"]
    assert max(r.rows for r in mentions) == rows
    assert other != changed


def test_what_a_frame_reads_decides_whether_it_narrows(tmp_path: Path) -> None:
    """A frame reading a table that changed without doc_id, a view, another schema's table, a
    table function that may read one, a macro of the warehouse, a common table expression
    named as a stored table, or SQL DuckDB cannot parse is run on every row, whatever the case
    of its names; one reading the per-document tables, unchanged ones and its own common
    table expressions narrows."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("CREATE TABLE mentions (doc_id VARCHAR, x INTEGER)")
        con.execute("CREATE TABLE sources (id VARCHAR)")
        con.execute("CREATE TABLE ref_data (doc_id VARCHAR)")  # made anew by every build
        con.execute("CREATE VIEW v AS SELECT * FROM mentions")
        unchanged = scope.Scope(
            frozenset({"a"}), frozenset({"mentions"}), frozenset({"sources"}), "", False
        )
        changed = dataclasses.replace(unchanged, unchanged=frozenset())
        frame = "WITH c AS (SELECT * FROM sources) SELECT m.* FROM mentions m, c"
        assert scope.narrows(con, frame, unchanged)
        assert not scope.narrows(con, frame, changed)
        assert scope.narrows(con, "SELECT * FROM mentions WHERE x IN (SELECT 1)", changed)
        assert scope.narrows(con, "SELECT m.*, r.i FROM mentions m, range(3) r(i)", changed)
        for never in (
            "SELECT * FROM v",
            "SELECT * FROM V",
            "SELECT * FROM main.mentions",
            "SELEC * FROM mentions",
            "SELECT m.* FROM mentions m, Sources",
            'SELECT m.* FROM mentions m, "SOURCES"',
            "SELECT m.* FROM mentions m, ref_data",
            "SELECT * FROM query_table('sources')",
            "SELECT * FROM query('SELECT * FROM sources')",
            "WITH Sources AS (SELECT 1) SELECT m.* FROM mentions m, Sources",
        ):
            assert not scope.narrows(con, never, changed), never
        con.execute("CREATE MACRO n(x) AS (SELECT count(*) FROM sources)")
        assert not scope.narrows(con, "SELECT n(1) AS k, * FROM mentions", changed)


def test_the_scope_of_a_carried_warehouse() -> None:
    """The documents not kept and every document a merged table with doc_id changed a row of;
    the tables without doc_id that did not change; nothing when a change cannot be placed.
    It stands for a validation of the same suites only, and for Great Expectations only
    after a warehouse Great Expectations passed."""
    every = ["a", "b", "c", "d"]
    changes: dict[str, frozenset[str | None] | None] = {
        "claims": frozenset({"b"}),
        "claim_checks": frozenset(),
        "dismissals": frozenset(),
        "reviews": frozenset({None}),
    }
    got = scope.of_carried(every, ["b", "c", "d"], changes, "s", False)
    assert got is not None
    assert (got.documents, got.unchanged) == ({"a", "b"}, {"dismissals"})
    assert got.per_document == {*PER_DOCUMENT, "claims", "claim_checks"}
    assert got.of("s") is got and got.of("t") is None
    assert got.of("s", great_expectations=True) is None
    assert dataclasses.replace(got, great_expectations=True).of("s", True) is not None
    assert scope.of_carried(every, ["a"], {**changes, "reviews": None}, "s", True) is None
    assert (
        scope.of_carried(every, ["a"], {**changes, "claims": frozenset({None})}, "s", True) is None
    )


def test_a_suite_edited_while_the_build_runs_checks_every_row(
    archive: tuple[Path, list[dict]],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The scope stands for the suites the last warehouse passed: an expectation added while
    the build runs (after it planned the carry) is checked on every row, and fails on a
    document the build kept."""
    root, articles = archive
    _archive(root, [*articles, _article(8, 6_000)])
    suite = _expectations(root) / "mentions.yaml"
    planned = carry.plan

    def edit_then_plan(*args: Any) -> carry.Carried | None:
        suite.write_text(
            suite.read_text("utf-8") + "  - expect_column_values_to_be_null: {column: value, "
            "row_condition: 'doc_id==\"article-000003\"', condition_parser: pandas}\n",
            "utf-8",
        )
        return planned(*args)

    monkeypatch.setattr(carry, "plan", edit_then_plan)
    done = cli("build", "--validation", "sql", "--jobs", "1", root=root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mentions.value: expect_column_values_to_be_null" in done.stderr


def test_a_failed_build_s_validation_page_is_replaced(project: Path) -> None:
    """A build that fails validation publishes its validation page alone; the next build of
    the inputs the report was drawn from publishes its own (it used to find the report's
    build id its own and keep the failed page)."""
    page = project / "reports" / "validation" / "index.html"
    suite = _expectations(project) / "documents.yaml"
    text = suite.read_text("utf-8")
    suite.write_text(text + "  - expect_table_row_count_to_be_between: {min_value: 5}\n", "utf-8")
    assert cli("build", "--validation", "sql", root=project).returncode == 1
    assert "FAILED" in page.read_text("utf-8")
    suite.write_text(text, "utf-8")
    build(project, "--force")
    assert "FAILED" not in page.read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "by_document: true\nexpectations:\n"
            "  - expect_table_row_count_to_be_between: {min_value: 1}\n",
            "is not checked row by row",
        ),
        (
            "by_document: true\nexpectations:\n"
            "  - expect_column_values_to_be_unique: {column: doc_id}\n",
            "is not checked row by row",
        ),
        ("by_document: yes please\nexpectations: []\n", "by_document must be true or false"),
        ("by_document: true\ncombine: true\nexpectations: []\n", "one table, uncombined"),
    ],
)
def test_a_by_document_suite_holds_row_by_row_expectations(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "s.yaml").write_text("table: mentions\n" + text, "utf-8")
    with pytest.raises(BadInput, match=message) as err:
        load_suites(tmp_path)
    assert err.value.place is not None


def test_a_by_document_suite_needs_a_document_column(built: Path, tmp_path: Path) -> None:
    """Its table must have a doc_id: named as bad input, in a whole validation too."""
    folder = tmp_path / "expectations"
    shutil.copytree(_expectations(built), folder)
    (folder / "tolerance.yaml").write_text(
        "table: tolerance_rules\nby_document: true\nexpectations:\n"
        "  - expect_column_values_to_not_be_null: {column: rule}\n",
        "utf-8",
    )
    with pytest.raises(BadInput, match="tolerance_rules has no doc_id column"):
        validate_warehouse(built / "data" / "warehouse.duckdb", folder, "sql")


def test_great_expectations_is_narrowed_as_duckdb_is(
    archive: tuple[Path, list[dict]],  # noqa: F811
    tmp_path: Path,
) -> None:
    """Great Expectations' batches of a by-document suite are the changed documents' rows
    too, after a warehouse that passed Great Expectations: in this process, and in a build
    whose validator process runs them (two jobs)."""
    root, articles = archive
    changed, _ = _corrupt_copy(root / "data" / "warehouse.duckdb", tmp_path / "w.duckdb")
    within = _scope(root, {changed})
    narrowed = validate_warehouse(tmp_path / "w.duckdb", _expectations(root), "full", within)
    by_ge = [r for r in narrowed.results if r.engine == "great_expectations"]
    mentions = [r for r in by_ge if r.suite == "mentions"]
    assert mentions and all(r.documents == 1 for r in mentions)
    assert any(not r.success for r in mentions)
    assert all(r.documents is None for r in by_ge if r.suite == "documents")
    # the fixture's warehouse passed DuckDB's part alone: Great Expectations checks every row
    # once, and after a warehouse it passed, the changed documents' rows
    for added, narrowed_too in ((8, False), (9, True)):
        _archive(root, [*articles, *(_article(i, 6_000) for i in range(8, added + 1))])
        done = cli("build", "--validation", "full", "--jobs", "2", root=root)
        assert done.returncode == 0, done.stderr
        assert NARROWED.search(done.stdout), done.stdout
        page = (root / "reports" / "validation" / "index.html").read_text("utf-8")
        rows = [line for line in page.splitlines() if "great expectations" in line]
        assert any("(changed documents)" in line for line in rows) == narrowed_too
