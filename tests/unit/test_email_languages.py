"""Every kind of email, in every shipped language and both pseudo-locales: both parts written in it,
the HTML part saying which language and direction, no word outside the catalogs; each recipient's
own language, and the introduction in the organisation's unless all three read another."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest

from local.screenshot_emails import INTRO, SETTINGS, sample_links
from tests.support.visible import Visible, untranslated
from warm_intro.domain.languages import PSEUDO, SHIPPED
from warm_intro.domain.model import Kind, Role
from warm_intro.views import emails
from warm_intro.views.emails import compose

EVERYONE = (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)
# A request's messages, every word in the catalogs. A proposal's own messages (issue 14) and the members'
# sign-in mail (issue 15) are still written in English only: docs/languages.md lists them.
TRANSLATED = [
    Kind.CONFIRM_REQUEST,
    Kind.NOT_POSSIBLE,
    Kind.CONNECTOR_ASK,
    Kind.TARGET_ASK,
    Kind.INTRODUCTION,
    Kind.CLOSED,
    Kind.CONNECTOR_REMINDER,
    Kind.TARGET_REMINDER,
    Kind.FOLLOWUP,
    Kind.THANKS,
]
NOT_YET = {
    Kind.CONFIRM_PROPOSAL,
    Kind.PROPOSAL_NOT_POSSIBLE,
    Kind.SECOND_ASK,
    Kind.SECOND_REMINDER,
    Kind.PROPOSAL_CLOSED,
    Kind.TARGET_FOLLOWUP,
}
TYPED = (
    INTRO.requester.name,
    INTRO.connector.name,
    INTRO.target.name,
    INTRO.target.about,
    INTRO.blurb,
    INTRO.note,
    SETTINGS.org_name,
)
ENGLISH_SUBJECT = {
    kind: str(compose(kind, INTRO, sample_links(), SETTINGS)["Subject"]) for kind in TRANSLATED
}


def read(kind: Kind, intro=INTRO, settings=SETTINGS):
    raw = compose(kind, intro, sample_links(), settings).as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    return msg, msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def speaking(code: str):
    return replace(INTRO, languages=dict.fromkeys(EVERYONE, code))


@pytest.mark.parametrize("code", [c for c in SHIPPED if c != "en"])
@pytest.mark.parametrize("kind", TRANSLATED)
def test_every_email_is_written_in_its_readers_language(kind, code):
    msg, text, html = read(kind, speaking(code))
    page = Visible(html)
    assert msg["Content-Language"] == code
    assert page.root == {"lang": code, "dir": "ltr"}
    assert str(msg["Subject"]) != ENGLISH_SUBJECT[kind]
    english_text = read(kind)[1]
    assert text != english_text
    # The footer's promise, in this language, in both parts.
    assert emails.language(kind, speaking(code), SETTINGS) == code
    for part in (text, page.text):
        assert "Nobody is introduced without saying yes first" not in part


@pytest.mark.parametrize("code", list(PSEUDO))
@pytest.mark.parametrize("kind", TRANSLATED)
def test_no_word_of_any_email_is_outside_a_catalog(kind, code, monkeypatch):
    monkeypatch.setattr(emails, "language", lambda *_: code)
    msg, text, html = read(kind)
    page = Visible(html)
    assert page.root == {"lang": code, "dir": PSEUDO[code]}
    assert untranslated(str(msg["Subject"]), TYPED) == []
    assert untranslated(text, TYPED) == [], "text part"
    assert untranslated(page.text, TYPED) == [], "HTML part"


def test_every_kind_of_email_is_translated_or_listed_as_not_yet():
    assert set(TRANSLATED) | NOT_YET == set(Kind) and not set(TRANSLATED) & NOT_YET


def test_each_person_is_written_to_in_their_own_language():
    intro = replace(INTRO, languages={Role.REQUESTER: "de", Role.TARGET: "es"})
    assert emails.language(Kind.CONFIRM_REQUEST, intro, SETTINGS) == "de"
    assert emails.language(Kind.CLOSED, intro, SETTINGS) == "de"
    assert emails.language(Kind.TARGET_ASK, intro, SETTINGS) == "es"
    assert emails.language(Kind.CONNECTOR_ASK, intro, SETTINGS) == "en"  # not chosen: the organisation's
    french = replace(SETTINGS, language="fr")
    assert emails.language(Kind.CONNECTOR_ASK, intro, french) == "fr"


def test_the_introduction_is_in_the_organisations_language_unless_all_three_share_another():
    french = replace(SETTINGS, language="fr")
    mixed = replace(INTRO, languages={Role.REQUESTER: "de", Role.TARGET: "de"})  # the connector: French
    assert read(Kind.INTRODUCTION, mixed, french)[0]["Content-Language"] == "fr"
    german = replace(INTRO, languages=dict.fromkeys(EVERYONE, "de"))
    msg, text, _ = read(Kind.INTRODUCTION, german, french)
    assert msg["Content-Language"] == "de" and "darf ich vorstellen" in text


def test_dates_and_spans_follow_the_language():
    _, text, _ = read(Kind.TARGET_REMINDER, speaking("de"))
    assert "Donnerstag" in text or "Dienstag" in text or "Sonntag" in text or "Montag" in text
    _, text, _ = read(Kind.CONFIRM_REQUEST, speaking("fr"))
    assert "24 heures" in text
