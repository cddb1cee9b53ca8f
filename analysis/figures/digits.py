"""Numbers written with characters the figure pattern does not read (docs/hostile-input.md §2).

Digit groups joined by a no-break, narrow no-break, thin, figure or punctuation space
("1 000 000") are one number: ``GROUP_SPACES`` is read by the candidate pattern and stripped
when the value is parsed. Two other families are never read, and never silently either:

- an invisible format character (zero-width space or joiner, a direction mark, a bidi
  embedding or isolate, a soft hyphen, a byte-order mark) between digits, or a combining mark on
  a digit: "6‏7 percent" must not become 7 %; every candidate touching it is refused;
- digits of another script (Arabic-Indic "١٢٣", fullwidth "４５", Devanagari …), which the
  English-language figure rules do not cover.

:func:`unreadable_numbers` finds both, linearly (simple character classes, no nested
repetition), so :func:`~analysis.figures.extract.find_figures` can drop the candidates they
touch and the caller can report them with their offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GROUP_SPACES = "\u00a0\u2007\u2008\u2009\u202f"
# a low single quotation mark some sites print for a comma ("401‚435 matriculants")
LOW_COMMA = "\u201a"

_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# a digit, then invisible characters followed by another digit, or a combining mark
_HIDDEN = re.compile(rf"[0-9](?:[{_INVISIBLE}]+(?=[0-9])|[{_COMBINING}]+)")
# a run of decimal digits of any script other than ASCII (Python's \d is Unicode; [^\D0-9]
# is a digit that is not 0-9, as one character class: a search for a class is about three times
# faster than a lookahead tried at every character), with the Arabic thousands and decimal
# separators between its groups
_FOREIGN = re.compile(r"[^\D0-9]+(?:[\u066b\u066c.,][^\D0-9]+)*")


@dataclass(frozen=True)
class Unreadable:
    """A number the extractor refuses to read, with the reason, at [start, end)."""

    start: int
    end: int
    reason: str

    def note(self, text: str) -> str:
        return f"offset {self.start}: {self.reason} in {text[self.start : self.end]!r}; not read"


# a decimal comma before a percent or a scale word ("6,1%", "€12,5 billion"): the English
# rules would read "6" and "1%", or €12 (a thousands group has three digits). On the same
# line, as every figure rule: a line break is no space between a number and its word, so a
# text reads the same alone as joined to the next by a line break (find_figures_many). The
# first digit is matched before the look behind it: a pattern that opens with a character
# class is searched for by that class, one opening with a look-behind tried at every
# character (four times slower).
_DECIMAL_COMMA = re.compile(
    r"\d(?<![\d.,]\d)\d{0,2},\d{1,2}(?![\d,])"
    r"(?=[^\S\n]?(?:%|(?:percent|percentage|per[^\S\n]?cent|pc|thousand|million|billion"
    r"|trillion|bn|mn|mln|bln|m)\b))",
    re.IGNORECASE,
)


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"


def unreadable_numbers(text: str) -> list[Unreadable]:
    """Every number in ``text`` written with an invisible character, a combining mark, the
    digits of another script or a decimal comma before a percent or scale word, in text
    order."""
    found: list[Unreadable] = []
    for m in _HIDDEN.finditer(text):
        # the whole run of digits around the hidden character(s)
        start = m.start()
        while start > 0 and text[start - 1] in "0123456789.,":
            start -= 1
        end = m.end()
        while end < len(text) and (text[end].isdigit() or text[end] in ".,"):
            end += 1
        odd = m.group()[1]
        kind = "combining mark" if unicodedata.combining(odd) else "invisible character"
        found.append(Unreadable(start, end, f"{kind} {_name(odd)} inside a number"))
    for m in _DECIMAL_COMMA.finditer(text):
        found.append(Unreadable(m.start(), m.end(), "a decimal comma (not read as English)"))
    for m in _FOREIGN.finditer(text):
        script = unicodedata.name(m.group()[0], "UNNAMED DIGIT").rsplit(" DIGIT", 1)[0]
        found.append(Unreadable(m.start(), m.end(), f"digits of another script ({script.lower()})"))
    found.sort(key=lambda u: u.start)
    merged: list[Unreadable] = []
    for u in found:  # "6‏7‏8": one number, one note
        if merged and u.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Unreadable(last.start, max(last.end, u.end), last.reason)
        else:
            merged.append(u)
    return merged
