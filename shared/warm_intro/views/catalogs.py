"""Each language's messages, from its gettext catalog (locales/<code>/LC_MESSAGES/messages.po).

A deployed layer carries the .mo that its build compiled (shared/Makefile); a local run or a test reads
the .po itself, so what it shows is always the committed catalog. English is the templates' own words."""

from __future__ import annotations

import gettext
import re
from functools import cache
from io import BytesIO
from pathlib import Path

from ..domain.languages import PSEUDO, SHIPPED, SOURCE

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:  # gettext's own name for this, which extraction looks for
    """Marks a message kept in a constant for extraction; it is translated where it is shown."""
    return message


@cache
def translations(code: str) -> gettext.NullTranslations:
    if code in PSEUDO:
        return Pseudo()
    if code == SOURCE or code not in SHIPPED:
        return gettext.NullTranslations()
    from babel.support import Translations

    folder = LOCALES / code / "LC_MESSAGES"
    if (compiled := folder / f"{DOMAIN}.mo").exists():
        with compiled.open("rb") as file:
            return Translations(file, domain=DOMAIN)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (folder / f"{DOMAIN}.po").open("rb") as file:
        catalog = read_po(file, locale=code, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries stay out, as msgfmt leaves them out
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


# What pseudo-translation must leave alone: placeholders, markup and entities.
_KEEP = re.compile(r"%\([a-z_]+\)[sd]|%%|<[^>]*>|&[#a-z0-9]+;")
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_VOWELS = re.compile(r"([aeiouyAEIOUY])")


def pseudo(text: str) -> str:
    """'Hello %(name)s' -> '⟦Ĥééĺĺöö %(name)s⟧': every vowel doubled (about 40 % longer), every letter
    accented, placeholders and markup kept as they are."""
    out, last = [], 0
    for kept in _KEEP.finditer(text):
        out.append(_stretch(text[last : kept.start()]))
        out.append(kept.group())
        last = kept.end()
    out.append(_stretch(text[last:]))
    return f"⟦{''.join(out)}⟧"


def _stretch(words: str) -> str:
    return _VOWELS.sub(r"\1\1", words).translate(_ACCENTED)


class Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)
