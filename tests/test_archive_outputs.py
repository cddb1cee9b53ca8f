"""An archive's outputs: the corrections memo past its limits, `analysis export`, and the build's
workbook past Excel's limit (docs/outputs.md, "An archive's memo" and "Exports")."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape
from openpyxl import load_workbook

from benchmarks.archive import _article
from tests.conftest import SEED, build, cli, copy_project, error_line

ARTICLES = 6  # generated ones, beside the seed: two outlets, seven dates of publication


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and six generated articles, built."""
    root = copy_project(tmp_path_factory.mktemp("export") / "project")
    lines = [json.dumps(_article(i, 12_000)) + "\n" for i in range(ARTICLES)]
    (root / "seeds" / "archive.jsonl").write_text("".join(lines), "utf-8")
    build(root)
    return root


def _q(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _ledger(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def _sheets(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_an_archive_s_memo_counts_findings_awaiting_review_by_article(
    archive: Path, tmp_path: Path
) -> None:
    """Past its limits (set small here: an archive has tens of thousands of findings) the memo
    lists no finding awaiting review: it counts them and the articles that hold them, lists
    the articles with the most, and says where each is; a machine finding an editor reviewed
    is a correction, listed; of the names spelled differently, the most used."""
    import shutil

    from analysis.report.corrections import MemoLimits, write_corrections

    db = tmp_path / "warehouse.duckdb"
    shutil.copy(archive / "data" / "warehouse.duckdb", db)
    findings = "final_verdict IN ('incorrect', 'inconsistent')"
    with duckdb.connect(str(db)) as con:
        (reviewed, quote) = con.execute(  # an editor approves one machine finding
            f"SELECT claim_id, quote FROM claim_verdicts v JOIN claims USING (claim_id) "
            f"WHERE {findings} AND v.origin <> 'hand' ORDER BY claim_id LIMIT 1"
        ).fetchone()
        con.execute(
            "INSERT INTO reviews (claim_id, reviewer, review_date, status, reviews_file, "
            "reviews_line) VALUES (?, 'desk', DATE '2026-12-01', 'approved', 'r.yaml', 1)",
            [reviewed],
        )
    with duckdb.connect(str(db), read_only=True) as con:
        per_doc = con.execute(
            f"SELECT doc_id, count(*) FROM claim_verdicts WHERE {findings} AND origin <> 'hand' "
            f"AND claim_id NOT IN (SELECT claim_id FROM reviews) GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        variants = con.execute(
            "SELECT surface, count(*) FROM name_variants WHERE kind <> 'alternative name' "
            "GROUP BY surface, canonical, kind, speaker"
        ).fetchall()
        n_pending = sum(n for _, n in per_doc)
        assert len(per_doc) > 1 and per_doc[0][1] > per_doc[-1][1] and len(variants) > 1
        limits = MemoLimits(pending=n_pending - 1, documents=1, variants=1)
        md_path, page_path = write_corrections(con, tmp_path, limits=limits)
    page, memo = page_path.read_text("utf-8"), md_path.read_text("utf-8")
    said = f"{n_pending:,} findings awaiting review, in {len(per_doc):,} articles"
    assert said in page and said in memo
    assert f"Machine findings awaiting review ({n_pending:,})" in page
    listed = re.findall(r'<td data-label="Article"><a href="articles/([^"]+)\.html">', page)
    assert listed == [per_doc[0][0]]  # the article with the most
    assert per_doc[0][0].replace("_", "\\_") in memo
    # the reviewed one (its quote as the page escapes it: "group&#39;s")
    assert str(escape(quote[:40])) in page and page.count("Suggested correction:") >= 1
    most = max(n for _, n in variants)
    shown = re.findall(r"<li>“([^”]+)” \(", page)
    assert len(shown) == 1 and shown[0] in {s for s, n in variants if n == most}
    assert f"The 1 used most often of {len(variants)} spellings;" in memo
    assert "<code>analysis sql" in page and "`" not in page


def test_with_no_choice_it_writes_the_build_s_exports(archive: Path, tmp_path: Path) -> None:
    exports = archive / "reports" / "exports"
    for name in ("claims.xlsx", "claims.csv"):
        done = cli("export", str(tmp_path / name), root=archive)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_bytes() == (exports / name).read_bytes()


def test_a_document_s_ledger_is_its_rows_of_the_whole_ledger(archive: Path, tmp_path: Path) -> None:
    """Every document's, those without a claim too (a ledger without records has no
    header, as the build's)."""
    header, every = _ledger(archive / "reports" / "exports" / "claims.csv")
    at = header.index("doc_id")
    with_claims = 0
    for (doc_id,) in _q(archive, "SELECT doc_id FROM documents ORDER BY doc_id"):
        out = tmp_path / f"{doc_id}.csv"
        done = cli("export", str(out), "--doc", doc_id, root=archive)
        assert done.returncode == 0, done.stderr
        own = [r for r in every if r[at] == doc_id]
        if own:
            with_claims += 1
            assert _ledger(out) == (header, own)
        else:
            assert out.read_text("utf-8-sig") == ""
        assert f"1 article(s), {len(own):,} claim(s)" in done.stderr
    assert with_claims > 1


def test_a_workbook_of_chosen_articles_holds_their_rows_in_every_sheet(
    archive: Path, tmp_path: Path
) -> None:
    """Claims, checks and figures of the articles chosen, the reviews of their claims, the
    sources whole: each sheet the whole workbook's rows of those articles, in order."""
    ids = [d for (d,) in _q(archive, "SELECT doc_id FROM documents ORDER BY doc_id")]
    chosen = {SEED.stem, next(d for d in ids if d != SEED.stem)}
    out = tmp_path / "chosen.xlsx"
    done = cli("export", str(out), *(f"--doc={d}" for d in sorted(chosen)), root=archive)
    assert done.returncode == 0, done.stderr
    whole, part = _sheets(archive / "reports" / "exports" / "claims.xlsx"), _sheets(out)
    assert list(part) == list(whole)
    claims = {r[0] for r in whole["claims"][1:] if r[1] in chosen}
    for name, rows in whole.items():
        header = rows[0]
        if "doc_id" in header:
            keep = [r for r in rows[1:] if r[header.index("doc_id")] in chosen]
        elif "claim_id" in header:
            keep = [r for r in rows[1:] if r[header.index("claim_id")] in claims]
        else:
            keep = rows[1:]
        assert keep, name  # each sheet holds rows, and those of the others are left out
        assert name in ("reviews", "sources") or len(keep) < len(rows) - 1, name
        assert part[name] == [header, *keep], name


def test_a_choice_without_the_reviewed_article_has_no_review(archive: Path, tmp_path: Path) -> None:
    """Every review is of the seed's claims: a workbook of another article holds none, and
    its claims, checks and figures are that article's alone."""
    (doc_id,) = _q(archive, "SELECT min(doc_id) FROM claims WHERE doc_id <> ?", [SEED.stem])[0]
    assert _q(archive, "SELECT count(*) FROM reviews")[0][0] > 0
    out = tmp_path / "one.xlsx"
    done = cli("export", str(out), "--doc", doc_id, root=archive)
    assert done.returncode == 0, done.stderr
    sheets = _sheets(out)
    assert [r for r in sheets["reviews"] if any(v is not None for v in r)] == []
    for name in ("claims", "checks", "figures"):
        header, *rows = sheets[name]
        assert rows and {r[header.index("doc_id")] for r in rows} == {doc_id}, name


def test_the_view_of_chosen_articles_reads_no_file(archive: Path) -> None:
    from analysis.report.selection import chosen_view

    with chosen_view(archive / "data" / "warehouse.duckdb", [SEED.stem]) as con:
        assert con.execute("SELECT count(DISTINCT doc_id) FROM mentions").fetchone() == (1,)
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM read_text(?)", [str(SEED)]).fetchall()


def test_a_warehouse_that_lacks_a_table_is_one_line(archive: Path, tmp_path: Path) -> None:
    """An older warehouse (built before a table existed): a table the exports do not read is
    not missed; one they read is a one-line refusal that says to rebuild, nothing written."""
    import shutil

    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    for name in ("seeds",):
        shutil.copytree(archive / name, root / name)
    db = root / "data" / "warehouse.duckdb"
    shutil.copy(archive / "data" / "warehouse.duckdb", db)
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE name_variants")
    done = cli("export", str(tmp_path / "a.csv"), "--doc", SEED.stem, root=root)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(db)) as con:
        con.execute("DROP VIEW IF EXISTS mention_coverage")
        con.execute("DROP TABLE claim_mentions")
    out = tmp_path / "b.xlsx"
    done = cli("export", str(out), "--doc", SEED.stem, root=root)
    assert done.returncode == 2
    assert "run `analysis build`" in error_line(done) and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "project"]


def test_an_outlet_s_ledger_is_its_articles_rows(archive: Path, tmp_path: Path) -> None:
    (outlet,) = _q(archive, "SELECT outlet FROM documents WHERE doc_id <> ?", [SEED.stem])[0]
    chosen = {d for (d,) in _q(archive, "SELECT doc_id FROM documents WHERE outlet = ?", [outlet])}
    assert 1 < len(chosen) < len(_q(archive, "SELECT doc_id FROM documents"))
    out = tmp_path / "outlet.csv"
    done = cli("export", str(out), "--outlet", outlet, root=archive)
    assert done.returncode == 0, done.stderr
    header, every = _ledger(archive / "reports" / "exports" / "claims.csv")
    at = header.index("doc_id")
    assert _ledger(out) == (header, [r for r in every if r[at] in chosen])


def test_dates_of_publication_choose_inclusively(archive: Path, tmp_path: Path) -> None:
    dates = sorted(
        d for (d,) in _q(archive, "SELECT date_published FROM documents") if d is not None
    )
    since, until = dates[1], dates[-2]
    wanted = {
        d
        for (d,) in _q(
            archive,
            "SELECT doc_id FROM documents WHERE date_published BETWEEN ? AND ?",
            [since, until],
        )
    }
    assert 1 < len(wanted) < len(dates)
    out = tmp_path / "dates.csv"
    done = cli("export", str(out), "--since", str(since), "--until", str(until), root=archive)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}: {len(wanted)} article(s)" in done.stderr
    with_claims = {d for (d,) in _q(archive, "SELECT DISTINCT doc_id FROM claims")}
    header, rows = _ledger(out)
    assert rows and {r[header.index("doc_id")] for r in rows} == wanted & with_claims


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("{tmp}/out.txt",), "OUT must end in .xlsx or .csv"),
        (("{tmp}/missing/out.csv",), "does not exist"),
        (("{root}/reports/out.xlsx",), "inside the project's reports/ folder"),
        (("{tmp}/out.csv", "--doc", "no-such-article"), "--doc 'no-such-article': no such"),
        (("{tmp}/out.csv", "--since", "2023-3-1"), "--since '2023-3-1': give a date"),
        (("{tmp}/out.csv", "--until", "yesterday"), "--until 'yesterday': give a date"),
        (("{tmp}/out.csv", "--outlet", "Nobody"), "no article in the warehouse matches"),
    ],
)
def test_a_bad_export_is_one_line_and_writes_nothing(
    archive: Path, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    kept = tmp_path / "out.csv"
    kept.write_bytes(b"the desk's own file")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = cli("export", *(a.format(tmp=tmp_path, root=archive) for a in args), root=archive)
    assert done.returncode == 2
    assert says in error_line(done)
    assert kept.read_bytes() == b"the desk's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (archive / "reports" / "out.xlsx").exists()


def test_past_a_worksheet_the_build_writes_no_workbook_and_says_where_one_is(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's limit set to the archive's longest sheet (a real archive passes 1,048,576
    figures at about 5,000 articles): the exports hold no workbook (one written there before
    is removed), the ledger still whole; the front page links no workbook and says how to
    write one. Under it, both as the build made them."""
    from analysis.report import exports
    from analysis.report.exports import workbook_fits, write_exports
    from analysis.report.figures import build_charts
    from analysis.report.index import write_index
    from analysis.report.write import _publication

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "claims.xlsx").write_bytes(b"a workbook an earlier report wrote")
    with duckdb.connect(str(archive / "data" / "warehouse.duckdb"), read_only=True) as con:
        largest = max(  # the records of the longest sheet, its header besides
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("mentions", "claims", "claim_checks", "reviews", "reference_sources")
        )
        assert workbook_fits(con) and workbook_fits(con, largest + 1)
        monkeypatch.setattr(exports, "EXCEL_ROWS", largest)
        assert not workbook_fits(con)
        written = write_exports(con, folder, _publication(con))
        index, _ = write_index(con, tmp_path, build_charts(con))
    assert sorted(p.name for p in written) == ["claimreview.jsonld", "claims.csv"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    ledger = (archive / "reports" / "exports" / "claims.csv").read_bytes()
    assert (folder / "claims.csv").read_bytes() == ledger
    html = index.read_text("utf-8")
    assert 'href="exports/claims.xlsx"' not in html
    assert "analysis export FILE.xlsx" in html
    built = (archive / "reports" / "index.html").read_text("utf-8")
    assert 'href="exports/claims.xlsx"' in built
    assert (archive / "reports" / "exports" / "claims.xlsx").is_file()
