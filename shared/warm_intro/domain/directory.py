"""The opt-in directory ("be findable"): a member's short line, "I'm glad to introduce people to
...", which signed-in members search to pick a connector without knowing their address.

Pure rules: how a line is checked and cut into words (case, accents and punctuation ignored), which
word of a search is looked up (the longest: the rarest, as a rule) and which request was sent by
picking from the directory, whose connector's address stays unshown until they pass it on."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .errors import InvalidInput
from .model import Flow, Intro, Role
from .translatable import N_

LINE_CHARS = 140
MAX_WORDS = 20  # a line's words, each one index item: one transaction writes them all
RESULTS = 20
PICKED = "directory"  # the `via` of a request whose connector was picked from the directory
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "for",
        "from",
        "i",
        "in",
        "into",
        "is",
        "it",
        "m",
        "me",
        "of",
        "on",
        "or",
        "people",
        "the",
        "to",
        "with",
        "who",
        "glad",
        "introduce",
    ]
)
WORD = re.compile(r"[^\W_]+")


def check_line(text: str) -> str:
    line = " ".join((text or "").split())
    if not line:
        raise InvalidInput("line", N_("Please say in a few words whom you're glad to introduce people to."))
    if len(line) > LINE_CHARS:
        raise InvalidInput("line", N_("Please keep it under %(most)s characters."), most=LINE_CHARS)
    if not words(line):
        raise InvalidInput("line", N_("Please name at least one field, company or place."))
    return line


def words(text: str) -> tuple[str, ...]:
    """The distinct searchable words of `text`, in order: case-folded, accents dropped, at least two
    letters, and none of the line's own filler ("I'm glad to introduce people to")."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().casefold()
    found = [w for w in WORD.findall(plain) if len(w) >= 2 and w not in STOP]
    return tuple(dict.fromkeys(found))[:MAX_WORDS]


def lookup(query: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """(the word to look up, the others every result must also have), or None for an empty search."""
    if not query:
        return None
    key = max(query, key=len)
    return key, tuple(w for w in query if w != key)


def entry_id(address_hash: str) -> str:
    """The opaque id a listing is known by in pages and forms: derived from the keyed address hash,
    so it says nothing of the address and cannot be turned back into it without the key."""
    return hashlib.sha256(f"directory:{address_hash}".encode()).hexdigest()[:32]


def well_formed(entry: str) -> bool:
    return len(entry) == 32 and all(c in "0123456789abcdef" for c in entry)


def picked(intro: Intro) -> bool:
    return intro.flow is Flow.REQUEST and bool(intro.history) and intro.history[0].via == PICKED


def address_hidden(intro: Intro) -> bool:
    """A picked connector's address is shown to the requester only once they passed the request on."""
    return picked(intro) and not any(
        e.actor is Role.CONNECTOR and e.action == "approve" for e in intro.history
    )
