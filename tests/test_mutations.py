"""Proof that the checks bite: deliberate changes to copies of the real inputs, and what must
change in response. Every mutation runs in its own temporary project; the real seeds/ and
data/ are never touched."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.browser import requires_chromium, visit
from tests.conftest import SEED, build, cli, error_line

CLAIMS = Path("data") / "claims" / f"{SEED.stem}.yaml"


def _seed(root: Path) -> Path:
    return root / "seeds" / SEED.name


def _edit_text(root: Path, old: str, new: str, *, claims: list[tuple[str, str]] = ()) -> None:
    """Change the article (and its checksum), and the claims file the same way, as a reporter
    correcting both would."""
    seed = _seed(root)
    text = seed.read_text("utf-8")
    assert old in text, old
    seed.write_text(text.replace(old, new), "utf-8")
    meta = seed.with_name(seed.stem + ".meta.yaml")
    meta_text = meta.read_text("utf-8")
    meta.write_text(
        meta_text.replace(
            yaml.safe_load(meta_text)["sha256"], hashlib.sha256(seed.read_bytes()).hexdigest()
        ),
        "utf-8",
    )
    claims_path = root / CLAIMS
    claims_text = claims_path.read_text("utf-8")
    for a, b in [(old, new), *claims]:
        claims_text = claims_text.replace(a, b)
    claims_path.write_text(claims_text, "utf-8")


def _build(root: Path) -> None:
    build(root)


def _q(root: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _check(root: Path, check_id: str) -> tuple:
    (row,) = _q(
        root,
        "SELECT verdict, stated_value, computed_value FROM claim_checks WHERE check_id = ?",
        check_id,
    )
    return row


# ---------------------------------------------------------------- text


def test_67_becomes_76(project: Path) -> None:
    _edit_text(
        project,
        "approximately 67 percent",
        "approximately 76 percent",
        claims=[("share: 67 percent", "share: 76 percent")],
    )
    _build(project)
    verdict, stated, computed = _check(project, "us-funding-share-arithmetic/1")
    assert stated == 76 and verdict == "incorrect"
    assert computed == pytest.approx(668 / 998 * 100)  # the arithmetic itself is unchanged


def test_total_becomes_the_part(project: Path) -> None:
    _edit_text(
        project,
        "for the year, or $998 million",
        "for the year, or $668 million",
        claims=[
            (
                "share: 67 percent, total: $998 million}",
                "share: 67 percent, total: {text: $668 million, occurrence: 2}}",
            ),
            ("total: $998 million", "total: $668 million"),
        ],
    )
    _build(project)
    verdict, _, computed = _check(project, "us-funding-share-arithmetic/1")
    assert computed == pytest.approx(100.0) and verdict == "incorrect"


def test_removing_the_second_comment(built: Path, project: Path) -> None:
    before, after = built, project
    text = _seed(after).read_text("utf-8")
    start = text.index("1 month ago\n\nThe article has many inaccuracies")
    end = text.index("Related Posts")
    comment = text[start:end]
    # drop the comment's claims from the claims file too (their quotes would no longer exist)
    claims_path = after / CLAIMS
    data = yaml.safe_load(claims_path.read_text("utf-8"))
    kept = [c for c in data["claims"] if c["quote"] not in comment]
    assert len(kept) < len(data["claims"])
    data["claims"] = kept
    claims_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    kept_ids = {c["id"] for c in kept}
    reviews_path = after / "data" / "reviews" / CLAIMS.name
    reviews = yaml.safe_load(reviews_path.read_text("utf-8"))
    reviews["reviews"] = [r for r in reviews["reviews"] if r["claim"] in kept_ids]
    reviews_path.write_text(yaml.safe_dump(reviews, allow_unicode=True, sort_keys=False), "utf-8")
    _edit_text(after, comment, "")
    _build(after)
    assert _q(after, "SELECT count(*) FROM mentions WHERE speaker = 'reader comment 2'") == [(0,)]
    assert _q(after, "SELECT count(*) FROM claims WHERE speaker = 'reader comment 2'") == [(0,)]
    cut = text.index(comment)
    for table, key in (
        ("mentions", "mention_id"),
        ("claims", "claim_id"),
        ("claim_checks", "check_id"),
    ):
        where = (
            "WHERE speaker <> 'reader comment 2'"
            if table != "mentions"
            else f"WHERE end_offset <= {cut}"
        )
        # the rewritten claims file numbers its lines differently: compare everything else
        drop = "EXCLUDE (claims_line)" if table == "claims" else ""
        old = _q(before, f"SELECT * {drop} FROM {table} {where} ORDER BY {key}")
        new = _q(after, f"SELECT * {drop} FROM {table} ORDER BY {key}")
        assert old == new, table
    html = (after / "reports" / "index.html").read_text("utf-8")
    assert "The article has many inaccuracies" not in html
    assert "reader comment 2" not in html


# ---------------------------------------------------------------- reference data


def _edit_csv(path: Path, match: dict[str, str], change: dict[str, str] | None) -> None:
    """Change (or, with None, delete) the rows of a reference CSV matching ``match``."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    out, hit = [], 0
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            hit += 1
            if change is None:
                continue
            row = {**row, **change}
        out.append(row)
    assert hit, match
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)


def test_reference_value_drives_the_computed_value(project: Path) -> None:
    ref = project / "data" / "reference" / "iom_finance.csv"
    _edit_csv(
        ref,
        {"measure": "total_revenue", "year": "2021", "source_id": "ceb_revenue_by_entity"},
        {"value": "1000000000"},
    )
    _build(project)
    verdict, _, computed = _check(project, "iom-total-funding-2021/1")
    assert computed == 1_000_000_000
    assert verdict == "approximately_correct"  # $998 million is now within 5 %
    ref = project / "data" / "reference" / "population.csv"
    _edit_csv(ref, {"country_iso3": "WLD"}, {"population": "4000000000"})
    _build(project)
    _, _, share = _check(project, "comment1-portugal-population-share/1")
    (part,) = _q(
        project,
        "SELECT m.value FROM claim_mentions cm JOIN mentions m "
        "USING (mention_id) WHERE cm.claim_id = "
        "'comment1-portugal-population-share' AND figure_name = 'population'",
    )[0]
    assert share == pytest.approx(part / 4_000_000_000 * 100)


def test_missing_reference_row_makes_the_check_unverifiable(project: Path) -> None:
    ref = project / "data" / "reference" / "itu_election_2022.csv"
    _edit_csv(ref, {"result": "elected"}, None)
    _build(project)
    verdict, _, computed = _check(project, "itu-election-month/1")
    assert verdict == "unverifiable" and computed is None


def test_a_second_non_american_head_before_2018(project: Path) -> None:
    ref = project / "data" / "reference" / "iom_heads.csv"
    _edit_csv(ref, {"name": "Marcus Daly"}, {"nationality_iso3": "CAN", "nationality": "Canada"})
    _build(project)
    verdict, stated, computed = _check(project, "only-one-non-american/1")
    assert (verdict, stated, computed) == ("incorrect", 1, 2)


# ---------------------------------------------------------------- claims files


def test_claims_that_disagree_with_the_text_stop_the_build(project: Path) -> None:
    claims_path = project / CLAIMS
    text = claims_path.read_text("utf-8")
    claims_path.write_text(
        text.replace("figures: {members: 27-member}", "figures: {members: 28-member}"), "utf-8"
    )
    done = cli("build", root=project)
    assert done.returncode == 2
    line = error_line(done)
    entry = text[: text.rindex("  - id: eu-bloc-size", 0, text.index("27-member}"))].count("\n")
    assert claims_path.name in line and "28-member" in line
    assert f"{claims_path.name}:{entry + 1}:" in line  # the claim's own line


# ---------------------------------------------------------------- warehouse


@pytest.mark.parametrize(
    ("mutation", "table", "column", "expectation"),
    [
        (
            "UPDATE mentions SET end_offset = end_offset + 1 WHERE mention_id = "
            "(SELECT max(mention_id) FROM mentions)",
            "mentions",
            "surface, body_at_offsets",
            "expect_column_pair_values_to_be_equal",
        ),
        (
            "UPDATE claims SET verdict = 'half_true' WHERE claim_id = (SELECT min(claim_id) "
            "FROM claims)",
            "claims",
            "verdict",
            "expect_column_values_to_be_in_set",
        ),
        (
            "INSERT INTO reference_tables SELECT * FROM reference_tables LIMIT 1",
            "reference_tables",
            "table_name",
            "expect_column_values_to_be_unique",
        ),
        (
            "DELETE FROM reference_sources WHERE table_name = 'gcm_vote'",
            "ref_gcm_vote",
            "source_found",
            "expect_column_values_to_not_be_null",
        ),
    ],
)
def test_corrupted_warehouse_fails_validation(
    built: Path, tmp_path: Path, mutation: str, table: str, column: str, expectation: str
) -> None:
    copy = tmp_path / "copy.duckdb"
    with duckdb.connect(str(copy)) as con:
        con.execute(f"ATTACH '{built / 'data' / 'warehouse.duckdb'}' AS src (READ_ONLY)")
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'"
        ).fetchall():
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src."{name}"')
        con.execute("DETACH src")
        con.execute(mutation)
    done = cli("validate", "--validation", "sql", "--warehouse", str(copy), root=built)
    assert done.returncode == 1, done.stdout
    assert f"FAILED {table}.{column}: {expectation}" in done.stdout
    assert "raised:" not in done.stdout


# ---------------------------------------------------------------- charts


def _spec(root: Path, name: str) -> dict:
    html = (root / "reports" / "index.html").read_text("utf-8")
    match = re.search(
        rf'<script type="application/json" id="spec-{name}">(.*?)</script>', html, re.S
    )
    assert match
    return json.loads(match.group(1))


def test_charts_follow_the_reference_data(built: Path, project: Path) -> None:
    root = project
    leadership = _spec(built, "leadership")
    representation = _spec(built, "representation")
    _edit_csv(
        root / "data" / "reference" / "iom_heads.csv",
        {"name": "Marcus Daly"},
        {"nationality_iso3": "CAN", "nationality": "Canada"},
    )
    _edit_csv(
        root / "data" / "reference" / "population.csv",
        {"country_iso3": "WLD"},
        {"population": "4000000000"},
    )
    _build(root)
    new_leadership = _spec(root, "leadership")
    new_representation = _spec(root, "representation")
    assert "Canada" not in json.dumps(leadership) and "Canada" in json.dumps(new_leadership)
    old_values = {v["value"] for v in representation["data"]["values"]}
    new_values = {v["value"] for v in new_representation["data"]["values"]}
    assert old_values != new_values


# ---------------------------------------------------------------- injection


@requires_chromium
def test_injected_comment_reaches_every_surface_and_runs_nowhere(project: Path) -> None:
    payload = '</script><img src=x onerror="window.p=1"> 42%'
    sentence = f"Sadly {payload} of them agreed."
    _edit_text(
        project,
        "Many thanks for the points raised in your post.",
        f"Many thanks for the points raised in your post. {sentence}",
    )
    claims_path = project / CLAIMS
    claims_path.write_text(
        claims_path.read_text("utf-8")
        + "\n  - id: injected\n    chart: women\n"
        + f"    quote: {json.dumps(sentence)}\n"
        + "    subject: injection test\n    measure: share\n    figures: {share: 42%}\n"
        + "    checks:\n      - recipe: same_as\n        stated: share\n"
        + "        other: gwl-women-twelve-percent.share\n",
        "utf-8",
    )
    _build(project)
    html = (project / "reports" / "index.html").read_text("utf-8")
    assert '<img src=x onerror="window.p=1">' not in html
    assert html.count("&lt;img src=x onerror=") >= 2  # the ledger and the figures table
    women = json.dumps(_spec(project, "women"))
    assert json.dumps(payload)[1:-1] in women  # in the chart's data, for its tooltip
    assert '"field": "quote"' in women
    page = visit(
        project / "reports" / "index.html",
        "() => ({p: typeof window.p, imgs: document.querySelectorAll('img').length})",
        wait_for="() => Array.from(document.querySelectorAll('.chart')).every("
        "c => c.dataset.rendered === 'true')",
    )
    assert page.results == {"p": "undefined", "imgs": 0}
    assert page.blocked == [] and page.page_errors == []
