"""Finding the declared relations among the figures of each sentence (docs/relations.md).

A pattern names roles in text order; its figures are consecutive figures of one sentence whose
kinds and units fit the roles, and the text before, between and after them matches the
pattern's expressions. A figure joined to a neighbour outside the match by a range or
alternative connector ("5-6", "3 or 4") is never used: its value is not the whole statement.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

from analysis.figures.digits import LOW_COMMA
from analysis.figures.lexicon import alternation, counted_noun, load_lexicon
from analysis.figures.precision import precision, rounds_to, written_scale
from analysis.figures.rows import in_text_order
from analysis.relations.rules import (
    COMPARED,
    MOVE_PARTICIPLES,
    Pattern,
    Relation,
    Restatement,
    Role,
    word_lists,
    words_of,
)
from analysis.vocab import METRE_UNIT, UNIT_DAYS

_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|to|or|and|/)\s*$", re.IGNORECASE)
# an aside in brackets between two figures of a statement ("from SDR 182.4 billion (about
# US$ 252 billion) to …") is read past
_ASIDE = re.compile(r"\s*[(\[][^()\[\]]{0,80}[)\]]")
MIN_REPEATS = 2  # a sum lists two parts or more
MAX_REPEATS = 6
MAX_FIGURES = 12  # more figures in one sentence (a flattened table): neighbours only
MAX_GAP = 240  # characters between two figures of one statement


@dataclass
class Found:
    """One relation found: its figures by role (a repeated role as ``part_1``, ``part_2`` …)."""

    relation: Relation
    pattern: int
    figures: dict[str, dict[str, Any]]
    direction: str | None
    sentence_start: int
    sentence: str
    roles: dict[str, str] = field(default_factory=dict)  # figure name → role

    @property
    def start(self) -> int:
        return min(f["start"] for f in self.figures.values())

    @property
    def spans(self) -> frozenset[tuple[int, int]]:
        return frozenset((f["start"], f["end"]) for f in self.figures.values())


def _unit_fits(fig: dict[str, Any], other: dict[str, Any]) -> bool:
    """Same kind, and units that name the same thing: the same currency, the same percent or
    points; a count's unit may be written once for both ("42 of the 54 countries")."""
    if fig["kind"] != other["kind"]:
        return False
    if fig["kind"] == "count":
        if fig["unit"] is None or other["unit"] is None:
            # written once for both, unless it measures ("4.5m" metres beside "600,000")
            return (fig["unit"] or other["unit"]) not in _measures()
        return noun(fig) == noun(other)
    return fig["unit"] == other["unit"]


@lru_cache(maxsize=1)
def _measures() -> frozenset[str]:
    """Units that measure rather than name what is counted: a count without a unit is never
    the same quantity as one of these ("grew by 600,000 to 4.5m" is no difference of metres).
    The package lexicon's glued units: a project's added ones are not seen here yet."""
    return frozenset(load_lexicon().glued_units) | {METRE_UNIT}


def noun(fig: dict[str, Any]) -> str | None:
    """A count's counted noun, case, adjectives and spelling aside ("new teams" → "teams";
    "metric tons" → "tonne", the lexicon's unit_spellings)."""
    return counted_noun(fig["unit"])


@lru_cache(maxsize=1024)
def _expand_order(order: tuple[str, ...], n: int) -> tuple[tuple[str, ...], ...]:
    """The role sequences of ``n`` figures that ``order`` allows (``part+`` repeated)."""
    fixed = [r for r in order if not r.endswith("+")]
    repeated = [r for r in order if r.endswith("+")]
    if not repeated:
        return (tuple(order),) if len(order) == n else ()
    times = n - len(fixed)
    if times < MIN_REPEATS:
        return ()
    out: list[str] = []
    for r in order:
        out += [r.rstrip("+")] * times if r.endswith("+") else [r]
    return (tuple(out),)


@lru_cache(maxsize=256)
def _repeated_roles(order: tuple[str, ...]) -> frozenset[str]:
    """The roles ``order`` repeats (``part+``), by name."""
    return frozenset(r.rstrip("+") for r in order if r.endswith("+"))


class _Sentence:
    """One sentence's figures and what the patterns ask of them again and again, each worked
    out once: the text between two figures (asides removed) and whether an expression
    matches it."""

    def __init__(self, figs: list[dict[str, Any]], text: str) -> None:
        self.figs, self.text = figs, text
        self._gaps: dict[tuple[int, int], str] = {}
        self._full: dict[tuple[re.Pattern[str], int, int], re.Match[str] | None] = {}
        self._units: dict[tuple[int, int], bool] = {}
        self._alone: dict[tuple[Any, ...], list[bool]] = {}
        self._spaced: dict[tuple[Any, ...], list[tuple[int, ...]]] = {}

    def gap(self, i: int, j: int) -> str:
        key = (i, j)
        if key not in self._gaps:
            a, b = self.figs[i], self.figs[j]
            self._gaps[key] = _ASIDE.sub("", self.text[a["end"] : b["start"]])
        return self._gaps[key]

    def fullmatch(self, expr: re.Pattern[str], i: int, j: int) -> re.Match[str] | None:
        key = (expr, i, j)
        if key not in self._full:
            self._full[key] = expr.fullmatch(self.gap(i, j))
        return self._full[key]

    def alone(self, role: Role, key: tuple[Any, ...] | None = None) -> list[bool]:
        """:func:`_may_fill` of ``role`` for each figure, once for all roles alike (``key``:
        :func:`_fill_key` of ``role``, when the caller has it)."""
        key = _fill_key(role) if key is None else key
        fits = self._alone.get(key)
        if fits is None:
            fits = self._alone[key] = [_may_fill(role, fig) for fig in self.figs]
        return fits

    def unit_fits(self, i: int, j: int) -> bool:
        """:func:`_unit_fits` of figures ``i`` and ``j``."""
        key = (i, j)
        if key not in self._units:
            self._units[key] = _unit_fits(self.figs[i], self.figs[j])
        return self._units[key]


def _fill_key(role: Role) -> tuple[Any, ...]:
    """What :func:`_may_fill` reads of a role: roles alike in it allow the same figures."""
    return (role.same is None, role.kinds, role.units)


def _may_fill(role: Role, fig: dict[str, Any]) -> bool:
    """Whether a figure may fill ``role`` on its own: it has a value (or a date's iso), and
    the role's kind and unit unless it takes them from another role (:func:`_alike`)."""
    if fig["value"] is None and fig["iso"] is None:
        return False
    if role.same is not None:
        return True
    return (role.kinds is None or fig["kind"] in role.kinds) and (
        role.units is None or fig["unit"] in role.units
    )


@lru_cache(maxsize=256)
def _shape(order: tuple[str, ...]) -> tuple[int, bool]:
    """How many roles ``order`` names once, and whether it repeats one (``part+``)."""
    return sum(not r.endswith("+") for r in order), any(r.endswith("+") for r in order)


@lru_cache(maxsize=256)
def _role_names(order: tuple[str, ...]) -> frozenset[str]:
    """The roles ``order`` names, a repeated one (``part+``) by its name."""
    return frozenset(r.rstrip("+") for r in order)


def _match(
    pattern: Pattern,
    combo: tuple[int, ...],
    found: _Sentence,
    sentence: str,
    s_start: int,
) -> tuple[dict[str, dict[str, Any]], str | None] | None:
    """The figures of ``combo`` by name, and the direction a connector gives, when the text
    before, between and after them matches ``pattern`` (their kinds and units fit its roles
    already: :func:`_candidates`)."""
    figs = [found.figs[i] for i in combo]
    text = found.text
    full = found._full
    for roles in _expand_order(pattern.order, len(figs)):
        ok = True
        direction = None
        fixed_gap = iter(pattern.between)
        for i in range(len(combo) - 1):
            if roles[i] == roles[i + 1]:
                last = i + 2 == len(roles) or roles[i + 2] != roles[i]
                expr = pattern.last_join if last and pattern.last_join else pattern.joins
            else:
                expr = next(fixed_gap)
            if expr is None:
                m = None
            else:  # found.fullmatch, inline: called for every combination a pattern may take
                key = (expr, combo[i], combo[i + 1])
                m = full.get(key, _UNSEEN)
                if m is _UNSEEN:
                    m = found.fullmatch(expr, combo[i], combo[i + 1])
            if m is None:
                ok = False
                break
            direction = direction or _direction(m)
        if not ok:
            continue
        head = text[s_start : figs[0]["start"]]
        if pattern.before is not None:
            m = pattern.before.search(head)
            if m is None:
                continue
            direction = direction or _direction(m)
        tail = text[figs[-1]["end"] : s_start + len(sentence)]
        if pattern.after is not None:
            m = pattern.after.match(tail)
            if m is None:
                continue
            direction = direction or _direction(m)
        return _named(pattern.order, roles, figs), direction
    return None


_UNSEEN = object()  # a gap's match not yet tried (None is a match that failed)


def _named(
    order: tuple[str, ...], roles: tuple[str, ...], figs: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The figures by name: a role's, or a repeated role's numbered (``part_1``, ``part_2``)."""
    repeated = _repeated_roles(order)
    named: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for role_name, fig in zip(roles, figs, strict=True):
        counts[role_name] = counts.get(role_name, 0) + 1
        named[f"{role_name}_{counts[role_name]}" if role_name in repeated else role_name] = fig
    return named


def _direction(m: re.Match[str]) -> str | None:
    groups = m.re.groupindex
    if "up" in groups and m.group("up"):
        return "up"
    if "down" in groups and m.group("down"):
        return "down"
    return None


def _joined(a: dict[str, Any], b: dict[str, Any], text: str) -> bool:
    """Whether two neighbouring figures of one kind make a range or alternatives."""
    return a["kind"] == b["kind"] and bool(_RANGE_GAP.match(text[a["end"] : b["start"]]))


def _windows(
    memo: _Sentence, relation: Relation, pattern: Pattern, alone: dict[str, list[bool]]
) -> list[tuple[int, ...]]:
    """The figure index tuples a pattern may match, tightest first: figures of the sentence in
    text order, not necessarily neighbours (an aside or a date may sit between), each within
    :data:`MAX_GAP` characters of the last, each able to fill its role on its own
    (``alone[role][i]``, :func:`_may_fill`) and of the unit of the figures it must be like
    (:func:`_alike`); only neighbours in a sentence of many figures."""
    figs = memo.figs
    n = len(figs)
    fixed, repeated = _shape(pattern.order)
    sizes = range(fixed + MIN_REPEATS, min(n, fixed + MAX_REPEATS) + 1) if repeated else [fixed]
    out: list[tuple[int, ...]] = []
    for size in sizes:
        if size > n:
            continue
        for roles in _expand_order(pattern.order, size):
            alike = _alike(roles, tuple(relation.roles[r].same for r in roles))
            if alike is None:
                continue
            allowed = [alone[r] for r in roles]
            # roles alike in what they allow (often another relation's) give the same tuples:
            # each list of allowed figures is one object per role filter (_Sentence.alone)
            key = (tuple(map(id, allowed)), alike, size, repeated)
            if key not in memo._spaced:
                memo._spaced[key] = (
                    _neighbours(memo, allowed, alike, size)
                    if n > MAX_FIGURES
                    else _spaced(memo, allowed, alike, size, whole=repeated)
                )
            out += memo._spaced[key]
    # the longest list first (a sum's parts are all of them), then the tightest
    return sorted(out, key=lambda c: (-len(c), figs[c[-1]]["end"] - figs[c[0]]["start"], c))


@lru_cache(maxsize=1024)
def _alike(
    roles: tuple[str, ...], sames: tuple[str | None, ...]
) -> tuple[tuple[int, ...], ...] | None:
    """For each place of ``roles``, the earlier places whose figure the one there must be like
    (:func:`_unit_fits`): a repeated role's first, and the first figure of the role its role
    takes its kind and unit from (``sames``: each place's role's ``same``), or the later place
    that role comes first at sees it. None when a ``same`` names a role ``roles`` lacks: no
    figures fit."""
    first: dict[str, int] = {}
    for k, role in enumerate(roles):
        first.setdefault(role, k)
    checks: list[set[int]] = [set() for _ in roles]
    for k, (role, same) in enumerate(zip(roles, sames, strict=True)):
        if first[role] < k:
            checks[k].add(first[role])
        if same is not None:
            if same not in first:
                return None
            q = first[same]
            if q < k:
                checks[k].add(q)
            elif q > k:
                checks[q].add(k)
    return tuple(tuple(sorted(c)) for c in checks)


def _neighbours(
    memo: _Sentence, allowed: list[list[bool]], alike: tuple[tuple[int, ...], ...], size: int
) -> list[tuple[int, ...]]:
    """:func:`_spaced` for a sentence of many figures: neighbours only."""
    n = len(memo.figs)
    return [
        combo
        for combo in (tuple(range(i, i + size)) for i in range(n - size + 1))
        if all(allowed[k][combo[k]] for k in range(size))
        and all(memo.unit_fits(combo[k], combo[q]) for k in range(size) for q in alike[k])
    ]


def _spaced(
    memo: _Sentence,
    allowed: list[list[bool]],
    alike: tuple[tuple[int, ...], ...],
    size: int,
    whole: bool = False,
) -> list[tuple[int, ...]]:
    """Every increasing tuple of ``size`` figure indexes whose k-th figure is ``allowed[k]``,
    like the figures at the places ``alike[k]`` and within :data:`MAX_GAP` characters of the
    one before. ``whole``: a list, which leaves no figure of its kinds out in its midst
    (:func:`_holes`): a tuple is not extended past a figure of a kind it holds."""
    figs = memo.figs
    n, out, prefix = len(figs), [], []
    starts = [f["start"] for f in figs]
    ends = [f["end"] for f in figs]
    kind_of = [f["kind"] for f in figs]
    fits = memo.unit_fits

    def extend() -> None:
        k = len(prefix)
        if k == size:
            out.append(tuple(prefix))
            return
        kinds = {kind_of[i] for i in prefix} if whole else ()
        may, like = allowed[k], alike[k]
        last_end = ends[prefix[-1]] if prefix else None
        for j in range(prefix[-1] + 1 if prefix else 0, n - (size - k) + 1):
            if last_end is not None and starts[j] - last_end > MAX_GAP:
                break  # figures in text order: every later one is farther still
            if may[j] and all(fits(j, prefix[q]) for q in like):
                prefix.append(j)
                extend()
                prefix.pop()
            if kind_of[j] in kinds:
                break  # a later figure would leave this one out of the list

    extend()
    return out


def _range_end(i: int, combo: tuple[int, ...], joined: list[bool]) -> bool:
    """Whether figure ``i`` makes a range or alternatives with a neighbour left out of the
    match ("5-6 billion", "3 or 4"): its value alone is not what the sentence states.
    ``joined[k]``: whether figures ``k`` and ``k + 1`` of the sentence are so joined."""
    if i > 0 and joined[i - 1] and i - 1 not in combo:
        return True
    return i < len(joined) and joined[i] and i + 1 not in combo


def _holes(combo: tuple[int, ...], figs: list[dict[str, Any]], pattern: Pattern) -> bool:
    """Whether a list of parts leaves out a figure of their kind in its midst ("£2bn plus
    £4bn plus £6bn": not £4bn and £6bn alone)."""
    if not any(r.endswith("+") for r in pattern.order):
        return False
    first, last = combo[0], combo[-1]
    kinds = {figs[i]["kind"] for i in combo}
    return any(figs[i]["kind"] in kinds for i in range(first, last + 1) if i not in combo)


def _candidates(
    relation: Relation,
    pattern: Pattern,
    alone: dict[str, list[bool]],
    memo: _Sentence,
    joined: list[bool],
) -> list[tuple[int, ...]]:
    """:func:`_windows` that leave no range or alternative half out (:func:`_range_end`) and
    no part out of a list (:func:`_holes`): what every pattern of ``relation`` with
    ``pattern``'s order asks of its figures before its text is read, worked out once for all
    of them."""
    figs = memo.figs
    return [
        combo
        for combo in _windows(memo, relation, pattern, alone)
        if not any(_range_end(i, combo, joined) for i in combo) and not _holes(combo, figs, pattern)
    ]


# A number that qualifies another figure rather than stating a quantity of its own: the base
# of a rate ("4 per 100,000") or an age band ("people aged 65 and over"). As a role it made
# true sentences wrong: "a rate of 4 per 100,000 is double the 2 per 100,000" read 100,000 / 2.
_QUALIFIER_BEFORE = re.compile(r"(?:\bper|\baged?|\bages(?:\s+of)?)\s*$", re.IGNORECASE)


# the upper end of an age band: "aged 15 to 17", "between the ages of 15 and 17"
_AGE_BAND_END = re.compile(
    r"\b(?:aged?|ages(?:\s+of)?)\s+\d{1,3}\s*(?:to|and|-|–)\s*$", re.IGNORECASE
)


def _qualifier(fig: dict[str, Any], text: str) -> bool:
    before = text[max(0, fig["start"] - 30) : fig["start"]]
    if _QUALIFIER_BEFORE.search(before[-12:]) or _AGE_BAND_END.search(before):
        return True
    # "children under 5", "people over 65": an age, a small count with no unit of its own
    # after people and "under" or "over" (which otherwise hedge the figure)
    # (whatever noun the count took from the words after it: in "children under 18 make up
    # 21%" the extractor counts "make")
    return (
        fig["kind"] == "count"
        and fig["value"] is not None
        and fig["value"] < 130
        and _age_band().search(before) is not None
    )


@lru_cache(maxsize=1)
def _age_band() -> re.Pattern[str]:
    """People then "under" or "over": "children under 5", "workers under 25" (an age that
    qualifies them). Only nouns for people: "the toll was over 120" and "the firm has over
    120 stores" state their figure."""
    people = "|".join(map(re.escape, (*load_lexicon().counted_without_s, *_PEOPLE)))
    return re.compile(rf"\b(?:{people})\s+(?:under|over)\s*$", re.IGNORECASE)


# plural nouns for people, besides the lexicon's nouns counted without an s
_PEOPLE = (
    "adults",
    "workers",
    "voters",
    "residents",
    "students",
    "pupils",
    "patients",
    "employees",
    "citizens",
    "migrants",
    "refugees",
    "teenagers",
    "pensioners",
    "seniors",
    "girls",
    "boys",
    "drivers",
    "users",
    "members",
    "respondents",
    "households",
    "families",
    "those",
    "anyone",
)


@lru_cache(maxsize=256)
def _places(
    order: tuple[str, ...], sames: tuple[tuple[str, str | None], ...]
) -> tuple[tuple[str, int], ...]:
    """For each role whose figures the others take their kind from (a role ``same`` names, at
    the end of the chain; ``sames``: each role's ``same``), how many places of ``order`` must
    hold figures of one kind with it (a repeated role at least :data:`MIN_REPEATS`), when more
    than one."""
    same_of = dict(sames)
    counts: dict[str, int] = {}
    for place in order:
        role = place.rstrip("+")
        while same_of[role] is not None:
            role = same_of[role]
        counts[role] = counts.get(role, 0) + (MIN_REPEATS if place.endswith("+") else 1)
    return tuple((role, n) for role, n in counts.items() if n > 1)


def _enough_alike(
    relation: Relation,
    order: tuple[str, ...],
    figs: list[dict[str, Any]],
    counts: dict[str, int],
    sames: tuple[tuple[str, str | None], ...],
) -> bool:
    """Whether the sentence has as many figures of one kind as ``order`` asks to be alike (a
    figure like another has its kind, one the role allows, and a value): ``_spaced`` would find
    no tuple otherwise. ``counts`` keeps each role's number across the relation's orders;
    ``sames``: each role of the relation by name, with its ``same``."""
    for role, n in _places(order, sames):
        if role not in counts:
            allowed = relation.roles[role].kinds
            kinds: dict[str, int] = {}
            for fig in figs:
                if (fig["value"] is not None or fig["iso"] is not None) and (
                    allowed is None or fig["kind"] in allowed
                ):
                    kinds[fig["kind"]] = kinds.get(fig["kind"], 0) + 1
            counts[role] = max(kinds.values(), default=0)
        if counts[role] < n:
            return False
    return True


def find_relations(
    text: str, mentions: pl.DataFrame, relations: tuple[Relation, ...]
) -> list[Found]:
    """Every declared relation among the figures of each sentence of ``text``. A figure may
    serve several relations ("grew 21.4% to $798.1 million, an increase of $140.5 million from
    $657.6 million" states a change and a difference) but one relation uses it once."""
    found: list[Found] = []
    if mentions.is_empty():
        return found
    text = text.replace(LOW_COMMA, ",")  # printed for a comma: read as one (docs/relations.md)
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for r in in_text_order(mentions):
        if r["sentence_start"] is not None:
            by_sentence.setdefault(r["sentence_start"], []).append(r)
    # what each relation asks of every sentence, worked out once
    asks = [
        (
            relation,
            str(relation.check.get("stated", "")),
            [(name, role, _fill_key(role)) for name, role in relation.roles.items()],
            tuple((name, role.same) for name, role in relation.roles.items()),
            # each order of its patterns once, with the first pattern of it: the figures a
            # pattern may take depend on its order alone (_candidates)
            list({pattern.order: pattern for pattern in reversed(relation.patterns)}.items()),
        )
        for relation in relations
    ]
    for s_start, figs in by_sentence.items():
        figs = [f for f in figs if not _qualifier(f, text)]
        if len(figs) < 2:
            continue
        sentence = figs[0]["sentence"].replace(LOW_COMMA, ",")
        joined = [_joined(a, b, text) for a, b in itertools.pairwise(figs)]
        memo = _Sentence(figs, text)
        for relation, stated_role, roles, sames, orders in asks:
            alone = {name: memo.alone(role, key) for name, role, key in roles}
            fillable = {name for name, fits in alone.items() if any(fits)}
            alike_counts: dict[str, int] = {}  # a role's most figures of one kind it allows
            windows = {  # by pattern order
                order: (
                    _candidates(relation, first, alone, memo, joined)
                    if _role_names(order) <= fillable
                    and _enough_alike(relation, order, figs, alike_counts, sames)
                    else []  # a role no figure of the sentence can fill, or too few alike
                )
                for order, first in orders
            }
            if not any(windows.values()):
                continue  # no pattern of the relation can take figures of this sentence
            used: set[int] = set()  # figures other than the stated one, once per relation
            stated_used: set[int] = set()
            for p_no, pattern in enumerate(relation.patterns):
                for combo in windows[pattern.order]:
                    if used & set(combo):
                        continue
                    hit = _match(pattern, combo, memo, sentence, s_start)
                    if hit is None:
                        continue
                    named, direction = hit
                    if _impossible_share(relation, named):
                        continue
                    if _unsure_change(relation, named, figs, sentence, s_start, direction):
                        continue
                    if _some_parts(relation, named, sentence, s_start):
                        continue
                    if _per_term(relation, named, sentence, s_start):
                        continue
                    if _not_its_length(relation, named, sentence, s_start):
                        continue
                    if _own_whole(relation, named, figs, sentence, s_start):
                        continue
                    if _one_of_several(relation, named, figs, sentence, s_start):
                        continue
                    if _crossed(named, figs, sentence, s_start):
                        continue
                    if _per_head_beside_totals(relation, named, text):
                        continue
                    stated = {i for i in combo if figs[i] is named.get(stated_role)}
                    others = set(combo) - stated
                    if others & stated_used:
                        continue
                    used |= others
                    stated_used |= stated
                    found.append(
                        Found(relation, p_no, named, direction, s_start, figs[0]["sentence"])
                    )  # the sentence as printed, not as read
    found.sort(key=lambda f: f.start)
    return found


# a figure per head: "$103,000 for every American", "$410 per subscriber", "£90 a head"
_PER_HEAD = re.compile(
    r"^\s+(?:for\s+(?:every|each)\s+[a-z]+|a\s+head\b|per\s+(?:capita|head|person|people"
    r"|citizen|resident|inhabitant|household|subscriber|user|customer|member|pupil|student"
    r"|patient|employee|worker|adult|child|voter|passenger|family|visitor)\b)",
    re.IGNORECASE,
)
_PERIODS = frozenset({"year", "month", "week", "day", "hour", "quarter", "night", "minute"})


def _per_head(fig: dict[str, Any], text: str) -> bool:
    m = _PER_HEAD.match(text[fig["end"] : fig["end"] + 40])
    return m is not None and m.group(0).split()[-1].lower() not in _PERIODS


def _per_head_beside_totals(
    relation: Relation, named: dict[str, dict[str, Any]], text: str
) -> bool:
    """A share, sum, multiple or equivalent between a figure per head and one that is not
    ("$34.6 trillion, or about $103,000 for every American, more than triple the $10.6
    trillion"): a rate beside totals (docs/relations.md)."""
    if relation.name not in ("share", "sum", "multiple", "equivalent"):
        return False
    heads = {_per_head(f, text) for f in named.values() if f["kind"] != "fraction"}
    return len(heads) > 1


def _impossible_share(relation: Relation, named: dict[str, dict[str, Any]]) -> bool:
    """A share of at most the whole whose part is larger than its total: the roles were read
    in the wrong order ("1,150 beds, 95% of which, 1,093": the whole comes first), not a
    statement to call wrong."""
    if relation.name != "share":
        return False
    part, share, total = (named.get(r) for r in ("part", "share", "total"))
    if part is None or share is None or total is None:
        return False
    values = (part["value"], share["value"], total["value"])
    if any(v is None for v in values):
        return False
    if share["value"] < 0:
        return True  # "132 seats (-3%), out of 650": a change, no share
    whole = 100.0 if share["kind"] == "percent" else 1.0
    return abs(part["value"]) > abs(total["value"]) and 0 <= share["value"] <= whole


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_YEAR_EARLIER = r"(?:a|one)\s+year\s+(?:earlier|ago|before)"  # "a year earlier", "one year ago"
# a basis that the percent may be measured on and the stated ends not (docs/relations.md)
_BASIS = re.compile(
    r"\b(?:(?:at|in|on)\s+constant\s+(?:currency|currencies|exchange\s+rates?|prices)"
    r"|constant[- ]currency|currency[- ]neutral|organic(?:ally)?|like[- ]for[- ]like"
    r"|in\s+(?:real|nominal|cash)\s+terms|inflation[- ]adjusted|in\s+local\s+currenc(?:y|ies)"
    r"|underlying|same[- ]store|(?:for|after|of)\s+inflation|inflation\s+(?:is\s+)?taken)\b",
    re.IGNORECASE,
)
# a word that compares two values without saying the one is the change's starting point
# (", up from" after the change's "to" is such an added comparison)
_COMPARED = re.compile(
    rf"(?:\b(?:{COMPARED})|,\s*(?:up|down)\s+from)\s+(?:\S+\s+){{0,3}}$", re.IGNORECASE
)
# what may follow a compared value for it to be the change's start: the end of the clause,
# or the period a year before
_SAME_PERIOD = re.compile(
    rf"^(?:\s+{_YEAR_EARLIER}|\s+last\s+year|\s+the\s+year\s+before"
    r"|\s+(?:in\s+)?the\s+(?:previous|prior|preceding)\s+(?:year|quarter|month|week|period)"
    r"|\s+(?:in|for|during)\s+the\s+corresponding\s+(?:quarter|month|week|period|half|season)"
    rf"\s+(?:last\s+year|{_YEAR_EARLIER}|of\s+\d{{4}})"
    r"|\s+(?:in\s+)?(?:the|a)\s+year[- ](?:ago|earlier)\s+(?:period|quarter|month|half|season)"
    r"|\s+in\s+(?:the\s+)?SPLY"  # the same period last year, as South Asian business copy writes
    r")?\s*(?:[.,;:)—–]|$)",  # "in the same quarter last year": _same_span
    re.IGNORECASE,
)
# a time frame of its own right after the percent ("up 25% since 2020", "rose 3% in May")
_CHANGE_FRAME = re.compile(
    rf"^(?:\s+(?:a|an|per)\s+[a-z]+)?"  # the change's unit first: "rose 2p a litre in May"
    r"(?:[\s-]+[a-z]+){0,3}?"  # or its noun and words: "posted 2% increase in sales in May"
    rf"\s*(?:since|so\s+far|this\s+(?:year|month|week|quarter)|year[- ]to[- ]date"
    rf"|(?:over|from)\s+(?:{_MONTHS})\b|in\s+the\s+(?:week|month|quarter)\b"
    rf"|during\s+(?!the\b)\w|in\s+[QH][1-4]\b"
    rf"|over\s+the\s+(?:previous|preceding|prior)\s+(?:week|month|quarter)\b"
    rf"|in\s+(?:{_MONTHS}|\d{{4}})\b|(?:over|in)\s+the\s+(?:past|last)"
    rf"|in\s+(?:a|one)\s+(?:day|week|month|quarter|year)\b)",
    re.IGNORECASE,
)
# a time frame of its own right after the starting value ("$3.70 a year ago", "in 2019")
_OLD_FRAME = re.compile(
    rf"^\s+(?:(?:a|an|one|two|three|four|five|six|\d+)\s+(?:day|week|month|quarter|year)s?"
    rf"\s+(?:ago|earlier|before)|(?:at|by)\s+the\s+(?:start|end|beginning)\b"
    rf"|(?:in|on)\s+(?:{_MONTHS}|\d{{4}})\b|last\s+(?:week|month|quarter|year))",
    re.IGNORECASE,
)
# an exchange rate: a price of one unit of a currency ("R$5 per dollar", "¥140 to the dollar")
_RATE = re.compile(
    r"^\s*(?:per|a|an|to\s+the|against\s+the)\s+(?:us\s+|u\.s\.\s+)?"
    r"(?:dollar|euro|pound|yen|yuan|renminbi|rupee|real|franc|peso|rouble|ruble|won)s?\b",
    re.IGNORECASE,
)
# a change over a period shorter than a year ("quarter on quarter", "sequentially")
_PERIOD_ON_PERIOD = re.compile(
    r"\b(?:(?:quarter|month|week|day)[- ]on[- ](?:quarter|month|week|day)|sequentially"
    r"|[qmw]-o-[qmw]|on\s+the\s+(?:quarter|month|week|day)"
    r"|(?:from|on|over)\s+the\s+(?:previous|preceding|prior|last)\s+(?:quarter|month|week|day)"
    rf"|over\s+(?:{_MONTHS})|over\s+the\s+\w+\s+quarter)\b",
    re.IGNORECASE,
)
# the period of the new end, which may be the change's own only beside a value compared with
# ("in the quarter to $5.2bn, compared with $4.7bn a year earlier"); a start the change is
# "from" is its start ("jumped 101.32% to Rs430.13 crore in the quarter from Rs213.66 crore in
# the same quarter last year")
_PERIOD_OF_NEW = re.compile(
    r"\b(?:in\s+the\s+(?:quarter|month|week)|over\s+the\s+(?:period|quarter|month|week))\b",
    re.IGNORECASE,
)
# words naming what a change's start measures, then "of" ("over 2005 GAAP net income of")
_NAMED_START = re.compile(
    r"\b(?:over|on|from)\s+"
    r"((?:[^\s,;:()]+\s+){1,7}?)of\s+(?:[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
# a word naming a time (a change compares one measure at two times), or the measure in general
_A_TIME = re.compile(
    rf"\b(?:\d{{4}}|{_MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|year|quarter|month|week|day|half|season|period|prior|previous|preceding|last|earlier"
    r"|ago|fy\d*|q[1-4])(?:[’']s|s)?\b"
    # or the measure in general words, the same one: "from the rate of 0.97 per cent"
    r"|\b(?:rate|level|median|reading)s?\b",
    re.IGNORECASE,
)
# the direction a start after "up from"/"down from" must not say
_OTHER_WAY = {"up": "down", "down": "up"}
# a possessive naming another period than a year before: "the first quarter's"
_POSSESSIVE = re.compile(r"((?:[\w-]+\s+){0,2}[\w-]+)[’']s\s*$")
_YEAR_BEFORE_WORDS = re.compile(
    r"\b(?:last\s+year|year[- ](?:ago|earlier)(?:\s+\w+)?|(?:previous|prior|preceding)\s+year"
    rf"|{_YEAR_EARLIER}|\d{{4}})$",
    re.IGNORECASE,
)


def _possessive_a_year_before(compared: str) -> bool | None:
    """Whether a possessive at the end of a comparison's words names the year before
    ("compared to last year's") or another period ("up from the first quarter's"); None
    without a possessive (docs/relations.md)."""
    m = _POSSESSIVE.search(compared)
    return None if m is None else _YEAR_BEFORE_WORDS.search(m.group(1)) is not None


# a figure restated after ", or": "22% of the total, or €109.5bn"
_RESTATED = re.compile(r"[,(]\s*(?:or|that\s+is|i\.e\.)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
# a value that is no earlier value of the measure: "from the target level of"
_NO_EARLIER_VALUE = re.compile(
    r"\b(?:target|forecast|budget|estimate|expected|projected|goal|consensus)", re.IGNORECASE
)
# a start a year before its change's new end
_YEAR_AGO = re.compile(
    rf"^\s+(?:{_YEAR_EARLIER}|last\s+year"
    r"|(?:in|for)\s+the\s+same\s+\w+\s+(?:last|a|of\s+the\s+previous)\s+year"
    r"|(?:in\s+)?the\s+year[- ](?:ago|earlier)\b)",
    re.IGNORECASE,
)
# a participle that names another measure's move after a change ("a rise of 12% last year,
# lifting revenue to $3.0m from $2.5m")
_LIFTING = re.compile(rf"\b(?:{'|'.join(MOVE_PARTICIPLES)})\b", re.IGNORECASE)
# a range after a change's last end: "from £20 to £45 depending on the seat"
_DEPENDING = re.compile(r"^\s*,?\s*(?:depending\s+on|varying\s+(?:by|with))\b", re.IGNORECASE)
# a change said to be on the year before, beside a start of a shorter period before
_YEAR_ON_YEAR = re.compile(r"\b(?:year[- ]on[- ]year|y-o-y|yoy)\b", re.IGNORECASE)
_PREVIOUS_SHORTER = re.compile(
    r"^\s+(?:in\s+)?the\s+(?:previous|prior|preceding)\s+(?:quarter|month|week)", re.IGNORECASE
)
# the period a change is measured against, named between it and its ends
_COMPARED_PERIOD = re.compile(
    r"\b(?:compared\s+(?:to|with)|against|versus|over|on|from)\s+(?:the\s+)?"
    r"(?:same|previous|prior|preceding|corresponding)\b",
    re.IGNORECASE,
)
# a rate between a change's ends: "a rate of 410 per 100,000 residents, up from 390"
_RATE_OF = re.compile(r"\ban?\s+(?:[\w-]+\s+)?rate\s+of\b|\bper\s+(?!cent\b)[\d,.]+", re.IGNORECASE)
# a word opening another clause before a figure ("… while its funds stand at KSh46.4 billion")
_WHILE = re.compile(r"\b(?:while|whereas|but)\b|;", re.IGNORECASE)
# a new clause between two figures of one change ("rose 7%, while reported revenue rose to")
_NEW_CLAUSE = re.compile(r"[,;]\s*(?:while|whereas|but|although|though|and)\s", re.IGNORECASE)


@lru_cache(maxsize=2)
def _change_to(tail: str) -> re.Pattern[str]:
    """A change word, up to three words, a new end's word ("falling to", "and revenue climbed
    to"), then ``tail``, in the words of the relations file."""
    w = word_lists()
    return re.compile(
        rf"(?:{w['rise']}|{w['fall']})\s+(?:\S+\s+){{0,3}}?(?:{w['to']}){tail}", re.IGNORECASE
    )


# a move's words that are no restatement of the change: "up"/"down" before a start are
# :data:`_COMPARED`'s, "higher"/"lower" compare
_NOT_ANOTHER_MOVE = frozenset({"up", "down", "higher", "lower"})


@lru_cache(maxsize=1)
def _earlier_move() -> re.Pattern[str]:
    """Words of another move, earlier or undone, between a change's new end and its start:
    "having climbed from", "recovering most of Monday's fall from", "a rally from"
    (docs/relations.md): the relations file's ``rise``, ``fall`` and ``earlier_move``."""
    w = word_lists()
    return re.compile(rf"{w['rise']}|{w['fall']}|{w['earlier_move']}", re.IGNORECASE)


def _move_gap(
    named: dict[str, dict[str, Any]], figs: list[dict[str, Any]], sentence: str, s_start: int
) -> str:
    """The words between a change's new end and its start stated after it, up to the first
    figure there that may size a move (of the change's kind or the new end's), without that
    size's own noun: ", an increase of" before "$140.5 million from $657.6 million" is the same
    move's (docs/relations.md)."""
    change, old, new = named["change"], named["old"], named["new"]
    stop = old["start"]
    for f in figs:
        if new["end"] <= f["start"] < stop and (
            f is change or _alike_kind(f, change) or _alike_kind(f, new)
        ):
            stop = f["start"]
    gap = sentence[new["end"] - s_start : stop - s_start]
    return _own_noun().sub("", gap) if stop != old["start"] else gap


@lru_cache(maxsize=1)
def _own_noun() -> re.Pattern[str]:
    """A change's own noun before its size: "an increase of", "a sharp rise of"."""
    w = word_lists()
    return re.compile(
        rf"(?:\b(?:a|an|the)\s+)?(?:[\w-]+\s+)?(?:{w['rise']}|{w['fall']})\s+(?:of|by)\s*$",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _start_word() -> re.Pattern[str]:
    """A word that opens a start, right before a figure: "up from", "compared with the"."""
    w = word_lists()
    return re.compile(rf"(?:{w['from']})(?:\s+{w['det']})*\s+$", re.IGNORECASE)


def _another_move(gap: str) -> bool:
    """Whether ``gap`` holds :func:`_earlier_move`'s words, "up", "down", "higher" and
    "lower" aside (a comparison's, :data:`_COMPARED`)."""
    return any(m.group(0).lower() not in _NOT_ANOTHER_MOVE for m in _earlier_move().finditer(gap))


def _new_end() -> re.Pattern[str]:
    """Another change's words at the end of a gap, its new end after it ("and revenue
    climbed to")."""
    return _change_to(r"\s*$")


def _another_change() -> re.Pattern[str]:
    """A change with a new end of its own ("after falling to 7,749")."""
    return _change_to(r"\s+\S*\d")


@lru_cache(maxsize=1)
def _same_span() -> re.Pattern[str]:
    """The same span of another year, ending its phrase ("in the same quarter last year",
    "same month last year showing …": the relations file's ``showing`` participles)."""
    return re.compile(
        r"^\s+(?:(?:in|for|during)\s+)?(?:the\s+)?same\s+(?:quarter|month|week|period|half|season)"
        rf"(?:\s+(?:of|in)\s+\d{{4}}|\s+{_YEAR_EARLIER}|\s+last\s+(?:fiscal\s+|financial\s+)?year"
        r"|\s+(?:of|in)\s+the\s+(?:previous|last|preceding|prior)\s+(?:[a-z]+\s+)?year)?"
        rf"\s*(?:[.,;:)—–]|$|\s+(?={word_lists()['showing']}))",
        re.IGNORECASE,
    )


_YEAR_BEFORE = re.compile(
    r"^\s+(?:in|for|during)\s+(?:the\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?|fy\s*)?"
    rf"(?:(?P<label>[QH][1-4]|{_MONTHS})\s+)?(\d{{4}})(?:[-–/]\d\d(?:\d\d)?)?\s*(?:[.,;:)—–]|$|\s+an?\s)",
    re.IGNORECASE,
)


# a participle of recording between a compared value and its period: "37,399 visitor arrivals
# recorded for the same period last year"
_RECORDED = re.compile(
    r"^\s+(?:recorded|reported|registered|posted|seen|logged)"
    r"(?=\s+(?:in|for|during|the|last|a|one)\s)",
    re.IGNORECASE,
)


def _a_year_before(after_old: str, head: str) -> bool:
    """Whether the compared value is the same span a year before: a year or the same period
    a year ago ("in the same period of 2021", "for the same quarter one year ago"), or a year
    just before one named before it (``head``: the sentence up to the compared value; "for
    fiscal year 2011" after "fiscal year 2012"; "in Q2 2017" after "Q2 2018"). A period it
    dates by its year is a year before the one named before it, if any: "compared with 61,155
    in the same period of 2018" after 2017 is a year later (docs/relations.md)."""
    after_old = _RECORDED.sub("", after_old, count=1)  # "37,399 recorded for the same period"
    span = _SAME_PERIOD.match(after_old) or _same_span().match(after_old)
    if span:
        dated = re.search(r"\b(?:19|20)\d\d\b", span.group(0))
        return (  # no year before it to compare with, or the year after its own
            dated is None
            or not re.search(r"\b(?:19|20)\d\d\b", head)
            or re.search(rf"\b{int(dated[0]) + 1}\b", head) is not None
        )
    year = _YEAR_BEFORE.match(after_old)
    if year is None:
        return False
    label = rf"{year['label']}\s+" if year["label"] else ""  # "in Q2 2017" beside "Q2 2018"
    return re.search(rf"\b{label}{int(year[2]) + 1}\b", head, re.IGNORECASE) is not None


_A_YEAR_RATE = re.compile(
    r"\b(?:annual|annually|a\s+year(?!\s+(?:later|ago|earlier|before))|per\s+year|per\s+annum)\b",
    re.IGNORECASE,
)
# a compared value's year, its clause's end, and the words naming the change's size next:
# "down from 70.7% in 2010, showing a decline of " (docs/relations.md)
_YEAR_THEN_SIZE = re.compile(r"^\s+in\s+(?:19|20)\d\d\s*[,;(—–]\s*[^\W\d_][^,;()—–\d]*$")
# a value dated by a year right after it (its noun aside): "65,000 … in 2009"
_IN_YEAR = re.compile(r"^\s+in\s+((?:19|20)\d\d)\b")


def _scale_once(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Two ends of a change, one scaled ("KSh11.9 billion") and one not ("KSh10.2"), their
    numbers as written within ten times of each other: the scale was written once, or the
    figure is another's (docs/relations.md)."""
    if old["kind"] not in ("money", "count") or not old["value"] or not new["value"]:
        return False
    scale_a, scale_b = (
        written_scale(old["text"], old["value"]),
        written_scale(new["text"], new["value"]),
    )
    if not scale_a or not scale_b:
        return False
    if min(scale_a, scale_b) > 1.5 or max(scale_a, scale_b) < 1000:
        return False  # both scaled, or neither (a subunit's 0.01 aside)
    a, b = abs(old["value"]) / scale_a, abs(new["value"]) / scale_b  # the numbers as written
    return max(a, b) / min(a, b) < 10


# a start after "when there were" ("a 92-percent increase from last year, when there were only
# 209,335 cases")
_WHEN_THERE_WERE = re.compile(r"\bwhen\s+(?:there|it|they)\s+(?:were|was|stood)\b", re.IGNORECASE)
# the period a change is measured against, said between it and its new end ("in December from
# the corresponding month of 2017 — to 39,984"; "year-on-year")
_AGAINST_STATED = re.compile(
    r"\b(?:from|on|over|compared\s+(?:to|with)|against|versus)\s+(?:a\s+year\s+(?:earlier|ago|"
    r"before)|the\s+(?:previous|prior|preceding|corresponding|same)\s+(?:year|quarter|month|week"
    r"|period))|\byear[- ]on[- ]year\b|\by-o-y\b|\byoy\b",
    re.IGNORECASE,
)
# a value said to be a gap or a rate, not a level: "when it was £4m lower", "£4m a month"
_A_GAP = re.compile(
    r"^\s+(?:lower|higher|more|less|fewer|smaller|bigger|larger|greater|below|above|under|over"
    r"|short|behind|ahead|up|down|a\s+(?:day|week|month|year)|per|each|on\s+average)\b",
    re.IGNORECASE,
)
# a rate per period among a change's words: "a 5% increase a year in rents from £1,000"
_PERIOD_RATE = re.compile(
    r"\b(?:(?:a|per|each|every)\s+(?:year|month|week|day|quarter)"
    r"(?![\s-]+(?:later|ago|earlier|before|on)\b)|annually|per\s+annum|on\s+average"
    r"|on\s+an?\s+(?:annual|yearly|monthly)\s+basis|year[\s-]+(?:on|after)[\s-]+year)\b",
    re.IGNORECASE,
)


def _counts_alike(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a start after "when there were" counts what the new value counts: both counts
    name their noun, the same one ("402,694 dengue cases … when there were only 209,335
    cases"); money and percentages by their unit alone."""
    return old["kind"] != "count" or (noun(old) is not None and noun(old) == noun(new))


@lru_cache(maxsize=1)
def _label_before() -> re.Pattern[str]:
    """A label noun right before a figure, after a verb's participle ("Pupils achieving grade
    4"): its number names; not "in the group stage 48 teams"."""
    labels = alternation(load_lexicon().label_nouns)
    return re.compile(rf"\b[a-z]+(?:ing|ed)\s+(?:{labels})\s+$", re.IGNORECASE)


def _dated_ends(
    new: dict[str, Any], old: dict[str, Any], change: dict[str, Any], sentence: str, s_start: int
) -> bool:
    """Whether the new value and the one it is compared with are each dated by a year right
    after them, and the change follows both: the change between the two years named ("65,000
    … in 2009 compared to 97,460 in 2001, a decline of 33 percent"; docs/relations.md)."""
    if not new["end"] <= old["start"] < old["end"] <= change["start"]:
        return False
    after_old = sentence[old["end"] - s_start :]
    if _YEAR_ON_YEAR.search(after_old) or _A_YEAR_RATE.search(after_old):
        return False  # "… in 2024, compared with 10 million tonnes in 2022, a 10 percent
        # year-on-year rise": a rate per year, not the change between the two
    new_year = _IN_YEAR.match(_past_noun(new, sentence[new["end"] - s_start :]))
    old_year = _IN_YEAR.match(_past_noun(old, sentence[old["end"] - s_start :]))
    # the later year's value is the new end: "65,000 farms in 2001 compared to 97,460 in 2009"
    # names the start first, and is no change from the 97,460
    return new_year is not None and old_year is not None and new_year[1] > old_year[1]


def _past_noun(fig: dict[str, Any], after: str) -> str:
    """The text ``after`` a figure, past the noun a count is of ("102,379 tonnes in May")."""
    noun = fig["unit"] if fig["kind"] == "count" else None
    if noun and after.lower().startswith(f" {noun.lower()}"):
        return after[len(noun) + 1 :]
    return after


_RANGING = re.compile(r"\branging\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _other_subject() -> re.Pattern[str]:
    """A participle with a subject of its own after the new value ("$5.2bn, rice posting a
    rise of"): the relations file's ``showing`` words."""
    return re.compile(
        r",\s+(?:with\s+)?(?!(?:thus|so|hence|while|thereby)\b)[A-Za-z][\w’'-]*"
        rf"(?:\s+[\w’'-]+){{0,2}}\s+(?:{word_lists()['showing']})\b",
        re.IGNORECASE,
    )


_AND_FROM = re.compile(r"\b(?:and|while|but|whereas)\s+from\b", re.IGNORECASE)
_THEN = re.compile(
    r"^(?:\s+(?!compared\b|as\b)[a-z]+)?(?:\s+in\s+(?:19|20)\d\d)?\s*,?\s+(?:and|then|to|before)"
    r"\s+(?:to\s+)?$",
    re.IGNORECASE,
)


def _third_value(
    new: dict[str, Any],
    old: dict[str, Any],
    figs: list[dict[str, Any]],
    sentence: str,
    s_start: int,
) -> bool:
    """A value of the new end's kind and unit right after it, joined by "and", "then" or "to"
    (its year aside): the series goes on, and the change may be to its last value."""
    after = [f for f in figs if f["start"] >= new["end"] and f["kind"] not in ("year", "date")]
    return bool(after) and (
        after[0] is not old
        and _unit_fits(after[0], new)
        and _THEN.match(sentence[new["end"] - s_start : after[0]["start"] - s_start]) is not None
    )


_DATED = re.compile(r"^(?:\s+[a-z]+)?\s+in\s+((?:19|20)\d\d)\b")


def _years_backwards(old: dict[str, Any], new: dict[str, Any], sentence: str, s_start: int) -> bool:
    """Both ends dated by a year right after them (their noun aside), the start's not the
    earlier: "from 606 in 2009 to 385 in 2008" (docs/relations.md)."""
    years = [_DATED.match(sentence[f["end"] - s_start :]) for f in (old, new)]
    return all(years) and int(years[0][1]) >= int(years[1][1])  # type: ignore[index]


_OR_BETWEEN = re.compile(r"\bor\b", re.IGNORECASE)
_COMMA_HEDGE = re.compile(r"^(?:\s+[^\s,]+)?\s*[,–—]\s*(?:[a-z]+\s+)?$")  # its unit, a hedge


def _amount_restated(
    new: dict[str, Any],
    change: dict[str, Any],
    figs: list[dict[str, Any]],
    sentence: str,
    s_start: int,
) -> bool:
    """A "new value" with ``or`` between it and the change and a figure of its kind and unit
    right before it (a comma and a hedge at most between): the change's amount in other words,
    the figure before it the new value (docs/relations.md)."""
    if change["start"] < new["end"] or not _OR_BETWEEN.search(
        sentence[new["end"] - s_start : change["start"] - s_start]
    ):
        return False
    before = [f for f in figs if f["end"] <= new["start"]]
    return bool(before) and (
        _unit_fits(before[-1], new)
        and _COMMA_HEDGE.match(sentence[before[-1]["end"] - s_start : new["start"] - s_start])
        is not None
    )


def _unsure_change(
    relation: Relation,
    named: dict[str, dict[str, Any]],
    figs: list[dict[str, Any]],
    sentence: str,
    s_start: int,
    direction: str | None = None,
) -> bool:
    """A change (percent, points or amount) whose stated ends may not be the ends the change
    is measured between, not a statement to call wrong (docs/relations.md): a basis a
    percent may be on and the ends not ("at constant currency", "organic", "in real terms");
    a value only compared with ("versus the $3.52 billion expected by analysts", "compared
    with £1,050 in 2019") unless the clause ends there or it is a year before; a time frame
    of the change's own and another of the starting value's ("up 25% since 2020 … $3.70 a
    year ago"); or a new clause between the figures ("rose 7%, while revenue rose to")."""
    if not {"change", "old", "new"} <= set(named):
        return False
    change, old, new = named["change"], named["old"], named["new"]
    if change["kind"] == "percent" and _BASIS.search(sentence):
        return True
    if _scale_once(old, new):
        return True  # "KSh11.9 billion compared to KSh10.2": the scale written once
    before_new = sentence[max(0, new["start"] - s_start - 40) : new["start"] - s_start]
    if _BASE_OF.search(before_new):  # the base of another comparison is no change's new end
        return True
    if change["end"] < old["start"] and _PERIOD_RATE.search(
        sentence[change["end"] - s_start : old["start"] - s_start]
    ):
        return True  # "a 5% increase a year in rents from £1,000 in 2015": a rate per year
    last = max(change["end"], new["end"])
    if last < old["start"] and _NO_EARLIER_VALUE.search(
        sentence[last - s_start : old["start"] - s_start]
    ):
        return True  # "up 1.2% against the target of 25 million kg": a target is no start
    if new["end"] < old["start"] and _AND_FROM.search(
        sentence[new["end"] - s_start : old["start"] - s_start]
    ):
        return True  # "to 600 in 2020 in primary schools and from 300": another pair's start
    if new["end"] < change["start"] and _other_subject().search(
        sentence[new["end"] - s_start : change["start"] - s_start]
    ):
        return True  # "Exports totalled $5.2bn, rice posting a rise of 10%": the rice's change
    if _RANGING.search(sentence[change["end"] - s_start : old["start"] - s_start]):
        return True  # "a 10% rise in prices ranging from £20 in 2019 to £60": a range
    if _third_value(new, old, figs, sentence, s_start):
        return True  # "from 606 in 2008 to 385 in 2009 and 303 in 2010": which end is new?
    if _years_backwards(old, new, sentence, s_start):
        return True  # "from 606 in 2009 to 385 in 2008": the later value is not the new one
    if _amount_restated(new, change, figs, sentence, s_start):
        return True  # "a record 44 mt, about 6 mt or 15 per cent more than 38.14 mt"
    if any(_RATE.match(sentence[f["end"] - s_start :]) for f in (old, new)):
        return True  # "about $440 at R$5 per dollar": an exchange rate, no end of the change
    before_old = sentence[max(0, old["start"] - s_start - 40) : old["start"] - s_start]
    after_old = sentence[old["end"] - s_start :]
    after_old = _past_noun(old, after_old)  # "102,379 tonnes in the preceding month"
    compared = _COMPARED.search(before_old)
    possessive = _possessive_a_year_before(compared.group(0)) if compared else None
    sized_after = (
        (  # only after "up from" or "down from": "compared with" may run backwards
            compared is not None
            and re.search(r"\b(?:up|down)\s+from\b", compared.group(0), re.IGNORECASE) is not None
            and change["start"] > old["end"]
        )
        and _YEAR_THEN_SIZE.match(sentence[old["end"] - s_start : change["start"] - s_start])
    )
    if (
        compared
        and not sized_after
        and not _a_year_before(after_old, sentence[: old["start"] - s_start])
        and not _dated_ends(new, old, change, sentence, s_start)
        and not (
            possessive  # "compared to last year's Rs 2,650 crores aid"
            and not _NO_EARLIER_VALUE.match(after_old.lstrip())  # not "… $4 million target"
        )
    ):
        return True
    if _WHEN_THERE_WERE.search(sentence[change["end"] - s_start : old["start"] - s_start]) and (
        not _counts_alike(old, new) or _A_GAP.match(after_old) or _IN_YEAR.match(after_old)
    ):
        return True  # "45,000 acres, … from last year, when there were 30 fewer fires"
    if any(
        re.fullmatch(r"\d{1,3}", f["text"])
        and _label_before().search(sentence[: f["start"] - s_start])
        for f in (old, new)
    ):
        return True  # "Pupils achieving grade 4 were up 2 percent from 70,000": a label's number
    named_start = _NAMED_START.search(before_old)
    if (
        named_start
        and re.search(r"\b(?:19|20)\d\d\b", named_start.group(1))
        and _CHANGE_FRAME.match(sentence[change["end"] - s_start :])
    ):
        return True  # "rose by 3% in 2022 from the 2019 level of": two periods
    if _PER_PERIOD.match(sentence[change["end"] - s_start :]):
        return True  # "an increase of 4.2% a year": a yearly rate, not the change between the ends
    other_way = _OTHER_WAY.get(direction or "")
    if other_way and re.search(rf"\b{other_way}\s+from\s+(?:\S+\s+){{0,3}}$", before_old, re.I):
        return True  # "rose 12% to $56m, down from the first quarter's $61m": another comparison
    if possessive is False:
        return True  # ", up from the first quarter's $50m": another period's
    if new["start"] < change["start"] and _RESTATED.search(before_new):
        return True  # "22% of the total, or €109.5bn, up 5.2% on …": the total's, restated
    if any(  # "to 39,800, … an average of 1,224, up from 1,137"; "to KSh349.3billion while
        # its total shareholder funds now stands at KSh46.4 billion from KSh38.4billion"
        f is not new
        and f is not change  # an amount's own size: "down by Rs 35 crores compared to"
        and _alike_kind(f, old)
        and new["end"] <= f["start"] < old["start"]
        and (
            compared
            or _WHILE.search(sentence[new["end"] - s_start : f["start"] - s_start]) is not None
        )
        for f in figs
    ):
        return True
    if named_start and (
        not _A_TIME.search(named_start.group(1)) or _NO_EARLIER_VALUE.search(named_start.group(1))
    ):
        return True  # "up 35% on revenue of $1.2 billion": another measure, no other time
    if (
        _CHANGE_FRAME.match(sentence[change["end"] - s_start :])
        and _OLD_FRAME.match(after_old)
        and not _AGAINST_STATED.search(sentence[change["end"] - s_start : new["start"] - s_start])
    ):
        return True  # "rose 2% in May to 50,000 units from 40,000 a year ago": the month's move
        # or the year's, unless the period compared against is said
    shorter = _PERIOD_ON_PERIOD.search(sentence) or (compared and _PERIOD_OF_NEW.search(sentence))
    if shorter and (_YEAR_AGO.match(after_old) or _same_span().match(after_old)):
        return True  # "rose 3% quarter on quarter to $5.2bn, compared with $4.7bn a year earlier"
    low, high = sorted((new["end"], old["start"]))
    if _RATE_OF.search(sentence[low - s_start : high - s_start]):
        return True  # "rose 12% to 5,600, a rate of 410 per 100,000, up from 390": the rate's
    if new["start"] < old["start"] and _another_change().search(
        sentence[new["end"] - s_start : old["start"] - s_start]
    ):
        return True  # "rose 1.2% to 7,842 after falling to 7,749 from 7,910": that fall's start
    if new["start"] < old["start"] and _another_move(_move_gap(named, figs, sentence, s_start)):
        return True  # "rose 1.1% to $83.40, having climbed from $80.10": an earlier move's
    if change["end"] <= new["start"]:
        gap = sentence[change["end"] - s_start : new["start"] - s_start]
        if new["start"] < old["start"] and re.search(r"\d", gap) and _new_end().search(gap):
            return True  # "rose 12% to $340m and revenue climbed to $2.9bn": another's new end
        if _LIFTING.search(gap):
            return True  # "a rise of 12% last year, lifting revenue to $3.0m": revenue's ends
    last = max(f["end"] for f in (change, old, new))
    if _DEPENDING.match(_past_noun(new if new["end"] == last else old, sentence[last - s_start :])):
        return True  # "from £20 to £45 depending on the seat": a range of prices
    if _YEAR_ON_YEAR.search(sentence) and _PREVIOUS_SHORTER.match(after_old):
        return True  # "compared with $5.0bn in the previous quarter, … 10.6%, year on year"
    if change["end"] <= min(old["start"], new["start"]) and _OLD_FRAME.match(after_old):
        between = sentence[change["end"] - s_start : min(old["start"], new["start"]) - s_start]
        if _COMPARED_PERIOD.search(between):
            return True  # "rose 5% compared with the previous year, from $1.00 in January"
    in_order = sorted(named.values(), key=lambda f: f["start"])
    return any(
        _NEW_CLAUSE.search(sentence[a["end"] - s_start : b["start"] - s_start])
        for a, b in itertools.pairwise(in_order)
    )


_INCLUDES = re.compile(r"\binclud(?:e|es|ed|ing)\b", re.IGNORECASE)
_RUNNING = re.compile(r"\b(?:bringing|taking)\s+the\s+total\b", re.IGNORECASE)
_SO_FAR = re.compile(r"\b(?:so|thus)\s+far\b|\bto\s+date\b|\buntil\s+now\b", re.IGNORECASE)
_OF_IT = re.compile(r"^\s+of\s+(?:it|them|this|that|these|those)\b", re.IGNORECASE)
_TOGETHER = re.compile(r"\b(?:together|combined|between\s+them|jointly)\b", re.IGNORECASE)
_OVERLAP = re.compile(
    r"\b(?:both|overlap\w*|more\s+than\s+one|(?:many|some|most|several)\s+of\s+(?:them|whom|these|those))\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(?:from|than|compared|versus|vs|against|since)\b", re.IGNORECASE)
# parts said to leave some out: "with the rest spread across smaller islands"
_THE_REST = re.compile(
    r"\b(?:the\s+rest|the\s+remainder|the\s+others|others|the\s+balance)\b", re.I
)
# a change's amount or a compared value is no share's part ("$4bn, $1bn more than last year,
# which represents 10% of the $40bn budget"; "up $3bn from the previous year, accounting for")
_AMOUNT_OF_CHANGE_BEFORE = re.compile(
    rf"(?:(?:^|[,;(—–])\s*(?:up|down)|\b(?:{COMPARED}|from|(?:double|twice|triple)\s+the"
    r"|(?:increase|rise|fall|drop|decrease|cut|gain|loss|jump)\s+of|(?:rose|fell|grew|increased|"
    r"decreased|dropped|declined|climbed|jumped)\s+by))\s+(?:[^\s,;:]+\s+)?$",
    re.IGNORECASE,
)
# a total read after the share that is itself the part of a figure after it: "1,200 of 3,000"
_PART_OF_ANOTHER = re.compile(r"^\s+(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+)?\S*\d")
_AMOUNT_OF_CHANGE_AFTER = re.compile(r"^\s+(?:more|less|fewer|higher|lower)\b", re.IGNORECASE)
# a share's whole named in words, then a comma: "41% of the total, with the backlog at"
_WHOLE_IN_WORDS = re.compile(r"\s+of\s+[^,;:()\[\]]+,([^,;:()\[\]]*)$", re.IGNORECASE)
# a share's whole named in words, then another clause with no comma: "46.7 percent of the total
# value and non-metallic minerals … is Rs 60,512 crore"
_WHOLE_THEN_CLAUSE = re.compile(
    r"^\s+of\s+[^,;:()\[\]\d]*?\b(?:and|while|whereas|but|with)\s", re.IGNORECASE
)
# what may lead from that comma to the total: nothing, or "or", "that is"
_THE_WHOLE_AFTER = re.compile(
    r"\s*(?:(?:or|that\s+is|i\.e\.|namely)(?:\s+\S+){0,3}\s*)?$", re.IGNORECASE
)


def _some_parts(
    relation: Relation, named: dict[str, dict[str, Any]], sentence: str, s_start: int
) -> bool:
    """Parts that need not make the whole (docs/relations.md): a sum whose parts follow
    "includes" ("The bill includes $550 billion … and $110 billion for roads, $1.2 trillion
    in all"); a running total ("bringing the total to 1,214") whose first part is not the
    total so far ("Rs 3.45 lakh crore so far and another Rs 44,762 crore …, taking the total
    to …" is a sum); a share "of it" (of the figure before it, not of a later total: "$12
    million, 85% of it on programmes, from income of $15 million"); and a share whose part
    is said to be one of several taken together ("£248bn and VAT £160bn, together almost
    half of total receipts of £915bn")."""
    parts = [f for name, f in named.items() if name == "part" or name.startswith("part_")]
    if relation.name == "sum" and parts and "total" in named:
        first = min(f["start"] for f in parts)
        clause = re.split(r"[,;:()—–]", sentence[: first - s_start])[-1]
        if _INCLUDES.search(clause):  # the parts' own clause: "The bill includes $550bn …"
            return True
        if _OVERLAP.search(sentence):  # "many of them for both": the parts overlap
            return True
        last, total = max(f["end"] for f in parts), named["total"]
        if _THE_REST.search(sentence[last - s_start :]):
            return True  # "1,100 in Cebu and 900 in Leyte, with the rest spread across …"
        if total["end"] <= first:  # "A total of 1,450 flights were cancelled, 680 at …"
            gap = _past_noun(total, sentence[total["end"] - s_start : first - s_start])
            own_clause = re.match(r"([^,:;()\[\]—–]*),", gap)
            if own_clause and own_clause.group(1).strip():
                return True
        running = _RUNNING.search(sentence[last - s_start : total["start"] - s_start])
        second = sorted(f["start"] for f in parts)[1] if len(parts) > 1 else total["start"]
        return running is not None and not _SO_FAR.search(sentence[: second - s_start])
    if relation.name == "share" and "part" in named and "share" in named:
        part, share = named["part"], named["share"]
        bracketed = sentence[part["end"] - s_start :].lstrip().startswith("(")
        if not bracketed and (
            _AMOUNT_OF_CHANGE_BEFORE.search(sentence[: part["start"] - s_start])
            or _AMOUNT_OF_CHANGE_AFTER.match(_past_noun(part, sentence[part["end"] - s_start :]))
        ):
            return True  # "$4bn, $1bn more than last year, which represents 10%": the $4bn's
        later_total = "total" in named and named["total"]["start"] > share["start"]
        total_end = named["total"]["end"] - s_start if "total" in named else 0
        if later_total and _PART_OF_ANOTHER.match(sentence[total_end:]):
            return True  # "… damaged 40% of homes, 1,200 of 3,000": the 1,200 is a part itself
        if later_total and _OF_IT.match(sentence[share["end"] - s_start :]):
            return True  # "$12 million, 85% of it on programmes": a share of the $12 million
        gap = sentence[share["end"] - s_start : named["total"]["start"] - s_start]
        if later_total and _COMPARISON.search(gap):
            return True  # "fell to $12bn, 40% of the total, from $14bn": where the part fell from
        whole = _WHOLE_IN_WORDS.match(gap) if later_total else None
        if whole and not _THE_WHOLE_AFTER.match(whole.group(1)):
            return True  # "$2.13bn, 41% of the total, with the order backlog at $9.8bn"
        if later_total and _WHOLE_THEN_CLAUSE.match(gap):
            return True  # "46.7 percent of the total value and non-metallic minerals … is"
        if part["start"] < share["start"]:
            gap = sentence[part["end"] - s_start : share["start"] - s_start]
            return _TOGETHER.search(gap) is not None
    return False


_COUNTED_BEFORE = re.compile(
    r"(?:\b\d{1,2}|\b(?:two|three|four|five|six|seven|eight|nine|ten|several|many|both|multiple))"
    r"\s+$",
    re.IGNORECASE,
)


# a duration counted or repeated inside bounds: "every four years", "on three days"
_REPEATED = re.compile(
    r"\b(?:(?:every|each|on|average\s+of)\s+(?:[\w-]+\s+)?|by\s+)$", re.IGNORECASE
)  # also a change's size ("rose by 2.4 years, from 2000 to 2019") and an average
# a length per period: "120 days a year", "six hours a week", "30 days annually"
_PER_PERIOD = re.compile(
    r"^\s+(?:(?:a|an|per|each|every)\s+(?:year|month|week|day|season|quarter)\b"
    r"|(?:annually|yearly|monthly|weekly|daily)\b|per\s+annum\b|on\s+average\b)",
    re.IGNORECASE,
)
# a determiner that makes the duration the period the bounds name: "the five years between"
_THE_PERIOD = re.compile(
    r"\b(?:the|those|these|its|their|his|her|this|that)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)
# more bounds after the span's: "from 2008 to 2016 and again from 2020 to 2024"
_MORE_BOUNDS = re.compile(
    r"^\s*,?\s*(?i:and|&|plus|then)\s+(?:(?i:again|later|then)\s+)?(?:(?i:from|between|in)\s+)?"
    r"(?:\d|[A-Z][a-z]+\.?\s+\d)"
)


def _not_its_length(
    relation: Relation, named: dict[str, dict[str, Any]], sentence: str, s_start: int
) -> bool:
    """A span's duration that is not the length between its bounds (docs/relations.md):
    one after "every", "each" or "on"; one that ``between`` bounds follow with no comma,
    bracket or determiner ("shut for three months between 2020 and 2022"); one whose bounds
    more bounds follow ("from 2008 to 2016 and again from 2020 to 2024")."""
    if relation.name != "span" or not {"duration", "from", "to"} <= set(named):
        return False
    duration, start, end = named["duration"], named["from"], named["to"]
    before = sentence[: duration["start"] - s_start]
    if _REPEATED.search(before) or _PER_PERIOD.match(sentence[duration["end"] - s_start :]):
        return True
    if duration["start"] < start["start"]:
        gap = sentence[duration["end"] - s_start : start["start"] - s_start]
        if (
            re.search(r"\bbetween\s*$", gap, re.IGNORECASE)
            and not re.search(r"[,;(—–]", gap)
            and not _THE_PERIOD.search(before)
        ):
            return True
    return _MORE_BOUNDS.match(sentence[end["end"] - s_start :]) is not None


@lru_cache(maxsize=1)
def _size_of_comparison() -> re.Pattern[str]:
    """A figure that is the size of a comparison: "£1.4bn more than", "3p above April" (the
    relations file's more and less words; not "over" and "under", which hedge)."""
    words = [w for key in ("more", "less") for w in words_of(key) if w not in ("over", "under")]
    return re.compile(rf"^\s+(?:{alternation(words)})\b", re.IGNORECASE)


# what opens a clause: where a new value stated before its change must come first
_CLAUSE_MARK = re.compile(r"[;:—–(]|,(?!\d)|(?<!\d),")  # not the comma of "1,096"


def _clause_start(head: str) -> int:
    """Where the clause that ``head`` ends opens: after its last comma (not one between
    digits), semicolon, colon, dash or bracket, or at its start."""
    last = 0
    for m in _CLAUSE_MARK.finditer(head):
        last = m.end()
    return last


# a word that opens another clause between a multiple's value and its multiplier
_OTHER_CLAUSE = re.compile(r"\b(?:but|while|whereas|although|and)\b", re.IGNORECASE)


def _one_of_several(
    relation: Relation,
    named: dict[str, dict[str, Any]],
    figs: list[dict[str, Any]],
    sentence: str,
    s_start: int,
) -> bool:
    """A new value stated before its change that is not the first figure of its kind in its
    clause, or not the last before its change ("96 goals in 38 league games, three more than
    the 93"; "48 seats, 12 in the north and 36 in the south, four fewer than the 52"); a
    multiple whose value is of another clause than its multiplier ("£9.1bn but more than three
    times the £2.4bn"); a multiple or a share read past a figure of its value's or part's kind
    (docs/relations.md)."""
    if "new" in named and "change" in named and named["new"]["start"] < named["change"]["start"]:
        new = named["new"]
        if _size_of_comparison().match(_past_noun(new, sentence[new["end"] - s_start :])):
            return True  # "£1.4bn more than a year earlier and £3.0bn more than the £17.5bn"
        head = sentence[: new["start"] - s_start]
        clause_start = s_start + _clause_start(head)
        change = named["change"]["start"]
        roles = [id(f) for f in named.values()]
        return any(  # another of its kind earlier in its clause, or between it and its change
            id(f) not in roles and _alike_kind(f, new) and clause_start <= f["start"] < change
            for f in figs
        )
    read_past = {"multiple": "value", "share": "part"}.get(relation.name)
    if read_past is not None and len(named) == 3 and read_past in named:
        ends = sorted(f["start"] for f in named.values())
        roles = [id(f) for f in named.values()]
        if any(  # "doubled to £228m from £104m, on revenue up 31% at £1.9bn"; "34 (65 per
            # cent) of 52 for Congress, four (17 per cent) out of 23"
            id(f) not in roles
            and _alike_kind(f, named[read_past])
            and ends[0] < f["start"] < ends[-1]
            for f in figs
        ):
            return True
    if relation.name == "multiple" and {"value", "times"} <= set(named):
        value, times = named["value"], named["times"]
        if value["end"] <= times["start"]:
            gap = sentence[value["end"] - s_start : times["start"] - s_start]
            return _OTHER_CLAUSE.search(gap) is not None
    return False


# a figure compared with the one after it: "operating profit of $300m against $250m"
_COMPARED_WITH_NEXT = re.compile(
    r"^\s+(?:against|as\s+against|versus|vs\.?|compared\s+(?:with|to))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _crossed(
    named: dict[str, dict[str, Any]], figs: list[dict[str, Any]], sentence: str, s_start: int
) -> bool:
    """A change whose ends another figure stands between as a change of its own (one of the
    change's kind and unit: "rose 1.2% to $84.20, adding to Monday's 2% gain from $81.57", the
    1.2% in the clause of a new end stated before the change counting as between), or
    as the figure its start is compared with ("$2.1bn, with operating profit of $300m against
    $250m in the year-ago quarter") (docs/relations.md)."""
    if not {"change", "old", "new"} <= set(named):
        return False
    change, old, new = named["change"], named["old"], named["new"]
    low, high = sorted((new["start"], old["start"]))
    roles = [id(f) for f in named.values()]
    if new["start"] < change["start"]:  # "rose 1.2% to $84.20 …, adding to Monday's 2% gain"
        low = min(low, s_start + _clause_start(sentence[: new["start"] - s_start]))
    for f in figs:
        if id(f) in roles or not low < f["start"] < high:
            continue
        if f["kind"] == change["kind"] and f["unit"] == change["unit"]:
            return True  # another change's size
        if (
            new["end"] <= f["start"] < old["start"]
            and _alike_kind(f, old)
            and _start_word().search(sentence[new["end"] - s_start : f["start"] - s_start])
        ):
            return True  # "to 4.75%, up from 4.5% and compared with 3.1% a year ago"
        if f["kind"] == "percent" != change["kind"] and new["end"] <= f["start"]:
            return True  # "by 4,625 tonnes to 106,350 tonnes, down 43% from": the percent's start
        if (
            old["start"] > f["start"]
            and _alike_kind(f, new)
            and _COMPARED_WITH_NEXT.match(sentence[f["end"] - s_start : old["start"] - s_start])
        ):
            return True  # the start is this figure's
    return False


def _alike_kind(f: dict[str, Any], new: dict[str, Any]) -> bool:
    """Of the new value's kind, and of its currency for money (a conversion in brackets,
    "72.1 million Australian dollars (€43.5 million)", is an aside)."""
    return f["kind"] == new["kind"] and (f["kind"] != "money" or f["unit"] == new["unit"])


def _own_whole(
    relation: Relation,
    named: dict[str, dict[str, Any]],
    figs: list[dict[str, Any]],
    sentence: str,
    s_start: int,
) -> bool:
    """An equivalent whose percent names a whole of its own ("of" after it) that the fraction's
    own whole does not share a word with ("two-thirds of those who voted, or 41% of all
    registered voters"; "one in three adults (38% of men and 29% of women)"): the percent may
    be of another whole or of a part. A fraction with no whole of its own ("a third, or 29 per
    cent of the applications") takes the percent's."""
    if relation.name != "equivalent" or not {"fraction", "percent"} <= set(named):
        return False
    fraction, percent = named["fraction"], named["percent"]
    if fraction["end"] <= percent["start"]:
        # "one in seven Pakistanis, the UN's $816m appeal has received $245m, or 30%"
        for f in figs:
            if (
                fraction["end"] <= f["start"] < percent["start"]
                and "," in sentence[fraction["end"] - s_start : f["start"] - s_start]
            ):
                return True
    own = _WHOLE_OF.match(sentence[percent["end"] - s_start :])
    if own is None or fraction["end"] > percent["start"]:
        return False
    between = sentence[fraction["end"] - s_start : percent["start"] - s_start]
    theirs = _content_words(between)
    return bool(theirs) and not theirs & _content_words(own.group(1))


_WHOLE_OF = re.compile(r"\s+of\s+([^,;:.()\[\]]{1,60})", re.IGNORECASE)
_NOT_CONTENT = frozenset(
    "of the all a an those these who that which or and including about some nearly almost".split()
)


def _content_words(text: str) -> set[str]:
    """The words of ``text`` that name something, by their first five letters."""
    words = re.findall(r"[a-z]+", text.lower())
    return {w[:5] for w in words if w not in _NOT_CONTENT}


def _per_term(
    relation: Relation, named: dict[str, dict[str, Any]], sentence: str, s_start: int
) -> bool:
    """A span whose length is that of each of several terms ("served two five-year terms,
    2008-2018"): the span is the product, which no stated figure gives (docs/relations.md)."""
    duration = named.get("duration") if relation.name == "span" else None
    if duration is None:
        return False
    before = sentence[max(0, duration["start"] - s_start - 20) : duration["start"] - s_start]
    return _COUNTED_BEFORE.search(before) is not None


def _step(fig: dict[str, Any]) -> float:
    return _precision(fig["text"], fig["value"], fig["kind"], fig["unit"])


_precision = lru_cache(maxsize=4096)(precision)  # a figure is compared with many others


def _rounds(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures agree: equal, or the more precise rounds to the other at its
    precision when that one has two significant digits or more ("$43 billion" / "$43.2
    billion"; not "3%" / "2.7%" nor "£1 trillion" / "£834 billion")."""
    x, y = float(a["value"]), float(b["value"])
    if x == y:
        return True
    coarse, fine = (a, b) if _step(a) >= _step(b) else (b, a)
    c = abs(float(coarse["value"]))
    if c < 10 * _step(coarse):  # one significant digit
        return False
    return rounds_to(float(fine["value"]), float(coarse["value"]), _step(coarse))


_WINDOW_BEFORE = re.compile(
    r"(?:\b(?:the|past|last|next|previous|coming|first|latest|recent|every|each|per)\s+)$",
    re.IGNORECASE,
)
_WINDOW_AFTER = re.compile(
    r"^\s+(?:to|ended|ending|through|until|since|ago|before|after|earlier|later)\b", re.IGNORECASE
)


def _time_window(text: str, fig: dict[str, Any]) -> bool:
    """A duration naming a period of reference ("in the 12 months to June", "over the next
    three years", "six years ago"): a time anchor, like a year, not a quantity restated."""
    return fig["kind"] == "duration" and bool(
        _WINDOW_BEFORE.search(text[max(0, fig["start"] - 30) : fig["start"]])
        or _WINDOW_AFTER.match(text[fig["end"] : fig["end"] + 20])
    )


_PART_JOIN = re.compile(r"\s*,?\s*(?:and\s+)?")


def _length_parts(text: str, rows: list[dict[str, Any]]) -> set[int]:
    """The starts of the durations that are parts of a length written in several units
    (``rows`` in text order): each followed, after a comma or "and", by one of a shorter unit
    ("two hours, five minutes and six seconds" is written from the longest down)."""
    parts: set[int] = set()
    for a, b in itertools.pairwise(rows):
        if (
            a["kind"] == b["kind"] == "duration"
            and UNIT_DAYS.get(a["unit"], 0.0) > UNIT_DAYS.get(b["unit"], math.inf)
            and _PART_JOIN.fullmatch(text, a["end"], b["start"])
        ):
            parts |= {a["start"], b["start"]}
    return parts


def _words_after(text: str, fig: dict[str, Any], n: int = 2) -> tuple[str, ...]:
    after = text[fig["end"] : fig["end"] + 40]
    return tuple(w.lower() for w in re.findall(r"[A-Za-z][\w’'-]*", after)[:n])


_STOP = frozenset(
    "a an the of in on at to for from by with and or as is was are were be been has have had "
    "that this it its their his her than more less about some over under nearly almost".split()
)
_NUMBERISH = re.compile(r"\d|^(?:million|billion|trillion|thousand|hundred|per|cent|percent|bn|m)$")
_TOKEN = re.compile(r"[^\s,.;:!?()\[\]\"“”‘’]+")


def _context(text: str, fig: dict[str, Any], n: int = 5) -> set[str]:
    """The content words within ``n`` words either side of a figure, in its sentence."""
    s_start = fig["sentence_start"]
    s_end = s_start + len(fig["sentence"])
    before = _TOKEN.findall(text[s_start : fig["start"]])[-n:]
    after = _TOKEN.findall(text[fig["end"] : s_end])[:n]
    words = {w.lower() for w in before + after} - _STOP
    # a crude stem: "increase(d)", "rent(s)"
    return {
        (w[:-1] if w.endswith("s") and len(w) > 3 else w)[:5]
        for w in words
        if not _NUMBERISH.search(w)
    }


def _context_past_unit(text: str, fig: dict[str, Any]) -> set[str]:
    """:func:`_context` without the word right after the figure, its unit or counted noun
    (which two figures of one unit share whatever they measure: "km/h", "t/ha")."""
    following = _TOKEN.findall(text[fig["end"] : fig["end"] + 40])[:1]
    return _context(text, fig) - {w.lower()[:5] for w in following}


def _distinctive(fig: dict[str, Any]) -> bool:
    """Money, and counts of 1,000 or more or with decimals: an equal value is hardly a
    coincidence. A percentage, a fraction or a small count repeats by chance."""
    value = float(fig["value"])
    if fig["kind"] == "money":
        return True
    return fig["kind"] == "count" and (value >= 1000 or value != int(value))


SMALL_COUNT = 100


def _across(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One figure in the headline or a caption, the other in the body."""
    return {a["section"], b["section"]} in ({"headline", "body"}, {"caption", "body"})


def _one_quantity(text: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures can state one quantity: the same kind and unit (for counts the same
    counted noun or a noun on one side only, but a distinctive count whatever words follow:
    "123 Million Displaced" / "123 million people"); a percentage, a fraction, a small count,
    and a distinctive figure whose value is not the other's (only rounds to it) also need a
    word in common around them, numbers and scale words aside ("a quarter of the $23.5
    billion needed" twice, not "a quarter of the $6.2 billion received")."""
    if a["kind"] != b["kind"]:
        return False
    if a["kind"] == "count":
        if not (_distinctive(a) or _unit_fits(a, b)):
            return False
        if float(a["value"]) < SMALL_COUNT and not _across(a, b):
            return False  # "19 points" twice in a sports round-up: two players
    elif a["unit"] != b["unit"]:
        return False
    # an equal value is hardly a coincidence; one that agrees by rounding ("£2.5bn" holds
    # £2.45-2.55bn) is another quantity as often ("revenues of £2.52bn", "net debt was £2.5bn")
    equal = float(a["value"]) == float(b["value"])
    shared = _context(text, a) & _context(text, b)
    if not _across(a, b):  # a headline's few words are its subject's
        shared -= _said_of_many()
    return (_distinctive(a) and equal) or bool(shared)


@lru_cache(maxsize=1)
def _said_of_many() -> frozenset[str]:
    """Words of change or comparison, by their first five letters: said of many quantities,
    they name no subject or measure that two figures share ("1.1% ahead of target" of income
    tax and of spending; "a growth of 3.2%") (docs/relations.md, restatement)."""
    words = {w for key in ("rise", "fall", "more", "less") for w in words_of(key) if " " not in w}
    words |= {"ahead", "behind", "target", "targets", "forecast", "expected", "estimate"}
    return frozenset(w.lower()[:5] for w in words)


# a figure that is the base of a comparison ("up from 7.8", "against 5.9", "than the 81")
_BASE_OF = re.compile(
    r"(?:\b(?:from|against|than|versus|vs\.?|compared\s+(?:with|to))"
    # after a figure's size: "6% above the $3.22", "3 points above", not "was above 60%"
    r"|(?:%|\d|\bpoints?|\bcents?|\bper\s?cent|\bpercent|\bpence)\s+(?:above|below|on))"
    r"\s+(?:the\s+|a\s+|an\s+)?(?:(?:[\w-]+\s+)?[\w-]+[’']s\s+)?$",  # "above last month's 38%"
    re.IGNORECASE,
)
# a time of its own after a figure ("7.8 t/ha last year", "5.9 tonnes per hectare in 2022")
_OWN_TIME = re.compile(
    r"^[^,;.]{0,30}?\b(?:(?:last|previous|prior)\s+(?:year|season|quarter|month|week)"
    rf"|{_YEAR_EARLIER}|in\s+(?:19|20)\d\d\b|of\s+(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
_AVERAGE = re.compile(r"\b(?:average|averaged|mean|median)\b", re.IGNORECASE)


def _around(text: str, fig: dict[str, Any], before: int, after: int) -> tuple[str, str]:
    """The text of the figure's sentence up to ``before`` characters before it and ``after``
    characters after it."""
    s_start = fig["sentence_start"]
    s_end = s_start + len(fig.get("sentence") or "") if fig.get("sentence") else len(text)
    return (
        text[max(s_start, fig["start"] - before) : fig["start"]],
        text[fig["end"] : min(s_end, fig["end"] + after)],
    )


def _elsewhere(text: str, fig: dict[str, Any]) -> bool:
    """A figure anchored to another time or set against another figure in its sentence: the
    base of a comparison, or a value with a time of its own; two figures that disagree, one of
    them so, are two quantities, not one stated twice (docs/relations.md)."""
    before, after = _around(text, fig, 40, 50)
    return bool(_BASE_OF.search(before) or _OWN_TIME.match(after))


def _averaged(text: str, fig: dict[str, Any]) -> bool:
    """Whether an average (mean, median) is named right around the figure."""
    before, after = _around(text, fig, 30, 30)
    return bool(_AVERAGE.search(before) or _AVERAGE.search(after))


def find_restatements(
    text: str, mentions: pl.DataFrame, rule: Restatement
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of figures in different sentences that state one quantity: every pair of agreeing
    figures of the same kind and unit, and a headline figure with a close body figure."""
    if mentions.is_empty():
        return []
    ordered = in_text_order(mentions)
    parts = _length_parts(text, ordered)
    rows = [
        r
        for r in ordered
        if r["kind"] in rule.kinds
        and r["start"] not in parts  # "two hours" of "two hours, five minutes and six seconds"
        and r["value"] is not None
        and r["sentence_start"] is not None
        and not _time_window(text, r)
        and not _qualifier(r, text)  # an age band or a rate's base is no quantity stated
    ]
    by_key: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        key = (r["kind"], r["unit"] if r["kind"] != "count" else None)
        by_key.setdefault(key, []).append(r)
    pairs = []
    for group in by_key.values():
        for i, j in _near_pairs(group, rule.differ_within):
            a, b = group[i], group[j]
            if a["sentence_start"] == b["sentence_start"]:
                continue
            # the values first (cheap), then the words around them
            agree = _rounds(a, b)
            if not agree and not (_across(a, b) and _close(a, b, rule.differ_within)):
                continue
            if not _one_quantity(text, a, b):
                continue
            if not agree and (_elsewhere(text, a) or _elsewhere(text, b)):
                continue
            if not agree and _averaged(text, a) != _averaged(text, b):
                continue
            if not agree and not (_context_past_unit(text, a) & _context_past_unit(text, b)):
                continue  # "100 km/h" and "90 km/h in towns": nothing but the unit in common
            if agree or _words_after(text, a) == _words_after(text, b) != ():
                pairs.append((a, b))
    return sorted(pairs, key=lambda p: (p[0]["start"], p[1]["start"]))


# two figures that agree (:func:`_rounds`) differ by at most half the coarser one's step, and
# that step is at most a tenth of its value: 5 % of the larger, and a little to spare
_AGREE_WITHIN = 0.05 * (1 + 1e-6)


def _near_pairs(group: list[dict[str, Any]], within: float) -> list[tuple[int, int]]:
    """The index pairs ``i < j`` of ``group`` whose values may agree or differ by no more than
    ``within`` of the larger: every pair :func:`find_restatements` could keep, found by
    sorting the values instead of comparing every pair; in the order of a loop over pairs."""
    values = [float(r["value"]) for r in group]
    bound = max(_AGREE_WITHIN, within * (1 + 1e-6))
    if bound >= 1 or not all(math.isfinite(v) for v in values):
        return list(itertools.combinations(range(len(group)), 2))
    order = sorted(range(len(group)), key=values.__getitem__)
    out = []
    for x, i in enumerate(order):
        vi = values[i]
        for j in order[x + 1 :]:
            # the gap grows with the larger value faster than the bound does: stop at the first
            # value too far
            if values[j] - vi > bound * max(abs(vi), abs(values[j])):
                break
            out.append((i, j) if i < j else (j, i))
    return sorted(out)


def _close(a: dict[str, Any], b: dict[str, Any], within: float) -> bool:
    return abs(a["value"] - b["value"]) <= within * max(abs(a["value"]), abs(b["value"]))
