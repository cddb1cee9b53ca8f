"""The declared relations between figures (``package_data/relations.yaml``), read strictly and
compiled: cue words become whole-word alternations, each pattern's gaps become regular
expressions. The rules are docs/relations.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.figures.lexicon import Lexicon, alternation
from analysis.project import PACKAGE_DATA
from analysis.vocab import MENTION_KINDS
from analysis.yamlfile import check_fields, line_of, load_with_lines

RELATIONS_FILE = PACKAGE_DATA / "relations.yaml"
_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\d+))?\}")
_RELATION_FIELDS = ("description", "roles", "patterns", "patterns_of", "check", "confidence")
_REQUIRED_RELATION_FIELDS = ("description", "roles", "check", "confidence")
_ROLE_FIELDS = ("kinds", "units", "same")
_PATTERN_FIELDS = ("order", "before", "between", "after", "joins", "last_join")


@dataclass(frozen=True)
class Role:
    name: str
    kinds: frozenset[str] | None  # None: as ``same``
    units: tuple[str | None, ...] | None  # None: any unit
    same: str | None  # the role whose kind and unit this one shares


@dataclass(frozen=True)
class Pattern:
    order: tuple[str, ...]  # role names; "part+" = one or more
    before: re.Pattern[str] | None  # searched in the text before the first figure (to its end)
    between: tuple[re.Pattern[str], ...]  # full matches of the gaps between the roles
    after: re.Pattern[str] | None  # matched at the start of the text after the last figure
    joins: re.Pattern[str] | None  # the gaps inside a repeated role (``part+``)
    last_join: re.Pattern[str] | None  # the last of those gaps ("… and 54")


@dataclass(frozen=True)
class Relation:
    name: str
    description: str
    roles: dict[str, Role]
    patterns: tuple[Pattern, ...]
    check: dict[str, Any]
    confidence: float


# words that set a value beside another without saying it moved from it ("{compared}" in the
# relations file; the guards' comparisons in analysis/relations/detect.py)
COMPARED = (
    r"(?:as\s+)?compared\s+(?:to|with)|in\s+comparison\s+(?:to|with)|as\s+against|against"
    r"|versus|vs\.?"
)
# participles that name another measure's move after a change ("a rise of 12% last year,
# lifting revenue to $3.0m")
MOVE_PARTICIPLES = (
    "lifting",
    "pushing",
    "taking",
    "bringing",
    "sending",
    "driving",
    "boosting",
    "raising",
    "helping",
    "cutting",
    "lowering",
    "dragging",
)
# words that open another clause or phrase inside a statement's own words ("{own}")
_CLAUSE_OPENERS = "|".join(
    (
        *"even though although while whereas but and with as after because when which".split(),
        *"who where".split(),
        *MOVE_PARTICIPLES,
    )
)


def _expand(path: Path, template: str, words: dict[str, str], lex: Lexicon, where: str) -> str:
    def one(m: re.Match[str]) -> str:
        name, n = m.group(1), m.group(2)
        if name == "words":
            return rf"(?:[,:—–]?\s+[^\s;!?()\[\]]+){{0,{int(n or 3)}}}"
        if name in ("own", "plain"):  # words with no punctuation; of one clause ("own")
            opener = rf"(?!(?:{_CLAUSE_OPENERS})\b)" if name == "own" else ""
            return rf"(?:\s+{opener}[^\s,;:!?()\[\]—–]+){{0,{int(n or 3)}}}?"
        if name == "compared":
            return rf"(?:{COMPARED})"
        if name == "hedge":
            return rf"(?<![\w])(?:{alternation(lex.hedges_before)})(?![\w])"
        if name == "named":  # what the figure measures, then "of": "2005 GAAP net income of"
            if "clause" not in words:
                raise BadInput(path, f"{where}: {{named}} needs the word list 'clause'")
            word = rf"\s+(?!{words['clause']})[^\s,;:!?()\[\]—–]+"
            return rf"(?:(?:{word}){{1,{int(n or 3)}}}\s+of)?"
        if name not in words:
            raise BadInput(path, f"{where}: unknown placeholder {{{name}}}")
        return words[name]

    return _PLACEHOLDER.sub(one, template)


def _compile(
    path: Path, template: Any, words: dict[str, str], lex: Lexicon, where: str
) -> re.Pattern[str]:
    if not isinstance(template, str):
        raise BadInput(path, f"{where}: expected a regular expression")
    try:
        return re.compile(_expand(path, template, words, lex, where), re.IGNORECASE)
    except re.error as err:
        raise BadInput(path, f"{where}: invalid regular expression ({err})") from None


def _role(path: Path, relation: str, name: str, spec: Any) -> Role:
    where = f"relations.{relation}.roles.{name}"
    if not isinstance(spec, dict):
        raise BadInput(path, f"{where}: expected a mapping", line_of(spec))
    check_fields(path, spec, _ROLE_FIELDS, where)
    kinds = spec.get("kinds")
    if kinds is not None and not (isinstance(kinds, list) and set(kinds) <= set(MENTION_KINDS)):
        raise BadInput(path, f"{where}.kinds: expected figure kinds", line_of(spec))
    if (kinds is None) == (spec.get("same") is None):
        raise BadInput(path, f"{where}: give either kinds or same", line_of(spec))
    units = spec.get("units")
    return Role(
        name=name,
        kinds=frozenset(kinds) if kinds is not None else None,
        units=tuple(units) if units is not None else None,
        same=spec.get("same"),
    )


def _pattern(
    path: Path, relation: str, n: int, spec: Any, roles: dict[str, Role], words, lex
) -> Pattern:
    where = f"relations.{relation}.patterns[{n}]"
    if not isinstance(spec, dict):
        raise BadInput(path, f"{where}: expected a mapping")
    check_fields(path, spec, _PATTERN_FIELDS, where, ("order",))
    order = tuple(str(r) for r in spec["order"])
    for role in order:
        if role.rstrip("+") not in roles:
            raise BadInput(path, f"{where}.order: unknown role {role!r}", line_of(spec))
    between = spec.get("between") or []
    if len(between) != len(order) - 1:
        raise BadInput(path, f"{where}.between: expected {len(order) - 1} gaps", line_of(spec))

    def opt(key: str) -> re.Pattern[str] | None:
        return _compile(path, spec[key], words, lex, f"{where}.{key}") if key in spec else None

    if any(r.endswith("+") for r in order) and "joins" not in spec:
        raise BadInput(path, f"{where}: a repeated role needs joins", line_of(spec))
    return Pattern(
        order=order,
        before=opt("before"),
        between=tuple(
            _compile(path, gap, words, lex, f"{where}.between[{i}]")
            for i, gap in enumerate(between)
        ),
        after=opt("after"),
        joins=opt("joins"),
        last_join=opt("last_join"),
    )


@dataclass(frozen=True)
class Restatement:
    description: str
    kinds: frozenset[str]
    differ_within: float
    check: dict[str, Any]
    confidence: float


_RESTATEMENT_FIELDS = ("description", "kinds", "differ_within", "check", "confidence")
_TOP_FIELDS = ("words", "relations", "restatement")


@lru_cache(maxsize=4)
def load_restatement(path: Path = RELATIONS_FILE) -> Restatement:
    spec = load_with_lines(path).get("restatement")
    check_fields(path, spec, _RESTATEMENT_FIELDS, "restatement", _RESTATEMENT_FIELDS)
    kinds = spec["kinds"]
    if not isinstance(kinds, list) or not set(kinds) <= set(MENTION_KINDS):
        raise BadInput(path, "restatement.kinds: expected figure kinds", line_of(spec))
    return Restatement(
        description=str(spec["description"]),
        kinds=frozenset(kinds),
        differ_within=float(spec["differ_within"]),
        check=dict(spec["check"]),
        confidence=float(spec["confidence"]),
    )


def _checked_words(path: Path, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each of the file's word lists, checked to be a list of words."""
    words = {}
    for name, items in data["words"].items():
        if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
            raise BadInput(path, f"words.{name}: expected a list of words", line_of(data["words"]))
        words[name] = tuple(items)
    return words


def _word_lists(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each word list as a whole-word alternation."""
    return {name: rf"(?<![\w])(?:{alternation(items)})(?![\w])" for name, items in words.items()}


@lru_cache(maxsize=4)
def _file_words(path: Path) -> dict[str, tuple[str, ...]]:
    """The relations file's word lists, read once for the guards of
    analysis/relations/detect.py."""
    data = load_with_lines(path)
    if not isinstance(data, dict) or not isinstance(data.get("words"), dict):
        raise BadInput(path, "expected a mapping with words and relations")
    return _checked_words(path, data)


@lru_cache(maxsize=4)
def word_lists(path: Path = RELATIONS_FILE) -> dict[str, str]:
    """The relations file's word lists (``rise``, ``fall`` …) as whole-word alternations, for
    the guards of analysis/relations/detect.py that read the same words as the patterns."""
    return _word_lists(_file_words(path))


def words_of(name: str, path: Path = RELATIONS_FILE) -> tuple[str, ...]:
    """One of the relations file's word lists as its words."""
    return _file_words(path)[name]


@lru_cache(maxsize=4)
def load_relations(lex: Lexicon, path: Path = RELATIONS_FILE) -> tuple[Relation, ...]:
    data = load_with_lines(path)
    if not isinstance(data, dict):
        raise BadInput(path, "expected a mapping with words and relations")
    check_fields(path, data, _TOP_FIELDS, "relations file", _TOP_FIELDS)
    words = _word_lists(_checked_words(path, data))
    relations = []
    for name, spec in data["relations"].items():
        where = f"relations.{name}"
        if not isinstance(spec, dict):
            raise BadInput(path, f"{where}: expected a mapping")
        check_fields(path, spec, _RELATION_FIELDS, where, _REQUIRED_RELATION_FIELDS)
        borrowed = spec.get("patterns_of")
        if borrowed is not None:
            source = data["relations"].get(borrowed)
            if not isinstance(source, dict) or "patterns" not in source:
                raise BadInput(path, f"{where}.patterns_of: no relation {borrowed!r} with patterns")
        patterns = spec.get("patterns") or data["relations"][borrowed]["patterns"]
        roles = {r: _role(path, name, r, s) for r, s in spec["roles"].items()}
        for role in roles.values():
            if role.same is not None and role.same not in roles:
                raise BadInput(path, f"{where}.roles.{role.name}.same: unknown role {role.same!r}")
        relations.append(
            Relation(
                name=name,
                description=str(spec["description"]),
                roles=roles,
                patterns=tuple(
                    _pattern(path, name, n, p, roles, words, lex) for n, p in enumerate(patterns)
                ),
                check=dict(spec["check"]),
                confidence=float(spec["confidence"]),
            )
        )
    return tuple(relations)
