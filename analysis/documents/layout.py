"""Page layouts: which lines of a copied page are furniture, how comments and captions look.

The rules every page shares (``common.yaml``) and the generic layout (``default.yaml``) ship
with the package; an outlet's own layout is ``data/layouts/<name>.yaml`` in the project and is
merged over the common rules. Loading is strict: an unknown field, a wrong type, an invalid
regular expression, an unknown layout name or a path outside the layouts folder is an error
naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.project import PACKAGE_DATA
from analysis.yamlfile import line_of, load_with_lines

PACKAGE_LAYOUTS = PACKAGE_DATA / "layouts"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_NEVER = r"(?!x)x"
# an ordinary line: a pattern that finds an empty match in it finds one in every line
_PROSE = "Ordinary words of a sentence, with 12 figures in it."

_LAYOUT_KEYS: dict[str, type] = {
    "outlet": str,
    "boilerplate_lines": list,
    "boilerplate_patterns": list,
    "boilerplate_prefix_patterns": list,
    "comments_start_lines": list,
    "comment_header_pattern": str,
    "comments_end_lines": list,
    "caption_credit_pattern": str,
    "caption_credit_min_chars": int,
    "caption_line_patterns": list,
    "editor_note_patterns": list,
    "author_bio_pattern": str,
}


@dataclass(frozen=True)
class AnyOf:
    """Several line patterns: those anchored at the line's start joined into one pattern
    matched there (one try instead of one per pattern); the rest searched for one by one, as
    Python's engine skips ahead fast only on a pattern's own literal or anchored start."""

    anchored: re.Pattern[str] | None
    floating: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, patterns: tuple[re.Pattern[str], ...]) -> AnyOf:
        anchored = [p.pattern for p in patterns if _anchored(p.pattern)]
        joined = re.compile("|".join(f"(?:{p})" for p in anchored)) if anchored else None
        return cls(joined, tuple(p for p in patterns if not _anchored(p.pattern)))

    def search(self, line: str) -> bool:
        if self.anchored is not None and self.anchored.match(line):
            return True
        return any(p.search(line) for p in self.floating)


def _anchored(pattern: str) -> bool:
    """Whether every match of ``pattern`` starts at the string's start (it opens with ``^``
    outside any top-level alternation)."""
    from re import _constants, _parser  # the standard library's own regex parser

    parsed = _parser.parse(pattern)
    return bool(parsed.data) and parsed.data[0] == (_constants.AT, _constants.AT_BEGINNING)


@dataclass(frozen=True)
class Layout:
    name: str
    boilerplate_lines: frozenset[str]
    boilerplate_patterns: AnyOf
    boilerplate_prefixes: tuple[re.Pattern[str], ...]
    comments_start_lines: frozenset[str]
    comment_header: re.Pattern[str]
    comments_end_lines: frozenset[str]
    caption_credit: re.Pattern[str]
    caption_credit_min_chars: int
    caption_lines: tuple[re.Pattern[str], ...]
    editor_notes: tuple[re.Pattern[str], ...]
    author_bio_pattern: str

    def is_boilerplate(self, line: str) -> bool:
        return line in self.boilerplate_lines or self.boilerplate_patterns.search(line)


def _read_layout_file(path: Path) -> dict[str, Any]:
    data = load_with_lines(path) or {}
    if not isinstance(data, dict):
        raise BadInput(path, "expected a mapping of layout rules")
    for key, value in data.items():
        expected = _LAYOUT_KEYS.get(key)
        if expected is None:
            raise BadInput(
                path,
                f"unknown layout field {key!r} (allowed: {', '.join(_LAYOUT_KEYS)})",
                line_of(data, key),
            )
        if not isinstance(value, expected) or isinstance(value, bool):
            raise BadInput(path, f"{key}: expected a {expected.__name__}", line_of(data, key))
        if expected is list and not all(isinstance(v, str) for v in value):
            raise BadInput(path, f"{key}: expected a list of strings", line_of(data, key))
    return data


def _compile(path: Path, key: str, pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise BadInput(path, f"{key}: invalid regular expression {pattern!r} ({err})") from None
    found = compiled.search(_PROSE)
    if found is not None and found.start() == found.end():  # '' or 'x*' or 'a|'
        raise BadInput(path, f"{key}: {pattern!r} matches nothing at all, so every line")
    return compiled


def layout_names(layouts_dir: Path | None) -> list[str]:
    names = {p.stem for p in PACKAGE_LAYOUTS.glob("*.yaml")} - {"common"}
    if layouts_dir is not None and layouts_dir.is_dir():
        names |= {p.stem for p in layouts_dir.glob("*.yaml")}
    return sorted(names)


def check_layout_name(name: str, path: Path | None = None, line: str | None = None) -> str:
    """``name`` if it is a plain layout name (the stem of a file in ``data/layouts/``): never a
    path, so no metadata file can point the build outside the layouts folder."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise BadInput(
            path,
            f"layout name {name!r} is not a plain name (lower-case letters, digits, - and _: "
            "the name of a file in data/layouts/ without .yaml)",
            line,
        )
    return name


def layout_path(layouts_dir: Path | None, name: str, *, strict: bool) -> Path:
    """The file of layout ``name``: the project's own, else the package's. With ``strict``,
    an unknown name is an error; otherwise it falls back to ``default``."""
    check_layout_name(name)
    for folder in (layouts_dir, PACKAGE_LAYOUTS):
        if folder is not None and (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    if strict:
        raise BadInput(
            (layouts_dir or PACKAGE_LAYOUTS) / f"{name}.yaml",
            f"no layout {name!r}; known layouts: {', '.join(layout_names(layouts_dir))}",
        )
    return PACKAGE_LAYOUTS / "default.yaml"


@lru_cache(maxsize=64)
def _load(own_path: Path, mtime_ns: int) -> Layout:
    common_path = PACKAGE_LAYOUTS / "common.yaml"
    rules = _read_layout_file(common_path)
    for key, value in _read_layout_file(own_path).items():
        rules[key] = rules.get(key, []) + value if isinstance(value, list) else value
    where = own_path

    def pats(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(where, key, p) for p in rules.get(key, []))

    return Layout(
        name=own_path.stem,
        boilerplate_lines=frozenset(s.strip() for s in rules.get("boilerplate_lines", [])),
        boilerplate_patterns=AnyOf.of(pats("boilerplate_patterns")),
        boilerplate_prefixes=pats("boilerplate_prefix_patterns"),
        comments_start_lines=frozenset(rules.get("comments_start_lines", [])),
        comment_header=_compile(
            where, "comment_header_pattern", rules.get("comment_header_pattern", _NEVER)
        ),
        comments_end_lines=frozenset(rules.get("comments_end_lines", [])),
        caption_credit=_compile(
            where,
            "caption_credit_pattern",
            r"[.!?”’\"]\s+" + rules.get("caption_credit_pattern", _NEVER),
        ),
        caption_credit_min_chars=int(rules.get("caption_credit_min_chars", 3)),
        caption_lines=pats("caption_line_patterns"),
        editor_notes=pats("editor_note_patterns"),
        author_bio_pattern=_author_bio(where, rules.get("author_bio_pattern", _NEVER)),
    )


def _author_bio(path: Path, pattern: str) -> str:
    """The author-bio pattern, a template whose ``{author}`` becomes the byline's name when a
    document is segmented: checked here with a name put in, so that a broken one is bad input
    at load, not a traceback while segmenting."""
    _compile(path, "author_bio_pattern", pattern.replace("{author}", re.escape("A. N. Author")))
    return pattern


def load_layout(layouts_dir: Path | None, name: str, *, strict: bool = True) -> Layout:
    """Layout ``name`` merged over the common rules (cached per file and modification time)."""
    path = layout_path(layouts_dir, name, strict=strict)
    return _load(path, path.stat().st_mtime_ns)
