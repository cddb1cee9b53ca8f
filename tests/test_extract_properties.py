"""Property tests: extraction never raises, and every span is exact, on arbitrary text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.documents.layout import load_layout
from analysis.documents.sections import segment
from analysis.figures.extract import extract_mentions
from analysis.figures.lexicon import load_lexicon

LAYOUT = load_layout(None, "default")
LEXICON = load_lexicon()

newsy = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "$",
                "£",
                "€",
                "%",
                " percent",
                " million",
                "-",
                "–",
                "“",
                "”",
                "’",
                "\n",
                "\n\n",
                "1)",
                "(",
                ")",
                ",",
                ".",
                "0",
                "19,000",
                "2021",
                "May 15",
                "two-thirds",
                "one of",
                " or so",
                "approximately ",
                "İ",
                "ß",
                "ﬁ",
                "\u0130",
                "\u00a0",
                "10th",
                "seven",
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), newsy))
def test_extraction_never_raises_and_spans_are_exact(text: str) -> None:
    sections = segment(text, LAYOUT, title=None, author=None)
    rows = extract_mentions(text, sections).to_dicts()
    for r in rows:
        assert 0 <= r["start"] < r["end"] <= len(text)
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["kind"] in {
            "money",
            "percent",
            "count",
            "year",
            "date",
            "duration",
            "ordinal",
            "fraction",
        }
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsy, st.integers(min_value=1, max_value=60))
def test_chunked_extraction_equals_whole(text: str, chunk: int) -> None:
    from analysis.figures.classify import classify
    from analysis.figures.extract import find_figures
    from analysis.figures.scan import scan

    whole = classify(scan(text, LEXICON), LEXICON).sort("start")
    assert find_figures(text, chunk_chars=chunk).sort("start").equals(whole)
