"""Hostile configuration, seeds and claims files (docs/hostile-input.md, section 5): every
refusal is one line naming the file and the place, exit code 2, nothing published is lost;
no YAML bomb, impossible value, unreadable file, closed pipe or full disk gives a traceback."""

from __future__ import annotations

import ast
import errno
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.checks.tolerance import load_tolerance
from analysis.claims.dismissals import load_dismissals
from analysis.claims.register import load_claims
from analysis.claims.reviews import load_reviews
from analysis.documents.seeds import read_document
from analysis.errors import BadInput, os_error_line
from analysis.figures.extract import extract_document
from analysis.figures.lexicon import load_lexicon
from analysis.report.publication import load_publication
from analysis.yamlfile import http_url, parse
from tests.conftest import REPO, SEED, cli, copy_project, error_line, run_cli

META = SEED.with_name(SEED.stem + ".meta.yaml")
BOMB = textwrap.dedent(
    """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """
)


def _line(path: Path, needle: str) -> str:
    """The (1-based) line of ``path`` holding ``needle``."""
    lines = path.read_text("utf-8").splitlines()
    return str(next(i for i, ln in enumerate(lines, 1) if needle in ln))


def _refused(call, *args) -> BadInput:
    with pytest.raises(BadInput) as caught:
        call(*args)
    return caught.value


# ---------------------------------------------------------------- seeds and their metadata


def _seed(tmp_path: Path, old: str | None, new: str) -> Path:
    """A copy of the real seed whose metadata has its line starting with ``old`` replaced by
    ``new`` (``new`` appended when ``old`` is None); returns the text's path."""
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)
    text = folder / SEED.name
    shutil.copy(SEED, text)
    meta = META.read_text("utf-8")
    if old is None:
        meta += new
    else:
        lines = meta.splitlines()
        at = next(i for i, ln in enumerate(lines) if ln.startswith(old))
        meta = "\n".join([*lines[:at], new, *lines[at + 1 :]]) + "\n"
    (folder / META.name).write_text(meta, "utf-8")
    return text


def test_alias_bomb_in_seed_metadata_is_refused_at_once(tmp_path: Path) -> None:
    """Finding 6: 1.5 KB of nested aliases once expanded for 400 s into 4.2 GB."""
    text = _seed(tmp_path, None, "notes:\n" + textwrap.indent(BOMB, "  "))
    assert len(BOMB) < 1500
    err = _refused(read_document, text)
    assert "anchors" in err.message and err.path == str(text.with_name(META.name))
    assert err.place == _line(text.with_name(META.name), "a: &a")
    done = run_cli("extract", str(text), "--format", "csv")  # the real command, its own process
    assert done.returncode == 2 and "anchors (&name) are not allowed" in error_line(done)


def test_alias_bomb_in_a_claims_file_is_refused(seed_figures, tmp_path: Path) -> None:
    path = tmp_path / f"{SEED.stem}.yaml"
    path.write_text(f"document: {SEED.stem}\nclaims: []\nx:\n" + textwrap.indent(BOMB, "  "))
    err = _refused(_load_claims, seed_figures, path)
    assert "anchors" in err.message and err.place == _line(path, "a: &a")


def test_no_yaml_is_read_around_the_strict_loader() -> None:
    """Every YAML file the package reads goes through analysis/yamlfile.py: no other module
    calls PyYAML's loaders (only the claims drafter writes YAML, with safe_dump)."""
    readers = {"load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all"}
    readers |= {"compose", "compose_all", "parse", "scan", "Loader", "SafeLoader", "FullLoader"}
    readers |= {"UnsafeLoader", "CLoader", "CSafeLoader", "BaseLoader"}
    found = []
    for path in sorted((REPO / "analysis").rglob("*.py")):
        if path.name == "yamlfile.py" and path.parent.name == "analysis":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "yaml"
                and node.attr in readers
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} yaml.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "yaml":
                found.append(f"{path.relative_to(REPO)}:{node.lineno} from yaml import …")
    assert found == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.sampled_from(
                [
                    ": ",
                    "- ",
                    "\n",
                    "  ",
                    "[",
                    "]",
                    "{",
                    "}",
                    ",",
                    "&a ",
                    "*a",
                    "!!int ",
                    "!!binary ",
                    "!!python/object:os.system ",
                    "? ",
                    "<<: ",
                    "|\n",
                    ">-\n",
                    "'",
                    '"',
                    "#",
                    "---\n",
                    "2023-02-30",
                    ".inf",
                    ".nan",
                    "0b_",
                    "._",
                    "\x00",
                    "\x07",
                    "%YAML 1.1\n",
                ]
            ),
        ),
        max_size=30,
    ).map("".join)
)
def test_any_text_either_loads_or_is_refused_with_one_line(text: str) -> None:
    """Property: whatever a file holds, the YAML loader returns data or raises BadInput (one
    line naming the file): never another exception, never a hang."""
    try:
        parse(text, "fuzz.yaml")
    except BadInput as err:
        line = err.one_line()
        assert line.startswith("fuzz.yaml") and "\n" not in line


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [
        # impossible dates, numbers that are no numbers, words where dates belong
        ("date_published: 2023-03-29", "date_published: 2023-02-30", "not a real date", "date_"),
        ("date_published: 2023-03-29", "date_published: '2023-02-30'", "not an ISO", "date_"),
        ("date_published: 2023-03-29", "date_published: .nan", "not an ISO date", "date_"),
        ("date_published: 2023-03-29", "date_published: yesterday", "not an ISO", "date_"),
        ("outlet: PassBlue", "outlet: .inf", "expected text", "outlet:"),
        ("outlet: PassBlue", "outlet: no", "boolean", "outlet:"),
        # lists and mappings where text belongs, keys that are no keys
        ("title: ", "title: [a, b]", "expected text, got a list", "title: [a"),
        ("author: Damilola Banjo", "author: {name: x}", "expected text, got a mapping", "author"),
        ("outlet: PassBlue", "outlet: PassBlue\n? [a, b]\n: c", "a key must be a plain", "? ["),
        ("outlet: PassBlue", "outlet: PassBlue\ndollar: [USD]", "dollar", "dollar:"),
        ("sha256: ", "sha256: [1]", "sha256: expected text", "sha256:"),
        # explicit tags make PyYAML build anything
        ("outlet: PassBlue", "outlet: !!python/object:os.system x", "tags", "outlet:"),
        ("outlet: PassBlue", "outlet: !!binary aGk=", "tags", "outlet:"),
        # a layout is a plain name of a file in data/layouts/, never a path
        ("layout: passblue", "layout: ../../../x", "not a plain name", "layout:"),
        ("layout: passblue", "layout: /etc/passwd", "not a plain name", "layout:"),
        ("layout: passblue", "layout: 'passblue\n\n  '", "not a plain name", "layout:"),
        # a publication window no day is in, or a date outside the window it gives
        (
            "date_published: 2023-03-29",
            "date_published: 2023-03-29\npublished_after: 2023-04-01\npublished_before: 2023-05-01",
            "date_published 2023-03-29 is outside published_after",
            "date_published:",
        ),
        (
            "date_published: 2023-03-29",
            "published_after: 2023-05-01\npublished_before: 2023-01-01",
            "published_after 2023-05-01 is later than published_before 2023-01-01",
            "published_after:",
        ),
        # only http and https addresses
        ("url: ", "url: javascript:alert(1)//", "not an http or https", "url:"),
        ("url: ", "url: JavaScript:alert(1)//", "not an http or https", "url:"),
        ("url: ", "url: data:text/html,x//", "not an http or https", "url:"),
        ("url: ", "url: vbscript:msgbox(1)//", "not an http or https", "url:"),
        ("url: ", "url: //evil.example/", "not an http or https", "url:"),
        ("url: ", "url: 'https://x.org/<script>'", "not an http", "url:"),
    ],
)
def test_bad_seed_metadata_names_file_and_line(
    tmp_path: Path, old: str, new: str, message: str, needle: str
) -> None:
    text = _seed(tmp_path, old, new)
    meta = text.with_name(META.name)
    err = _refused(read_document, text)
    assert message in err.message, err.one_line()
    assert err.path == str(meta) and err.place == _line(meta, needle), err.one_line()


def test_bad_seed_metadata_through_the_command_line(tmp_path: Path) -> None:
    text = _seed(tmp_path, "layout: passblue", "layout: ../../../../etc/passwd")
    done = cli("extract", str(text), "--format", "json")
    line = error_line(done)
    assert done.returncode == 2 and META.name in line and "not a plain name" in line
    assert done.stdout == ""


def test_symlink_loops_are_named_not_skipped(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    other = tmp_path / "other.txt"
    loop.symlink_to(other)
    other.symlink_to(loop)
    done = cli("extract", str(loop))
    assert done.returncode == 2 and "is a symbolic link loop" in error_line(done)
    # a seed whose metadata file is a loop is not a seed without metadata
    text = _seed(tmp_path, None, "")
    meta = text.with_name(META.name)
    meta.unlink()
    meta.symlink_to(meta)
    assert "symbolic link loop" in _refused(read_document, text).message
    # and a looping .txt among the seeds is reported, not silently left out
    from analysis.documents.corpus import read_documents

    (text.parent / "loop.txt").symlink_to(text.parent / "loop.txt")
    meta.unlink()
    err = _refused(read_documents, text.parent)
    assert "loop.txt" in str(err.path) and "symbolic link loop" in err.message


def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path) -> None:
    """`/dev/zero` never ends and a FIFO with no writer never answers: both are refused from
    their type, before any read (a hang would hit the timeout)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "extract", path],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
        )
        assert done.returncode == 2 and "not a regular file" in error_line(done), path


def test_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied, whoever runs the tests (as root chmod 000 does not stop a read, so
    the open itself is made to fail)."""
    import analysis.files

    path = tmp_path / "secret.txt"
    path.write_text("The budget was $5 million.", "utf-8")

    def denied(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(analysis.files, "open", denied, raising=False)
    done = cli("extract", str(path))
    assert done.returncode == 2
    assert error_line(done) == f"error: {path}: cannot be read (permission denied)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("The budget was $5 million.", "utf-8")
    path.chmod(0)
    done = run_cli("extract", str(path))
    assert done.returncode == 2 and "permission denied" in error_line(done)


# ---------------------------------------------------------------- claims, reviews, dismissals


@pytest.fixture(scope="module")
def seed_figures():
    """The real seed and its extracted figures (what claims files are checked against)."""
    doc = read_document(SEED)
    extracted = extract_document(
        doc, REPO / "data" / "layouts", load_lexicon(REPO / "data" / "lexicon")
    )
    return doc, extracted


def _load_claims(seed_figures, path: Path):
    doc, extracted = seed_figures
    return load_claims(
        path, doc.doc_id, doc.text, extracted.mentions, doc.as_of, extracted.sections
    )


# Three figures of the seed: the article's 175 member states, and the reader's 175 and 165.
CLAIMS = f"""\
document: {SEED.stem}
claims:
  - id: body-members
    quote: "is an intergovernmental body of 175 member states"
    subject: IOM membership
    measure: number of IOM member states
    figures: {{members: "175"}}
    checks:
      - recipe: ratio
        stated: members
        reference: {{lookup: {{table: iom_membership_counts, column: member_states}}}}
  - id: comment-members
    quote: "3) IOM has 175 Member States, not 165."
    subject: IOM membership
    measure: number of IOM member states
    figures: {{members: "175", wrong: "165"}}
    checks:
      - recipe: same_as
        stated: members
        other: body-members.members
"""


def _claims(tmp_path: Path, old: str | None, new: str) -> Path:
    text = CLAIMS if old is None else CLAIMS.replace(old, new, 1)
    assert old is None or old in CLAIMS, old
    path = tmp_path / f"{SEED.stem}.yaml"
    path.write_text(text + ("" if old is not None else new), "utf-8")
    return path


def test_the_claims_fixture_itself_loads(seed_figures, tmp_path: Path) -> None:
    claims = _load_claims(seed_figures, _claims(tmp_path, None, ""))
    assert [c.claim_id for c in claims] == ["body-members", "comment-members"]


OTHER = "        other: body-members.members\n"


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [
        # numbers that are no numbers
        (
            "    subject: IOM membership\n",
            "    occurrence: .inf\n    subject: IOM membership\n",
            "not a finite number",
            "occurrence",
        ),
        (
            "    subject: IOM membership\n",
            "    occurrence: two\n    subject: IOM membership\n",
            "expected a whole number",
            "occurrence",
        ),
        (
            "    subject: IOM membership\n",
            "    occurrence: 0\n    subject: IOM membership\n",
            "below 1",
            "occurrence",
        ),
        (
            '{members: "175"}',
            '{members: {text: "175", occurrence: .nan}}',
            "not a finite",
            "occurrence: .nan",
        ),
        (
            '{members: "175"}',
            '{members: {text: "175", occurrence: many}}',
            "whole number",
            "occurrence: many",
        ),
        (
            "column: member_states}",
            "column: member_states, where: {year: .inf}}",
            "not a finite number",
            "year: .inf",
        ),
        # impossible dates
        (
            "    subject: IOM membership\n",
            "    as_of: 2023-02-30\n    subject: IOM membership\n",
            "not a real date",
            "as_of",
        ),
        # lists and mappings where text belongs
        (
            "    subject: IOM membership\n",
            "    subject: [IOM, membership]\n",
            "subject: expected text, got a list",
            "subject: [IOM",
        ),
        (
            "    subject: IOM membership\n",
            "    subject: IOM membership\n    note: [a]\n",
            "note: expected text",
            "note: [a]",
        ),
        (
            "    subject: IOM membership\n",
            "    subject: IOM membership\n    chart: [funding]\n",
            "chart: expected text",
            "chart:",
        ),
        (
            "    subject: IOM membership\n",
            "    subject: IOM membership\n    speaker: {a: b}\n",
            "speaker: expected text",
            "speaker:",
        ),
        ("  - id: body-members", "  - id: [body-members]", "id: expected text", "id: [body"),
        (
            "    subject: IOM membership\n",
            "    subject: IOM membership\n    ? [a]\n    : b\n",
            "a key must be a plain value",
            "? [a]",
        ),
        # a figure compared with itself, by name or by its place in the text
        (OTHER, "        other: members\n", "with itself", "other: members"),
        (OTHER, "        other: comment-members.members\n", "with itself", "other: comment-"),
        (
            OTHER,
            OTHER.replace("same_as", "x") + "      - recipe: restatement\n"
            "        stated: wrong\n        other: wrong\n",
            "restatement compares",
            "other: wrong",
        ),
    ],
)
def test_bad_claims_file_names_file_and_line(
    seed_figures,
    tmp_path: Path,
    old: str,
    new: str,
    message: str,
    needle: str,
) -> None:
    path = _claims(tmp_path, old, new)
    err = _refused(_load_claims, seed_figures, path)
    assert message in err.message, err.one_line()
    assert err.path == str(path) and err.place == _line(path, needle), err.one_line()


def _same_as(stated: str, other: str) -> str:
    return f"      - recipe: same_as\n        stated: {stated}\n        other: {other}\n"


def _with_checks(tmp_path: Path, name: str, body_checks: str, comment_checks: str) -> Path:
    """The claims fixture with checks added to its first claim (the article's 175) and to its
    last (the reader's 175 and 165)."""
    reference = CLAIMS.index("  - id: comment-members")
    path = tmp_path / name / f"{SEED.stem}.yaml"
    path.parent.mkdir()
    path.write_text(CLAIMS[:reference] + body_checks + CLAIMS[reference:] + comment_checks, "utf-8")
    return path


def test_same_as_in_a_circle_is_refused(seed_figures, tmp_path: Path) -> None:
    """a same_as b and b same_as a (or round three figures) is true by construction and would
    count as evidence twice: refused, naming the check that closes the circle."""
    # the fixture already has the reader's 175 same_as the article's: add the way back
    two = _with_checks(tmp_path, "two", _same_as("members", "comment-members.members"), "")
    err = _refused(_load_claims, seed_figures, two)
    assert "circle" in err.message and err.path == str(two)
    assert err.place in {_line(two, "other: comment-members.members"), _line(two, "other: body-")}
    # three figures: article 175 → reader 165 → reader 175 → article 175
    three = _with_checks(
        tmp_path,
        "three",
        _same_as("members", "comment-members.wrong"),
        _same_as("wrong", "members"),
    )
    assert "circle" in _refused(_load_claims, seed_figures, three).message
    # a chain that does not come back is fine
    chain = _with_checks(tmp_path, "chain", "", _same_as("wrong", "members"))
    assert len(_load_claims(seed_figures, chain)) == 2


def test_bad_reviews_and_dismissals_name_file_and_line(seed_figures, tmp_path: Path) -> None:
    doc, extracted = seed_figures
    reviews = tmp_path / "reviews.yaml"
    base = (
        "reviews:\n  - claim: c1\n    reviewer: Desk\n    date: 2026-11-28\n    status: approved\n"
    )
    for extra, message, needle in [
        ("    note: [a, b]\n", "note: expected text", "note:"),
        ("    reason: {a: b}\n    editor_verdict: incorrect\n", "reason: expected text", "reason"),
    ]:
        reviews.write_text(base + extra, "utf-8")
        err = _refused(load_reviews, reviews, doc.doc_id, {"c1"})
        assert message in err.message and err.place == _line(reviews, needle), err.one_line()
    reviews.write_text(base.replace("2026-11-28", "2026-02-30"), "utf-8")
    assert "not a real date" in _refused(load_reviews, reviews, doc.doc_id, {"c1"}).message
    dismissals = tmp_path / "dismissals.yaml"
    for entry, message, needle in [
        ("  - text: two\n    reason: [not_a_claim]\n", "reason: expected text", "reason:"),
        ("  - text: two\n    reason: not_a_claim\n    note: [x]\n", "note: expected", "note:"),
        ("  - text: two\n    reason: not_a_claim\n    all: [x]\n", "true or false", "all:"),
    ]:
        dismissals.write_text("dismissed:\n" + entry, "utf-8")
        err = _refused(load_dismissals, dismissals, doc.doc_id, doc.text, extracted.mentions)
        assert message in err.message and err.place == _line(dismissals, needle), err.one_line()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  measured: 0.05\n", "  measured: .inf\n", "not a finite number"),
        ("  measured: 0.05\n", "  measured: -.inf\n", "not a finite number"),
        ("measured_kinds: [money,", "measured_kinds: [[money],", "measured_kinds"),
        ("measured_kinds: [money,", "measured_kinds: [{a: b},", "measured_kinds"),
    ],
)
def test_bad_tolerance_values(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (REPO / "data" / "methodology" / "tolerance.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / "tolerance.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    err = _refused(load_tolerance, path)
    assert message in err.message and err.place == _line(path, new.strip()[:12])


@pytest.mark.parametrize(
    "text",
    [
        "desk_url: javascript:alert(1)\n",
        "reports_url: data:text/html,x\n",
        "desk_url: 'https://desk.example/<script>'\n",
        "desk: [a, b]\n",
    ],
)
def test_bad_publication_settings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "publication.yaml"
    path.write_text("desk: Desk\n" * ("desk:" not in text) + text, "utf-8")
    err = _refused(load_publication, path)
    assert err.path == str(path) and err.place == _line(path, text.split(":")[0] + ":")


# ---------------------------------------------------------------- what reaches the report


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.passblue.com/2023/03/29/x/", True),
        ("http://example.org/a?b=1&c=2#d", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("//example.org/x", False),
        ("https://", False),
        ('https://example.org/"onmouseover="x', False),
        ("https://example.org/<script>", False),
        (None, False),
    ],
)
def test_only_http_addresses_are_addresses(url: str | None, ok: bool) -> None:
    assert (http_url(url) is not None) == ok


def test_report_never_links_another_scheme() -> None:
    """Defence in depth: whatever reached the warehouse, a page links only http(s)."""
    import analysis.report
    from analysis.report.env import url_link

    assert url_link("javascript:alert(1)") == '<span class="url">javascript:alert(1)</span>'
    assert "href" not in url_link("data:text/html,<script>x</script>")
    assert "<script>" not in url_link("data:text/html,<script>x</script>")
    assert url_link("https://a.example/?x=1&y=2") == (
        '<a class="url" href="https://a.example/?x=1&amp;y=2">https://a.example/?x=1&amp;y=2</a>'
    )
    # and no template builds a link from a data value but through url_link
    templates = Path(analysis.report.__file__).parent / "templates"
    raw = [
        f"{t.name}: {m.group(0)}"
        for t in sorted(templates.glob("*.j2"))
        for m in re.finditer(r'(?:href|src)="\{\{(?!\s*root\b)[^}]*\}\}', t.read_text("utf-8"))
    ]
    assert raw == []


def _memo_entry(**changes: object) -> dict:
    entry = {
        "doc_id": "d",
        "title": "T",
        "outlet": "O",
        "url": "javascript:alert(1)",
        "sentence": "It was 42%.",
        "speaker": "article",
        "pending": False,
        "findings": [
            {
                "quote": "[click](javascript:alert(1)) 42%",
                "final_verdict": "incorrect",
                "machine_verdict": "incorrect",
                "editor_verdict": None,
                "override_reason": None,
                "checks": [
                    {"recipe": "<b>ratio</b>", "explanation": "x\n<script>alert(1)</script>"}
                ],
                "sources": [
                    {
                        "publisher": "P",
                        "title": "S",
                        "url": "https://example.org/<script>alert(1)</script>",
                        "date_consulted": "2024-01-01",
                    },
                    {
                        "publisher": "P",
                        "title": "S",
                        "url": "https://example.org/[x](javascript:alert(1))",
                        "date_consulted": "2024-01-01",
                    },
                ],
                "suggestion": "Replace “<i>”.",
            }
        ],
    }
    entry.update(changes)
    return entry


def test_corrections_memo_escapes_everything_from_data() -> None:
    """Finding 10: raw <script> stayed in corrections.md (through addresses); Markdown link
    syntax in a quote or an address must not become a link either."""
    from analysis.report.corrections import Listed, Memo, corrections_markdown

    variant = {"surface": "<b>V</b>", "speaker": "s", "times": 1, "kind": "<i>k</i>"}
    memo = corrections_markdown(
        Memo([_memo_entry()], Listed([{**variant, "canonical": "C"}], 1), 0, None)
    )
    assert "<script" not in memo and "<b>" not in memo and "<i>" not in memo
    assert "](javascript:" not in memo.replace("\\](javascript:", "")
    assert "&lt;script&gt;" in memo  # shown, not dropped
    assert "\n<" not in memo  # no value starts an HTML block of its own


def test_corrections_memo_groups_findings_by_article_in_their_order() -> None:
    """Findings come grouped by article, in document order: two articles of one title are two
    groups, each under its title with its own outlet (docs/outputs.md, "Corrections memo")."""
    from analysis.report.corrections import Listed, Memo, corrections_markdown

    entries = [
        _memo_entry(doc_id=doc_id, title=title, outlet=doc_id, sentence=f"It was {n}%.")
        for n, (doc_id, title) in enumerate(
            [("a", "Aid cut"), ("a", "Aid cut"), ("b", "Staff"), ("c", "Aid cut")]
        )
    ]
    memo = corrections_markdown(Memo(entries, Listed([], 0), 0, None)).splitlines()
    titles = [line for line in memo if line.startswith("## ")]
    assert titles == ["## Aid cut", "## Staff", "## Aid cut"]
    outlets = [line.split(",")[0] for line in memo if line[:1] in ("a", "b", "c")]
    assert outlets == ["a", "b", "c"]
    sentences = [line.split("“")[1][:-1] for line in memo if line.startswith("### ")]
    assert sentences == [f"It was {n}%." for n in range(4)]


# ---------------------------------------------------------------- the machine fails, not the input


def test_a_read_only_data_folder_is_one_line_and_loses_nothing(tmp_path: Path) -> None:
    """A build that cannot write to data/ stops with one line naming the file, exit 2, and the
    published warehouse and reports untouched. As root no mode stops a write, so the lock file
    is made a folder (the same OSError path); otherwise data/ is made read-only too."""
    root = copy_project(tmp_path / "project")
    published = {
        root / "data" / "warehouse.duckdb": b"the published warehouse",
        root / "reports" / "index.html": b"<p>the published report</p>",
    }
    for path, data in published.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "data" / ".build.lock").mkdir()
    done = cli("build", "--validation", "sql", "--jobs", "1", root=root)
    assert done.returncode == 2
    assert error_line(done) == f"error: {root / 'data' / '.build.lock'}: Is a directory"
    assert all(path.read_bytes() == data for path, data in published.items())
    if os.geteuid() != 0:
        (root / "data" / ".build.lock").rmdir()
        (root / "data").chmod(0o555)
        try:
            done = run_cli("build", "--validation", "sql", root=root)
        finally:
            (root / "data").chmod(0o755)
        assert done.returncode == 2 and "data" in error_line(done)
        assert all(path.read_bytes() == data for path, data in published.items())


@pytest.mark.parametrize("err", [OSError(errno.ENOSPC, ""), OSError()])
def test_an_os_error_without_a_message_still_says_what_and_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: OSError
) -> None:
    """Finding 9: on a full disk the report's error message was empty. A write to an open file
    raises an OSError that names no file (and may carry no text): the line still says what
    happened and where."""
    import analysis.build.publish

    def full(_project):
        raise err

    monkeypatch.setattr(analysis.build.publish, "build_lock", full)
    root = copy_project(tmp_path / "project")
    done = cli("build", "--validation", "sql", "--jobs", "1", root=root)
    line = error_line(done)
    assert done.returncode == 2 and str(root) in line
    assert line.split(": ", 2)[-1].strip()  # a message after the place
    if err.errno:
        assert line.endswith("No space left on device")
    assert os_error_line(OSError(errno.ENOSPC, "", "x.db")) == "x.db: No space left on device"


def test_machine_failures_are_one_line() -> None:
    import duckdb

    from analysis.cli import _machine_failure

    full = duckdb.IOException('IO Error: Could not write file "data/x.duckdb": No space left')
    assert _machine_failure(full) == 'IO Error: Could not write file "data/x.duckdb": No space left'
    commit = duckdb.TransactionException(
        'TransactionContext Error: Failed to commit: Could not write file "x.wal": No space left'
    )
    assert "x.wal" in (_machine_failure(commit) or "")
    assert _machine_failure(duckdb.BinderException("Binder Error: no column x")) is None
    silent = _machine_failure(RuntimeError("drawing the report failed: "))
    assert silent and silent.startswith("drawing the report failed and left no message")
    # the validator process's failure is one line too, as validating in the build's own was
    late = RuntimeError("validating the warehouse failed: IO Error: Could not read file")
    assert _machine_failure(late) == str(late)
    assert _machine_failure(KeyError("a bug keeps its traceback")) is None


@pytest.mark.parametrize(
    ("worker", "function"),
    [("worker", "write_reports"), ("exports_worker", "write_export_files")],
)
def test_report_workers_leave_one_line_even_on_a_full_disk(
    tmp_path: Path, worker: str, function: str
) -> None:
    """A drawing process's last log line is what the build reports (the pages' worker and the
    exports' worker alike): an OSError with no text and no file still gives one meaningful
    line, written over room reserved at the start."""
    log = tmp_path / "worker.log"
    script = textwrap.dedent(
        f"""
        import errno, sys
        import analysis.report.write as write
        def full(*args, **kwargs):
            print("some progress", file=sys.stderr)
            raise OSError(errno.ENOSPC, "")
        write.{function} = full
        from analysis.report import {worker}
        sys.exit({worker}.main(["wh.duckdb", "out-dir"]))
        """
    )
    with open(log, "w", encoding="utf-8") as handle:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=handle, stderr=handle, cwd=REPO, timeout=120
        )
    assert done.returncode == 2
    lines = log.read_text("utf-8").strip().splitlines()
    assert lines == ["out-dir: No space left on device"]


def test_a_helper_whose_build_has_ended_does_not_start(tmp_path: Path) -> None:
    """A build killed before its helper could ask to die with it must not leave the helper
    drawing on: a helper whose parent is not the build that named itself leaves at once,
    writing nothing; under its own build it starts (here to fail on a missing warehouse)."""
    from analysis.workers import PARENT_VARIABLE

    command = [sys.executable, "-m", "analysis.report.exports_worker", "none.duckdb", "out"]

    def run_under(parent: int) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, PARENT_VARIABLE: str(parent)}
        return subprocess.run(command, capture_output=True, cwd=tmp_path, env=env, timeout=120)

    orphan = run_under(1)  # init is nobody's build
    assert (orphan.returncode, orphan.stderr) == (1, b"")
    assert not (tmp_path / "out").exists()
    started = run_under(os.getpid())
    assert b"none.duckdb" in started.stderr  # it went on to open the warehouse


def test_a_helper_killed_by_a_signal_says_which(tmp_path: Path) -> None:
    """A helper killed by the kernel (the out-of-memory killer sends SIGKILL) writes no last
    line; the build names the signal instead of guessing at a full disk. A real helper is
    killed here."""
    import signal as signals

    from analysis.build.helpers import failure_line

    log = tmp_path / "helper.log"
    with open(log, "w", encoding="utf-8") as out:
        helper = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(60)"], stdout=out, stderr=out
        )
    helper.send_signal(signals.SIGKILL)
    code = helper.wait(timeout=60)
    assert failure_line(code, log) == "killed by SIGKILL (the machine may have run out of memory)"
    log.write_text("out-dir: No space left on device\n", "utf-8")
    assert failure_line(code, log) == "out-dir: No space left on device"  # its own words first
    assert failure_line(1, tmp_path / "none.log") == ""


def test_a_helper_leaves_at_once_with_its_output_written(tmp_path: Path) -> None:
    """A helper process ends with os._exit once its work is done (the interpreter's teardown
    of Great Expectations costs about a second), so what it printed must be flushed first:
    standard output to a file is block-buffered when PYTHONUNBUFFERED is unset."""
    script = textwrap.dedent(
        """
        import sys
        from analysis.workers import run
        def work():
            print("drawn 3 pages", end="")
            print("a note", file=sys.stderr, end="")
        run(work, lambda: None)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    out, err = tmp_path / "out.txt", tmp_path / "err.log"
    with open(out, "w", encoding="utf-8") as o, open(err, "w", encoding="utf-8") as e:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=o, stderr=e, cwd=REPO, env=env, timeout=120
        )
    assert done.returncode == 0
    assert out.read_text("utf-8") == "drawn 3 pages"
    # its own peak memory comes last, on a line of its own after what it printed
    note, peak = err.read_text("utf-8").splitlines()[-2:]
    assert note.endswith("a note") and re.fullmatch(r"peak memory \d+\.\d MiB", peak)
    # as the build starts its helpers: both streams into one log, the peak still last
    with open(err, "w", encoding="utf-8") as log:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=log, stderr=log, cwd=REPO, env=env, timeout=120
        )
    assert done.returncode == 0
    lines = err.read_text("utf-8").splitlines()
    assert "drawn 3 pages" in "".join(lines) and re.fullmatch(r"peak memory \d+\.\d MiB", lines[-1])


def test_the_report_workers_peak_is_their_own_not_the_build_s(
    project: Path, tmp_path: Path
) -> None:
    """A process started by exec keeps, in the peak memory the system records for it, the
    peak of the process it was forked from: a build holding 6 GB said its report workers
    had used 6 GB each. Each worker now says its own. Here the caller holds 1 GiB while the
    real workers draw the seed's report: their peaks, added, stay far below it."""
    from analysis.build import helpers
    from analysis.project import Project

    held = bytearray(1 << 30)
    for at in range(0, len(held), 4096):  # touched, so resident
        held[at] = 1
    out = tmp_path / "reports"
    drawing = helpers.start_drawing(
        Project(project), project / "data" / "warehouse.duckdb", out, None
    )
    try:
        peaks = helpers.finish_drawing(drawing, out)
    finally:
        helpers.end_drawing(drawing)
    assert (out / "index.html").is_file() and (out / "exports" / "claims.csv").is_file()
    assert 0 < peaks < 1024, peaks
    del held


def _niceness(pid: int) -> int | None:
    """A running process's niceness (/proc/PID/stat's 19th field), None once it has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return None if fields[0] == "Z" else int(fields[16])


def test_the_pages_worker_yields_the_cores_to_the_exports_worker(
    project: Path, tmp_path: Path
) -> None:
    """The exports are the report's longest part at archive scale: the pages worker runs at a
    lower priority than the build, the exports worker at the build's."""
    from analysis.build import helpers
    from analysis.project import Project
    from analysis.report.worker import NICENESS

    own = os.nice(0)
    if own + NICENESS > 19:
        pytest.skip("the tests run at a niceness the worker cannot go beyond")
    out = tmp_path / "reports"
    drawing = helpers.start_drawing(
        Project(project), project / "data" / "warehouse.duckdb", out, None
    )
    seen: dict[str, set[int]] = {"pages": set(), "exports": set()}
    try:
        while drawing.pages.poll() is None or drawing.exports.poll() is None:
            for name in seen:
                process = getattr(drawing, name)
                # read only while not reaped: an ended process's id may be another's
                niceness = _niceness(process.pid) if process.poll() is None else None
                if niceness is not None:
                    seen[name].add(niceness)
            time.sleep(0.005)
        helpers.finish_drawing(drawing, out)
    finally:
        helpers.end_drawing(drawing)
    assert own + NICENESS in seen["pages"], seen
    assert seen["exports"] == {own}, seen


def test_a_helper_that_gives_no_peak_is_said_to_have_none(tmp_path: Path) -> None:
    """The build reads a helper's peak from its log's last line; a log that ends otherwise
    (no such line, or one the system could not fill in) gives none, never a number made up."""
    from analysis.build.helpers import own_peak

    log = tmp_path / "helper.log"
    for text, peak in (
        ("drawn\npeak memory 212.5 MiB\n", 212.5),
        ("peak memory 212.5 MiB\nthen a note\n", 0.0),
        ("peak memory lots MiB\n", 0.0),
        ("", 0.0),
    ):
        log.write_text(text, "utf-8")
        assert own_peak(log) == peak, text
    assert own_peak(tmp_path / "none.log") == 0.0


# ---------------------------------------------------------------- a seed with no date at all


@pytest.fixture(scope="module")
def dateless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose only seed has no metadata, so no date of any kind, built once."""
    root = copy_project(tmp_path_factory.mktemp("dateless") / "project")
    for folder in ("seeds", "data/claims", "data/reviews", "data/dismissals"):
        for path in (root / folder).iterdir():
            path.unlink()
    (root / "seeds" / "wire.txt").write_text(
        "Budget rises\n\nThe agency spent $12 million in 2021, up 20 percent from 2020.\n",
        "utf-8",
    )
    done = cli("build", "--validation", "sql", "--jobs", "1", root=root)
    assert done.returncode == 0, done.stderr  # the report worker once crashed here
    return root


def test_a_seed_without_any_date_builds_its_report(dateless: Path) -> None:
    from openpyxl import load_workbook

    exports = dateless / "reports" / "exports"
    book = load_workbook(exports / "claims.xlsx")
    assert book.properties.created.year == 1980  # no date to stamp with: the zip epoch
    assert (dateless / "reports" / "articles" / "wire.html").is_file()


# ---------------------------------------------------------------- a reader that stops early


def _closed_pipe_run(*args: str, root: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command with its standard output a pipe nobody reads (as `| head -1` once
    `head` has left), buffered as in a real shell pipeline (no PYTHONUNBUFFERED)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    cmd = [sys.executable, "-m", "analysis", *args]
    if root is not None:
        cmd += ["--root", str(root)]
    try:
        return subprocess.run(
            cmd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_broken_pipe_from_extract_is_quiet(fmt: str) -> None:
    done = _closed_pipe_run("extract", str(SEED), "--format", fmt)
    assert done.stderr == "" and done.returncode != 0, done.stderr


def test_broken_pipe_head_on_a_live_pipe_is_quiet() -> None:
    """The real thing: `analysis extract SEED --format csv | head -1`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    writer = subprocess.Popen(
        [sys.executable, "-m", "analysis", "extract", str(SEED), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(writer.stderr.read()))
    drain.start()
    first = writer.stdout.readline()
    writer.stdout.close()  # `head -1` leaves
    writer.wait(timeout=120)
    drain.join()
    assert first.startswith(b"start,end,text")
    assert b"Traceback" not in errors[0] and b"Exception ignored" not in errors[0], errors[0]


@pytest.mark.parametrize("args", [("--format", "csv"), ("--format", "json"), ()])
def test_broken_pipe_from_claims_is_quiet(dateless: Path, args: tuple[str, ...]) -> None:
    """`analysis claims | head -1`: little output, still in the buffer when the command
    returns, used to end in "Exception ignored … BrokenPipeError" and exit 120."""
    done = _closed_pipe_run("claims", *args, root=dateless)
    assert done.stderr == "" and done.returncode in (1, 141), (done.returncode, done.stderr)
