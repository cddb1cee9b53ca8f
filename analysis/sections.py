"""Segmenting a document into sections: headline, caption, body, notes, bio, comments, furniture.

The outlet-specific parts (which lines are page furniture, how the comment thread is marked)
are data in ``data/layouts/<outlet>.yaml``; ``common.yaml`` holds the rules every page shares.
Each non-blank line is one paragraph, and each paragraph is one section row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.documents import load_yaml
from analysis.errors import BadInput

SECTION_KINDS = (
    "headline",
    "caption",
    "body",
    "editor_note",
    "author_bio",
    "reader_comment",
    "boilerplate",
)

_LAYOUT_KEYS = {
    "outlet": str,
    "boilerplate_lines": list,
    "boilerplate_patterns": list,
    "comments_start_lines": list,
    "comment_header_pattern": str,
    "comments_end_lines": list,
    "caption_credit_pattern": str,
    "caption_credit_min_chars": int,
    "editor_note_patterns": list,
    "author_bio_pattern": str,
}


@dataclass(frozen=True)
class Section:
    section_no: int
    kind: str
    comment_no: int | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    name: str
    boilerplate_lines: frozenset[str]
    boilerplate_patterns: tuple[re.Pattern[str], ...]
    comments_start_lines: frozenset[str]
    comment_header: re.Pattern[str]
    comments_end_lines: frozenset[str]
    caption_credit: re.Pattern[str]
    caption_credit_min_chars: int
    editor_notes: tuple[re.Pattern[str], ...]
    author_bio_pattern: str

    def is_boilerplate(self, line: str) -> bool:
        return line in self.boilerplate_lines or any(
            p.search(line) for p in self.boilerplate_patterns
        )


def _read_layout_file(path: Path) -> dict[str, Any]:
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise BadInput(path, "expected a mapping of layout rules")
    for key, value in data.items():
        expected = _LAYOUT_KEYS.get(key)
        if expected is None:
            raise BadInput(path, f"unknown layout field {key!r}")
        if not isinstance(value, expected):
            raise BadInput(path, f"{key}: expected a {expected.__name__}")
    return data


def _compile(path: Path, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise BadInput(path, f"{key}: invalid regular expression {pattern!r} ({err})") from None


def load_layout(layouts_dir: Path, name: str) -> Layout:
    """The layout called ``name`` merged over ``common.yaml``; ``default`` when none exists."""
    common_path = layouts_dir / "common.yaml"
    own_path = layouts_dir / f"{name}.yaml"
    if not own_path.exists():
        own_path = layouts_dir / "default.yaml"
    rules = _read_layout_file(common_path) if common_path.exists() else {}
    rules.update(_read_layout_file(own_path) if own_path.exists() else {})
    where = own_path

    def pats(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(where, key, p) for p in rules.get(key, []))

    return Layout(
        name=own_path.stem,
        boilerplate_lines=frozenset(s.strip() for s in rules.get("boilerplate_lines", [])),
        boilerplate_patterns=pats("boilerplate_patterns"),
        comments_start_lines=frozenset(rules.get("comments_start_lines", [])),
        comment_header=_compile(
            where, "comment_header_pattern", rules.get("comment_header_pattern", r"(?!x)x")
        ),
        comments_end_lines=frozenset(rules.get("comments_end_lines", [])),
        caption_credit=_compile(
            where,
            "caption_credit_pattern",
            r"[.!?”’\"]\s+" + rules.get("caption_credit_pattern", r"(?!x)x"),
        ),
        caption_credit_min_chars=int(rules.get("caption_credit_min_chars", 3)),
        editor_notes=pats("editor_note_patterns"),
        author_bio_pattern=rules.get("author_bio_pattern", r"(?!x)x"),
    )


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
