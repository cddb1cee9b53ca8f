"""Quotations and who speaks them (docs/figure-rules.md, "Speaker").

A figure inside quotation marks keeps its section and gets the quoted person or organization as
speaker, named as the text first names them in full. Quotations are found per paragraph; one
left open at a paragraph's end continues into the next paragraph when that paragraph opens with
a quotation mark. Attribution forms: "“…,” Crisp said", "“…,” said António Vitorino",
"Vitorino said: “…”", "“…,” he added", "“…,” it said", "“…,” according to X", and a paragraph
with no marks after one that ends "X said:".

Every pattern here has bounded repetition and is applied at a known position or to a bounded
window, so time stays linear in the text's length whatever its capitals or quotation marks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from analysis.figures.lexicon import Lexicon
from analysis.folding import fold

_SPEECH_VERBS = (
    r"said|says|told|tells|added|adds|asked|asks|argued|argues|wrote|writes|continued|"
    r"explained|noted|stated|declared|insisted|acknowledged|warned|urged|described|"
    r"put it|echoed|replied|recalled|saying|adding|writing|stressed|emphasised|emphasized|"
    r"announced|commented|observed|remarked|pointed out|told reporters|concluded|conceded|"
    r"pledged|promised|vowed|tweeted|posted|predicted|claimed|suggested|revealed|confirmed|"
    r"admitted|reiterated|maintained|cautioned|affirmed|asserted|added that|responded|"
    r"reported|reports"
)
MAIN_ORG = "\x00the organization"  # "the company said" before any is named: resolved at the end
UNNAMED = ""  # a quotation attributed to something that names no one: it stays the article's


def _grouped(words: str) -> str:
    """``a|b|…`` regrouped by first letter behind a look-ahead on those letters, which Python's
    regex engine scans for far faster than it tries a long alternation at every position."""
    by_first: dict[str, list[str]] = {}
    for word in words.split("|"):
        by_first.setdefault(word[0], []).append(word[1:])
    groups = "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    return f"(?=[{''.join(by_first)}])(?:{groups})"


_VERB = rf"{_grouped(_SPEECH_VERBS)}\b"
_UPPER = "A-ZÀ-ÖØ-Þ"
# a surname's particle joined by a hyphen: "al-Za’tari", "el-Sisi", "bin-Salman"
_PARTICLES = "al|el|ul|ad|as|ash|at|az|bin|ibn|abu|ben"
_WORD = rf"(?:(?:{_PARTICLES})-)?[{_UPPER}][\w’'.-]{{0,30}}"
_RUN = rf"{_WORD}(?:\s{{1,3}}(?:(?:of|for|the|de|da|van|von|del|al|bin)\s{{1,3}})?{_WORD}){{0,7}}"
_CAPITAL_RUN = re.compile(_RUN)
_SENTENCE_END = re.compile(r"[.!?][”\"’“]?\s+(?=[\"“„‘(\[]?[A-Z0-9])")
_POSSESSIVE = re.compile(r"[’']s$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
_PRONOUNS = {"he": "person", "she": "person", "they": "person", "it": "organization"}
OPENING = '“„"'
CLOSING = '”“"'
# two single marks written together stand for a double one ("‘‘…''", "''…''")
_AS_DOUBLE = {"‘‘": "“", "’’": "”", "''": '"'}
QUOTE_MARKS = re.compile(r"‘‘|’’|''|[“”„\"]")
# what a paragraph that continues a quotation opens with (a mark or a pair standing for one)
_OPENERS = (*OPENING, *(pair for pair, mark in _AS_DOUBLE.items() if mark in OPENING))


def _mark(m: re.Match[str]) -> str:
    """The double mark a quotation mark found by :data:`QUOTE_MARKS` is or stands for."""
    return _AS_DOUBLE.get(m.group(), m.group())


# after the quotation: "…,” Crisp said", "…,” the Bank said", "…,” he added"
_AFTER_SUBJECT = re.compile(
    r"[\s,;:—–-]{0,4}(?:as\s+)?(?P<lead>[^.!?“”\"„\n]{1,140}?)\s{1,3}" + _VERB
)
# after the quotation, verb first: "…,” said Tom Brown, president"
_AFTER_VERB = re.compile(r"[\s,;:—–-]{0,4}" + _VERB + r"\s{1,3}(?P<tail>[^.!?“”\"„\n;]{1,140})")
_ACCORDING = re.compile(r"[\s,;:—–-]{0,4}according\s+to\s+(?P<tail>[^.!?“”\"„\n;]{1,140})")
# a speech verb after a space: the literal first character lets the engine skip ahead fast
_VERB_AT = re.compile(" " + _VERB)
_COLON_INTRO = re.compile(r"(?P<lead>[^.!?“”\"„\n]{1,140}?)\s{1,3}" + _VERB + r"[^.!?:]{0,40}:\s*$")
# reported speech: the subject right before the verb ("Guterres announced", "the Minister said")


# "the agency said", "the Minister said"
_GENERIC_BODY = re.compile(
    r"(?i)\bthe (?:[\w-]+ ){0,3}(organi[sz]ation|agency|group|body|company|firm|fund|bank)$"
)
_THE_WORD = re.compile(r"(?i)\bthe ([\w-]+)$")
_ACCORDING_TO = re.compile(r"\baccording to\s+([^.!?;]{1,140})")
# "according to a news release", "according to information released by IDC": a document
_DOCUMENT = re.compile(
    r"(?:(?:an?|the|its|their|his|her|new|latest|official)\s+)*"
    r"(?:(?:news|press|media)\s+)?(?:release|statement|report|study|survey|figures|data|"
    r"information|analysis|estimates|announcement|document|documents|filing|transcript)\b"
    r"(?![’']s\b)"
)
_VERB_IN = re.compile(_VERB)

# How far back a pronoun looks for the person it stands for (two long sentences).
LOOKBACK_CHARS = 1_000

_PREPOSITIONS = {"on", "in", "at", "during", "from", "last", "this", "earlier", "late"}
_ADVERBS = {"also", "then", "later", "previously", "has", "had", "have", "once"}
_CONNECTORS = {"of", "for", "the", "de", "da", "van", "von", "del", "al", "bin"}


def _subject_words(window: str) -> list[str]:
    """The subject right before a speech verb, read backwards from the end of ``window``: a
    pronoun, a capitalised name (stopping at punctuation), or "the …"; an appositive between
    commas ("Malcorra, a former chef de cabinet at the UN, said") is skipped."""
    stripped = window.rstrip()
    if stripped.endswith(",") and "," in stripped[:-1]:
        window = stripped[: stripped[:-1].rfind(",")]
    words = window.split()
    while words and words[-1] in _ADVERBS:
        words.pop()
    if not words:
        return []
    if words[-1].lower() in _PRONOUNS:
        return [words[-1]]
    if (
        len(words) >= 3
        and words[-1][:1].isupper()
        and words[-2] in _PREPOSITIONS
        and (words[-3][:1].isupper() or words[-3] in _PREPOSITIONS)
    ):  # "Nityanand Rai on Friday described": the subject is before the time or place
        return _subject_words(" ".join(words[:-2]))
    if words[-1][:1].isupper():
        subject: list[str] = []
        while words and (words[-1][:1].isupper() or words[-1] in _CONNECTORS) and len(subject) < 8:
            if subject and words[-1][-1:] in ",;:)–—":
                break
            subject.insert(0, words.pop())
        while subject and subject[0] in _CONNECTORS:
            subject.pop(0)
        return subject
    the = next(
        (
            i
            for i in range(len(words) - 1, max(len(words) - 6, -1), -1)
            if words[i] in ("the", "The")
        ),
        None,
    )
    return words[the:] if the is not None else []


def _last_reported(plain: str) -> tuple[str, int] | None:
    """(subject, offset) of the last "X said" outside quotations."""
    verbs = [m.start() + 1 for m in _VERB_AT.finditer(plain)]
    for at in reversed(verbs):
        window = plain[max(0, at - 120) : at]
        subject = _subject_words(window)
        if subject:
            return " ".join(subject), at - len(window) + max(window.rfind(subject[0]), 0)
    return None


_PARTICLE = re.compile(rf"^(?i:{_PARTICLES})-(\w[\w’'-]*)$")


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    speaker: str | None


def quote_spans(paragraph: str) -> tuple[list[tuple[int, int]], bool]:
    """Quotation spans inside one paragraph, and whether one is still open at its end.

    “ and „ open, ” closes; “ also closes a quotation opened with „ (German style), and a
    straight " closes what it did not open."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opener = ""
    for m in QUOTE_MARKS.finditer(paragraph):
        ch, i = _mark(m), m.start()
        if open_at is None:
            if ch in OPENING:
                open_at, opener = i, ch
        elif ch == "”" or ch == '"' or (ch == "“" and opener == "„"):
            spans.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(paragraph)))
    return spans, open_at is not None


# a word naming a work right before its title in quotation marks (figure rules, "Speaker")
_WORK_BEFORE = re.compile(
    r"(?i:\b(?:report|study|survey|review|book|novel|film|movie|documentary|song|single|album|"
    r"play|musical|series|show|programme|program|paper|essay|poem|exhibition|campaign|"
    r"titled|entitled|headlined))\s+$"
)
TITLE_MAX_WORDS = 12
_LONG_WORD = 4  # letters: a title capitalizes every word this long ("of", "and", "the" aside)


def is_title(paragraph: str, start: int, end: int) -> bool:
    """Whether the quotation at ``start:end`` (its marks included) is a title, not words
    spoken: closed, opening with a capital or a digit, ending without punctuation, of at most
    :data:`TITLE_MAX_WORDS` words, and after a word naming a work or with every word of four
    letters or more capitalized (two such words at least)."""
    if end - start < 3 or paragraph[end - 1] not in CLOSING + "’'":
        return False
    inner = paragraph[start:end].strip("“”„\"‘’'").strip()
    if not inner or not inner[-1].isalnum() or not (inner[0].isupper() or inner[0].isdigit()):
        return False  # "we have built 200,000 homes since 2019" is speech, quoted in full
    words = inner.split()
    if len(words) > TITLE_MAX_WORDS:
        return False
    if _WORK_BEFORE.search(paragraph, max(0, start - 40), start):
        return True
    long = [w for w in words if sum(c.isalpha() for c in w) >= _LONG_WORD]
    return len(long) >= 2 and all(w.lstrip("(‘'")[:1].isupper() for w in long)


def blank_quotes(paragraph: str) -> str:
    """``paragraph`` with every quotation's content replaced by spaces (offsets unchanged)."""
    if not QUOTE_MARKS.search(paragraph):
        return paragraph
    out, done = [], 0
    for q_start, q_end in quote_spans(paragraph)[0]:
        out += [paragraph[done:q_start], " " * (q_end - q_start)]
        done = q_end
    out.append(paragraph[done:])
    return "".join(out)


class Names:
    """People and organizations of one document, as it first names them in full."""

    def __init__(self, lex: Lexicon) -> None:
        self.titles = {w.lower() for w in lex.title_words}
        self.org_words = {w.lower() for w in lex.organization_words}
        self.not_names = {w.lower() for w in lex.not_speaker_words}
        self.people: dict[str, str] = {}  # surname → full name as first given
        self.titled: dict[str, str] = {}  # title word → the last person named with it
        self._orgs: set[str] = set()  # organizations named
        self._latest_org: str | None = None  # the last named
        self._latest_by_end: dict[str, str] = {}  # an organization's last word → the latest
        self._seen: dict[str, tuple[str, str | None]] = {}  # run → what it names
        self.single_names: dict[str, int] = {}  # one-word names met mid-sentence: how often
        self._words_of: dict[str, list[str]] = {}  # run → its words, trimmed (see _words)
        self._org_of: dict[str, str | None] = {}  # run → the organization it names, if any
        self._spelled: dict[str, str] = {}  # the capitals of a run of words → the first such run

    def _words(self, run: str) -> list[str]:
        found = self._words_of.get(run)
        if found is None:
            found = self._words_of[run] = self._strip_words(run)
        return found

    def _strip_words(self, run: str) -> list[str]:
        words = [
            w if _INITIAL.match(w) else _POSSESSIVE.sub("", w).rstrip(".,") for w in run.split()
        ]  # an initial keeps its full stop: "Henrietta H. Fore"
        while words and (
            words[0].lower() in self.not_names
            or words[0].lower() in ("the", "of")
            or words[0].lower().endswith("ing")  # "Mentioning the scheme, ..."
        ):
            words = words[1:]
        return words

    def organization(self, run: str) -> str | None:
        if run not in self._org_of:
            self._org_of[run] = self._organization(run)
        return self._org_of[run]

    def _organization(self, run: str) -> str | None:
        words = self._words(run)
        if len(words) == 1 and _ACRONYM.match(words[0]):
            return self._spelled.get(words[0]) or words[0]  # "ONS", spelt out before
        if len(words) >= 2 and words[-1].lower() in self.org_words:
            return " ".join(words)
        return None

    def _is_title(self, word: str) -> bool:
        low = word.lower()
        return low in self.titles or any(part in self.titles for part in low.split("-"))

    def person(self, run: str) -> str | None:
        """The person a capitalised run names: the words after its last title or office word
        and any acronym ("WMO Secretary General Petteri Taalas" → "Petteri Taalas"), mapped
        to the full name the text gave first ("Offord" → "Malcolm Offord")."""
        for segment in re.split(r"\s(?:of|for|the)\s", run):
            found = self._person(segment)
            if found:
                for word in run.split():  # "the Minister" may later stand for this person
                    if self._is_title(word):
                        self.titled[word.lower()] = found
                return found
        return None

    def _person(self, run: str) -> str | None:
        words = self._words(run)
        if len(words) == 2 and _INITIALS.match(words[0]) and words[0] not in self._orgs:
            return self._known(words)  # "PK Dash": initials, not an organization's acronym
        cut = 0
        for i, w in enumerate(words[:-1]):  # a title precedes a name: "Amy Pope" is no pope
            if self._is_title(w) or _ACRONYM.match(w):
                cut = i + 1
        if (
            len(words) >= 2
            and self._is_title(words[-1])
            and (
                self._is_title(words[-2])
                or words[-2].lower() in self.org_words
                or _ACRONYM.match(words[-2])
            )
        ):
            return None  # an office, not a name: "NSW Farmers Dairy Committee Chair"
        words = words[cut:]
        if not words or len(words) > 4 or any(w.lower() in self.not_names for w in words):
            return None
        if " ".join(words).lower() in _countries():
            return None
        return self._known(words)

    def _known(self, words: list[str]) -> str | None:
        """The full name first given for these words' surname, recording it when new."""
        if words[-1] in self.people:
            known = self.people[words[-1]]
            if len(words) == 1 or known.endswith(" ".join(words)):
                return known
            if fold(words[0]) != fold(known.split()[0]):  # "António" is "Antonio"
                return " ".join(words)  # another of that surname: "Bashar al-Assad" after Rami
        if len(words) == 1:
            return None
        full = self.people.setdefault(words[-1], " ".join(words))
        particle = _PARTICLE.match(words[-1])  # "al-Za’tari" answers to "Za’tari" too
        if particle:
            self.people.setdefault(particle.group(1), full)
        return self.people[words[-1]]

    def note(self, text: str) -> str | None:
        """Record the people and organizations ``text`` names (before they speak); return the
        last person it names."""
        last = None
        for m in _CAPITAL_RUN.finditer(text):
            run = m.group()
            kind = self._seen.get(run)
            if kind is None:
                words = self._words(run)
                capitals = "".join(w[:1] for w in words if w[:1].isupper())
                if len(capitals) >= 3:  # what an acronym met later may stand for
                    self._spelled.setdefault(capitals, " ".join(words))
                org = self.organization(run)
                kind = ("org", org) if org else ("person", None)
                if not org and 2 <= len(words) <= 12:
                    kind = ("person", self.person(run))
                self._seen[run] = kind
            elif kind[0] == "person" and kind[1]:
                self.person(run)  # keeps "the Minister" pointing at the latest one
            if kind == ("person", None) and m.start() > 1 and text[m.start() - 2] not in ".!?:":
                self.single_names[run] = self.single_names.get(run, 0) + 1  # mid-sentence
            if kind[0] == "org":
                self._orgs.add(kind[1])
                self._latest_org = kind[1]
                self._latest_by_end[kind[1].split()[-1].lower()] = kind[1]
            elif kind[1]:
                last = kind[1]
        return last

    def main_organization(self) -> str | None:
        """The one-word name the document uses most often mid-sentence (at least twice) that
        is not a person's, a title, a month or another word that names no one: what "the
        company" stands for when no organization was named in full ("Netflix")."""
        people = {w for full in self.people.values() for w in full.split()}
        counts = [
            (n, run)
            for run, n in self.single_names.items()
            if n >= 2
            and " " not in run
            and run not in people
            and run.lower() not in self.not_names
            and not self._is_title(run)
            and run.lower() not in _countries()
        ]
        return max(counts)[1] if counts else None

    def last_org(self, ending: str | None = None) -> str | None:
        """The organization named last, or the last one whose name ends with ``ending``
        (looked up, not searched: "the ONS" quoted a thousand times walked the list each time)."""
        if ending is None:
            return self._latest_org
        return self._latest_by_end.get(ending.lower())


def _opening_width(text: str, at: int) -> int:
    """Characters the next sentence needs at ``at`` to count as started: a capital or digit,
    after an opening quote or bracket if there is one."""
    return 2 if text[at : at + 1] in ('"', "“", "„", "‘", "(", "[") else 1


class _Resolver:
    def __init__(self, names: Names) -> None:
        self.names = names
        self.last_speaker: str | None = None
        self.last_speaker_para = -10
        self.last_person: str | None = None
        self.other_named = False  # a person other than the last speaker named since they spoke
        self.last_person_speaker: str | None = None
        self._blank_of: tuple[str, str, list[int]] | None = None

    def spoke(self, speaker: str, index: int) -> None:
        self.last_speaker, self.last_speaker_para, self.other_named = speaker, index, False
        if speaker in self.names.people.values():
            self.last_person_speaker = speaker

    def from_run(self, text: str, *, first: bool, people_only: bool = False) -> str | None:
        """The speaker a stretch of text names: its first (or last) capitalised run that is an
        organization or a person; "the Bank" → the organization named in full before."""
        runs = list(_CAPITAL_RUN.finditer(text))
        for m in runs if first else reversed(runs):
            run = m.group()
            if not people_only:
                before = text[: m.start()].rstrip().lower()
                if before.endswith("the") and len(run.split()) == 1:
                    org = self.names.last_org(run)
                    if org:
                        return org
                org = self.names.organization(run)
                if org:
                    return org
            elif self.names.organization(run):
                continue
            person = self.names.person(run)
            if person:
                return person
        return None

    def _blanked(self, paragraph: str) -> tuple[str, list[int]]:
        """``paragraph`` with its quotations blanked, and where its sentences end, computed
        once per paragraph."""
        if self._blank_of is None or self._blank_of[0] is not paragraph:
            plain = blank_quotes(paragraph)
            ends = [m.end() for m in _SENTENCE_END.finditer(plain)]
            self._blank_of = (paragraph, plain, ends)
        return self._blank_of[1], self._blank_of[2]

    def pronoun(self, word: str, paragraph: str, at: int) -> str | None:
        """Who "he", "she", "they" or "it" stands for: the last person named in its sentence,
        else the first named in the sentence before, else the last speaker. Reads at most
        ``LOOKBACK_CHARS`` before the pronoun, so a paragraph of many quotations stays linear."""
        if _PRONOUNS[word.lower()] == "organization":
            return self.names.last_org()
        blanked, all_ends = self._blanked(paragraph)
        reach = max(0, at - LOOKBACK_CHARS)
        plain = blanked[reach:at]
        # the last two sentence ends before the pronoun whose next sentence starts before it
        i = bisect.bisect_right(all_ends, at - 1)
        while i and all_ends[i - 1] + _opening_width(blanked, all_ends[i - 1]) > at:
            i -= 1
        ends = [e - reach for e in all_ends[max(0, i - 2) : i] if e > reach]
        own = plain[ends[-1] :] if ends else plain
        previous = (
            plain[ends[-2] : ends[-1]] if len(ends) >= 2 else plain[: ends[-1]] if ends else ""
        )
        return (
            self.from_run(own, first=False, people_only=True)
            or self.from_run(previous, first=True, people_only=True)
            or self.last_person_speaker
            or self.last_person
        )

    def lead(self, lead: str, paragraph: str, at: int) -> str | None:
        """Who a phrase before a speech verb names ("Crisp", "he", "the Bank", "Stats NZ
        spokesperson Nicola Growden")."""
        words = lead.split()
        if not words:
            return None
        if words[-1].lower() in _PRONOUNS and len(words) <= 2:
            return self.pronoun(words[-1], paragraph, at)
        generic = _GENERIC_BODY.search(lead)
        if generic:  # with no organization named yet: the one the document names most (later)
            return self.names.last_org(generic.group(1)) or self.names.last_org() or MAIN_ORG
        titled = _THE_WORD.search(lead)
        if titled and titled.group(1).lower() in self.names.titled:  # "the Minister said"
            return self.names.titled[titled.group(1).lower()]
        if "," in lead:  # "Malcorra, a former chef de cabinet at the UN, said"
            found = self.from_run(lead.split(",")[0], first=False)
            if found:
                return found
        found = self.from_run(lead, first=False)
        if found is None:  # "Reuters said", "Microsoft said": an organization by its one name
            last = self.names._words(words[-1])
            if (
                len(last) == 1
                and last[0][:1].isupper()
                and last[0].lower() not in self.names.titles
                and last[0].lower() not in self.names.not_names
            ):
                found = words[-1].rstrip(".,;:")  # "Sotheby's said": the name, not a possessive
        return found


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                names.add(getattr(c, attr).lower())
    return frozenset(names | {"united states", "south korea", "north korea", "russia", "iran"})


# a paragraph that speaks in the first person: an unmarked quotation running on ("X said:")
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|we|We|we're|we’re|We're|We’re|our|Our|us|my|My)\b"
)


RUN_MOST = 10  # paragraphs a quotation with no marks between its ends may run over


def _closing_first(paragraph: str) -> int | None:
    """The offset of the paragraph's first quotation mark when it closes (``”``, or a straight
    mark written after a letter or punctuation and before a space or the end), else None."""
    m = QUOTE_MARKS.search(paragraph)
    if m is None or m.start() == 0:
        return None
    at, ch = m.start(), _mark(m)
    before, after = paragraph[at - 1], paragraph[m.end() : m.end() + 1]
    # ” closes; a straight mark after a letter or punctuation (a digit's is inches: 6.1"),
    # before no letter or digit
    if ch == "”" or (
        ch == '"' and (before.isalpha() or before in ".,!?;:…—–-)’'") and not after.isalnum()
    ):
        return m.end() - 1
    return None


def _unmarked_runs(text: str, paragraphs: list[tuple[int, int]]) -> dict[int, int | None]:
    """Paragraphs inside a quotation left open at one paragraph's end and closed by the first
    mark of a later one, with no quotation mark between (figure rules, "Speaker"): each
    paragraph wholly inside (None), and the closing one with its closing mark's offset."""
    runs: dict[int, int | None] = {}
    for i, (start, end) in enumerate(paragraphs):
        cut = runs.get(i)  # a paragraph closing a run opens another only after its close
        if not quote_spans(text[start + (cut + 1 if cut is not None else 0) : end])[1]:
            continue
        for j in range(i + 1, min(len(paragraphs), i + 1 + RUN_MOST)):
            para = text[paragraphs[j][0] : paragraphs[j][1]]
            if not QUOTE_MARKS.search(para):
                continue
            close = _closing_first(para)
            if close is not None:
                runs.update({k: None for k in range(i + 1, j)})
                runs[j] = close
            break
    return runs


def find_quotes(text: str, paragraphs: list[tuple[int, int]], lex: Lexicon) -> list[Quote]:
    """Every quotation in the paragraphs (given as offsets into ``text``), with its speaker."""
    if not any(
        QUOTE_MARKS.search(text, start, end) or text[start:end].rstrip().endswith(":")
        for start, end in paragraphs
    ):
        return []  # no quotation marks and no "X said:": no paragraph below is a quotation
    runs = _unmarked_runs(text, paragraphs)
    names = Names(lex)
    resolver = _Resolver(names)
    quotes: list[Quote] = []
    carried: str | None = None  # speaker of a quotation running on from the last paragraph
    carrying = False
    colon_speaker: str | None = None  # "X said:" opening unmarked paragraphs
    colon_said = 0  # how many paragraphs of it so far (after the first, first-person ones only)
    author: str | None = None
    waiting: list[int] = []  # quotations left open with no speaker yet, run on to this one
    for index, (p_start, p_end) in enumerate(paragraphs):
        para = text[p_start:p_end]
        if index == 0:  # "Statement by Henrietta H. Fore, …": the document is hers
            author = _statement_author(names, para)
        elif index == 1 and author:  # (once the first paragraph's other names are noted)
            resolver.spoke(author, index)
        if index in runs and runs[index] is None:  # wholly inside a quotation with no marks
            quotes.append(Quote(p_start, p_end, carried or None))
            if carried:
                resolver.spoke(carried, index)
            else:
                waiting.append(len(quotes) - 1)
            continue
        closed = runs.get(index)  # where a quotation run on with no marks closes, if here
        cut = 0 if closed is None else closed + 1
        spans, left_open = quote_spans(para[cut:])
        # a title in quotation marks is no quotation: its figures are spoken as without them
        spans = [(a + cut, b + cut) for a, b in spans if not is_title(para[cut:], a, b)]
        plain = " " * cut + blank_quotes(para[cut:])
        if closed is not None:  # attributed here if not before: "… completed," she said.
            who = carried or _after(resolver, para, cut) or None
            quotes.append(Quote(p_start, p_start + cut, who))
            if who:
                resolver.spoke(who, index)
                for at in waiting:
                    quotes[at] = replace(quotes[at], speaker=who)
            waiting = []
            carrying = False
        named = names.note(plain)
        if not spans:
            if (
                colon_speaker
                and not _VERB_AT.search(para)
                and (not colon_said or _FIRST_PERSON.search(para))
            ):
                quotes.append(Quote(p_start, p_end, colon_speaker))
                resolver.spoke(colon_speaker, index)
                colon_said += 1
                continue
            colon_speaker = None
            tail = para.rstrip()
            intro = (
                _COLON_INTRO.search(tail, max(0, len(tail) - 200)) if tail.endswith(":") else None
            )
            if intro:
                colon_speaker = resolver.lead(intro.group("lead"), para, intro.start("lead"))
                colon_said = 0
            _remember_reported(resolver, para, plain, index, named)
            carrying = False
            continue
        colon_speaker = None
        continues = carrying and para.lstrip().startswith(_OPENERS)
        if not continues:
            waiting = []
        previous_in_para: str | None = None
        resolved: list[str | None] = []
        for n, (q_start, q_end) in enumerate(spans):
            speaker = carried if continues and n == 0 else None
            if speaker is None:
                speaker = _after(resolver, para, q_end)
            if speaker is None and n and previous_in_para is not None:
                between = para[spans[n - 1][1] : q_start]
                if not _SENTENCE_END.search(between):
                    speaker = previous_in_para  # a second quotation in the same sentence
            if speaker is None:
                speaker = _before(resolver, para, spans[n - 1][1] if n else 0, q_start)
            if speaker is None:
                speaker = previous_in_para
            if speaker is None and resolver.last_speaker and not resolver.other_named:
                speaker = resolver.last_speaker
            resolved.append(speaker)
            if speaker is not None:  # UNNAMED too: the next quotation here follows it
                previous_in_para = speaker
            if speaker:
                resolver.spoke(speaker, index)
        if continues and waiting and resolved[0]:
            # a quotation run over paragraphs is attributed at its end: “…¶“…,” Doe said.
            for at in waiting:
                quotes[at] = replace(quotes[at], speaker=resolved[0])
            waiting = []
        for (q_start, q_end), speaker in zip(spans, resolved, strict=True):
            who = previous_in_para if speaker is None else speaker or None
            quotes.append(Quote(p_start + q_start, p_start + q_end, who))
        if left_open and quotes[-1].speaker is None:
            waiting.append(len(quotes) - 1)
        _remember_reported(resolver, para, plain, index, named)
        carrying = left_open
        carried = (resolved[-1] or None) if resolved else carried
    if any(q.speaker == MAIN_ORG for q in quotes):
        main = names.main_organization()
        quotes = [replace(q, speaker=main) if q.speaker == MAIN_ORG else q for q in quotes]
    return quotes


_STATEMENT_BY = re.compile(
    r"(?i:(?:joint\s+)?(?:statement|remarks|speech|message|address|keynote)\s+(?:by|from))\s+"
)


def _statement_author(names: Names, first: str) -> str | None:
    """The speaker of a document headed "Statement by X", "Remarks by X" (figure rules)."""
    head = _STATEMENT_BY.match(first)
    if head is None:
        return None
    run = _CAPITAL_RUN.match(first, head.end())
    if run is None:
        return None
    return names.organization(run.group()) or names.person(run.group())


def _after(resolver: _Resolver, para: str, q_end: int) -> str | None:
    """The attribution right after a quotation."""
    window = para[q_end : q_end + 200]
    m = _AFTER_SUBJECT.match(window)
    if m:
        who = resolver.lead(m.group("lead"), para, q_end + m.start("lead"))
        if who:
            return who
    m = _AFTER_VERB.match(window) or _ACCORDING.match(window)
    if m:
        tail = m.group("tail")
        if m.re is _ACCORDING and _DOCUMENT.match(tail):
            return UNNAMED  # a document's words: the article's (figure rules)
        first_word = tail.split()[0].lower() if tail.split() else ""
        if first_word in _PRONOUNS:
            return resolver.pronoun(first_word, para, q_end)
        return resolver.from_run(tail, first=True)
    return None


def _before(resolver: _Resolver, para: str, head_from: int, q_start: int) -> str | None:
    """An attribution in the sentence that introduces a quotation ("Crisp told PassBlue: “…”")."""
    head = para[max(head_from, q_start - 240) : q_start]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    sentence = head[ends[-1] :] if ends else head
    according = _ACCORDING_TO.search(sentence)
    if according:
        return resolver.from_run(according.group(1), first=True)
    verb = _VERB_IN.search(sentence)
    if verb is None:
        return None
    subject = sentence[: verb.start()]
    if not subject.strip():
        return resolver.from_run(sentence[verb.end() :], first=True)
    words = subject.split()
    if words and words[-1].lower() in _PRONOUNS:
        at = q_start - len(head) + len(head) - len(sentence) + subject.rstrip().rfind(words[-1])
        return resolver.pronoun(words[-1], para, at)
    near = _subject_words(subject)
    who = resolver.lead(" ".join(near), para, q_start) if near else None
    return who if who else UNNAMED


def _remember_reported(
    resolver: _Resolver, para: str, plain: str, index: int, named: str | None
) -> None:
    """ "…, Crisp said." outside quotes: the next unattributed quotation may be Crisp's
    (``plain`` is ``para`` with its quotations blanked)."""
    found = _last_reported(plain)
    if found is not None:
        who = resolver.lead(found[0], para, found[1])
        if who:
            resolver.spoke(who, index)
    person = named
    if person:
        resolver.last_person = person
        if person != resolver.last_speaker and found is None:
            resolver.other_named = True
