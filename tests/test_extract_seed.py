"""Extraction of the real seed against the hand-annotated list in tests/data/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEED, run_cli

GOLD = Path(__file__).resolve().parent / "data" / "seed_figures_gold.yaml"


@pytest.fixture(scope="module")
def extracted() -> list[dict]:
    done = run_cli("extract", str(SEED), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return yaml.safe_load(GOLD.read_text("utf-8"))


def test_gold_list_is_consistent_with_the_text(gold: list[dict]) -> None:
    text = SEED.read_text("utf-8")
    for g in gold:
        assert text[g["start"] : g["end"]] == g["text"], g


def test_recall_and_precision(extracted: list[dict], gold: list[dict]) -> None:
    found = {(m["start"], m["end"]) for m in extracted}
    wanted = {(g["start"], g["end"]) for g in gold}
    hits = found & wanted
    recall = len(hits) / len(wanted)
    precision = len(hits) / len(found)
    missed = sorted(wanted - found)
    extra = sorted(found - wanted)
    assert recall >= 0.98, f"recall {recall:.3f}; missed {missed}"
    assert precision >= 0.97, f"precision {precision:.3f}; extra {extra}"


@pytest.mark.parametrize("field", ["kind", "value", "section", "speaker", "iso"])
def test_fields_agree_with_gold(extracted: list[dict], gold: list[dict], field: str) -> None:
    by_span = {(m["start"], m["end"]): m for m in extracted}
    wrong = []
    for g in gold:
        m = by_span.get((g["start"], g["end"]))
        if m is None:
            continue
        got, want = m[field], g.get(field)
        if field == "value" and got is not None and want is not None:
            if got != pytest.approx(want, rel=1e-9):
                wrong.append((g["text"], got, want))
        elif got != want:
            wrong.append((g["text"], got, want))
    assert not wrong, wrong


@pytest.mark.parametrize("field", ["unit", "approx"])
def test_soft_fields_mostly_agree(extracted: list[dict], gold: list[dict], field: str) -> None:
    by_span = {(m["start"], m["end"]): m for m in extracted}
    pairs = [
        (by_span[(g["start"], g["end"])][field], g.get(field))
        for g in gold
        if (g["start"], g["end"]) in by_span
    ]
    agree = sum(got == want for got, want in pairs) / len(pairs)
    assert agree >= 0.95


def test_the_design_card_figures_are_found(extracted: list[dict]) -> None:
    """The three claims the package exists for, located by their surface text."""
    text = SEED.read_text("utf-8")
    by_text = {}
    for m in extracted:
        by_text.setdefault(m["text"], []).append(m)
    (us,) = by_text["$668 million"]
    (total,) = by_text["$998 million"]
    (share,) = by_text["67 percent"]
    assert (us["kind"], us["unit"], us["value"]) == ("money", "USD", 668_000_000)
    assert total["value"] == 998_000_000
    assert (share["kind"], share["value"], share["approx"]) == ("percent", 67, "approximately")
    (women,) = by_text["12 percent"]
    assert women["section"] == "body" and "since 1945" in women["sentence"]
    (portugal,) = by_text["0.00000125%"]
    assert portugal["value"] == pytest.approx(1.25e-6)
    assert portugal["speaker"] == "reader comment 1"
    assert text[portugal["start"] : portugal["end"]] == "0.00000125%"


def test_boilerplate_yields_no_figures(extracted: list[dict]) -> None:
    assert all(m["section"] != "boilerplate" for m in extracted)


def test_record_fields_follow_the_contract(extracted: list[dict]) -> None:
    required = {
        "start",
        "end",
        "text",
        "value",
        "kind",
        "unit",
        "approx",
        "sentence",
        "section",
        "speaker",
    }
    kinds = {"money", "percent", "count", "year", "date", "duration", "ordinal", "fraction"}
    for m in extracted:
        assert required <= m.keys()
        assert m["kind"] in kinds
        assert m["sentence"] and m["text"] in m["sentence"]
