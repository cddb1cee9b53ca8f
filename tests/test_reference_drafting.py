"""Lookup checks drafted from the reference tables' `describes:` declarations
(docs/relations.md, "Checks drafted from the reference data"). The sentences are test
fixtures; the expected values come from the real reference rows in data/reference/."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from analysis.checks.model import Context
from analysis.checks.run import claim_verdict, run_checks
from analysis.checks.tolerance import load_tolerance
from analysis.documents.sections import Section
from analysis.errors import BadInput
from analysis.figures.extract import extract_mentions
from analysis.reference.tables import load_reference, load_table
from analysis.relations.reference import draft_reference
from tests.conftest import REPO

REFERENCE = REPO / "data" / "reference"


@pytest.fixture(scope="module")
def references():
    return load_reference(REFERENCE)


def checked(text: str, references, as_of: dt.date | None) -> list[tuple[str, str, str]]:
    """(figure, verdict, explanation) of each drafted reference check."""
    sections = [Section(1, "body", None, 0, len(text), text)]
    mentions = extract_mentions(text, sections)
    claims = draft_reference("doc", Path("doc.txt"), text, sections, mentions, as_of, references)
    tolerance = load_tolerance(REPO / "data" / "methodology" / "tolerance.yaml")
    results = run_checks(claims, Context({c.claim_id: c for c in claims}, references, tolerance))
    out = []
    for c in claims:
        verdict, why = claim_verdict([r for r in results if r.claim_id == c.claim_id])
        out.append((c.figures["stated"].text, verdict, why))
    return out


def test_votes_of_a_named_candidate(references) -> None:
    right = "At the ITU election, Doreen Bogdan-Martin won 139 votes."
    wrong = "At the ITU election, Doreen Bogdan-Martin won 150 votes."
    assert [v for _, v, _ in checked(right, references, dt.date(2022, 10, 1))] == ["correct"]
    assert [v for _, v, _ in checked(wrong, references, dt.date(2022, 10, 1))] == ["incorrect"]


def test_two_entities_of_one_table_are_ambiguous(references) -> None:
    text = "At the ITU election, Doreen Bogdan-Martin and Rashid Ismailov shared 164 votes."
    assert checked(text, references, dt.date(2022, 10, 1)) == []


def test_a_denied_figure_is_not_checked(references) -> None:
    found = checked("IOM has 175 Member States, not 165.", references, dt.date(2023, 6, 1))
    assert [f for f, _, _ in found] == ["175"]


def test_latest_count_at_the_documents_date(references) -> None:
    # on 1 June 2023 the latest counts (15 May 2023, two sources) both say 175
    found = checked("IOM has 175 member states.", references, dt.date(2023, 6, 1))
    assert [v for _, v, _ in found] == ["correct"]


def test_sources_that_disagree_are_named_not_picked(tmp_path: Path) -> None:
    # two sources of the same tier give two counts for the same date
    for name in ("iom_membership_counts.csv", "iom_membership_counts.source.yaml"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    counts = tmp_path / "iom_membership_counts.csv"
    counts.write_text(
        counts.read_text("utf-8") + "2023-02-01,174,,devex_2023,2023-02-01,,\n"
        "2023-02-01,175,,dw_de_2023,2023-02-01,,\n",
        "utf-8",
    )
    references = load_reference(tmp_path)
    ((_, verdict, why),) = checked("IOM has 175 member states.", references, dt.date(2023, 3, 1))
    assert verdict == "unverifiable"
    assert "174" in why and "175" in why and "devex_2023" in why and "dw_de_2023" in why


def test_sources_that_differ_but_agree_on_the_verdict(references) -> None:
    text = "In 2021, IOM's total funding was $998 million."
    ((_, verdict, why),) = checked(text, references, dt.date(2023, 5, 14))
    assert verdict == "incorrect" and "the sources differ" in why


def test_a_year_elsewhere_in_the_sentence_does_not_date_the_figure(references) -> None:
    text = "IOM, which joined the UN system in 2016 and is a body of 175 member states, met."
    ((_, verdict, why),) = checked(text, references, dt.date(2023, 6, 1))
    assert verdict == "correct" and "165" not in why  # 165 was the 2016 count


def test_describes_is_strict(tmp_path: Path) -> None:
    for name in ("itu_election_2022.csv", "itu_election_2022.source.yaml"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    meta = tmp_path / "itu_election_2022.source.yaml"
    text = meta.read_text("utf-8")
    meta.write_text(text.replace("  - column: votes", "  - column: ballots"), "utf-8")
    with pytest.raises(BadInput, match=r"describes.measures\[1\].column: no column 'ballots'"):
        load_table(tmp_path / "itu_election_2022.csv")
    meta.write_text(text.replace("    when: any", "    when: sometimes", 1), "utf-8")
    with pytest.raises(BadInput, match="when: expected one of"):
        load_table(tmp_path / "itu_election_2022.csv")
