"""Quotations and who speaks them.

A figure inside quotation marks keeps its section and gets the quoted person as speaker.
Quotations are found per paragraph; one left open at a paragraph's end continues into the next
paragraph when that paragraph opens with a quotation mark (the convention for quotes running
over several paragraphs), so attribution never drifts after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPEECH_VERBS = (
    r"said|says|told|tells|added|adds|asked|asks|argued|argues|wrote|writes|continued|"
    r"explained|noted|stated|declared|insisted|acknowledged|warned|urged|described|"
    r"put it|echoed|replied|recalled|saying|adding|writing"
)
_PRONOUNS = frozenset({"he", "she", "they", "He", "She", "They"})
# Capitalised words that open sentences or clauses without being names.
_NOT_NAMES = frozenset(
    [
        "A",
        "An",
        "And",
        "As",
        "At",
        "But",
        "By",
        "During",
        "For",
        "From",
        "How",
        "If",
        "In",
        "It",
        "Its",
        "Last",
        "Meanwhile",
        "Moreover",
        "More",
        "Now",
        "On",
        "Once",
        "Or",
        "Regardless",
        "Since",
        "So",
        "Some",
        "That",
        "The",
        "Their",
        "Then",
        "There",
        "These",
        "This",
        "Those",
        "Though",
        "Although",
        "Until",
        "Under",
        "What",
        "When",
        "Where",
        "While",
        "Why",
        "With",
        "Yet",
        "Instead",
        "However",
        "Often",
        "Indeed",
        "Many",
        "Member",
    ]
)
# Titles stripped from the front of a name ("Foreign Minister João Gomes Cravinho").
_TITLES = frozenset(
    [
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Foreign",
        "Secretary",
        "State",
        "Secretary-General",
        "Director-General",
        "Deputy",
        "Director",
        "General",
        "Ambassador",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Professor",
        "Prof",
        "Sir",
        "Dame",
        "Senator",
        "Governor",
        "King",
        "Queen",
        "Commissioner",
        "High",
        "Chief",
        "Judge",
        "Justice",
        "Envoy",
        "Under-Secretary",
        "US",
        "UN",
        "UK",
        "EU",
        "Former",
        "Assistant",
        "Executive",
        "Special",
        "Representative",
        "Spokesperson",
        "Mayor",
    ]
)
_CAP_SEQ = re.compile(r"[A-ZÀ-ÖØ-Þ][\w-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w-]*)*")
_ORG = re.compile(r"\bthe ([A-Z][A-Z]{1,9})\b")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    speaker: str | None


def _strip_titles(words: list[str]) -> list[str]:
    while words and (words[0] in _TITLES or words[0] in _NOT_NAMES):
        words = words[1:]
    return words


_NAME_RUN = r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w’'-]*)*"
_GOVERNMENT = re.compile(r"[Tt]he ((?:[A-Z][\w-]+ )+(?:administration|government))")
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+")
_GENERIC_ORG = re.compile(r"(?i)the (?:organization|organisation|agency|group|body)")
_ACRONYM = re.compile(r"\b[A-Z]{2,10}\b")


def blank_quotes(text: str) -> str:
    """``text`` with every quotation's content replaced by spaces (offsets unchanged)."""
    if not _QUOTE_MARK.search(text):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        spans, _ = _quote_spans(line)
        done = 0
        for q_start, q_end in spans:
            out.append(line[done:q_start])
            out.append(" " * (q_end - q_start))
            done = q_end
        out.append(line[done:])
        out.append("\n")
    return "".join(out)[:-1]


_PREPOSITIONS = "to|in|from|of|for|at|on|by|with|across|into|than|and|or|the"
_SUBJECT_VERBS = _SPEECH_VERBS + "|is|was|has|had|will|would|did|who|and|launched"
_RUN_IN_CONTEXT = (
    rf"(?P<pre>(?-u:\b)(?i:{_PREPOSITIONS})\s+)?"
    r"(?P<run>[A-ZÀ-ÖØ-Þ][\w-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w-]*)*)"
    rf"(?P<post>[’']s(?-u:\b)|,\s+(?:a|an|the)\s|,|\s+(?:{_SUBJECT_VERBS})(?-u:\b))?"
)


def person_names(text: str) -> dict[str, str]:
    """Surname → full name as first given in ``text`` ("Crisp" → "Jeffrey Crisp").

    A capitalised run of two to four words is a person when the text also uses its last word
    alone as a subject ("Crisp said", "Pope is"), or introduces it with a title ("Foreign Minister
    João Gomes Cravinho") or an apposition ("Uzra Zeya, the ..."). Quotations are ignored.
    Runs are found with one polars pass; only the distinct runs are examined here.
    """
    import polars as pl

    runs = (
        pl.Series("line", blank_quotes(text).split("\n"), dtype=pl.String)
        .str.extract_all(_RUN_IN_CONTEXT)
        .explode()
        .drop_nulls()
        .unique(maintain_order=True)
        .to_list()
    )
    in_context = re.compile(_RUN_IN_CONTEXT.replace("(?-u:\\b)", "\\b"))
    full: dict[str, str] = {}
    persons: set[str] = set()
    for found in runs:
        m = in_context.fullmatch(found)
        if m is None:  # pragma: no cover - the same pattern matched it
            continue
        raw = m.group("run").split()
        post = m.group("post") or ""
        words = [_POSSESSIVE.sub("", w) for w in _strip_titles(raw)]
        if not words or not all(w[:1].isupper() and not w.isupper() for w in words):
            continue
        if len(words) == 1:
            if not m.group("pre") and post and len(raw) == 1:
                persons.add(words[0])
            continue
        if len(words) > 4:
            continue
        full.setdefault(words[-1], " ".join(words))
        titled = len(words) < len(raw) and raw[0] in _TITLES and not raw[0].isupper()
        if titled or re.match(r",\s+(?:a|an|the)\s", post):
            persons.add(words[-1])
    return {surname: name for surname, name in full.items() if surname in persons}


def _name_at(
    fragment: str, names: dict[str, str], *, last: bool, any_full_name: bool = False
) -> str | None:
    """The first (or last) person named in ``fragment``.

    With ``any_full_name``, any run of two to four capitalised words counts as a person too.
    """
    found: list[str] = []
    for m in _CAP_SEQ.finditer(fragment):
        words = [_POSSESSIVE.sub("", w) for w in _strip_titles(m.group().split())]
        if words and words[-1] in names:
            found.append(names[words[-1]])
        elif any_full_name and 2 <= len(words) <= 4 and not any(w.isupper() for w in words):
            found.append(" ".join(words))
    if not found:
        return None
    return found[-1] if last else found[0]


class _Resolver:
    """Turns the words that introduce a quotation into a speaker's name."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.last_speaker: str | None = None

    def _antecedent(self, paragraph: str, before: int) -> str | None:
        """A pronoun's person: named earlier in its sentence, else first in the one before."""
        plain = blank_quotes(paragraph[:before])
        bounds = [m.end() for m in _SENTENCE_END.finditer(plain)]
        own = plain[bounds[-1] :] if bounds else plain
        if len(bounds) >= 2:
            previous = plain[bounds[-2] : bounds[-1]]
        elif bounds:
            previous = plain[: bounds[-1]]
        else:
            previous = ""
        return _name_at(own, self.names, last=True, any_full_name=True) or _name_at(
            previous, self.names, last=False, any_full_name=True
        )

    def who(self, phrase: str, paragraph: str, before: int) -> str | None:
        if phrase in _PRONOUNS:
            return self._antecedent(paragraph, before) or self.last_speaker
        gov = _GOVERNMENT.fullmatch(phrase)
        if gov:
            return gov.group(1)
        if _GENERIC_ORG.fullmatch(phrase):
            acronyms = _ACRONYM.findall(paragraph[:before])
            return acronyms[-1] if acronyms else None
        org = _ORG.fullmatch(phrase)
        if org:
            return org.group(1)
        words = [_POSSESSIVE.sub("", w) for w in _strip_titles(phrase.split())]
        if not words:
            return None
        if words[-1] in self.names:
            return self.names[words[-1]]
        if len(words) >= 2 or (words[0].isupper() and 2 <= len(words[0]) <= 10):
            return " ".join(words)
        return None


_AFTER = re.compile(
    r"[\s,]*(?:as\s+)?(?P<who>he|she|they|the [A-Z]{2,10}|" + _NAME_RUN + r")"
    r"(?:,[^“”\"]{0,160}?,)?\s+(?:" + _SPEECH_VERBS + r")\b"
)
_SUBJECT = re.compile(
    r"\b(?P<who>he|she|they|He|She|They|the [A-Z]{2,10}|[Tt]he (?:organization|agency|group)|"
    r"[Tt]he (?:[A-Z][\w-]+ )+(?:administration|government)|" + _NAME_RUN + r")"
)
_REPORTED = re.compile(r"(?P<who>" + _NAME_RUN + r")\s+(?:said|says|told|argued|added)\b")
_SPEECH_IN = re.compile(r"\b(?:" + _SPEECH_VERBS + r")\b")


_QUOTE_MARK = re.compile(r"[“”\"]")


def _quote_spans(paragraph: str) -> tuple[list[tuple[int, int]], bool]:
    """Quotation spans inside one paragraph, and whether one is still open at its end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_MARK.finditer(paragraph):
        ch, i = m.group(), m.start()
        if open_at is None:
            if ch != "”":
                open_at = i
        elif ch != "“":
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(paragraph)))
    return spans, open_at is not None


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[Quote]:
    """Every quotation in the paragraphs (given as offsets into ``text``), with its speaker."""
    resolver = _Resolver(person_names(text))
    quotes: list[Quote] = []
    carried: str | None = None  # speaker of a quotation running on from the last paragraph
    carrying = False
    for p_start, p_end in paragraphs:
        para = text[p_start:p_end]
        spans, left_open = _quote_spans(para)
        continues = carrying and para.startswith(("“", '"'))
        previous_in_para: str | None = None
        pending: list[tuple[int, int]] = []
        resolved: list[str | None] = []
        for q_start, q_end in spans:
            speaker = None
            if continues and q_start == 0:
                speaker = carried
            if speaker is None:
                after = _AFTER.match(para, q_end)
                if after:
                    speaker = resolver.who(after.group("who"), para, q_end)
            if speaker is None and pending and previous_in_para:
                between = para[pending[-1][1] : q_start]
                if not _SENTENCE_END.search(between):
                    speaker = previous_in_para  # a second quotation in the same sentence
            if speaker is None:
                head_from = pending[-1][1] if pending else 0
                head = para[head_from:q_start]
                ends = [m.end() for m in _SENTENCE_END.finditer(head)]
                sentence = head[ends[-1] :] if ends else head
                if _SPEECH_IN.search(sentence):
                    subject = next(
                        (
                            m
                            for m in _SUBJECT.finditer(sentence)
                            if _strip_titles(m.group("who").split())
                            or m.group("who") in _PRONOUNS
                            or _GENERIC_ORG.fullmatch(m.group("who"))
                        ),
                        None,
                    )
                    if subject is not None:
                        at = head_from + len(head) - len(sentence) + subject.start()
                        speaker = resolver.who(subject.group("who"), para, at)
            if speaker is None:
                speaker = previous_in_para
            pending.append((q_start, q_end))
            resolved.append(speaker)
            if speaker is not None:
                previous_in_para = speaker
                resolver.last_speaker = speaker
        # A quotation opening a paragraph and attributed only later ("“…,” he said") has
        # been resolved above; one with no attribution at all takes the paragraph's speaker.
        for (q_start, q_end), speaker in zip(pending, resolved, strict=True):
            quotes.append(Quote(p_start + q_start, p_start + q_end, speaker or previous_in_para))
        reported = list(_REPORTED.finditer(blank_quotes(para)))
        if reported:  # "…, Crisp said." outside quotes: the next "he said" may be Crisp
            who = resolver.who(reported[-1].group("who"), para, reported[-1].start())
            resolver.last_speaker = who or resolver.last_speaker
        carrying = left_open
        carried = resolved[-1] if resolved else carried
    return quotes
