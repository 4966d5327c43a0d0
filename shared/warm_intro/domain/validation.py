"""Input rules shared by the API models and the link forms, so both refuse the same things."""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInput

# Deliberately plain: one @, a dotted domain, no spaces, quotes or angle brackets that could
# break out of an address header.
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
EMAIL_MAX = 254
NAME_MAX = 100
BLURB_MAX = 1200
BLURB_MIN = 20
ABOUT_MAX = 200
NOTE_MAX = 1000


def has_control(text: str, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in allowed for ch in text)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def check_email(field: str, value: str | None) -> str:
    value = normalise_email(value or "")
    if not value:
        raise InvalidInput(field, "Please give an email address.")
    if len(value) > EMAIL_MAX or not EMAIL.match(value):
        raise InvalidInput(field, "That doesn't look like an email address.")
    return value


def check_name(field: str, value: str, limit: int = NAME_MAX) -> str:
    if has_control(value or ""):  # before collapsing spaces, which would hide a CR/LF
        raise InvalidInput(field, "Names can't contain line breaks or control characters.")
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(field, "Please give a name.")
    if len(value) > limit:
        raise InvalidInput(field, f"Please keep this to {limit} characters at most.")
    return value


def check_text(field: str, value: str | None, limit: int) -> str | None:
    """Optional free text: trimmed, newlines allowed, other control characters refused."""
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        return None
    if has_control(value, allow_newlines=True):
        raise InvalidInput(field, "This text contains control characters; please remove them.")
    if len(value) > limit:
        raise InvalidInput(field, f"Please keep this to {limit} characters at most (it is {len(value)}).")
    return value


def normalise_name(value: str) -> str:
    """For matching the same person by name: case, accents and spacing ignored."""
    folded = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())
