"""Numbers and moments as emails and pages say them, in the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from ..domain.languages import PSEUDO, SOURCE
from .catalogs import translations


def span(value: float, unit: str, language: str = SOURCE) -> str:
    """E.g. span(10, "day") == "10 days", span(1.5, "hour", "de") == "1,5 Stunden"."""
    _ = translations(language)
    number = decimal(value, language)
    # Plural rules choose by whole numbers; a fraction of a day reads as "days" in each shipped language.
    n = int(value) if float(value).is_integer() else 2
    if unit == "hour":
        return _.ngettext("%(num)s hour", "%(num)s hours", n) % {"num": number}
    return _.ngettext("%(num)s day", "%(num)s days", n) % {"num": number}


# Each shipped language's decimal sign and digit group separator, as CLDR gives them (Babel's locale data;
# tests/unit/test_wording.py holds this table to it). Every shipped locale's decimal format is `#,##0.###`:
# groups of three, at most three decimals. Loading Babel's locale data for one number on a page (a link
# page's retention sentence) cost a page view's cold start some 25 ms (docs/benchmark.md section 3).
SYMBOLS: dict[str, tuple[str, str]] = {
    "en_GB": (".", ","),
    "de": (",", "."),
    "fr": (",", "\u202f"),
    "es": (",", "."),
}
THOUSANDTHS = Decimal("0.001")


def decimal(value: float, language: str = SOURCE) -> str:
    """A number as babel.numbers.format_decimal writes it in the language's locale, e.g. "1,5" in "de"."""
    locale = _locale(language)
    try:
        point, group = SYMBOLS[locale]
        # As Babel rounds: the number as written (str), half to even, to the pattern's three decimals.
        rounded = Decimal(str(value)).quantize(THOUSANDTHS, ROUND_HALF_EVEN)
    except (KeyError, InvalidOperation):  # a language without its row, or beyond 28 digits: Babel itself
        from babel.numbers import format_decimal

        return format_decimal(value, locale=locale)
    text = f"{rounded:,f}".rstrip("0").rstrip(".")
    return text.translate({ord("."): point, ord(","): group})


def day(moment: int | None, language: str = SOURCE) -> str | None:
    """A moment as the day a person reads, e.g. "Tuesday 8 December" or "Dienstag, 8. Dezember" (UTC)."""
    if moment is None:
        return None
    from babel import Locale
    from babel.dates import format_date

    locale = Locale.parse(_locale(language))
    # The locale's own order for weekday, day and month (CLDR's MMMMEd), with the weekday written out.
    pattern = re.sub(r"E+", "EEEE", locale.datetime_skeletons["MMMMEd"].pattern)
    return format_date(datetime.fromtimestamp(moment, UTC), pattern, locale=locale)


def _locale(language: str) -> str:
    # The English of these pages is British ("8 December"); pseudo-locales stretch that English.
    return "en_GB" if language == SOURCE or language in PSEUDO else language
