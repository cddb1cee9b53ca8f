"""Checks drafted by the machine for articles nobody wrote claims for: the development-set
scores, `analysis draft`, the build's handling of drafted claims, reference drafting and claims
that come back from other documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from analysis.formatting import shorten_middle
from benchmarks.extraction_quality import load_corpus
from benchmarks.relation_quality import Tally, evaluate, report, score
from tests.conftest import REPO, build, cli, error_line

CORPUS = REPO / "tests" / "data" / "corpus"
NEW = "press_release-health-management-associates-q4-2004"  # a corpus article, no claims file
WRONG = "irish-times-apn-profit-rise-2006"  # a corpus article with wrong percent changes


@pytest.fixture(scope="module")
def tallies() -> dict[str, Tally]:
    return evaluate(load_corpus())


def test_in_text_checks_on_the_development_set(tallies: dict[str, Tally]) -> None:
    overall = tallies["overall"]
    detail = report({"overall": overall}, details=True)
    assert overall.gold >= 100
    assert overall.recall >= 0.80, detail
    assert overall.agreement >= 0.95, detail
    assert overall.false_alarms == 0, detail


def test_the_scorer_counts_a_false_alarm_and_a_miss() -> None:
    """The scorer can fail: an article whose hand-judged statements are emptied counts every
    machine `incorrect` as a false alarm, and a statement the machine cannot see as a miss."""
    article = next(
        a for a in load_corpus() if a.doc_id == "trade_press-devex-uk-aid-charity-income"
    )
    honest = score(article)
    assert honest.false_alarms == 0 and honest.detected == honest.gold
    path = article.path.with_name(article.path.stem + ".relations.yaml")
    judged = yaml.safe_load(path.read_text("utf-8"))
    # the hand says the change is incorrect: the machine's `correct` must then disagree
    judged[0]["verdict"] = "incorrect"
    copy = article.path.parent.parent / "_tmp_relations"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    try:
        for ext in (".txt", ".meta.yaml", ".gold.yaml"):
            shutil.copy(article.path.with_suffix("").with_suffix(ext), copy / f"x{ext}")
        (copy / "x.relations.yaml").write_text(yaml.safe_dump(judged), "utf-8")
        (twin,) = load_corpus(copy, with_seed=False)
        flipped = score(twin)
        assert flipped.agreed == flipped.detected - 1
        (copy / "x.relations.yaml").write_text("[]\n", "utf-8")
        (twin,) = load_corpus(copy, with_seed=False)
        assert score(twin).gold == 0
    finally:
        shutil.rmtree(copy)


def test_draft_json_contract(fresh_project: Path) -> None:
    done = cli("draft", str(CORPUS / f"{NEW}.txt"), "--format", "json", root=fresh_project)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert records
    text = (CORPUS / f"{NEW}.txt").read_text("utf-8")
    for r in records:
        assert list(r)[:10] == [
            "claim_id",
            "quote",
            "start",
            "end",
            "figures",
            "recipe",
            "origin",
            "verdict",
            "explanation",
            "confidence",
        ]
        assert text[r["start"] : r["end"]] == r["quote"]
        for f in r["figures"]:
            assert text[f["start"] : f["end"]] == f["text"]
        assert r["origin"] in ("arithmetic", "reference", "match")
        assert 0 < r["confidence"] <= 1


def test_draft_yaml_is_a_claims_file_the_build_accepts(fresh_project: Path) -> None:
    """The drafted claims file, moved into data/claims/, builds with the same verdicts."""
    shutil.copy(CORPUS / f"{NEW}.txt", fresh_project / "seeds" / f"{NEW}.txt")
    drafted = cli("draft", str(fresh_project / "seeds" / f"{NEW}.txt"), root=fresh_project)
    assert drafted.returncode == 0, drafted.stderr
    (fresh_project / "data" / "claims" / f"{NEW}.yaml").write_text(drafted.stdout, "utf-8")
    build(fresh_project)
    with duckdb.connect(str(fresh_project / "data" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT origin, verdict FROM claims WHERE doc_id = ? ORDER BY quote_start", [NEW]
        ).fetchall()
    wanted = [
        c["note"].split(": ", 1)[1].split(" — ")[0]
        for c in yaml.safe_load(drafted.stdout)["claims"]
    ]
    assert [v for o, v in rows if o == "hand"] == wanted
    assert {o for o, _ in rows} == {"hand"}  # the hand-written copies win over the drafts


def test_draft_bad_input(fresh_project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 1,000")
    done = cli("draft", str(bad), root=fresh_project)
    assert done.returncode == 2
    assert "bad.txt" in error_line(done) and "UTF-8" in error_line(done)
    missing = cli("draft", str(tmp_path / "nope.txt"), root=fresh_project)
    assert missing.returncode == 2 and "nope.txt" in error_line(missing)


@pytest.fixture(scope="module")
def with_new_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project plus an article nobody wrote claims for, and a note restating one of
    the seed's checked statements."""
    from tests.conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("drafting") / "project")
    shutil.copy(CORPUS / f"{NEW}.txt", root / "seeds" / f"{NEW}.txt")
    for ext in (".txt", ".meta.yaml"):  # its metadata says a plain $ is the Australian dollar
        shutil.copy(CORPUS / f"{WRONG}{ext}", root / "seeds" / f"{WRONG}{ext}")
    # an editor rejects one drafted claim, like any other claim
    first = json.loads(
        cli("draft", str(root / "seeds" / f"{NEW}.txt"), "--format", "json", root=root).stdout
    )[0]["claim_id"]
    (root / "data" / "reviews" / f"{NEW}.yaml").write_text(
        f"document: {NEW}\nreviews:\n  - claim: {first}\n    reviewer: Desk\n"
        "    date: 2026-11-29\n    status: approved\n    editor_verdict: not_checkable\n"
        "    reason: a restatement of the company's own release\n",
        "utf-8",
    )
    (root / "seeds" / "restated-note.txt").write_text(
        "IOM race heats up\nIn 2021 the US contributed $668 million, about 67 percent of IOM "
        "total funding that year, or $998 million, the report said.\n",
        "utf-8",
    )
    build(root)
    return root


def _query(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_a_new_article_gets_checks_from_the_build_alone(with_new_article: Path) -> None:
    rows = _query(
        with_new_article,
        "SELECT origin, verdict, confidence, claims_file FROM claims WHERE doc_id = ?",
        [NEW],
    )
    assert rows and all(o == "arithmetic" and c and f is None for o, _, c, f in rows)
    page = (with_new_article / "reports" / "articles" / f"{NEW}.html").read_text("utf-8")
    assert "fig checked" in page and " machine" in page
    index = (with_new_article / "reports" / "index.html").read_text("utf-8")
    assert "machine-drafted (arithmetic)" in index
    listed = cli("claims", "--origin", "machine", "--format", "csv", root=with_new_article)
    assert NEW in listed.stdout and "machine-drafted (arithmetic)" in listed.stdout
    hand = cli("claims", "--origin", "hand", "--format", "csv", root=with_new_article)
    assert NEW not in hand.stdout


def test_unreviewed_machine_findings_have_their_own_memo_section(with_new_article: Path) -> None:
    memo = (with_new_article / "reports" / "corrections.md").read_text("utf-8")
    reviewed, _, pending = memo.partition("## Machine findings awaiting review")
    wrong = _query(
        with_new_article,
        "SELECT quote FROM claims c JOIN claim_verdicts v USING (claim_id) "
        "WHERE c.doc_id = ? AND v.final_verdict = 'incorrect'",
        [WRONG],
    )
    # the hand-judged set says three of its percent changes are wrong (6, 3 and 2 per cent)
    assert len(wrong) >= 2
    for (quote,) in wrong:
        shown = shorten_middle(quote)
        assert shown in pending and shown not in reviewed
    page = (with_new_article / "reports" / "corrections.html").read_text("utf-8")
    assert 'id="awaiting-review"' in page


def test_a_restated_statement_is_linked_to_its_fact_check(with_new_article: Path) -> None:
    links = _query(
        with_new_article,
        "SELECT claim_id, matched_claim_id, matched_verdict FROM claim_matches "
        "WHERE claim_id LIKE 'restated-note%'",
    )
    assert ("us-funding-share-arithmetic", "needs_context") in {(m, v) for _, m, v in links}


def test_a_review_overrides_a_drafted_claim(with_new_article: Path) -> None:
    rows = _query(
        with_new_article,
        "SELECT machine_drafted, editor_verdict, final_verdict FROM claim_verdicts "
        "WHERE doc_id = ? AND editor_verdict IS NOT NULL",
        [NEW],
    )
    assert rows == [(True, "not_checkable", "not_checkable")]
