"""Configuration read strictly: tolerance, lexicon, layouts and YAML itself fail with the file and
line to fix, never a traceback; every path follows the project root."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis.checks.tolerance import load_tolerance
from analysis.documents.layout import load_layout
from analysis.errors import BadInput
from analysis.figures.extract import find_figures
from analysis.figures.lexicon import load_lexicon
from analysis.yamlfile import load_with_lines
from tests.conftest import REPO

TOLERANCE = REPO / "data" / "methodology" / "tolerance.yaml"


def _tolerance(tmp_path: Path, old: str, new: str) -> Path:
    text = TOLERANCE.read_text("utf-8")
    assert old in text
    path = tmp_path / "tolerance.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  exact: 0.0\n", "", "missing 'exact'"),
        ("  measured: 0.05\n", "  measured: .nan\n", "not a finite number"),
        ("  measured: 0.05\n", "  measured: 5\n", "above 1"),
        ("  measured: 0.05\n", "  measured: five\n", "expected a number"),
        (
            "about: {relative: 0.10, direction: either}",
            "about: {relative: 0.10, direction: up}",
            "direction 'up'",
        ),
        ("about: {relative: 0.10, direction: either}", "about: {relative: -1}", "below 0"),
        ("about: {relative: 0.10, direction: either}", "about: {rel: 0.1}", "unknown field 'rel'"),
        ("measured_kinds: [money,", "measured_kinds: [cash,", "measured_kinds"),
    ],
)
def test_bad_tolerance_names_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _tolerance(tmp_path, old, new)
    with pytest.raises(BadInput) as caught:
        load_tolerance(path)
    line = caught.value.one_line()
    assert message in line and str(path) in line


def test_tolerance_errors_carry_the_line(tmp_path: Path) -> None:
    path = _tolerance(
        tmp_path, "about: {relative: 0.10, direction: either}", "about: {relative: 2}"
    )
    with pytest.raises(BadInput) as caught:
        load_tolerance(path)
    wanted = next(
        i for i, ln in enumerate(path.read_text("utf-8").splitlines(), 1) if "about:" in ln
    )
    assert caught.value.place == str(wanted)


def test_unknown_layout_is_an_error_listing_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        load_layout(REPO / "data" / "layouts", "no_such_outlet")
    assert "no layout 'no_such_outlet'" in str(caught.value)
    assert "passblue" in str(caught.value) and "default" in str(caught.value)


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "", "UPPER", ".hidden"])
def test_layout_names_cannot_leave_the_layouts_folder(name: str) -> None:
    with pytest.raises(BadInput, match="not a plain name"):
        load_layout(REPO / "data" / "layouts", name)


def test_outlet_without_a_layout_falls_back_only_when_not_named(tmp_path: Path) -> None:
    assert load_layout(tmp_path, "example_wire", strict=False).name == "default"


def test_layouts_follow_the_project_root(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "layouts"
    folder.mkdir(parents=True)
    (folder / "mywire.yaml").write_text('boilerplate_lines: ["Read more"]\n', "utf-8")
    layout = load_layout(folder, "mywire")
    assert layout.is_boilerplate("Read more") and not layout.is_boilerplate("The news")


def test_bad_layout_field(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("boilerplate_lines: 3\n", "utf-8")
    with pytest.raises(BadInput, match="boilerplate_lines: expected a list"):
        load_layout(tmp_path, "x")
    (tmp_path / "y.yaml").write_text("boilerplate_lines: [x]\ncolour: blue\n", "utf-8")
    with pytest.raises(BadInput, match="unknown layout field 'colour'") as caught:
        load_layout(tmp_path, "y")
    assert caught.value.place == "2"  # the field's own line, not the file's first
    (tmp_path / "z.yaml").write_text("boilerplate_patterns: ['(unclosed']\n", "utf-8")
    with pytest.raises(BadInput, match="invalid regular expression"):
        load_layout(tmp_path, "z")
    # the author-bio template was compiled only when a document was segmented: a traceback
    (tmp_path / "b.yaml").write_text("author_bio_pattern: '({author}'\n", "utf-8")
    with pytest.raises(BadInput, match="author_bio_pattern: invalid regular expression"):
        load_layout(tmp_path, "b")
    # a pattern that matches nothing at all matches every line (every line a comment header)
    for pattern in ("''", "'x*'", "'Comments|'"):
        (tmp_path / "e.yaml").write_text(f"comment_header_pattern: {pattern}\n", "utf-8")
        with pytest.raises(BadInput, match="matches nothing at all, so every line"):
            load_layout(tmp_path, "e")


def test_project_lexicon_extends_the_package_one(tmp_path: Path) -> None:
    base = load_lexicon(None)
    (tmp_path / "extra.yaml").write_text("currency_nouns: {zorkmids: XZK}\n", "utf-8")
    extended = load_lexicon(tmp_path)
    assert set(base.currency_nouns) < set(extended.currency_nouns)
    text = "The guild paid 500 zorkmids for the map."
    before = find_figures(text, base).row(0, named=True)
    after = find_figures(text, extended).row(0, named=True)
    assert (before["kind"], before["unit"]) == ("count", "zorkmids")
    assert (after["kind"], after["value"], after["unit"]) == ("money", 500, "XZK")


def test_bad_lexicon_extension(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text("currencies: {a: b}\n", "utf-8")
    with pytest.raises(BadInput, match="unknown lexicon field 'currencies'"):
        load_lexicon(tmp_path)
    (tmp_path / "extra.yaml").write_text("hedges_before: about\n", "utf-8")
    with pytest.raises(BadInput, match="hedges_before: expected a list"):
        load_lexicon(tmp_path)


@pytest.mark.parametrize(
    ("field", "entry", "message"),
    [
        ("months", "brumaire: 13", "months: 'brumaire': 13 is not a month (1 to 12)"),
        ("months", "brumaire: thirteen", "'thirteen' is not a month"),
        ("scales", "bajillion: lots", "scales: 'bajillion': 'lots' is not a positive number"),
        ("multipliers", "quintupled: five", "'five' is not a positive number"),
        ("multipliers", "nulled: 0", "0 is not a positive number"),
        ("time_units", "fortnights: wek", "time_units: 'fortnights': 'wek' is not one of"),
        ("unit_spellings", "barrel: bbl", "unit_spellings: 'barrel': expected a list of"),
        ("unit_spellings", "barrel: [bbl, 7]", "unit_spellings: 'barrel': expected a list of"),
        ("shared_currencies", "rupee: {INR: [India]}", "shared_currencies: 'rupee' is not an ISO"),
        ("shared_currencies", "INR: {PKR: [Pakistan]}", "'INR': expected a mapping of codes, INR"),
        ("shared_currencies", "INR: {INR: India}", "'INR': INR: expected a list of place names"),
    ],
)
def test_a_lexicon_extension_s_values_are_checked(
    tmp_path: Path, field: str, entry: str, message: str
) -> None:
    """A value of a mapping field used to be taken as written: "brumaire: 13" gave the date
    2021-13-03, "fortnights: wek" a unit nothing knows, "bajillion: lots" a traceback (the
    helper's probe). Each is refused at its line."""
    (tmp_path / "extra.yaml").write_text(f"# a desk's words\n{field}:\n  {entry}\n", "utf-8")
    with pytest.raises(BadInput) as caught:
        load_lexicon(tmp_path)
    assert caught.value.place == "3" and message in caught.value.one_line()


def test_a_lexicon_extension_with_good_values_loads(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text(
        "months: {brumaire: 10}\nscales: {lakh: '1e5'}\ntime_units: {fortnights: week}\n",
        "utf-8",
    )
    lex = load_lexicon(tmp_path)
    assert lex.months["brumaire"] == 10 and lex.time_units["fortnights"] == "week"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors", "1"),
        ("a: 1\nb: *x\n", "aliases", "2"),
        ("date: 2023-02-30\n", "not a real date", "1"),
        ("a: 1\na: 2\n", "duplicate key 'a'", "2"),
        ("? [1, 2]\n: x\n", "a key must be a plain value", "1"),
        ("a: [" * 60 + "]" * 60 + "\n", "nested more than", None),
    ],
)
def test_yaml_is_loaded_safely(tmp_path: Path, text: str, message: str, line: str | None) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(BadInput) as caught:
        load_with_lines(path)
    assert message in caught.value.message
    if line:
        assert caught.value.place == line


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert path.stat().st_size < 2000
    with pytest.raises(BadInput, match="not allowed"):
        load_with_lines(path)


def test_every_path_follows_the_root(tmp_path: Path) -> None:
    """A project elsewhere builds with its own data, not this repository's."""
    from analysis.project import Project

    project = Project.locate(tmp_path)
    for name in dir(project):
        value = getattr(project, name)
        if isinstance(value, Path):
            assert value.is_relative_to(tmp_path), name
    shutil.rmtree(tmp_path, ignore_errors=True)
    assert not re.search(r"parent\.parent", (REPO / "analysis" / "cli.py").read_text("utf-8"))


def test_the_tolerance_rules_name_exactly_the_hedges_the_extractor_reads(tmp_path: Path) -> None:
    """A rule for a word the extractor never reads is a misspelling, refused at its line; a
    hedge it reads with no rule is refused too (its figures would be judged as unhedged)."""
    words = load_lexicon().hedge_words
    shipped = load_tolerance(TOLERANCE, words)
    assert set(shipped.hedges) == words
    misspelled = _tolerance(tmp_path, "  approximately: {relative:", "  aproximately: {relative:")
    with pytest.raises(BadInput) as caught:
        load_tolerance(misspelled, words)
    line = next(
        i for i, ln in enumerate(misspelled.read_text("utf-8").splitlines(), 1) if "aprox" in ln
    )
    assert caught.value.place == str(line)
    assert "'aproximately' is not a hedge the extractor reads" in caught.value.one_line()
    (tmp_path / "two").mkdir()
    lacking = _tolerance(
        tmp_path / "two", '  "as many as": {relative: 0.25, direction: below}\n', ""
    )
    with pytest.raises(BadInput) as caught:
        load_tolerance(lacking, words)
    assert "no rule for 'as many as'" in caught.value.one_line()


def test_a_bound_hedge_read_by_the_extractor_is_judged_by_its_rule() -> None:
    """ "As many as 300" against 280: within what the hedge allows, not a miss of an exact
    count (the verdict it had when the hedge had no rule)."""
    from analysis.checks.model import Context
    from analysis.checks.tolerance import compare
    from analysis.claims.register import Figure

    (found,) = find_figures("They moved as many as 300 people.\n").to_dicts()
    assert found["approx"] == "as many as"
    fig = Figure(
        "n",
        "m",
        "300",
        found["value"],
        found["kind"],
        found["unit"],
        found["approx"],
        None,
        found["start"],
        found["end"],
    )
    ctx = Context({}, {}, load_tolerance(TOLERANCE, load_lexicon().hedge_words))
    assert compare(fig, 280.0, ctx)[0] == "approximately_correct"
    assert compare(fig, 320.0, ctx)[0] == "incorrect"  # "as many as" is a ceiling
