"""Numbers and moments as emails and pages say them, in the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ..domain.languages import PSEUDO, SOURCE
from .catalogs import translations


def span(value: float, unit: str, language: str = SOURCE) -> str:
    """E.g. span(10, "day") == "10 days", span(1.5, "hour", "de") == "1,5 Stunden"."""
    from babel.numbers import format_decimal

    _ = translations(language)
    number = format_decimal(value, locale=_locale(language))
    # Plural rules choose by whole numbers; a fraction of a day reads as "days" in each shipped language.
    n = int(value) if float(value).is_integer() else 2
    if unit == "hour":
        return _.ngettext("%(num)s hour", "%(num)s hours", n) % {"num": number}
    return _.ngettext("%(num)s day", "%(num)s days", n) % {"num": number}


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
