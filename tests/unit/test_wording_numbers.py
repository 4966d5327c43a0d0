"""Numbers on pages and in emails read exactly as Babel writes them in each language; the whole numbers
under 1,000 that spans almost always are, without loading Babel's locale data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from warm_intro.domain.languages import PSEUDO, SHIPPED
from warm_intro.views.wording import _locale, decimal, span

LANGUAGES = sorted([*SHIPPED, *PSEUDO])


@settings(max_examples=200, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    value=st.one_of(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.integers(-(10**12), 10**12),
        st.decimals(min_value=-1000, max_value=1000, places=4).map(float),
        st.integers(0, 999),
    ),
)
@example(language="en", value=-0.0)
def test_a_number_reads_as_babel_writes_it(language, value):
    assert decimal(value, language) == format_decimal(value, locale=_locale(language))


def test_spans_use_the_languages_numbers_and_plurals():
    assert span(1.5, "hour", "de") == "1,5 Stunden"
    assert span(30, "day") == "30 days" and span(1, "day") == "1 day"
    assert span(1000, "day", "fr").startswith("1\u202f000 ")


def test_a_span_loads_no_locale_data_in_a_fresh_process():
    """A cold page writes its span (a whole number of days or hours) without Babel's CLDR data (tens of ms)."""
    child = """
import babel.localedata as data
loaded, read = [], data.load
data.load = lambda name, *args, **kwargs: loaded.append(name) or read(name, *args, **kwargs)
from warm_intro.views.wording import span
for language in ("en", "de", "fr", "es", "en-XA"):
    span(1, "day", language), span(24, "hour", language), span(30, "day", language), span(999, "day", language)
print(loaded)
"""
    shared = Path(__file__).resolve().parents[2] / "shared"
    done = subprocess.run(
        [sys.executable, "-c", child],
        env={**os.environ, "PYTHONPATH": str(shared)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
