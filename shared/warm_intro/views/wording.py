"""Numbers and moments as emails and pages say them, in the reader's language."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

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


def decimal(value: float, language: str = SOURCE) -> str:
    """A number as babel.numbers.format_decimal writes it in the language's locale, e.g. "1,5" in "de".
    A whole number under 1,000 (every span the settings allow but the rarest) is written without loading
    Babel's locale data, which cost a cold page some 25 ms (docs/benchmark.md section 3): every shipped
    language writes those in the same Latin digits, with no sign and no separator."""
    if float(value).is_integer() and 0 <= value < 1000 and math.copysign(1, value) > 0:  # not -0.0
        return str(int(value))
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language))


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
