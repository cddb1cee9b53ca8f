"""An archive's outputs: the corrections memo past its limits (docs/outputs.md, "An archive's
memo")."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from benchmarks.archive import _article
from tests.conftest import build, copy_project

ARTICLES = 6  # generated ones, beside the seed: two outlets, seven dates of publication


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and four generated articles, built."""
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
    assert quote[:40] in page and page.count("Suggested correction:") >= 1  # the reviewed one
    most = max(n for _, n in variants)
    shown = re.findall(r"<li>“([^”]+)” \(", page)
    assert len(shown) == 1 and shown[0] in {s for s, n in variants if n == most}
    assert f"The 1 used most often of {len(variants)} spellings;" in memo
    assert "<code>analysis sql" in page and "`" not in page
