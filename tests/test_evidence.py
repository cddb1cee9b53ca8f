"""Evidence standards (docs/reference-format.md): source tiers, the highest tier preferred and
named, no document as evidence for itself, the article's own date, office-holders in order."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from analysis.errors import BadInput
from analysis.reference.tables import load_reference, load_table
from analysis.vocab import SOURCE_TIERS
from tests.conftest import REPO, cli, error_line

REFERENCE = REPO / "data" / "reference"
CLAIMS = Path("data") / "claims" / "passblue-2023-iom-director-general-race.yaml"


def _query(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_source_has_a_tier() -> None:
    tables = load_reference(REFERENCE)
    tiers = [s.tier for t in tables.values() for s in t.sources.values()]
    assert tiers and set(tiers) <= set(SOURCE_TIERS)
    assert {"primary", "secondary", "tertiary"} <= set(tiers)


def test_a_source_without_a_known_tier_is_refused(tmp_path: Path) -> None:
    for name in ("itu_election_2022.csv", "itu_election_2022.source.yaml"):
        (tmp_path / name).write_bytes((REFERENCE / name).read_bytes())
    meta = tmp_path / "itu_election_2022.source.yaml"
    meta.write_text(meta.read_text("utf-8").replace("tier: primary", "tier: gospel", 1), "utf-8")
    with pytest.raises(BadInput, match="tier 'gospel' is not one of primary, secondary, tertiary"):
        load_table(tmp_path / "itu_election_2022.csv")


def test_explanations_name_the_tier(built: Path) -> None:
    rows = _query(
        built,
        "SELECT explanation, source_tier FROM claim_checks WHERE source_ids <> ''",
    )
    assert rows
    for explanation, tier in rows:
        assert tier in SOURCE_TIERS
        assert re.search(r"\b(primary|secondary|tertiary)\b", explanation), explanation


def test_the_us_contribution_is_checked_against_the_ceb_donor_data(built: Path) -> None:
    ((verdict, rows),) = _query(
        built,
        "SELECT verdict, reference_rows FROM claim_checks WHERE check_id = "
        "'us-share-of-iom-revenue/1'",
    )
    assert verdict == "correct"  # $668 million against 667.7 million of voluntary contributions
    (line,) = [int(r.split(":")[1]) for r in rows.split(",") if r.startswith("iom_finance:")]
    csv_line = (REFERENCE / "iom_finance.csv").read_text("utf-8").splitlines()[line - 1]
    assert csv_line.startswith("contribution_voluntary,2021,") and "ceb_gov_donor" in csv_line


def test_checks_are_judged_as_of_the_article_date(built: Path) -> None:
    (as_of,) = _query(built, "SELECT as_of FROM claims WHERE claim_id = 'iom-member-states'")[0]
    assert str(as_of) == "2023-03-29"  # the date in the article's own address
    url = _query(built, "SELECT url FROM documents")[0][0]
    assert "/2023/03/29/" in url


def test_a_conversion_uses_the_rate_at_the_statements_date(built: Path) -> None:
    ((verdict, computed),) = _query(
        built,
        "SELECT verdict, computed_value FROM claim_checks WHERE check_id = 'rwanda-payment/1'",
    )
    # £120m at the 29 March 2023 rate (1.2313, Fed series): $147.8m against the stated $145m
    assert verdict == "approximately_correct" and computed == pytest.approx(120e6 * 1.2313)


def test_a_document_is_never_evidence_for_itself(project: Path) -> None:
    meta = project / "data" / "reference" / "itu_election_2022.source.yaml"
    seed_url = _query(project, "SELECT url FROM documents")[0][0]
    text = meta.read_text("utf-8")
    meta.write_text(
        text.replace("url: https://pp22.itu.int/en/election-results-sg/", f"url: {seed_url}"),
        "utf-8",
    )
    done = cli("build", "--validation", "sql", "--jobs", "1", root=project)
    assert done.returncode == 1
    assert "cites_its_own_document" in done.stderr + done.stdout


def test_a_check_pinned_to_a_lower_tier_fails_the_build(project: Path) -> None:
    claims = project / CLAIMS
    text = claims.read_text("utf-8")
    old = "where: {country_iso3: WLD, year: 2023}"
    assert old in text
    claims.write_text(
        text.replace(old, "where: {country_iso3: WLD, year: 2023, source_id: iasbook_swop_2023}"),
        "utf-8",
    )
    done = cli("build", "--validation", "sql", "--jobs", "1", root=project)
    assert done.returncode == 1
    assert "better_source_unused" in done.stderr + done.stdout


def test_office_holders_may_not_overlap(project: Path) -> None:
    heads = project / "data" / "reference" / "iom_heads.csv"
    lines = heads.read_text("utf-8").splitlines()
    # Vitorino (10th) starting in 2017, before Swing (9th) ended in 2018
    lines = [ln.replace(",2018-10-01,", ",2017-01-01,") if "Vitorino" in ln else ln for ln in lines]
    heads.write_text("\n".join(lines) + "\n", "utf-8")
    done = cli("build", "--validation", "sql", "--jobs", "1", root=project)
    assert done.returncode == 1
    assert "overlaps_next" in done.stderr + done.stdout


def test_methodology_lists_sources_by_tier(built: Path) -> None:
    page = (built / "reports" / "methodology.html").read_text("utf-8")
    for tier in SOURCE_TIERS:
        (n,) = _query(built, "SELECT count(*) FROM reference_sources WHERE tier = ?", [tier])[0]
        assert f"{tier.capitalize()} sources ({n})" in page


def test_bad_tier_in_the_project_fails_with_one_line(project: Path) -> None:
    meta = project / "data" / "reference" / "population.source.yaml"
    meta.write_text(meta.read_text("utf-8").replace("tier: primary", "tier: ", 1), "utf-8")
    done = cli("build", root=project)
    assert done.returncode == 2
    assert "population.source.yaml" in error_line(done) and "tier" in error_line(done)
