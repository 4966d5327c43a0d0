"""Gentle, specific hints on a note before it is sent: the requester's blurb and a connector's reason
for proposing an introduction. Hints never block: the form shows them beside the note with the text
kept, and sending the same text again sends it as written (see `fingerprint`).

Pure: the text, the names the note is meant for, and this person's last note in, hints out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

SHORT_WORDS = 10  # fewer than this rarely says who, why and what
LONG_WORDS = 120  # about what reads at a glance on a phone

PLACEHOLDER = re.compile(
    r"\[[^\[\]\n]{1,40}\]"  # [name]
    r"|\{\{?[^{}\n]{1,40}\}?\}"  # {company}, {{name}}
    r"|<<[^<>\n]{1,40}>>"  # <<name>> (a single <b> is more likely markup someone typed)
    r"|\b(?:XXX+|TODO|TBD|FIXME)\b"
    r"|\bX{2,}\b|_{3,}",
    re.IGNORECASE,
)
# The words people use when they ask for something, or say what a meeting is for.
ASKS = re.compile(
    r"\?|\b(?:would|could|can|may) (?:you|we|i|they)\b|\bi(?:'d| would) (?:love|like|value)\b"
    r"|\b(?:hoping|hope|looking for|asking|ask|advice|coffee|call|chat|talk|minutes|meet|"
    r"introduc\w*|learn|hear|swap|compar\w*|help|enjoy|should|together|share|exchange)\b",
    re.IGNORECASE,
)
GREETING = re.compile(r"^\s*(?i:hi|hello|hey|dear)\s+([A-Z][\w'-]+)", re.MULTILINE)
MEETING = re.compile(r"\b(?i:meet|introduc\w*(?: me)? to)\s+([A-Z][\w'-]+)")
NOT_NAMES = frozenset(
    {"you", "your", "them", "both", "someone", "the", "a", "an", "all", "everyone", "there"}
)


class Hint(StrEnum):
    SHORT = "short"
    PLACEHOLDER = "placeholder"
    NO_ASK = "no_ask"
    LONG = "long"
    REPEATED = "repeated"
    SOMEONE_ELSE = "someone_else"


@dataclass(frozen=True)
class Advice:
    hint: Hint
    text: str  # plain text, shown next to the field


def coach(
    note: str, *, meant_for: tuple[str, ...] = (), last: str | None = None, proposal: bool = False
) -> list[Advice]:
    """Hints for `note`, in the order a writer would fix them. `meant_for`: the names of the people
    who will read it (the target; or a proposal's two people). `last`: this person's last note."""
    text = note.strip()
    words = len(text.split())
    found: list[Advice] = []
    if match := PLACEHOLDER.search(text):
        found.append(
            Advice(
                Hint.PLACEHOLDER,
                f"It still has a placeholder, “{match.group(0).strip()}”: fill it in before sending.",
            )
        )
    if words < SHORT_WORDS:
        found.append(
            Advice(
                Hint.SHORT,
                "A few more words would help it stand alone: "
                + (
                    "who they each are and why they should meet."
                    if proposal
                    else "who you are, why this person, and your one ask."
                ),
            )
        )
    if text and not ASKS.search(text):
        found.append(
            Advice(
                Hint.NO_ASK,
                "Say what they might talk about, so each knows what a yes means."
                if proposal
                else "There's no clear ask yet: say what you'd like, e.g. 20 minutes to ask about one thing.",
            )
        )
    if words > LONG_WORDS:
        found.append(
            Advice(Hint.LONG, f"It's {words} words; under about {LONG_WORDS} reads best on a phone.")
        )
    if last is not None and text and _same(text, last):
        found.append(
            Advice(
                Hint.REPEATED,
                "It's the same text as your last "
                + ("proposal" if proposal else "request")
                + ": a note written for these people lands better.",
            )
        )
    if meant_for and (other := _someone_else(text, meant_for)):
        readers = " and ".join(meant_for)
        found.append(
            Advice(
                Hint.SOMEONE_ELSE,
                f"It mentions {other}, but it will be read by {readers}: was it written for someone else?",
            )
        )
    return found


def fingerprint(note: str) -> str:
    """Shown-hints marker: the form carries it back, so the same text sent again goes as written."""
    return hashlib.sha256(" ".join(note.split()).encode()).hexdigest()[:32]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _someone_else(text: str, meant_for: tuple[str, ...]) -> str | None:
    """A name the note greets, or asks to meet, that is none of its readers' names."""
    known = {part.casefold() for name in meant_for for part in re.findall(r"[\w'-]+", name)}
    for pattern in (GREETING, MEETING):
        for match in pattern.finditer(text):
            name = match.group(1)
            if name.casefold() not in known and name.casefold() not in NOT_NAMES:
                return name
    return None


def review(note: str, coached: str | None, **context: Any) -> list[Advice]:
    """The hints to show before sending, or none: a note sent again unchanged after its hints were
    shown goes as written (`coached` is the fingerprint the form carried back)."""
    if coached and coached == fingerprint(note):
        return []
    return coach(note, **context)
