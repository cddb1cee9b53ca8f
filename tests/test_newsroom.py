"""The newsroom loop: annotated article, editorial review, corrections memo, exports, diff."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from tests.conftest import SEED, build, cli, error_line

REVIEWS = Path("data") / "reviews" / f"{SEED.stem}.yaml"
DISMISSALS = Path("data") / "dismissals" / f"{SEED.stem}.yaml"


def _q(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_figure_of_the_seed_is_accounted_for(built: Path) -> None:
    statuses = dict(_q(built, "SELECT status, count(*) FROM mention_coverage GROUP BY 1"))
    ((linked, dismissed),) = _q(
        built,
        "SELECT (SELECT count(DISTINCT mention_id) FROM claim_mentions), "
        "(SELECT count(*) FROM dismissals)",
    )
    assert statuses == {"checked": linked, "dismissed": dismissed}
    (total,) = _q(built, "SELECT count(*) FROM mentions")[0]
    page = (built / "reports" / "articles" / f"{SEED.stem}.html").read_text("utf-8")
    article = page[page.index("<article") :]
    assert (
        len(re.findall(r'class="fig (?:checked|dismissed|unchecked)[^"]*" data-mention=', article))
        == total
    )
    assert f"{total} of {total} figures accounted for" in page
    assert 'class="para boilerplate"' in page and 'class="para reader_comment"' in page
    reasons = {r for (r,) in _q(built, "SELECT DISTINCT reason FROM dismissals")}
    assert "timestamp" in reasons


def test_machine_and_editor_verdicts_side_by_side(built: Path) -> None:
    rows = _q(
        built,
        "SELECT claim_id, machine_verdict, editor_verdict, final_verdict, "
        "override_reason FROM claim_verdicts WHERE editor_verdict IS NOT NULL",
    )
    assert rows
    for _, machine, editor, final, reason in rows:
        assert final == editor and reason
        assert machine in {
            "correct",
            "approximately_correct",
            "incorrect",
            "inconsistent",
            "unverifiable",
        }
    html = (built / "reports" / "index.html").read_text("utf-8")
    overrides = html[html.index('id="overrides"') : html.index('id="chart-')]
    for claim_id, *_ in rows:
        assert f'href="#claim-{claim_id}"' in overrides


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - claim: iom-total-funding-2021\n", "  - claim: no-such-claim\n", "no-such-claim"),
        (
            "    editor_verdict: not_checkable\n    reason: The vote is a secret ballot;",
            "    editor_verdict: not_checkable\n    note2: The vote is a secret ballot;",
            "unknown field 'note2'",
        ),
        (
            "    editor_verdict: not_checkable\n    reason: The vote is a secret ballot; "
            "which bloc secured the election cannot be known, only its year.\n",
            "    editor_verdict: not_checkable\n",
            "needs a reason",
        ),
        ("    status: pending\n", "    status: maybe\n", "status 'maybe'"),
    ],
)
def test_bad_review_file(project: Path, old: str, new: str, message: str) -> None:
    path = project / REVIEWS
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    done = cli("build", root=project)
    assert done.returncode == 2
    line = error_line(done)
    assert message in line and path.name in line and re.search(r"\.yaml:\d+:", line)


def test_bad_dismissal(project: Path) -> None:
    path = project / DISMISSALS
    text = path.read_text("utf-8")
    path.write_text(text.replace("reason: timestamp", "reason: boring"), "utf-8")
    done = cli("build", "--validation", "sql", root=project)
    assert done.returncode == 2 and "reason 'boring'" in error_line(done)


def test_a_figure_dismissed_twice_is_refused(project: Path) -> None:
    """A second dismissal of the same figure replaced the first without a word (the helper's
    second probe): refused at the second, naming the first's line."""
    path = project / DISMISSALS
    text = path.read_text("utf-8")
    first = "  - text: two\n    context: the two IOM leaders\n    reason: not_a_claim\n"
    assert first in text
    again = first.replace("not_a_claim", "prediction")
    path.write_text(text.replace(first, first + again, 1), "utf-8")
    done = cli("build", "--validation", "sql", root=project)
    assert done.returncode == 2
    lines = path.read_text("utf-8").splitlines()
    at = [i for i, ln in enumerate(lines, 1) if ln == "  - text: two"]
    assert len(at) == 2
    assert (
        f"{path.name}:{at[1]}: dismissal of 'two': that figure is dismissed already "
        f"(line {at[0]})" in error_line(done)
    )


def test_corrections_memo(built: Path) -> None:
    memo = (built / "reports" / "corrections.md").read_text("utf-8")
    wrong = _q(
        built,
        "SELECT c.quote FROM claim_verdicts v JOIN claims c USING (claim_id) "
        "WHERE v.final_verdict IN ('incorrect', 'inconsistent')",
    )
    assert wrong
    page = (built / "reports" / "corrections.html").read_text("utf-8")
    for (claim_id,) in _q(
        built,
        "SELECT claim_id FROM claim_verdicts WHERE final_verdict IN ('incorrect', 'inconsistent')",
    ):
        assert f'href="index.html#claim-{claim_id}"' in page
    (contradiction,) = _q(
        built, "SELECT explanation FROM claim_checks WHERE verdict = 'inconsistent' LIMIT 1"
    )[0]
    assert contradiction in memo  # the article's own contradiction, with its evidence
    assert re.search(r"- Source: .+, \*.+\*, https?://", memo)
    for variant in ("Vittorino", "Thomson", "International Telecommunications Union"):
        assert variant in memo


def test_exports_open_in_their_consumers(built: Path) -> None:
    from openpyxl import load_workbook

    exports = built / "reports" / "exports"
    (n_claims,) = _q(built, "SELECT count(*) FROM claims")[0]
    with (exports / "claims.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n_claims and {"claim_id", "final_verdict", "machine_verdict"} <= set(
        rows[0]
    )
    book = load_workbook(exports / "claims.xlsx", read_only=True)
    assert {"claims", "checks", "figures", "reviews", "sources"} <= set(book.sheetnames)
    assert book["claims"].max_row == n_claims + 1
    (n_checks,) = _q(built, "SELECT count(*) FROM claim_checks")[0]
    assert book["checks"].max_row == n_checks + 1


def test_methodology_page(built: Path) -> None:
    page = (built / "reports" / "methodology.html").read_text("utf-8")
    for (rule,) in _q(built, "SELECT rule FROM tolerance_rules"):
        assert f"<td>{rule}</td>" in page
    for (url,) in _q(built, "SELECT DISTINCT url FROM reference_sources"):
        assert str(escape(url)) in page
    assert "needs context" in page and "version_duckdb" in page


def test_name_variants_resolve_and_are_listed(built: Path) -> None:
    variants = {(s, c) for s, c in _q(built, "SELECT surface, canonical FROM name_variants")}
    assert ("Thomson", "Laura Thompson") in variants
    assert ("Antonio Vittorino", "António Vitorino") in variants
    (verdict,) = _q(
        built, "SELECT verdict FROM claim_checks WHERE check_id = 'comment2-thompson-first-ddg/2'"
    )[0]
    assert verdict == "correct"  # "Thomson" resolved to Laura Thompson for the check


def test_diff_lists_verdict_flips(project: Path) -> None:
    ref = project / "data" / "reference" / "gcm_vote.csv"
    text = ref.read_text("utf-8")
    assert ",in_favour,,,152," in text
    ref.write_text(text.replace(",in_favour,,,152,", ",in_favour,,,150,"), "utf-8")
    done = build(project)
    assert "changes       1 verdict flip(s)" in done.stdout
    diff = cli("diff", root=project)
    assert diff.returncode == 0
    assert "verdict  gcm-vote: correct -> incorrect" in diff.stdout
    assert "reference gcm_vote: +1 -1" in diff.stdout
    as_json = json.loads(cli("diff", "--format", "json", root=project).stdout)
    assert as_json["verdict_flips"]
