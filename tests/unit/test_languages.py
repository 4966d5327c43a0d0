"""Which language a person reads: a browser's Accept-Language matched to the shipped languages, a
choice remembered per person, and one language for a message to several."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from local.screenshot_emails import INTRO
from warm_intro.domain import languages
from warm_intro.domain.languages import SHIPPED, direction, negotiate
from warm_intro.domain.model import Role

TAGS = st.sampled_from(["de", "de-CH", "fr-CA", "es-419", "en-GB", "pt-BR", "ja", "zh-Hant-TW", "*", "x"])
QUALITIES = st.sampled_from(["", ";q=1", ";q=0.9", ";q=0.5", ";q=0", ";q=0.000", ";q=oops", " ; q=0.3"])


def test_a_browsers_first_shipped_language_wins():
    assert negotiate("de-CH,de;q=0.9,en;q=0.8", "en") == "de"
    assert negotiate("pt-BR, fr;q=0.7, es;q=0.8", "en") == "es"
    assert negotiate("ja, zh;q=0.5", "fr") == "fr"  # nothing shipped: the organisation's
    assert negotiate("de;q=0, fr", "en") == "fr"  # q=0: "not this one"
    assert negotiate(None, "es") == "es"
    assert negotiate("", "de") == "de"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TAGS, QUALITIES), max_size=6), st.sampled_from(sorted(SHIPPED)))
def test_negotiation_always_answers_a_shipped_language_the_browser_accepts_or_the_default(parts, default):
    header = ", ".join(tag + q for tag, q in parts)
    answer = negotiate(header, default)
    assert answer in SHIPPED
    if answer != default:
        assert answer in [tag.split("-")[0] for tag, q in parts if quality(q) > 0]


def quality(param: str) -> float:
    value = param.replace(" ", "").removeprefix(";q=") or "1"
    try:
        return float(value)
    except ValueError:
        return 0.0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80), st.sampled_from(sorted(SHIPPED)))
def test_any_header_at_all_is_answered_with_a_shipped_language(header, default):
    assert negotiate(header, default) in SHIPPED


def test_a_choice_is_remembered_per_person_and_only_a_shipped_one():
    intro = languages.chosen(INTRO, Role.TARGET, "es")
    assert languages.of(intro, Role.TARGET, "fr") == "es"
    assert languages.of(intro, Role.CONNECTOR, "fr") == "fr"
    assert languages.chosen(intro, Role.TARGET, "en-XA") is intro  # a pseudo-locale is never remembered
    assert languages.chosen(intro, Role.TARGET, "xx") is intro
    assert languages.chosen(intro, Role.SYSTEM, "de") is intro  # an introduction's shared link: nobody's


def test_a_message_to_several_is_in_their_shared_language_else_the_organisations():
    everyone = (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)
    german = replace(INTRO, languages=dict.fromkeys(everyone, "de"))
    assert languages.shared_by(german, everyone, "fr") == "de"
    mixed = replace(INTRO, languages={Role.REQUESTER: "de", Role.TARGET: "es"})
    assert languages.shared_by(mixed, everyone, "fr") == "fr"
    assert languages.shared_by(INTRO, everyone, "es") == "es"


def test_right_to_left_scripts_and_the_pseudo_locales_say_their_direction():
    assert direction("ar") == "rtl" and direction("he") == "rtl" and direction("fa-IR") == "rtl"
    assert direction("de") == "ltr" and direction("en-XA") == "ltr" and direction("ar-XB") == "rtl"
