"""Segmenting a document into sections: headline, caption, body, notes, bio, comments, furniture.

The outlet-specific parts (which lines are page furniture, how the comment thread is marked)
are a :class:`~analysis.documents.layout.Layout`. Each non-blank line is one paragraph, and
each paragraph is one section row, of one of :data:`~analysis.vocab.SECTION_KINDS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.documents.layout import Layout


@dataclass(frozen=True)
class Section:
    section_no: int
    kind: str
    comment_no: int | None
    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _same_title(line: str, title: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.translate(_QUOTES).split()).casefold()

    return norm(line) == norm(title)


def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text), offsets of the stripped text."""
    out = []
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append((start, start + len(stripped), stripped))
    return out


def segment(text: str, layout: Layout, title: str | None, author: str | None) -> list[Section]:
    """Classify every paragraph of ``text`` into one of :data:`SECTION_KINDS`."""
    paragraphs = _paragraphs(text)
    headline_at = next(
        (i for i, (_, _, line) in enumerate(paragraphs) if title and _same_title(line, title)),
        None,
    )
    if headline_at is None:  # no title line: the first line that is not page furniture
        headline_at = next(
            (i for i, (_, _, line) in enumerate(paragraphs) if not layout.is_boilerplate(line)),
            None,
        )
    bio = (
        re.compile(layout.author_bio_pattern.replace("{author}", re.escape(author)))
        if author
        else None
    )
    kinds: list[tuple[str, int | None]] = []
    phase = "before_headline"
    comment_no = 0
    expect_caption = False
    for i, (_, _, line) in enumerate(paragraphs):
        kind = "boilerplate"
        number: int | None = None
        if phase == "after_comments":
            pass
        elif line in layout.comments_end_lines and phase != "before_headline":
            phase = "after_comments"
        elif phase == "comments":
            if layout.comment_header.search(line):
                comment_no += 1
            if comment_no and not layout.is_boilerplate(line):
                kind, number = "reader_comment", comment_no
        elif layout.is_boilerplate(line):
            if line in layout.comments_start_lines and phase == "article":
                phase = "comments"
        elif phase == "before_headline":
            if i == headline_at:
                kind, phase, expect_caption = "headline", "article", True
        elif title and _same_title(line, title):
            pass  # the headline repeated above the comment form
        else:
            credit = layout.caption_credit.search(line)
            if (
                expect_caption
                and credit
                and len(credit.group().strip(' .!?”’"')) >= (layout.caption_credit_min_chars)
            ):
                kind = "caption"
            elif any(p.search(line) for p in layout.editor_notes):
                kind = "editor_note"
            elif bio is not None and bio.search(line):
                kind = "author_bio"
            else:
                kind = "body"
            expect_caption = False
        kinds.append((kind, number))
    return [
        Section(section_no=i + 1, kind=k, comment_no=n, start=s, end=e, text=line)
        for i, ((s, e, line), (k, n)) in enumerate(zip(paragraphs, kinds, strict=True))
    ]
