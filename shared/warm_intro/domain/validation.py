"""Input rules shared by the API models and the link forms, so both refuse the same things."""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInput
from .translatable import N_

# Deliberately plain: one @, a dotted domain, no spaces, quotes or angle brackets that could
# break out of an address header.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# The local part is a dot-atom (RFC 5322): no leading, trailing or doubled dot, which mail libraries refuse.
EMAIL = re.compile(
    "^" + _ATEXT + r"(?:\." + _ATEXT + r")*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
EMAIL_MAX = 254
NAME_MAX = 100
BLURB_MAX = 1200
BLURB_MIN = 20
ABOUT_MAX = 200
NOTE_MAX = 1000


# Trojan Source (CVE-2021-42574): embeddings, overrides and isolates reorder what a person reads.
# Joiners (ZWJ, ZWNJ), variation selectors, bidi marks and emoji tags are parts of words and emoji.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What a mail header gives a meaning to inside a name: address punctuation, and "=?", which starts an
# RFC 2047 encoded-word that mail software decodes into anything, an address or a line break included.
ADDRESS_PUNCTUATION = frozenset('<>@,;"')


def dangerous(ch: str) -> bool:
    """C0/C1 controls, line and paragraph separators, bidi reordering, and lone surrogates (not text)."""
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in BIDI_CONTROLS


def has_control(text: str, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(dangerous(ch) and ch not in allowed for ch in text)


def plain_name(value: str) -> str:
    """The name as a mail header may carry it: what check_name accepts is returned unchanged; anything
    else (stored before the rule, or built directly) has its dangerous and address-like characters
    blanked. Characters are judged in NFKC too, so a full-width @ or =? counts as one."""
    kept: list[str] = []
    for ch in value:
        folded = unicodedata.normalize("NFKC", ch)
        after_equals = bool(kept) and unicodedata.normalize("NFKC", kept[-1]).endswith("=")
        special = any(c in ADDRESS_PUNCTUATION for c in folded) or "=?" in folded
        kept.append(" " if dangerous(ch) or special or (after_equals and folded.startswith("?")) else ch)
    return " ".join("".join(kept).split())


def normalise_email(value: str) -> str:
    return value.strip().lower()


def check_email(field: str, value: str | None) -> str:
    value = normalise_email(value or "")
    if not value:
        raise InvalidInput(field, N_("Please give an email address."))
    # "=?" would open an encoded-word that header parsers decode inside the address itself.
    if len(value) > EMAIL_MAX or not EMAIL.match(value) or "=?" in value:
        raise InvalidInput(field, N_("That doesn't look like an email address."))
    return value


def check_name(field: str, value: str) -> str:
    if has_control(value or ""):  # before collapsing spaces, which would hide a CR/LF
        raise InvalidInput(field, N_("Names can't contain line breaks or control characters."))
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(field, N_("Please give a name."))
    if len(value) > NAME_MAX:
        raise InvalidInput(field, N_("Please keep this to %(most)s characters at most."), most=NAME_MAX)
    if plain_name(value) != value:
        raise InvalidInput(
            field, N_("Names can't contain < > @ , ; \" or =? (mail programs read them as addresses).")
        )
    return value


def check_line(field: str, value: str, limit: int = ABOUT_MAX) -> str:
    """One line of text shown in bodies only (a line about someone): any punctuation, no controls."""
    if has_control(value or ""):
        raise InvalidInput(field, N_("This line can't contain line breaks or control characters."))
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise InvalidInput(field, N_("Please keep this to %(most)s characters at most."), most=limit)
    return value


def check_text(field: str, value: str | None, limit: int) -> str | None:
    """Optional free text: trimmed, newlines allowed, other control characters refused."""
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        return None
    if has_control(value, allow_newlines=True):
        raise InvalidInput(field, N_("This text contains control characters; please remove them."))
    if len(value) > limit:
        raise InvalidInput(
            field,
            N_("Please keep this to %(most)s characters at most (it is %(length)s)."),
            most=limit,
            length=len(value),
        )
    return value


def normalise_name(value: str) -> str:
    """For matching the same person by name: case, accents and spacing ignored."""
    folded = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())
