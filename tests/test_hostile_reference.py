"""Hostile reference files (docs/hostile-input.md §3): table and column names never reach SQL
unless they are plain identifiers, the build's read-write connection reaches no file but its
own, numbers and dates are what they claim to be, and every cited line is the file's physical
line. Every refusal is one line naming the file and the place (line, line:column or the file
name), exit code 2, nothing published."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import duckdb
import pytest
import yaml

from analysis.errors import BadInput
from analysis.reference.tables import ReferenceTable, Source, load_reference, load_table
from analysis.warehouse import load
from tests.conftest import cli, error_line, run_cli

SOURCE = {
    "id": "s1",
    "publisher": "Example Statistics Office",
    "title": "Example table",
    "url": "https://example.org/table",
    "tier": "primary",
    "date_published": None,
    "date_consulted": "2024-01-01",
    "taken": "Every row.",
    "conversion": None,
}
HEADER = ["name", "value", "source_id", "valid_from", "valid_to"]


def csv_text(*rows: list[str], line_end: str = "\n") -> str:
    """``rows`` as RFC 4180 CSV (quoted only where needed)."""
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue()


def write_table(
    folder: Path, text: str | bytes, name: str = "sample", columns: list[str] | None = None
) -> Path:
    """A reference table in ``folder``: the CSV byte for byte as given (a str in UTF-8, its
    line ends untouched) and a source record documenting ``columns`` (default: the header)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    if columns is None:
        first = raw.decode("utf-8", "replace").removeprefix("\ufeff")
        columns = next(csv.reader(io.StringIO(first, newline="")), [])
    meta = {
        "table": name,
        "title": "A test table",
        "description": "Written by a test.",
        "columns": {c: f"Column {c}." for c in columns} or {"name": "Name."},
        "sources": [SOURCE],
    }
    path = folder / f"{name}.csv"
    path.write_bytes(raw)
    (folder / f"{name}.source.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), "utf-8"
    )
    return path


def refusal(path: Path) -> str:
    """The one line the loader refuses ``path`` with."""
    with pytest.raises(BadInput) as info:
        load_table(path)
    line = info.value.one_line()
    assert "\n" not in line and "\r" not in line and line.isprintable(), line
    line.encode("utf-8")  # printable on any terminal: no lone surrogates
    return line


# ---------------------------------------------------------------- 1. identifiers and SQL


def _hostile_table(root: Path, name: str, columns: list[str]) -> None:
    rows = [columns, ["Alpha", "1", "s1", "2021", "2021"][: len(columns)]]
    write_table(root / "data" / "reference", csv_text(*rows), name=name, columns=columns)


def test_a_hostile_column_name_stops_the_build_before_any_sql(fresh_project: Path) -> None:
    """A header cell with a double quote was a column name pasted into SQL on the build's
    read-write connection (``COPY … TO`` a file of the attacker's choice)."""
    target = fresh_project / "pwned-by-header.csv"
    hostile = f"value\" VARCHAR); COPY (SELECT 42) TO '{target}'; --"
    _hostile_table(
        fresh_project, "hostile", ["name", hostile, "source_id", "valid_from", "valid_to"]
    )
    done = run_cli("build", "--validation", "sql", root=fresh_project)
    assert done.returncode == 2, done.stderr
    line = error_line(done)
    assert "hostile.csv:1:2:" in line and "header column 2" in line and "not a column name" in line
    assert not target.exists()
    assert not (fresh_project / "data" / "warehouse.duckdb").exists()


def test_a_hostile_file_name_stops_the_build_before_any_sql(fresh_project: Path) -> None:
    """A CSV file name is a table name: this one closed the string literal the validation
    suites wrap a ``ref_*`` table's name in, and wrote ``pwned.txt`` with ``COPY … TO``."""
    name = "x' AS t) f; COPY (SELECT 42) TO 'pwned.txt'; SELECT * FROM (SELECT '1"
    _hostile_table(fresh_project, name, HEADER)
    done = run_cli("build", "--validation", "sql", root=fresh_project)
    assert done.returncode == 2, done.stderr
    line = error_line(done)
    assert "file name" in line and "is not a table name" in line
    assert not (fresh_project / "pwned.txt").exists()
    assert not (fresh_project / "data" / "warehouse.duckdb").exists()


@pytest.mark.parametrize(
    "name",
    ["Events", "my-table", "1st_table", "_private", "a" * 64, "ünï", "tab le", "a\nb", "t\u2028x"],
)
def test_table_names_are_identifiers(tmp_path: Path, name: str) -> None:
    write_table(tmp_path, csv_text(HEADER, ["Alpha", "1", "s1", "", ""]), name=name)
    with pytest.raises(BadInput) as info:
        load_reference(tmp_path)
    line = info.value.one_line()
    assert "\n" not in line and line.isprintable() and "is not a table name" in line


def test_a_file_name_that_is_not_utf8_is_refused_in_a_printable_line(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9")  # a byte no UTF-8 decoder reads: a lone surrogate in Python
    write_table(tmp_path, csv_text(HEADER, ["Alpha", "1", "s1", "", ""]), name=name)
    with pytest.raises(BadInput) as info:
        load_reference(tmp_path)
    line = info.value.one_line()
    line.encode("utf-8")  # would raise on the surrogate: click could not print the error
    assert "caf\\udce9" in line and "is not a table name" in line


@pytest.mark.parametrize(
    "column",
    ["Value", "value ", "a b", "ünï", 'x"y', "x'y", "1st", "a" * 64, "row_no", "table_name"],
)
def test_column_names_are_identifiers(tmp_path: Path, column: str) -> None:
    header = ["name", column, "source_id", "valid_from", "valid_to"]
    line = refusal(write_table(tmp_path, csv_text(header, ["Alpha", "1", "s1", "", ""])))
    assert "sample.csv:1:2:" in line and "header column 2" in line


def test_the_longest_name_is_accepted(tmp_path: Path) -> None:
    header = ["name", "a" * 63, "source_id", "valid_from", "valid_to"]
    table = load_table(write_table(tmp_path, csv_text(header, ["x", "1", "s1", "", ""]), "b" * 63))
    assert table.name == "b" * 63 and list(table.columns)[1] == "a" * 63


def test_the_build_connection_reaches_no_file_but_its_own(tmp_path: Path) -> None:
    """Whatever SQL reaches it, the read-write connection cannot write or read other files,
    attach other databases, install extensions or turn its limits off; it still builds and
    checkpoints its own file."""
    con = load.create(tmp_path / "w.duckdb", 0, 0)
    staging = load.staging_dir(tmp_path / "w.duckdb")  # the only folder it may read
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", "utf-8")
    attempts = [
        f"COPY (SELECT 42) TO '{tmp_path / 'pwned.csv'}'",
        f"SELECT * FROM read_csv('{outside}')",
        f"SELECT * FROM read_csv('{staging}/../outside.csv')",
        f"COPY (SELECT 42) TO '{staging}/../pwned.csv'",
        f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
    ]
    try:
        for sql in attempts:
            with pytest.raises(duckdb.Error):
                con.execute(sql)
        con.execute("CREATE TABLE wh.kept (a INTEGER)")
        con.execute("INSERT INTO wh.kept VALUES (1)")
        con.execute("CHECKPOINT wh")
    finally:
        con.close()
    assert not (tmp_path / "pwned.csv").exists() and not (tmp_path / "other.duckdb").exists()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as check:
        assert check.execute("SELECT count(*) FROM kept").fetchone() == (1,)
    assert staging.is_dir()


def test_the_warehouse_path_is_quoted(tmp_path: Path) -> None:
    """A project folder may have a quote in its name: the path is a SQL string, not pasted."""
    folder = tmp_path / "it's here"
    folder.mkdir()
    con = load.create(folder / "w.duckdb", 0, 0)
    try:
        con.execute("CREATE TABLE wh.kept AS SELECT 1 AS a")
        con.execute("CHECKPOINT wh")
    finally:
        con.close()
    assert (folder / "w.duckdb").is_file()


def test_reference_identifiers_are_quoted_in_sql(tmp_path: Path) -> None:
    """Behind the loader's rule, every identifier that reaches SQL is quoted: a table given
    directly (no loader) with names that would inject columns keeps them as names."""
    columns = {"name": "Name.", 'x" VARCHAR, "y': "Hostile.", "source_id": "Source."}
    table = ReferenceTable(
        name='we"ird',
        path=tmp_path / "we.csv",
        title="T",
        description="D",
        columns=columns,
        rows=[{"_line": 2, "name": "Alpha", 'x" VARCHAR, "y': "1", "source_id": "s1"}],
        sources={"s1": Source(**SOURCE)},  # type: ignore[arg-type]
    )
    con = load.create(tmp_path / "w.duckdb", 0, 0)
    try:
        load.load_reference_tables(con, {table.name: table}, tmp_path)
        found = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            ['ref_we"ird'],
        ).fetchall()
    finally:
        con.close()
    assert [c for (c,) in found] == ["row_no", "name", 'x" VARCHAR, "y', "source_id"]


# ---------------------------------------------------------------- 2. numbers


@pytest.mark.parametrize(
    "value",
    [
        "inf",
        "-inf",
        "+inf",
        "nan",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "1_000",
        "1,000",
        "\u0669\u0669\u0668",  # Arabic-Indic 998: float() reads it
        "998 million",
        "about 998",
        "$998",
        "n/a",
    ],
)
def test_a_number_column_takes_only_plain_finite_numbers(tmp_path: Path, value: str) -> None:
    """``inf`` in a number column was read as a number ("inf times the stated $998 million");
    a word made the column text without a word."""
    text = csv_text(HEADER, ["Alpha", "998", "s1", "", ""], ["Beta", value, "s1", "", ""])
    line = refusal(write_table(tmp_path, text))
    assert "sample.csv:3:2:" in line and "'value'" in line and "plain finite number" in line


def test_plain_numbers_are_read(tmp_path: Path) -> None:
    values = ["998", "-3.5", "+2", "1e6", "2.5E-3", "2549484556.55", ""]
    rows = [["r", v, "s1", "", ""] for v in values]
    table = load_table(write_table(tmp_path, csv_text(HEADER, *rows)))
    assert table.column_kind("value") == "number"


def test_a_measured_column_takes_only_numbers(tmp_path: Path) -> None:
    """A column the source record measures (``describes``, recipe ratio) holds numbers even
    when most of its cells are words."""
    text = csv_text(HEADER, *[["r", v, "s1", "", ""] for v in ("998", "unknown", "n/a")])
    path = write_table(tmp_path, text)
    assert load_table(path).column_kind("value") == "text"  # not measured: a text column
    meta_path = tmp_path / "sample.source.yaml"
    meta = yaml.safe_load(meta_path.read_text("utf-8"))
    meta["describes"] = {
        "subject": ["Example"],
        "measures": [{"column": "value", "words": ["things"], "kinds": ["count"]}],
    }
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), "utf-8")
    assert "sample.csv:3:2:" in refusal(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("describe", {"subject": ["x"]}, "unknown field 'describe'"),
        ("titel", "Sample", "unknown field 'titel'"),
        ("table", "sampel", "table 'sampel' is not this record's table 'sample'"),
    ],
)
def test_a_source_record_s_fields_are_checked(
    tmp_path: Path, field: str, value: object, message: str
) -> None:
    """A misspelled field of a source record was passed over ("describe:" lost every lookup
    the drafter would write for the table), and a record naming another table accepted (a
    helper's probe): each is refused at its line."""
    path = write_table(tmp_path, csv_text(HEADER, ["r", "1", "s1", "", ""]))
    meta_path = tmp_path / "sample.source.yaml"
    meta = yaml.safe_load(meta_path.read_text("utf-8"))
    meta[field] = value
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False), "utf-8")
    line = next(
        i
        for i, ln in enumerate(meta_path.read_text("utf-8").splitlines(), 1)
        if ln.startswith(f"{field}:")
    )
    assert f"sample.source.yaml:{line}:" in refusal(path) and message in refusal(path)


def test_a_name_that_python_reads_as_a_number_stays_text(tmp_path: Path) -> None:
    """``float`` reads "Nan" and "Inf": a column of such names was typed a number column."""
    text = csv_text(HEADER, ["Nan", "1", "s1", "", ""], ["Inf", "2", "s1", "", ""])
    table = load_table(write_table(tmp_path, text))
    assert table.column_kind("name") == "text" and table.rows[0]["name"] == "Nan"


def test_inf_in_the_real_reference_data_stops_the_build(fresh_project: Path) -> None:
    path = fresh_project / "data" / "reference" / "iom_finance.csv"
    path.write_text(path.read_text("utf-8").replace("2549484556.55", "inf", 1), "utf-8")
    done = cli("build", "--validation", "sql", "--jobs", "1", root=fresh_project)
    assert done.returncode == 2
    line = error_line(done)
    assert "iom_finance.csv:3:3:" in line and "'inf'" in line
    assert not (fresh_project / "data" / "warehouse.duckdb").exists()


# ---------------------------------------------------------------- 3. dates


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("date", "2023-02-30", "is not a real date"),
        ("date", "2023-02-29", "is not a real date"),
        ("date", "2023-13", "is not a real date"),
        ("date", "0000", "is not a real date"),
        ("date", "soon", "is not an ISO date"),
        ("date", "30/01/2023", "is not an ISO date"),
        ("date", "2023-1-5", "is not an ISO date"),
        ("date", "\u0662\u0660\u0662\u0663", "is not an ISO date"),  # Arabic-Indic 2023
        ("valid_from", "2023-02-30", "is not a real date"),
        ("valid_to", "2023-02-30", "is not a real date"),
    ],
)
def test_dates_are_real_iso_dates(tmp_path: Path, column: str, value: str, why: str) -> None:
    header = ["event", "date", "source_id", "valid_from", "valid_to"]
    good = ["Opening", "2023-02-28", "s1", "2023", ""]
    bad = dict(zip(header, good, strict=True)) | {column: value}
    line = refusal(write_table(tmp_path, csv_text(header, good, list(bad.values()))))
    number = header.index(column) + 1
    assert f"sample.csv:3:{number}:" in line and f"{column!r}" in line and why in line


def test_an_impossible_date_stops_the_build_without_a_traceback(fresh_project: Path) -> None:
    """An impossible date outside valid_from/valid_to went through the loader and raised
    ValueError in a check recipe."""
    path = fresh_project / "data" / "reference" / "events.csv"
    text = path.read_text("utf-8")
    assert "2022-02-24,inforres" in text
    path.write_text(text.replace("2022-02-24,inforres", "2022-02-30,inforres", 1), "utf-8")
    done = cli("build", "--validation", "sql", "--jobs", "1", root=fresh_project)
    assert done.returncode == 2
    line = error_line(done)
    assert "events.csv:2:2:" in line and "'2022-02-30' is not a real date" in line


# ---------------------------------------------------------------- 4. line numbers


@pytest.mark.parametrize(
    "separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
)
def test_lines_are_counted_at_newlines_only(tmp_path: Path, separator: str) -> None:
    """``str.splitlines`` broke lines at these characters too: a quoted cell lost its
    character and every later row was cited one line too far."""
    header = ["event", "date", "source_id", "valid_from", "valid_to"]
    text = (
        "event,date,source_id,valid_from,valid_to\n"
        f'"first{separator}half",2021-01-01,s1,,\n'
        "Second,2021-02-01,s1,,\n"
    )
    path = write_table(tmp_path, text, columns=header)
    table = load_table(path)
    assert [r["_line"] for r in table.rows] == [2, 3]
    assert table.rows[0]["event"] == f"first{separator}half"
    path.write_text(text + "Third,2021-02-30,s1,,\n", "utf-8")
    assert "sample.csv:4:2:" in refusal(path)


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_row_is_cited_at_the_line_it_starts_on(tmp_path: Path, line_end: str) -> None:
    """A quoted cell may hold a line break: its row is cited at its first line, and the rows
    after it at their own lines (CRLF files count the same)."""
    header = ["event", "date", "source_id", "valid_from", "valid_to"]
    rows = [
        header,
        [f"two{line_end}lines", "2021-01-01", "s1", "", ""],
        ["Next", "2021-02-01", "s1", "", ""],
    ]
    path = write_table(tmp_path, csv_text(*rows, line_end=line_end))
    table = load_table(path)
    assert [r["_line"] for r in table.rows] == [2, 4]
    assert table.rows[0]["event"] == f"two{line_end}lines"
    path.write_bytes(path.read_bytes() + f"Bad,2021,nowhere,,{line_end}".encode())
    line = refusal(path)
    assert "sample.csv:5:3:" in line and "'nowhere'" in line


# ---------------------------------------------------------------- 5. structure and encoding


def test_a_repeated_column_is_named(tmp_path: Path) -> None:
    header = ["name", "value", "value", "source_id", "valid_from", "valid_to"]
    path = write_table(tmp_path, csv_text(header, ["a", "1", "2", "s1", "", ""]), columns=HEADER)
    line = refusal(path)
    assert "sample.csv:1:3:" in line and "repeats column 2" in line


@pytest.mark.parametrize("header", ["name,,source_id,valid_from,valid_to", "name, ,source_id"])
def test_an_empty_header_cell_is_named(tmp_path: Path, header: str) -> None:
    path = write_table(tmp_path, header + "\nAlpha,1,s1,,\n", columns=HEADER)
    line = refusal(path)
    assert "sample.csv:1:2:" in line and "header column 2 is empty" in line


def test_a_header_without_rows_is_refused(tmp_path: Path) -> None:
    line = refusal(write_table(tmp_path, csv_text(HEADER) + "\n,,,,\n"))
    assert "sample.csv:1:" in line and "no rows" in line


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    """Spreadsheets save "CSV UTF-8" with a byte-order mark; it is not part of the first
    column's name (every UTF-8 reader of the package drops it)."""
    text = "\ufeff" + csv_text(HEADER, ["Alpha", "1", "s1", "", ""])
    table = load_table(write_table(tmp_path, text))
    assert table.rows[0]["name"] == "Alpha"  # the header's first cell is "name"
    assert table.rows[0]["_line"] == 2


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    raw = csv_text(HEADER).encode() + "Café,1,s1,,\n".encode("latin-1")
    line = refusal(write_table(tmp_path, raw))
    assert "sample.csv:" in line and "not valid UTF-8" in line and "byte offset 44" in line


def test_a_nul_byte_is_refused(tmp_path: Path) -> None:
    raw = csv_text(HEADER).encode() + b"Alpha\x00,1,s1,,\n"
    line = refusal(write_table(tmp_path, raw))
    assert "sample.csv:" in line and "NUL byte" in line


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "is empty"),
        ("\nname,value,source_id,valid_from,valid_to\n", "header row is blank"),
        ('name,value,source_id,valid_from,valid_to\n"open,1,s1,,\n', "malformed CSV"),
        ("name,value,source_id,valid_from,valid_to\nAlpha,1,s1,,,\n", "6 fields"),
        ("name,value,source_id,valid_from,valid_to\rAlpha,1,s1,,\r", "carriage return"),
    ],
)
def test_malformed_files_are_refused_in_one_line(tmp_path: Path, text: str, why: str) -> None:
    assert why in refusal(write_table(tmp_path, text, columns=HEADER))
