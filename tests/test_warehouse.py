"""The warehouse: documented schema, Great Expectations on every table, safe ad hoc SQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from analysis.errors import BadInput
from analysis.validation.run import validate_warehouse
from tests.conftest import REPO, cli, error_line


def _db(root: Path) -> Path:
    return root / "data" / "warehouse.duckdb"


def test_every_table_view_and_column_is_documented(built: Path) -> None:
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND "
            "coalesce(comment, '') = ''"
        ).fetchall()
        views = con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND coalesce(comment, '') = ''"
        ).fetchall()
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND "
            "coalesce(comment, '') = ''"
        ).fetchall()
        names = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() "
                "WHERE NOT internal"
            ).fetchall()
        }
    assert tables == [] and views == [] and columns == []
    assert {"documents", "sections", "mentions", "claims", "claim_checks", "build_info"} <= names
    assert {"chart_funding", "chart_leadership", "chart_representation"} <= names


def test_duckdb_cli_from_pypi_opens_the_warehouse(built: Path) -> None:
    shell = Path(sys.executable).parent / "duckdb"
    if not shell.exists():
        found = shutil.which("duckdb")
        assert found, "duckdb-cli (the pip package) is a test dependency"
        shell = Path(found)
    done = subprocess.run(
        [str(shell), "-readonly", "-csv", str(_db(built)), "SELECT count(*) AS n FROM mentions"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM mentions").fetchone()
    assert done.stdout.split() == ["n", str(n)]


def test_validation_passes_on_the_built_warehouse(built: Path, tmp_path: Path) -> None:
    outcome = validate_warehouse(_db(built), built / "data" / "expectations")
    assert outcome.failed == 0, outcome.failures
    assert outcome.count("sql") > 100 and outcome.count("great_expectations") > 20
    tables = {r.table for r in outcome.results}
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        every = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal"
            ).fetchall()
        }
    assert every <= tables  # every table is guarded by at least one suite
    page = (built / "reports" / "validation" / "index.html").read_text("utf-8")
    assert f"<strong>{outcome.passed}</strong> expectation(s) passed" in page
    # the build validated in its validator process, Great Expectations' part in two halves
    # (two cores) that both answered: no half was run again (that would be said in the
    # summary), and the same results, row for row
    summary = json.loads((built / "data" / ".build-state.json").read_text("utf-8"))["summary"]
    assert [line for line in summary if line.startswith("validation ")] == []
    from analysis.report.write import write_validation_page

    here = write_validation_page(tmp_path, outcome).read_text("utf-8")
    assert here == page


def test_the_two_halves_of_great_expectations_share_the_suites(built: Path) -> None:
    from analysis.validation.halves import halves
    from analysis.validation.run import suites

    every = suites(built / "data" / "expectations")
    hand = {i for i, s in enumerate(every) if not s.structural}
    mine, theirs = halves(every)
    assert mine and theirs and not mine & theirs and mine | theirs == hand
    weight = [sum(len(every[i].expectations) for i in half) for half in (mine, theirs)]
    assert abs(weight[0] - weight[1]) <= max(len(every[i].expectations) for i in hand)


# A runner that stands for Great Expectations' (the process logic is the same): each result
# says which process made it, and how many rows its frame has; in mode "errs" the first suite
# of each half is bad input.
_HALVES_SCRIPT = """
import json, os, sys, time
from pathlib import Path
from analysis.errors import BadInput
from analysis.validation import halves
from analysis.validation.run import join, suites, validate_in_great_expectations
from analysis.workers import PARENT_VARIABLE

db, folder, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
os.environ[PARENT_VARIABLE] = str(os.getppid())  # as in a validator a build started
every = suites(folder)
bad = {every[min(half)].name for half in halves.halves(every)} if mode == "errs" else set()

class Counting:
    def validate(self, con, suite, label, sql):
        if suite.name in bad:
            raise BadInput(suite.path, "cannot run", "1")
        (n,) = con.execute(f"SELECT count(*) FROM ({sql}) f").fetchone()
        return [(e, True, [], str(os.getpid()), n) for e in suite.expectations]

def first_error(part):
    try:
        join(part)
    except BadInput as err:
        return err.one_line()

if mode == "fails":
    halves._child = lambda *args: os._exit(3)
elif mode == "hangs":
    halves._child = lambda *args: (time.sleep(120), os._exit(0))
    halves.PATIENCE = (0.0, 0.5)
part = halves.in_two(db, every, Counting())
alone = validate_in_great_expectations(db, every, Counting())
try:
    os.waitpid(-1, os.WNOHANG)
    left = True
except ChildProcessError:
    left = False
print(json.dumps({
    "pids": sorted({r.message for p in part.results for r in p}),
    "same": [[(r.table, r.expectation, r.rows) for r in p] for p in part.results]
    == [[(r.table, r.expectation, r.rows) for r in p] for p in alone.results],
    "me": str(os.getpid()),
    "left": left,
    "errors": [first_error(part), first_error(alone)],
    "notes": part.notes,
    "first_bad": str(every[min(i for i, s in enumerate(every) if s.name in bad)].path)
    if bad else None,
}))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the halves need two cores")
@pytest.mark.parametrize("mode", ["works", "fails", "hangs", "errs"])
def test_the_forked_half_is_only_a_speed_up(built: Path, mode: str) -> None:
    """The validator forks to run half the suites in a second process; the results are the
    same as one process's, and when that half fails or hangs the validator runs it itself
    (and leaves no process behind)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _HALVES_SCRIPT,
            str(_db(built)),
            str(built / "data" / "expectations"),
            mode,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["same"] and not found["left"]
    # a half run here instead is said (the build prints it in its summary)
    said = {
        "fails": [
            "the second process of Great Expectations ended with exit code 3; ran its half here"
        ],
        "hangs": [
            "the second process of Great Expectations gave no answer in 0.5 s; ran its half here"
        ],
    }
    assert found["notes"] == said.get(mode, [])
    if mode == "works":
        assert len(found["pids"]) == 2 and found["me"] in found["pids"]
    elif mode == "errs":  # each half met bad input: the first is raised, as one process would
        assert found["errors"][0] == found["errors"][1] == f"{found['first_bad']}:1: cannot run"
    else:
        assert found["pids"] == [found["me"]]
    if mode != "errs":
        assert found["errors"] == [None, None]


def test_join_raises_the_first_bad_input_as_one_process_meets_it() -> None:
    """Suite by suite, and within a suite the SQL part before Great Expectations' part."""
    from analysis.validation.run import Part, join

    empty = [[] for _ in range(6)]
    sql = Part(empty, {5: BadInput("e.yaml", "sql", "5")})
    gx = Part(empty, {3: BadInput("c.yaml", "gx", "3")})
    with pytest.raises(BadInput, match=r"c\.yaml:3: gx"):
        join(sql, gx)
    gx.errors[5] = BadInput("e.yaml", "gx", "9")
    del gx.errors[3]
    with pytest.raises(BadInput, match=r"e\.yaml:5: sql"):
        join(sql, gx)
    assert join(Part(empty), Part(empty)).results == []


@pytest.mark.parametrize(
    ("mutation", "table", "expectation", "engine"),
    [
        (
            "UPDATE mentions SET start_offset = start_offset + 1 WHERE mention_id = "
            "(SELECT min(mention_id) FROM mentions)",
            "mentions",
            "expect_column_pair_values_to_be_equal",
            "full",
        ),
        (
            "UPDATE claim_checks SET verdict = 'mostly_true' WHERE check_id = "
            "(SELECT min(check_id) FROM claim_checks)",
            "claim_checks",
            "expect_column_values_to_be_in_set",
            "sql",
        ),
        (
            "INSERT INTO build_info SELECT key, 'again' FROM build_info LIMIT 1",
            "build_info",
            "expect_column_values_to_be_unique",
            "sql",
        ),
        (
            "UPDATE ref_population SET source_id = 'nobody' WHERE row_no = "
            "(SELECT min(row_no) FROM ref_population)",
            "ref_population",
            "expect_column_values_to_not_be_null",
            "sql",
        ),
        ("CREATE TABLE scratch AS SELECT 1 AS x", "scratch", "has an expectation suite", "sql"),
    ],
)
def test_validation_catches_a_corrupted_warehouse(
    built: Path, tmp_path: Path, mutation: str, table: str, expectation: str, engine: str
) -> None:
    copy = tmp_path / "corrupt.duckdb"
    shutil.copy(_db(built), copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(mutation)
    outcome = validate_warehouse(copy, built / "data" / "expectations", engine)
    failed = [r for r in outcome.results if not r.success]
    assert any(r.table == table and r.expectation == expectation for r in failed), failed
    if engine == "full":  # both engines see it
        assert {r.engine for r in failed} == {"sql", "great_expectations"}
    assert not any((r.message or "").startswith("raised") for r in outcome.results)


@pytest.mark.parametrize("jobs", ["1", "2"])  # the report drawn after validation, or beside it
def test_failed_validation_keeps_old_outputs_and_explains(project: Path, jobs: str) -> None:
    db_before = _db(project).read_bytes()
    index_before = (project / "reports" / "index.html").read_bytes()
    suite = project / "data" / "expectations" / "documents.yaml"
    suite.write_text(
        suite.read_text("utf-8") + "  - expect_table_row_count_to_be_between: {min_value: 5}\n",
        "utf-8",
    )
    done = cli("build", "--validation", "sql", "--jobs", jobs, root=project)
    assert done.returncode == 1, done.stderr
    assert "documents.*: expect_table_row_count_to_be_between" in done.stderr
    assert _db(project).read_bytes() == db_before
    assert (project / "reports" / "index.html").read_bytes() == index_before
    page = (project / "reports" / "validation" / "index.html").read_text("utf-8")
    assert "FAILED" in page and "expect_table_row_count_to_be_between" in page


@pytest.mark.parametrize("name", ["expect_the_unexpected", "expect_column_values_to_be_uniqe"])
def test_unknown_expectation_is_bad_input_in_either_engine(project: Path, name: str) -> None:
    """A name Great Expectations gives no expectation stops the build at its file and line
    before any work, also when only DuckDB validates (which used to pass over it, as over every
    expectation it cannot translate), and the published warehouse is left as it was."""
    suite = project / "data" / "expectations" / "build_info.yaml"
    text = suite.read_text("utf-8") + f"  - {name}: {{column: key}}\n"
    suite.write_text(text, "utf-8")
    db = project / "data" / "warehouse.duckdb"
    before = db.read_bytes()
    line_no = text.count("\n")
    for engine in ("sql", "full"):
        done = cli("build", "--validation", engine, root=project)
        assert done.returncode == 2
        assert error_line(done) == (f"error: {suite}:{line_no}: unknown expectation {name!r}")
        assert "stage extract" not in done.stdout + done.stderr
    assert db.read_bytes() == before


def test_every_name_the_duckdb_engine_translates_is_great_expectations_own() -> None:
    """The names the DuckDB engine translates (the expectation names in its source) are names
    Great Expectations knows, but for the catalog's reference check, which only the generated
    suites use: a translation under a misspelled name would never run."""
    import ast

    from analysis.validation import sql
    from analysis.validation.names import GE_EXPECTATIONS

    named = {
        node.value
        for node in ast.walk(ast.parse(Path(sql.__file__).read_text("utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("expect_")
    }
    assert len(named) >= 10
    assert named - GE_EXPECTATIONS == {"expect_column_values_to_reference"}
    # and their arguments are declared, each of them
    from analysis.validation.arguments import TRANSLATED_ARGS

    assert set(TRANSLATED_ARGS) == named


@pytest.mark.parametrize(
    ("expectation", "message"),
    [
        (
            "expect_column_values_to_be_between: {column: n_claims, min_valu: 0}",
            "expect_column_values_to_be_between: unknown argument 'min_valu'",
        ),
        (
            "expect_column_values_to_be_in_set: {column: key, values_set: [a]}",
            "expect_column_values_to_be_in_set: unknown argument 'values_set'",
        ),
        (
            "expect_column_values_to_match_regex: {column: key}",
            "expect_column_values_to_match_regex: needs 'regex'",
        ),
        (
            "expect_column_values_to_not_be_null: "
            "{column: key, row_condition: 'key==\"a\"', condition_parser: pandsa}",
            "condition_parser 'pandsa': use pandas",
        ),
    ],
)
def test_an_expectation_s_arguments_are_checked(
    project: Path, expectation: str, message: str
) -> None:
    """A misspelled argument of an expectation the DuckDB engine runs used to leave it running
    without that argument ("min_valu": a range open below) or to fail as a KeyError
    ("values_set"); it is bad input at its line, before the build does anything."""
    suite = project / "data" / "expectations" / "build_info.yaml"
    text = suite.read_text("utf-8") + f"  - {expectation}\n"
    suite.write_text(text, "utf-8")
    done = cli("build", "--validation", "sql", root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert line.startswith(f"error: {suite}:{text.count(chr(10))}: ") and message in line, line


def test_cli_import_is_light() -> None:
    code = (
        "import sys, analysis.cli; "
        "print(' '.join(m for m in ('great_expectations', 'altair', 'polars', 'duckdb') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == ""


DEFERRED_SCIPY = """
import sys, duckdb
from analysis.validation.expectations import Expectation, Suite
from analysis.validation.gx import GxRunner
runner = GxRunner()
print(type(sys.modules["scipy.stats"]).__name__)
con = duckdb.connect()
con.execute("CREATE TABLE t AS SELECT (range % 10)::DOUBLE AS x FROM range(200)")
kl = {"column": "x", "threshold": 0.1,
      "partition_object": {"bins": [0, 5, 10], "weights": [0.5, 0.5]}}
suite = Suite("s", None, ("t",), "SELECT * FROM {table}",
              (Expectation("expect_column_kl_divergence_to_be_less_than", kl),))
((exp, ok, unexpected, message, rows),) = runner.validate(con, suite, "t", "SELECT * FROM t")
print(ok, message, rows, type(sys.modules["scipy.stats"]).__name__)
from analysis.errors import BadInput
odd = Suite("s", None, ("t",), "SELECT * FROM {table}",
            (Expectation("expect_columnvalues_to_not_be_null", {"column": "x"}, "3"),))
try:
    runner.validate(con, odd, "t", "SELECT * FROM t")
except BadInput as err:
    print("BadInput:" + str(err).replace(" ", "_"))
from analysis.validation.names import GE_EXPECTATIONS
print({n for n in runner._classes if n.startswith("expect_")} == GE_EXPECTATIONS)
"""


def test_great_expectations_runs_scipy_only_for_an_expectation_that_needs_it() -> None:
    """Importing Great Expectations no longer runs scipy.stats (a third of its import, on the
    critical path of a small build); an expectation that needs it (KL divergence, whose class
    name is not its words capitalised) still runs it and passes; a name GE does not give to
    any expectation is bad input at its line, not a result GE cannot match back."""
    done = subprocess.run(
        [sys.executable, "-c", DEFERRED_SCIPY], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "_LazyModule",
        "True",
        "None",
        "200",
        "module",
        "BadInput:3:_unknown_expectation_'expect_columnvalues_to_not_be_null'",
        "True",  # analysis.validation.names lists exactly Great Expectations' names
    ]


# ---------------------------------------------------------------- analysis sql / tables


def test_sql_formats(built: Path) -> None:
    query = "SELECT kind, count(*) AS n FROM mentions GROUP BY kind ORDER BY kind"
    as_json = json.loads(cli("sql", query, "--format", "json", root=built).stdout)
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        expected = con.execute(query).fetchall()
    assert [(r["kind"], r["n"]) for r in as_json] == expected
    as_csv = cli("sql", query, "--format", "csv", root=built).stdout.splitlines()
    assert as_csv[0] == "kind,n" and len(as_csv) == len(expected) + 1
    table = cli("sql", query, root=built)
    assert table.returncode == 0 and expected[0][0] in table.stdout


def test_sql_from_stdin(built: Path) -> None:
    done = cli("sql", "--format", "json", root=built, stdin="SELECT 41 + 1 AS answer")
    assert json.loads(done.stdout) == [{"answer": 42}]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_sql_out_file(built: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"mentions{suffix}"
    done = cli("sql", "SELECT mention_id, value FROM mentions", "--out", str(out), root=built)
    assert done.returncode == 0, done.stderr
    frame = pl.read_parquet(out) if suffix == ".parquet" else pl.read_csv(out)
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM mentions").fetchone()
    assert frame.height == n and frame.columns == ["mention_id", "value"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("DELETE FROM mentions", "DELETE statements are refused"),
        ("CREATE TABLE x AS SELECT 1", "CREATE statements are refused"),
        ("SELECT 1; DROP TABLE claims", "DROP statements are refused"),
        ("SELEC 1", "syntax error"),
        ("SELECT no_such_column FROM mentions", "no_such_column"),
        ("SELECT * FROM read_csv('/etc/passwd')", "disabled"),
        ("COPY (SELECT 1) TO '/tmp/leak.csv'", "COPY statements are refused"),
        ("SET enable_external_access = true", "SET statements are refused"),
    ],
)
def test_sql_refusals_and_errors(built: Path, query: str, message: str) -> None:
    before = _db(built).read_bytes()
    done = cli("sql", query, root=built)
    assert done.returncode == 2
    line = error_line(done)
    assert message in line
    assert _db(built).read_bytes() == before


def test_sql_allow_files_reads_local_files(built: Path, tmp_path: Path) -> None:
    f = tmp_path / "numbers.csv"
    f.write_text("n\n1\n2\n", "utf-8")
    query = f"SELECT sum(n) AS total FROM read_csv('{f}')"
    assert cli("sql", query, root=built).returncode == 2
    done = cli("sql", query, "--allow-files", "--format", "json", root=built)
    assert json.loads(done.stdout) == [{"total": 3}]


def test_sql_without_warehouse(tmp_path: Path) -> None:
    done = cli("sql", "SELECT 1", root=tmp_path)
    assert done.returncode == 2 and "analysis build" in error_line(done)


def test_tables_lists_and_describes(built: Path) -> None:
    listing = json.loads(cli("tables", "--format", "json", root=built).stdout)
    by_name = {r["name"]: r for r in listing}
    with duckdb.connect(str(_db(built)), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM claims").fetchone()
    assert by_name["claims"]["rows"] == n and by_name["claims"]["comment"]
    assert by_name["chart_funding"]["kind"] == "view"
    columns = json.loads(cli("tables", "mentions", "--format", "json", root=built).stdout)
    assert {c["column"] for c in columns} >= {"mention_id", "surface", "value", "speaker"}
    assert all(c["comment"] for c in columns)
    missing = cli("tables", "nope", root=built)
    assert missing.returncode == 2 and "nope" in error_line(missing)


def test_an_expectation_that_cannot_run_is_named(built: Path, tmp_path: Path) -> None:
    """The row-by-row expectations of a suite are counted in one query; when that query fails,
    each is run alone so that the error names the one at fault, with its file and line."""
    expectations = tmp_path / "expectations"
    shutil.copytree(built / "data" / "expectations", expectations)
    suite = expectations / "mentions.yaml"
    text = suite.read_text("utf-8")
    suite.write_text(text + "  - expect_column_values_to_not_be_null: {column: no_such}\n", "utf-8")
    line = len(text.splitlines()) + 1
    with pytest.raises(BadInput) as caught:
        validate_warehouse(_db(built), expectations, "sql")
    message = str(caught.value)
    assert f"mentions.yaml:{line}" in message and "no_such" in message
    assert "expect_column_values_to_not_be_null on mentions" in message


def _new_warehouse(path: Path, leave_out: set[str]) -> duckdb.DuckDBPyConnection:
    from analysis.reference.tables import load_reference
    from analysis.warehouse import load

    tables = {
        name: t
        for name, t in load_reference(REPO / "data" / "reference").items()
        if name not in leave_out
    }
    con = load.create(path, 0, 0)
    with load.transaction(con):
        load.load_reference_tables(con, tables, REPO)
    return con


def _views(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0]
        for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }


def test_every_view_is_created_in_one_go_when_its_tables_exist(tmp_path: Path) -> None:
    from analysis.warehouse.load import create_views, view_files

    con = _new_warehouse(tmp_path / "w.duckdb", set())
    try:
        assert create_views(con) == []
        assert _views(con) == {name for name, _ in view_files()}
    finally:
        con.close()


def test_views_over_an_absent_reference_table_are_skipped_the_rest_kept(tmp_path: Path) -> None:
    """The one-transaction path fails on the first view that names a missing table and rolls
    back; the view-by-view path then keeps every view that can be made."""
    from analysis.warehouse.load import create_views, view_files

    con = _new_warehouse(tmp_path / "w.duckdb", {"multilateral_heads"})
    try:
        skipped = create_views(con)
        made = _views(con)
        sql = dict(view_files())
    finally:
        con.close()
    assert "leaders_tenures" in skipped  # reads ref_multilateral_heads
    assert made | set(skipped) == set(sql) and not made & set(skipped)
    assert "mention_coverage" in made and "claim_verdicts" in made
    # a view is skipped only if it names the missing table or another skipped view
    for name in skipped:
        assert "ref_multilateral_heads" in sql[name] or any(
            s in sql[name] for s in skipped if s != name
        )


def test_expectations_counted_together_agree_with_each_run_alone() -> None:
    """Row counts, unique keys and references counted in the one pass over a table give what
    each expectation's own query gives, passing or failing (a failing one is left to its own
    query, which names the offending values)."""
    from analysis.validation.expectations import Expectation
    from analysis.validation.sql import run_expectation, run_together

    con = duckdb.connect()
    con.execute("CREATE TABLE parent (id VARCHAR)")
    con.execute("INSERT INTO parent VALUES ('a'), ('b'), (NULL)")
    con.execute("CREATE TABLE t (k VARCHAR, n INTEGER, p VARCHAR)")
    con.execute(
        "INSERT INTO t VALUES ('x', 1, 'a'), ('y', 1, NULL), (NULL, 2, 'b'), (NULL, 2, 'a')"
    )
    frame = "SELECT * FROM t"
    exps = [
        Expectation("expect_table_row_count_to_be_between", {"min_value": 1, "max_value": 4}),
        Expectation("expect_table_row_count_to_be_between", {"min_value": 5}),
        Expectation("expect_table_row_count_to_be_between", {"max_value": 3}),
        Expectation("expect_column_values_to_be_unique", {"column": "k"}),  # NULLs aside
        Expectation("expect_column_values_to_be_unique", {"column": "n"}),
        Expectation("expect_compound_columns_to_be_unique", {"column_list": ["k", "n"]}),
        Expectation("expect_compound_columns_to_be_unique", {"column_list": ["n", "p"]}),
        Expectation("expect_compound_columns_to_be_unique", {"column_list": ["p", "n"]}),
        Expectation(
            "expect_column_values_to_reference", {"column": "p", "table": "parent", "target": "id"}
        ),
        Expectation(
            "expect_column_values_to_reference", {"column": "k", "table": "parent", "target": "id"}
        ),
        Expectation("expect_column_values_to_not_be_null", {"column": "k"}),
    ]
    together = run_together(con, frame, exps)
    alone = [run_expectation(con, frame, exp) for exp in exps]
    # 9: a NULL among the referenced values does not hide a dangling reference
    assert [i for i, result in enumerate(alone) if result[0]] == [0, 3, 5, 6, 7, 8]
    assert alone[9][2] == ["x", "y"]
    assert sorted(together) == [0, 3, 5, 6, 7, 8, 10]  # failing ones left to their own query
    for i, result in together.items():
        assert result == alone[i], exps[i]


@pytest.mark.parametrize("column", ["t", "name"])
def test_the_changes_summary_sees_a_changed_reference_row_whatever_its_columns(
    tmp_path: Path, column: str
) -> None:
    """The summary compares reference tables row by row only where a count or a sum of row
    hashes differs; a column named like the row's alias must not stand in for the row."""
    from analysis.warehouse.diff import diff

    paths = []
    for name, value in (("prev", 1.0), ("cur", 2.0)):
        path = tmp_path / f"{name}.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE claim_verdicts (claim_id VARCHAR, final_verdict VARCHAR)")
            con.execute("CREATE TABLE claims (claim_id VARCHAR)")
            con.execute(
                "CREATE TABLE mentions (doc_id VARCHAR, surface VARCHAR, start_offset INTEGER)"
            )
            con.execute(f"CREATE TABLE ref_x (row_no INTEGER, {column} VARCHAR, v DOUBLE)")
            con.execute("INSERT INTO ref_x VALUES (2, 'Chad', ?)", [value])
        paths.append(path)
    assert diff(paths[1], paths[0]).reference_rows == {"x": (1, 1)}


def test_provenance_frames_read_the_body_at_every_offset() -> None:
    """The sections and mentions suites read a span from a piece of the body instead of
    walking the whole body: for spans anywhere (across pieces, longer than a piece, past the
    end, in texts of one to four bytes a character), the text both compare is the body's at
    those offsets, as Python slices it."""
    import random

    from analysis.validation.run import frame_sql, suites

    every = {s.name: s for s in suites(REPO / "data" / "expectations")}
    rng = random.Random(20261130)
    alphabet = "ab \n.,9€é“”😀\u0301"
    bodies, sections, mentions = {}, [], []
    for d in range(6):
        n = rng.choice([0, 5, 2047, 2048, 4097, 9000, 13000])
        body = "".join(rng.choice(alphabet) for _ in range(n))
        doc_id = f"d{d}"
        bodies[doc_id] = body
        # at random, at the edges of every piece (a piece: 4,096 characters from a multiple
        # of 2,048), and at or past the body's end
        edges = [
            (j * 2048 + r, j * 2048 + 4096 + delta)
            for j in range(n // 2048 + 1)
            for r in (0, 1, 2047)
            for delta in (-1, 0, 1, 60)
        ] + [(n, n), (n, n + 2), (n + 1, n + 1), (n + 2049, n + 2050)]
        # an end before its start (which another expectation fails): the body's characters
        # before the start, as reading the body gives them, even across a piece's start
        edges += [(j * 2048 + 2, j * 2048 - 8) for j in range(1, n // 2048 + 1)]
        for _ in range(200):
            start = rng.randrange(0, n + 3)
            end = start + rng.choice([0, 1, 7, 300, 2047, 2048, 2049, rng.randrange(4000, 6200)])
            edges.append((start, end))
        for k, (start, end) in enumerate(edges):
            sections.append((doc_id, k, start, end, body[start:end]))
            inside = rng.randrange(start, max(start, min(end, n)) + 1)
            elsewhere = rng.randrange(0, n + 3)
            for s, e in ((inside, min(end, inside + 3)), (elsewhere, elsewhere + 40)):
                mentions.append((f"{doc_id}:{k}:{s}", doc_id, s, e, body[s:e], k))
    documents_df = pl.DataFrame(list(bodies.items()), schema=["doc_id", "body"], orient="row")
    sections_df = pl.DataFrame(
        sections,
        schema=["doc_id", "section_no", "start_offset", "end_offset", "text"],
        orient="row",
    )
    mentions_df = pl.DataFrame(
        mentions,
        schema=["mention_id", "doc_id", "start_offset", "end_offset", "surface", "section_no"],
        orient="row",
    ).with_columns(sentence=pl.col("surface"), sentence_start=pl.col("start_offset"))
    con = duckdb.connect()
    for name, frame in (
        ("documents", documents_df),
        ("sections", sections_df),
        ("mentions", mentions_df),
    ):
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
    for table, key in (("sections", "section_no"), ("mentions", "mention_id")):
        frame = frame_sql(con, every[table].frame, table)
        rows = con.execute(
            f"SELECT doc_id, {key}, start_offset, end_offset, body_at_offsets FROM ({frame}) f"
        ).fetchall()
        assert len(rows) == len(sections if table == "sections" else mentions)
        for doc_id, _, start, end, at in rows:
            if end >= start:
                assert at == bodies[doc_id][start:end], (table, doc_id, start, end)
    # a duplicated document id (a failure of the documents suite): each section still meets
    # each of its documents once, with that document's text, as reading the body did
    con.execute("INSERT INTO documents VALUES ('d5', 'another body for d5')")
    for table, key in (("sections", "section_no"), ("mentions", "mention_id")):
        frame = frame_sql(con, every[table].frame, table)
        old = (
            f"SELECT s.doc_id, s.{key}, substring(d.body, s.start_offset + 1, "
            f"s.end_offset - s.start_offset) FROM {table} s LEFT JOIN documents d USING (doc_id)"
        )
        new = f"SELECT doc_id, {key}, body_at_offsets FROM ({frame}) f"
        assert sorted(con.execute(new).fetchall()) == sorted(con.execute(old).fetchall()), table


@pytest.mark.parametrize("text_bytes", [0, 10**9])
def test_strings_are_stored_with_fsst_only_for_enough_text(tmp_path: Path, text_bytes: int) -> None:
    """DuckDB analyses FSST for every string segment at the checkpoint; a warehouse of little
    document text is written without it (it would pick little there), a large one with it
    (it saves an eighth of the file there): the segment of the same strings is FSST-compressed
    in the second file only."""
    from analysis.warehouse import load

    con = load.create(tmp_path / "w.duckdb", text_bytes, 0)
    try:
        urls = [f"https://example.org/articles/{i:06d}/the-race-to-lead-iom" for i in range(30000)]
        con.execute("CREATE TABLE t (url VARCHAR)")
        load.insert(con, "t", pl.DataFrame({"url": urls}))
        con.execute("CHECKPOINT wh")
        found = {
            c
            for (c,) in con.execute(
                "SELECT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'"
            ).fetchall()
        }
    finally:
        con.close()
    assert ("FSST" in found) == (text_bytes >= load.FSST_FROM_TEXT_BYTES), found
