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
QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"'}  # curly quotation marks read as plain
_BULLET = re.compile(r"^[•·▪◦*+-]\s")


def _norm(s: str) -> str:
    """A line compared with the title: its curly quotation marks plain, its spacing single,
    case folded. The marks are replaced one by one (a pass in C each), not by
    ``str.translate``, which looks every character of a text beyond ASCII up in a Python
    dictionary: four times slower on the archive's paragraphs."""
    if not s.isascii():
        for curly, plain in QUOTES.items():
            s = s.replace(curly, plain)
    return " ".join(s.split()).casefold()


def _paragraphs(text: str, layout: Layout) -> list[tuple[int, int, str, bool]]:
    """Non-blank lines as (start, end, stripped text, is furniture prefix), offsets of the
    stripped text; a line opening with furniture (a page-metadata date, a timestamp) gives the
    furniture and the rest as two paragraphs."""
    out = []
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + len(raw) - len(raw.lstrip())
        for prefix in layout.boilerplate_prefixes:
            cut = prefix.match(stripped)
            if cut and cut.end() < len(stripped):
                head = stripped[: cut.end()].rstrip()
                out.append((start, start + len(head), head, True))
                start, stripped = start + cut.end(), stripped[cut.end() :]
                break
        out.append((start, start + len(stripped), stripped, False))
    return out


def _headline(
    paragraphs: list[tuple[int, int, str, bool]], layout: Layout, title: str | None
) -> tuple[list[int], set[int]]:
    """The paragraphs that make the headline, and the later ones that repeat it.

    With a title: the first line equal to it or containing it whole (not a list entry), or two
    consecutive lines that together make it; without a title: the first of the first three
    non-furniture lines that reads as a headline (three words or more, no final full stop)."""
    lines = [p[2] for p in paragraphs]
    if title:
        wanted = _norm(title)
        # each line normalized once; two lines' join is their norms' join (a paragraph is
        # stripped and never blank, and _norm works character by character)
        norms = [_norm(line) for line in lines]
        found: list[int] = []
        for i, line in enumerate(lines):
            if _BULLET.match(line):
                continue
            if wanted in norms[i]:
                found = [i]
                break
            if i + 1 < len(lines) and f"{norms[i]} {norms[i + 1]}" == wanted:
                found = [i, i + 1]
                break
        repeats = {j for j, norm in enumerate(norms) if found and j > found[-1] and wanted in norm}
        return found, repeats
    seen = 0
    for i, (_, _, line, prefix) in enumerate(paragraphs):
        if prefix or layout.is_boilerplate(line):
            continue
        seen += 1
        words = line.split()
        if len(words) >= 3 and len(line) <= 200 and not line.endswith((".", ":", ";", ",")):
            return [i], set()
        if seen >= 3:
            break
    return [], set()


def segment(text: str, layout: Layout, title: str | None, author: str | None) -> list[Section]:
    """Classify every paragraph of ``text`` into one of :data:`SECTION_KINDS`."""
    paragraphs = _paragraphs(text, layout)
    headline, repeats = _headline(paragraphs, layout, title)
    bio = (
        re.compile(layout.author_bio_pattern.replace("{author}", re.escape(author)))
        if author
        else None
    )
    kinds: list[tuple[str, int | None]] = []
    phase = "before_headline" if headline else "article"
    comment_no = 0
    expect_caption = not headline
    for i, (_, _, line, prefix) in enumerate(paragraphs):
        kind = "boilerplate"
        number: int | None = None
        if prefix or phase == "after_comments":
            pass
        elif line in layout.comments_end_lines and phase != "before_headline":
            phase = "after_comments"
        elif phase == "comments":
            header = bool(layout.comment_header.search(line))
            if header:
                comment_no += 1
            if comment_no and (header or not layout.is_boilerplate(line)):
                kind, number = "reader_comment", comment_no
        elif i in headline:
            kind, phase, expect_caption = "headline", "article", True
        elif phase == "before_headline" or i in repeats:
            pass  # page furniture above the headline; the headline repeated
        elif layout.is_boilerplate(line):
            if line in layout.comments_start_lines and phase == "article":
                phase = "comments"
        else:
            credit = layout.caption_credit.search(line)
            if (
                expect_caption
                and credit
                and len(credit.group().strip(' .!?”’"')) >= (layout.caption_credit_min_chars)
            ) or any(p.search(line) for p in layout.caption_lines):
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
        for i, ((s, e, line, _), (k, n)) in enumerate(zip(paragraphs, kinds, strict=True))
    ]
