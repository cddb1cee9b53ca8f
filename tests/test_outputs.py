"""Newsroom outputs (docs/outputs.md): values written as people write them, one final verdict in
every output, ClaimReview field by field, exports their consumers can open safely, a memo with
one entry and a suggested correction per sentence, charts that draw unknown as unknown."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.charts.common import REFERENCE_COLOR, STATED_COLOR
from analysis.formatting import date_text, plain, present
from analysis.report.exports import write_csv, write_xlsx
from analysis.vocab import VERDICT, VERDICTS, most_severe
from tests.conftest import REPO, SEED, build, cli, error_line

INDEX = Path("reports") / "index.html"


def _q(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _final(root: Path) -> dict[str, str]:
    return dict(_q(root, "SELECT claim_id, final_verdict FROM claim_verdicts"))


# ---------------------------------------------------------------- values as text


@pytest.mark.parametrize(
    ("value", "kind", "unit", "iso", "text"),
    [
        (2549484556.55, "money", "USD", None, "$2.55bn"),
        (668e6, "money", "USD", None, "$668m"),
        (120e6, "money", "GBP", None, "£120m"),
        (2021, "year", None, None, "2021"),
        (None, "date", None, "--05-15", "15 May"),
        (None, "date", None, "2023-05-15", "15 May 2023"),
        (2018, "date", None, "2018-10", "October 2018"),
        (1.25e-06, "percent", None, None, "0.00000125%"),
        (66.93, "percent", None, None, "66.9%"),
        (5, "percent", "percentage points", None, "5 percentage points"),
        (175, "count", None, None, "175"),
        (8e9, "count", None, None, "8 billion"),
        (10, "ordinal", None, None, "10th"),
        (4.49, "duration", "year", None, "4.49 years"),
    ],
)
def test_values_are_written_as_people_write_them(value, kind, unit, iso, text) -> None:
    assert present(value, kind, unit, iso) == text


def test_no_value_is_ever_in_scientific_notation() -> None:
    for exponent in range(-12, 15):
        for mantissa in (1, 1.25, 3.3333333, 9.99):
            value = mantissa * 10.0**exponent
            for kind, unit in (("money", "USD"), ("percent", None), ("count", None)):
                for sign in (1, -1):
                    shown = present(sign * value, kind, unit)
                    assert not re.search(r"\de[+-]?\d", shown), (value, kind, shown)
            assert "e" not in plain(value)


def test_dates_accept_date_objects() -> None:
    assert date_text(dt.date(2023, 3, 29)) == "29 March 2023"


def test_percent_gaps_are_given_in_points(built: Path) -> None:
    rows = _q(
        built,
        """SELECT k.explanation FROM claim_checks k JOIN claim_mentions cm
             ON cm.claim_id = k.claim_id JOIN mentions m USING (mention_id)
           WHERE m.kind = 'percent' AND m.surface = k.stated_text AND k.recipe = 'share'
             AND k.verdict IN ('approximately_correct', 'incorrect')""",
    )
    assert rows
    for (explanation,) in rows:
        if " times the stated" in explanation:
            continue  # orders of magnitude apart: a ratio says more than points
        assert "percentage points" in explanation, explanation


# ---------------------------------------------------------------- one verdict everywhere


def test_every_output_shows_the_final_verdict(built: Path) -> None:
    final = _final(built)
    assert any(
        m != f for m, f in _q(built, "SELECT machine_verdict, final_verdict FROM claim_verdicts")
    ), "the seed has an editor override; the test needs one"
    # command line
    shown = json.loads(cli("claims", "--format", "json", root=built).stdout)
    assert {c["claim_id"]: c["verdict"] for c in shown} == final
    # report ledger
    html = (built / INDEX).read_text("utf-8")
    rows = dict(re.findall(r'<tr id="claim-([^"]+)" data-verdict="([^"]+)">', html))
    assert rows == final
    # charts: "claims this chart tests"
    for claim_id, verdict in re.findall(
        r'<li><a href="#claim-([^"]+)"><span class="badge (\w+)">', html
    ):
        assert verdict == final[claim_id], claim_id
    # exports
    exports = built / "reports" / "exports"
    with (exports / "claims.csv").open(encoding="utf-8-sig") as f:
        assert {r["claim_id"]: r["final_verdict"] for r in csv.DictReader(f)} == final
    reviews = json.loads((exports / "claimreview.jsonld").read_text("utf-8"))
    for r in reviews:
        assert r["reviewRating"]["ratingValue"] == VERDICT[final[r["identifier"]]].rating


def test_verdict_filter_is_on_the_final_verdict(built: Path) -> None:
    overridden = _q(
        built,
        "SELECT claim_id, machine_verdict, final_verdict FROM claim_verdicts "
        "WHERE editor_verdict IS NOT NULL AND editor_verdict <> machine_verdict",
    )
    assert overridden
    for claim_id, machine, final in overridden:
        under_machine = json.loads(
            cli("claims", "--verdict", machine, "--format", "json", root=built).stdout
        )
        assert claim_id not in {c["claim_id"] for c in under_machine}
        under_final = json.loads(
            cli("claims", "--verdict", final, "--format", "json", root=built).stdout
        )
        (row,) = [c for c in under_final if c["claim_id"] == claim_id]
        assert row["machine_verdict"] == machine  # the machine's verdict shown beside it
    for verdict in ("needs_context", "not_checkable"):  # editors' verdicts are filters too
        assert cli("claims", "--verdict", verdict, root=built).returncode == 0


def test_claims_command_prints_stated_and_computed(built: Path) -> None:
    shown = json.loads(cli("claims", "--format", "json", root=built).stdout)
    checks = dict(
        _q(
            built,
            "SELECT claim_id, count(*) FILTER (WHERE computed_text IS NOT NULL) "
            "FROM claim_checks GROUP BY 1",
        )
    )
    for c in shown:
        assert "stated" in c and "computed" in c
        if checks.get(c["claim_id"]) and c["verdict"] in ("correct", "incorrect"):
            assert c["computed"], c
        assert not re.search(r"\de[+-]?\d", c["computed"] or ""), c


# ---------------------------------------------------------------- annotated article


def test_article_marks_every_claim_with_its_final_verdict(built: Path) -> None:
    page = (built / "reports" / "articles" / f"{SEED.stem}.html").read_text("utf-8")
    article = page[page.index("<article") :]
    legend = page[page.index('class="legend"') : page.index("<article")]
    for v in VERDICTS:
        assert f"fig checked {v.name}" in legend  # the legend names every verdict
    final = _final(built)
    # figure-less claims are marked on their words, with their final verdict
    wordy = _q(
        built,
        "SELECT c.claim_id FROM claims c WHERE c.doc_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM claim_mentions cm WHERE cm.claim_id = c.claim_id)",
        [SEED.stem],
    )
    assert wordy
    for (claim_id,) in wordy:
        verdict = final[claim_id]
        assert re.search(
            rf'class="fig checked {verdict}[^"]* words" '
            rf'href="../index.html#claim-{re.escape(claim_id)}"',
            article,
        ), claim_id
    # a figure takes the most severe final verdict of its claims, never the machine's
    by_mention: dict[str, list[str]] = {}
    for mention_id, claim_id in _q(built, "SELECT mention_id, claim_id FROM claim_mentions"):
        by_mention.setdefault(mention_id, []).append(final[claim_id])
    marks = re.findall(r'class="fig checked (\w+)[^"]*" data-mention="([^"]+)"', article)
    assert len(marks) == len(by_mention)
    for verdict, mention_id in marks:
        assert verdict == most_severe(by_mention[mention_id]), mention_id
    # the verdict is written, not only coloured
    assert len(re.findall(r'<span class="tag \w+">', article)) >= len(marks) + len(wordy)


# ---------------------------------------------------------------- ClaimReview


def _publication(root: Path) -> None:
    (root / "data" / "publication.yaml").write_text(
        "desk: Example Desk\ndesk_url: https://desk.example.org/\n"
        "reports_url: https://desk.example.org/factchecks/\n",
        "utf-8",
    )


def test_claimreview_field_by_field(project: Path) -> None:
    _publication(project)
    build(project)
    reviews = json.loads(
        (project / "reports" / "exports" / "claimreview.jsonld").read_text("utf-8")
    )
    ((url, published),) = _q(project, "SELECT url, date_published FROM documents")
    assert url.startswith("https://") and published is not None
    expected = _q(
        project,
        """SELECT c.claim_id, c.quote, c.speaker, v.final_verdict, v.review_date
           FROM claims c JOIN claim_verdicts v USING (claim_id)
           WHERE v.review_status IN ('approved', 'disputed')""",
    )
    rated = {e[0]: e for e in expected if VERDICT[e[3]].rating is not None}
    assert rated and {r["identifier"] for r in reviews} == set(rated)
    for r in reviews:
        claim_id, quote, speaker, verdict, review_date = rated[r["identifier"]]
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["url"] == f"https://desk.example.org/factchecks/claims/{claim_id}.html"
        assert r["datePublished"] == review_date.isoformat()
        assert r["author"] == {
            "@type": "Organization",
            "name": "Example Desk",
            "url": "https://desk.example.org/",
        }
        assert r["claimReviewed"] == quote
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["ratingValue"] == VERDICT[verdict].rating
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert rating["alternateName"] == VERDICT[verdict].rating_name
        assert rating["ratingExplanation"]
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"]
        assert "reader comment" not in item["author"]["name"]  # no Person named so
        appearance = item["appearance"]
        article = appearance.get("isPartOf", appearance)
        assert article["@type"] == "NewsArticle"
        assert article["url"] == url and article["datePublished"] == published.isoformat()
        if speaker.startswith("reader comment"):
            assert appearance["@type"] == "Comment"
        # the claim's page embeds the same markup
        page = (project / "reports" / "claims" / f"{claim_id}.html").read_text("utf-8")
        (embedded,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
        assert json.loads(embedded) == r


def test_claimreview_addresses_resolve_without_publication_settings(built: Path) -> None:
    reports = built / "reports"
    reviews = json.loads((reports / "exports" / "claimreview.jsonld").read_text("utf-8"))
    assert reviews
    for r in reviews:
        assert (reports / "exports" / r["url"]).resolve().is_file(), r["url"]
        page = reports / "claims" / f"{r['identifier']}.html"
        (embedded,) = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8")
        )
        assert (page.parent / json.loads(embedded)["url"]).resolve() == page.resolve()


def test_bad_publication_settings(project: Path) -> None:
    path = project / "data" / "publication.yaml"
    path.write_text("desk: Example Desk\nreports_url: ftp://example.org/\n", "utf-8")
    before = (project / INDEX).read_bytes()
    done = cli("build", root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert "publication.yaml" in line and "reports_url" in line
    assert (project / INDEX).read_bytes() == before  # nothing overwritten


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("desk: []\n", "desk: expected text"),
        ("desk: ''\n", "desk: empty"),
        ("reports_url: https://example.org/reports?x=1\n", "without ? or #"),
        ("reports_url: https://example.org/reports#top\n", "without ? or #"),
    ],
)
def test_publication_values_are_checked(tmp_path: Path, text: str, message: str) -> None:
    """An empty or listed desk fell back to the default desk without a word, and a query or
    fragment in reports_url ended up inside every ClaimReview address (".../reports?x=1#top/
    claims/...", the helper's second probe)."""
    from analysis.errors import BadInput
    from analysis.report.publication import load_publication

    path = tmp_path / "publication.yaml"
    path.write_text("# the desk's settings\n" + text, "utf-8")
    with pytest.raises(BadInput) as caught:
        load_publication(path)
    assert caught.value.place == "2" and message in caught.value.one_line()


# ---------------------------------------------------------------- exports


HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")']


def test_exports_neutralise_formulas_and_keep_types(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    records = [
        {
            "quote": text,
            "value": 2549484556.55,
            "year": 2021,
            "day": dt.date(2023, 3, 29),
            "flag": True,
            "url": "https://example.org/a",
        }
        for text in HOSTILE
    ]
    write_csv(tmp_path / "x.csv", records)
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    with (tmp_path / "x.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = [r["quote"] for r in csv.DictReader(f)]
    assert cells == ["'" + t for t in HOSTILE]
    write_xlsx(tmp_path / "x.xlsx", {"claims": records}, dt.datetime(2023, 3, 29))
    sheet = load_workbook(tmp_path / "x.xlsx")["claims"]
    for row in sheet.iter_rows(min_row=2):
        quote, value, year, day, flag, url = row
        # text, never a formula (XML reads a carriage return back as a line feed)
        assert quote.data_type == "s" and quote.value in {t.replace("\r", "\n") for t in HOSTILE}
        assert quote.value.startswith("\n") or quote.quotePrefix
        assert value.data_type == "n" and value.value == 2549484556.55
        assert year.value == 2021 and day.is_date and day.value == dt.datetime(2023, 3, 29)
        assert flag.value is True
        assert url.hyperlink is not None and url.hyperlink.target == "https://example.org/a"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_a_sheet_read_from_a_query_in_batches_is_the_sheet_of_its_records(
    tmp_path: Path,
) -> None:
    """An archive's sheets are read from the warehouse a batch at a time (exports.Query),
    never held whole: the workbook is the same, byte for byte, as one given every record,
    also when a sheet holds only the first rows and when a text must be cut; and the whole
    ledger streams to the CSV."""
    import duckdb

    from analysis.report import exports
    from analysis.report.exports import Query

    con = duckdb.connect()
    # a column of each kind the workbook measures (texts, whole numbers and booleans by
    # DuckDB, the others in Python), with empty values, zeros, falses and NULLs, characters
    # beyond one UTF-16 unit and combining ones, and a text too long for a cell (names kept
    # short where a header wider than the values would hide their width)
    con.execute(
        "CREATE TABLE t AS SELECT 'c' || i AS claim_id, i * 1.5 AS v, "
        "CASE WHEN i = 7 THEN repeat('long ', 7000) ELSE 'q' || i END AS quote, "
        "CASE WHEN i % 2 = 0 THEN i END AS n, "
        "CASE i % 4 WHEN 0 THEN '' WHEN 1 THEN repeat('😀', i) WHEN 2 THEN 'é' END AS odd, "
        "(i % 3 - 1) * 10 ^ (i % 12) AS f, CAST((i % 5 - 2) * 10000000000 AS HUGEINT) AS h, "
        "i % 3 = 0 AS b, CASE WHEN i % 2 = 1 THEN DATE '2023-03-29' + CAST(i AS INTEGER) END AS d, "
        "CAST(NULL AS BIGINT) AS none_int, CAST(NULL AS VARCHAR) AS none_text, "
        "CASE WHEN i > 20 THEN repeat('w', 70) END AS wide, i < 0 AS x, 0 * i AS z, "
        "CAST(i - 11 AS TINYINT) AS t8, CAST(i * 1000 AS SMALLINT) AS s16, "
        "CAST(i AS INTEGER) AS i32, CAST(i * 7 AS UTINYINT) AS u8, CAST(i AS UBIGINT) AS u64, "
        "CASE i % 5 WHEN 0 THEN '=1+1' WHEN 1 THEN '-2' WHEN 2 THEN '@x' END AS formula "
        "FROM range(23) r(i)"
    )
    sql = "SELECT * FROM t ORDER BY v DESC"
    names = [d[0] for d in con.execute(f"{sql} LIMIT 0").description]
    every = [dict(zip(names, row, strict=True)) for row in con.execute(sql).fetchall()]
    stamp = dt.datetime(2023, 3, 29)
    fetch = exports.FETCH_ROWS
    try:
        exports.FETCH_ROWS = 4  # batches smaller than the sheet
        for rows in (5, 22, 23, 24, 25):
            sheets = {"claims": Query(con, sql), "none": Query(con, f"{sql} LIMIT 0")}
            write_xlsx(tmp_path / "a.xlsx", sheets, stamp, rows)
            write_xlsx(tmp_path / "b.xlsx", {"claims": every, "none": []}, stamp, rows)
            assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes(), rows
    finally:
        exports.FETCH_ROWS = fetch
    write_csv(tmp_path / "a.csv", Query(con, sql))
    write_csv(tmp_path / "b.csv", every)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_xlsx_keeps_to_excels_limits(tmp_path: Path) -> None:
    """A text longer than a cell holds is cut with an ellipsis; a sheet of more records than
    its rows hold says how many more there are (the row limit passed small: a real sheet
    would need a million rows)."""
    from openpyxl import load_workbook

    from analysis.report.exports import EXCEL_CELL_CHARS

    long_quote = "The agency said it spent $1 million. " * 1000  # 37,000 characters
    records = [{"claim_id": f"c{i}", "quote": long_quote if i == 0 else "short"} for i in range(7)]
    write_xlsx(tmp_path / "x.xlsx", {"claims": records}, dt.datetime(2023, 3, 29), max_rows=5)
    rows = list(load_workbook(tmp_path / "x.xlsx")["claims"].values)
    assert rows[0] == ("claim_id", "quote")
    cut = rows[1][1]
    assert len(cut) == EXCEL_CELL_CHARS and cut.endswith("…")
    assert long_quote.startswith(cut[:-1])
    assert [r[0] for r in rows[1:4]] == ["c0", "c1", "c2"]  # header, 3 records, the note: 5 rows
    assert len(rows) == 5 and rows[4][0].startswith("… 4 more rows: a worksheet holds 5 rows")
    assert "claims.csv" in rows[4][0]
    # Excel counts UTF-16 units: an emoji is two
    write_xlsx(
        tmp_path / "e.xlsx", {"claims": [{"quote": "😀" * 20_000}]}, dt.datetime(2023, 3, 29)
    )
    emoji = next(load_workbook(tmp_path / "e.xlsx")["claims"].iter_rows(min_row=2))[0]
    assert emoji.value.endswith("…") and len(emoji.value.encode("utf-16-le")) // 2 <= 32_767
    assert emoji.value == "😀" * 16_383 + "…"
    # within the limits nothing is cut or added
    write_xlsx(tmp_path / "y.xlsx", {"claims": records[1:]}, dt.datetime(2023, 3, 29))
    assert [r[0] for r in load_workbook(tmp_path / "y.xlsx")["claims"].values][1:] == [
        r["claim_id"] for r in records[1:]
    ]


def test_xlsx_writer_keeps_odd_values_and_well_formed_parts(tmp_path: Path) -> None:
    """Characters XML cannot carry become U+FFFD instead of breaking the file; edge spaces
    are kept; a number Excel cannot hold is written as its text; a sheet name with an
    apostrophe is quoted in the filter's name; every part is well-formed XML; the same input
    gives the same bytes."""
    import decimal
    import xml.etree.ElementTree as ET
    import zipfile

    from openpyxl import load_workbook

    records = [
        {"quote": "bell\x07 and nul\x00", "n": math.inf, "d": decimal.Decimal("1.25")},
        {"quote": "  spaced  ", "n": -0.5, "d": None},
    ]
    stamp = dt.datetime(2023, 3, 29)
    write_xlsx(tmp_path / "x.xlsx", {"it's": records, "empty": []}, stamp)
    write_xlsx(tmp_path / "y.xlsx", {"it's": records, "empty": []}, stamp)
    assert (tmp_path / "x.xlsx").read_bytes() == (tmp_path / "y.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "x.xlsx") as book:
        for name in book.namelist():
            ET.fromstring(book.read(name))  # raises on malformed XML
        assert "'it''s'!$A$1:$C$3" in book.read("xl/workbook.xml").decode()
    sheet = load_workbook(tmp_path / "x.xlsx")["it's"]
    rows = list(sheet.values)
    assert rows[1] == ("bell\ufffd and nul\ufffd", "inf", 1.25)
    assert rows[2] == ("  spaced  ", -0.5, None)


_CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(alphabet=st.sampled_from("ab =+-@\t\r<&\x07é😀"), max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=8), st.booleans())
def test_xlsx_columns_typed_once_write_what_each_cell_typed_alone_would(
    rows: list[list[object]], links: bool
) -> None:
    """A sheet's columns of texts only or whole numbers only are written without typing each
    cell (an archive's workbook has millions); the XML is the same as when every cell is
    typed by itself."""
    from analysis.report import xlsx

    columns = ["a", "b", "c"]
    linked = frozenset({0} if links else ())

    def sheet(kinds: list[int]) -> xlsx.Sheet:
        return xlsx.Sheet("s", columns, iter(rows), len(rows), [5, 5, 5], kinds, linked)

    kinds = [xlsx.kind_of({type(r[i]) for r in rows}, i in linked) for i in range(3)]
    fast, alone = sheet(kinds), sheet([xlsx.ANY] * 3)
    fast_xml = "".join(xlsx._sheet_xml(fast))
    alone_xml = "".join(xlsx._sheet_xml(alone))  # every cell typed by itself
    assert fast_xml == alone_xml and fast.links == alone.links


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            _CELLS,
            st.booleans(),
            st.floats(allow_nan=True),
            st.dates(),
            st.text(min_size=55, max_size=70),
        ),
        max_size=10,
    )
)
def test_xlsx_column_widths_measured_by_column_fit_every_value(column: list[object]) -> None:
    """Widths are measured column by column and a batch at a time: the widest value's
    characters, at most the cap, an empty value, a zero or false counting as nothing, as each
    value measured alone."""
    from analysis.report.exports import MAX_WIDTH, _Measure

    alone = max((min(len(str(v or "")), MAX_WIDTH) for v in column), default=0)
    measure = _Measure()
    measure.add(column[: len(column) // 2])
    measure.add(column[len(column) // 2 :])
    assert measure.widest == alone


def test_xlsx_round_trips_typed(built: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(built / "reports" / "exports" / "claims.xlsx")
    (n_claims,) = _q(built, "SELECT count(*) FROM claims")[0]
    sheet = book["claims"]
    header = [c.value for c in sheet[1]]
    assert {"final_verdict", "machine_verdict", "stated_text", "computed_text"} <= set(header)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
    assert sheet.max_row == n_claims + 1
    column = {name: i for i, name in enumerate(header)}
    typed = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
        stated = row[column["stated_value"]]
        if stated.value is not None:
            assert isinstance(stated.value, float | int)
            typed += 1
        reviewed = row[column["review_date"]]
        if reviewed.value is not None:
            assert reviewed.is_date
        link = row[column["document_url"]]
        assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert typed


# ---------------------------------------------------------------- corrections memo


def test_memo_has_one_entry_per_sentence_with_a_suggestion(built: Path) -> None:
    wrong = _q(
        built,
        """SELECT c.claim_id, coalesce(
               (SELECT min(m.sentence_start) FROM claim_mentions cm JOIN mentions m
                USING (mention_id) WHERE cm.claim_id = c.claim_id), c.quote_start)
           FROM claims c JOIN claim_verdicts v USING (claim_id)
           WHERE v.final_verdict IN ('incorrect', 'inconsistent')""",
    )
    sentences = {s for _, s in wrong}
    assert len(sentences) < len(wrong)  # the seed has two findings in one sentence
    page = (built / "reports" / "corrections.html").read_text("utf-8")
    assert page.count('class="correction"') == len(sentences)
    assert page.count("Suggested correction:") == len(wrong)
    memo = (built / "reports" / "corrections.md").read_text("utf-8")
    assert memo.count("Suggested correction:") == len(wrong)
    replaced = _q(
        built,
        """SELECT k.stated_text, k.computed_text FROM claim_checks k
           JOIN claim_verdicts v USING (claim_id)
           WHERE v.final_verdict = 'incorrect' AND v.editor_verdict IS NULL
             AND k.verdict = 'incorrect' AND k.computed_text IS NOT NULL
             AND k.stated_text <> k.computed_text""",
    )
    assert replaced
    assert any(f"Replace “{s}” with “{c}”" in memo for s, c in replaced)


def test_memo_escapes_markup(project: Path) -> None:
    from analysis.report.corrections import Listed, Memo, corrections_markdown

    entry = {
        "doc_id": "d",
        "title": "<b>T</b>",
        "outlet": "O",
        "url": None,
        "sentence": "<script>x</script> 42%",
        "speaker": "article",
        "pending": False,
        "findings": [
            {
                "quote": "<img src=x onerror=y>",
                "final_verdict": "incorrect",
                "machine_verdict": "incorrect",
                "editor_verdict": None,
                "override_reason": None,
                "checks": [],
                "sources": [],
                "suggestion": "Replace “<i>”.",
            }
        ],
    }
    variant = {
        "surface": "<u>S</u>",
        "canonical": "C",
        "kind": "misspelling",
        "speaker": "article",
        "times": 1,
    }
    pending = Listed([{"doc_id": "d", "title": "<b>T</b>", "outlet": "<i>", "findings": 2}], 1)
    for summarized in (None, pending):
        memo = corrections_markdown(Memo([entry], Listed([variant], 2), 2, summarized))
        assert "<script>" not in memo and "<img" not in memo and "<b>" not in memo
        assert "<u>" not in memo and "<i>" not in memo
    memo = corrections_markdown(Memo([entry], Listed([], 0), 0, None))
    assert "<script>" not in memo and "<img" not in memo and "<b>" not in memo


def _drafted_and_unreviewed(built: Path, tmp_path: Path) -> Path:
    """A copy of the seed's warehouse where every claim is the machine's and no review is
    recorded: each finding then awaits review."""
    import shutil

    from analysis.vocab import REFERENCE

    db = tmp_path / "warehouse.duckdb"
    shutil.copy(built / "data" / "warehouse.duckdb", db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE claims SET origin = ?", [REFERENCE])
        con.execute("DELETE FROM reviews")
    return db


def test_a_memo_under_its_limits_lists_every_finding_awaiting_review(
    built: Path, tmp_path: Path
) -> None:
    from analysis.report.corrections import MemoLimits, write_corrections

    db = _drafted_and_unreviewed(built, tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        (n_findings,) = con.execute(
            "SELECT count(*) FROM claim_verdicts "
            "WHERE final_verdict IN ('incorrect', 'inconsistent')"
        ).fetchone()
        md_path, page_path = write_corrections(con, tmp_path, limits=MemoLimits(pending=n_findings))
    assert n_findings
    for text in (page_path.read_text("utf-8"), md_path.read_text("utf-8")):
        assert text.count("Suggested correction:") == n_findings
        assert "too many to list here" not in text


def test_every_link_of_the_memo_leads_somewhere(built: Path, tmp_path: Path) -> None:
    """A finding links to its ledger row only when the front page shows it; else to its
    fact-check page or its annotated article, both of which the report has."""
    from analysis.report.corrections import write_corrections
    from analysis.report.exports import claim_reviews
    from analysis.report.figures import build_charts
    from analysis.report.index import Limits, write_index
    from analysis.report.write import _publication

    reports = built / "reports"
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        published = frozenset(r["identifier"] for r in claim_reviews(con, _publication(con)))
        _, shown = write_index(con, tmp_path, build_charts(con), limits=Limits(claims=2))
        (page,) = [
            p for p in write_corrections(con, tmp_path, shown, published) if p.suffix == ".html"
        ]
    html = page.read_text("utf-8")
    to_ledger = re.findall(r'href="index\.html#claim-([^"]+)"', html)
    assert to_ledger and set(to_ledger) <= shown
    elsewhere = re.findall(r'href="((?:articles|claims)/[^"#]+)"', html)
    assert elsewhere  # the findings the two ledger rows leave out
    assert all((reports / target).is_file() for target in elsewhere)


# ---------------------------------------------------------------- charts


def _specs(built: Path) -> dict[str, dict]:
    charts = built / "reports" / "charts"
    return {
        p.stem.removesuffix(".vl"): json.loads(p.read_text("utf-8"))
        for p in charts.glob("*.vl.json")
    }


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_stated_and_reference_have_one_colour_each(built: Path) -> None:
    seen = 0
    for name, spec in _specs(built).items():
        for node in _walk(spec):
            if not isinstance(node.get("color"), dict):
                continue
            node = node["color"]
            scale = node.get("scale") if isinstance(node.get("scale"), dict) else None
            if not scale or "domain" not in scale or "range" not in scale:
                continue
            if not isinstance(scale["domain"], list):
                continue
            for label, colour in zip(scale["domain"], scale["range"], strict=False):
                if str(label).startswith("stated"):
                    assert colour == STATED_COLOR, (name, label)
                    seen += 1
                elif "GWL" in str(label) or "reported" in str(label) or "computed" in str(label):
                    assert colour == REFERENCE_COLOR, (name, label)
    assert seen >= 3  # funding, women, representation


def test_charts_are_titled_annotated_and_footed(built: Path) -> None:
    for name, spec in _specs(built).items():
        title = " ".join(spec["title"]["text"])
        assert title and len(spec["title"]["subtitle"]) <= 2, name  # one line, at most wrapped
        chart, footer = spec["vconcat"]
        lines = [v["line"] for v in footer["data"]["values"]]
        assert lines[-1].startswith("Source:") or any(x.startswith("Source:") for x in lines)
        assert spec["description"]
        notes = [
            v.get("note") for n in _walk(chart) for v in n.get("values", []) if isinstance(v, dict)
        ]
        texts = [
            v.get("text") for n in _walk(chart) for v in n.get("values", []) if isinstance(v, dict)
        ]
        if name in ("funding", "women", "membership"):
            assert any(notes), name  # the mark a claim is about carries its verdict
        if name == "representation":
            assert any(t and t.startswith("stated") for t in texts)
    assert "Africa" in json.dumps(_specs(built)["membership"]) and "says 54" in json.dumps(
        _specs(built)["membership"]
    )


def test_takeaway_is_computed_not_typed(project: Path) -> None:
    """Change the reference total and the funding headline follows it."""
    ref = project / "data" / "reference" / "iom_finance.csv"
    text = ref.read_text("utf-8")
    assert "2549484556.55" in text
    ref.write_text(text.replace("2549484556.55", "1049484556.55"), "utf-8")
    build(project)
    spec = _specs(project)["funding"]
    assert "$1.05bn" in " ".join(spec["title"]["text"])


def test_unknown_term_dates_make_no_false_vacancy(built: Path) -> None:
    rows = _q(
        built,
        "SELECT name, term_start, term_end, span_from, span_to, dates_incomplete "
        "FROM chart_leadership ORDER BY position",
    )
    incomplete = [r for r in rows if r[5]]
    assert incomplete  # the sources lack some dates
    for name, start, end, span_from, span_to, _ in incomplete:
        assert start is None or end is None, name  # unknown stays unknown
        assert span_from and span_to and span_from <= span_to
    for before, after in itertools.pairwise(rows):
        gap = dt.date.fromisoformat(after[3]) - dt.date.fromisoformat(before[4])
        assert gap.days <= 366, (before[0], after[0], gap)  # no stretch without a head drawn


# texts a cell or a CSV field must carry: edges of white space (Python's, beyond RE2's \\s),
# line breaks, formula starts, XML's special and illegal characters, quotes and commas,
# characters beyond one UTF-16 unit
_SQL_TEXTS = st.text(
    alphabet=st.sampled_from(
        list("ab =+-@\t\r\n<>&\"',\x00\x07\x1c\x85\xa0\u2028\u3000\ufffe\uffffé😀")
    ),
    max_size=8,
)
_SQL_COLUMNS = {
    "quote": ("VARCHAR", _SQL_TEXTS),
    "url": (
        "VARCHAR",
        st.sampled_from(
            ["https://example.org/a", "http://x.org/?q=1&b=2", "javascript:x", "", "=HYPERLINK(1)"]
        ),
    ),
    "n": ("BIGINT", st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "h": ("HUGEINT", st.integers(min_value=-(2**100), max_value=2**100)),
    "v": ("DOUBLE", st.floats(allow_nan=True, allow_infinity=True)),
    "f": ("FLOAT", st.floats(width=32, allow_nan=False)),
    "b": ("BOOLEAN", st.booleans()),
    "d": ("DATE", st.dates()),
}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({k: st.none() | v for k, (_, v) in _SQL_COLUMNS.items()}),
        max_size=12,
    ),
    st.integers(min_value=2, max_value=14),
)
def test_sheets_and_lines_written_by_duckdb_are_those_python_writes(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, object]], max_rows: int
) -> None:
    """A query whose columns DuckDB can write (texts, whole numbers, floats, booleans, dates)
    has its sheet's rows and its CSV lines made in SQL (sql_cells): the bytes are those the
    Python writers give the same records, whatever the values (NULLs, NaN and infinities,
    hostile texts, links and addresses that are not), and with the first rows only."""
    from analysis.report import exports
    from analysis.report.exports import Query

    tmp = tmp_path_factory.mktemp("sql")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t (i INTEGER, "
        + ", ".join(f"{k} {kind}" for k, (kind, _) in _SQL_COLUMNS.items())
        + ")"
    )
    if records:
        con.executemany(
            f"INSERT INTO t VALUES (?{', ?' * len(_SQL_COLUMNS)})",
            [[i, *(r[k] for k in _SQL_COLUMNS)] for i, r in enumerate(records)],
        )
    query = Query(con, "SELECT * FROM t ORDER BY i DESC")
    every = [
        dict(zip(["i", *_SQL_COLUMNS], row, strict=True))
        for row in con.execute(query.sql).fetchall()
    ]
    if records:  # the rows are DuckDB's: a query's sheet is rendered in SQL
        assert exports._sheet("s", query, max_rows).rendered is not None
    stamp = dt.datetime(2023, 3, 29)
    write_xlsx(
        tmp / "sql.xlsx", {"s": query, "u": Query(con, f"{query.sql} LIMIT 0")}, stamp, max_rows
    )
    write_xlsx(tmp / "python.xlsx", {"s": every, "u": []}, stamp, max_rows)
    assert (tmp / "sql.xlsx").read_bytes() == (tmp / "python.xlsx").read_bytes()
    write_csv(tmp / "sql.csv", query)
    write_csv(tmp / "python.csv", every)
    assert (tmp / "sql.csv").read_bytes() == (tmp / "python.csv").read_bytes()


def test_duckdb_writes_a_large_sheet_in_its_querys_order(tmp_path: Path) -> None:
    """DuckDB numbers the rows of a sheet it writes in the query's own order, also when the
    query is sorted and read by several threads; it cuts a text too long for a cell; a NaN is
    "nan" whatever its sign; a single-column ledger's empty record is quoted as Python's csv
    writer does. A text to cut holding a character beyond the Basic Multilingual Plane leaves
    the sheet to Python."""
    from analysis.report import exports
    from analysis.report.exports import Query

    con = duckdb.connect(config={"threads": 4})
    con.execute(
        "CREATE TABLE t AS SELECT hash(i) % 100003 AS k, "
        # a text too long for a cell, which DuckDB cuts as Python does
        "CASE WHEN i % 10000 = 5 THEN repeat('long é ', 6000) ELSE 'q' || i END AS quote, "
        "CASE WHEN i % 7 = 0 THEN 'https://example.org/' || i END AS url, "
        # a NaN DuckDB would print as "-nan", which Python never does
        "CASE i % 6 WHEN 0 THEN -('nan'::DOUBLE) WHEN 1 THEN 'nan' WHEN 2 THEN '-inf' "
        "WHEN 3 THEN -0.0 ELSE i / 7 END AS v FROM range(30000) r(i)"
    )
    query = Query(con, "SELECT * FROM t ORDER BY k, quote")
    every = [
        dict(zip(["k", "quote", "url", "v"], r, strict=True))
        for r in con.execute(query.sql).fetchall()
    ]
    assert exports._sheet("s", query, exports.EXCEL_ROWS).rendered is not None
    stamp = dt.datetime(2023, 3, 29)
    write_xlsx(tmp_path / "sql.xlsx", {"s": query}, stamp)
    write_xlsx(tmp_path / "python.xlsx", {"s": every}, stamp)
    assert (tmp_path / "sql.xlsx").read_bytes() == (tmp_path / "python.xlsx").read_bytes()
    write_csv(tmp_path / "sql.csv", query)
    write_csv(tmp_path / "python.csv", every)
    assert (tmp_path / "sql.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()
    # a text to cut that holds a character of two UTF-16 units: the sheet is Python's
    emoji = Query(con, "SELECT k, quote || '😀' AS quote FROM t ORDER BY k, quote")
    assert exports._sheet("s", emoji, exports.EXCEL_ROWS).rendered is None
    one = Query(con, "SELECT CASE WHEN k % 2 = 0 THEN '' END AS x FROM t ORDER BY k, quote")
    write_csv(tmp_path / "one.csv", one)
    write_csv(tmp_path / "one-python.csv", [{"x": r[0]} for r in con.execute(one.sql).fetchall()])
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "one-python.csv").read_bytes()
    assert b'\r\n""\r\n' in (tmp_path / "one.csv").read_bytes()


def test_duckdb_writes_dates_as_python_is_given_them(tmp_path: Path) -> None:
    """Dates Python cannot hold as they are: DuckDB's client gives the infinities as Python's
    last and first dates, and a date after 9999 or before year 1 as its text; DuckDB writes
    each cell and field as Python writes what it is given. A connection that does not keep
    a query's order leaves the sheet and the ledger to Python."""
    from analysis.report import exports
    from analysis.report.exports import Query

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES (1, DATE 'infinity'), (2, DATE '-infinity'), "
        "(3, DATE '10000-01-01'), (4, DATE '0001-01-01 (BC)'), (5, DATE '2023-03-29'), "
        "(6, NULL)) v(i, d)"
    )
    query = Query(con, "SELECT * FROM t ORDER BY i")
    every = [{"i": i, "d": d} for i, d in con.execute(query.sql).fetchall()]
    assert {type(r["d"]) for r in every} == {dt.date, str, type(None)}
    stamp = dt.datetime(2023, 3, 29)
    for name in ("sql", "unordered"):
        if name == "unordered":
            con.execute("SET preserve_insertion_order = false")
        assert (exports._sheet("s", query, exports.EXCEL_ROWS).rendered is None) == (
            name == "unordered"
        )
        write_xlsx(tmp_path / f"{name}.xlsx", {"s": query}, stamp)
        write_xlsx(tmp_path / "python.xlsx", {"s": every}, stamp)
        assert (tmp_path / f"{name}.xlsx").read_bytes() == (tmp_path / "python.xlsx").read_bytes()
        write_csv(tmp_path / f"{name}.csv", query)
        write_csv(tmp_path / "python.csv", every)
        assert (tmp_path / f"{name}.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()


def test_a_link_is_to_the_address_its_cell_shows_when_rows_tie() -> None:
    """DuckDB may order the rows of a query that tie in any way, differently each time it is
    run: each link is taken from the same reading of the query as the cells, so that a link
    always goes to the address its cell shows."""
    from analysis.report import exports
    from analysis.report.exports import Query

    # large enough, on enough threads, for two readings to differ (the links read apart from
    # the cells went to another row's address)
    con = duckdb.connect(config={"threads": 8})
    con.execute(
        "CREATE TABLE t AS SELECT i % 3 AS k, 'https://example.org/' || i AS url "
        "FROM range(1000000) r(i)"
    )
    sheet = exports._sheet("s", Query(con, "SELECT k, url FROM t ORDER BY k"), 50_000)
    assert sheet.rendered is not None
    xml = "".join(chunk for _, chunk in sheet.rendered)
    shown = dict(re.findall(r'<c r="(B\d+)" s="4" t="inlineStr"><is><t>([^<]*)</t>', xml))
    assert len(sheet.links) == len(shown) == 49_998  # the note's row aside
    assert all(shown[ref] == address for ref, address in sheet.links)


def _readers() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "xlsx-sheet-writer"]


def test_a_sheet_read_beside_its_writing_stops_with_either_side(tmp_path: Path) -> None:
    """A sheet's rows are deflated and written in a thread of their own while the next are
    read: a failure reading them is raised as it was (its bad value named), and a failure
    writing them (a full disk) is raised where they are read, which stops; the rows are
    closed and no thread is left behind either way."""
    from analysis.report import xlsx

    closed: list[bool] = []

    def rows(bad_at: int | None, n: int = 200_000) -> Iterator[list[object]]:
        try:
            for i in range(n):
                yield [object() if i == bad_at else f"row {i} " + "x" * 40]
        finally:
            closed.append(True)

    def sheet(bad_at: int | None) -> xlsx.Sheet:
        return xlsx.Sheet("s", ["a"], rows(bad_at), 200_000, [10], [xlsx.ANY])

    stamp = dt.datetime(2023, 3, 29)
    with pytest.raises(TypeError, match=r"cannot write a object to a workbook cell \(A150002\)"):
        xlsx.write_workbook(tmp_path / "bad.xlsx", [sheet(150_000)], stamp, "test")
    assert closed == [True] and not _readers()
    # a write that fails as a full disk makes it fail, in a process of its own: the kernel
    # refuses to grow a file past the process's limit (RLIMIT_FSIZE), after the workbook's
    # small parts and during the sheet's
    script = f"""
import datetime as dt, resource, signal, sys, threading
sys.path.insert(0, {str(REPO)!r})
from tests.test_outputs import _readers
from analysis.report import xlsx
closed = []
def rows():
    try:
        for i in range(200_000):
            yield [f"row {{i}} " + "x" * 40]
    finally:
        closed.append(True)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))
sheet = xlsx.Sheet("s", ["a"], rows(), 200_000, [10], [xlsx.ANY])
try:
    xlsx.write_workbook(sys.argv[1], [sheet], dt.datetime(2023, 3, 29), "test")
except OSError as err:
    print(type(err).__name__, err.errno, closed, _readers())
# a sheet whose rows DuckDB writes: its query's rows closed (its cursor with them)
import duckdb, inspect
from analysis.report import exports
con = duckdb.connect()
con.execute("CREATE TABLE t AS SELECT 'row ' || i || repeat('x', 40) AS a FROM range(300000) r(i)")
sheet = exports._sheet("s", exports.Query(con, "SELECT * FROM t ORDER BY a"), exports.EXCEL_ROWS)
try:
    xlsx.write_workbook(sys.argv[1] + "2", [sheet], dt.datetime(2023, 3, 29), "test")
except OSError as err:
    print(type(err).__name__, inspect.getgeneratorstate(sheet.rendered), _readers())
"""
    import errno
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "full.xlsx")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == [
        f"OSError {errno.EFBIG} [True] []",
        "OSError GEN_CLOSED []",
    ], done.stderr
