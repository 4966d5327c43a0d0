"""Every kind of email, and the sign-in and welcome mail, in every shipped language and both
pseudo-locales: both parts written in it, the HTML part saying which language and direction, no word
outside the catalogs; each recipient's own language, and the introduction in the organisation's
unless all three read another."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest

from local.screenshot_emails import BASE, INTRO, SETTINGS, sample_links
from tests.support.visible import Visible, untranslated
from warm_intro.domain.languages import PSEUDO, SHIPPED
from warm_intro.domain.model import Flow, Kind, Role
from warm_intro.views import emails, member_emails
from warm_intro.views.emails import PROPOSAL_WORDING, compose

EVERYONE = (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)
# A proposal: the person asked first held as the target, the second as the requester, with its own
# wording for the messages it shares with a request (emails/proposal/*).
PROPOSAL = replace(INTRO, flow=Flow.PROPOSAL)
# Every message: each kind as a request sends it, and a proposal's own wording of the ones it shares.
SAMPLES = [(kind, "request") for kind in Kind] + [(kind, "proposal") for kind in sorted(PROPOSAL_WORDING)]
FLOWS = {"request": INTRO, "proposal": PROPOSAL}
TYPED = (
    INTRO.requester.name,
    INTRO.connector.name,
    INTRO.target.name,
    INTRO.target.about,
    INTRO.blurb,
    INTRO.note,
    SETTINGS.org_name,
)
TYPED_LINES = [line for value in TYPED for line in value.splitlines()]
ENGLISH_SUBJECT = {
    (kind, flow): str(compose(kind, FLOWS[flow], sample_links(), SETTINGS)["Subject"])
    for kind, flow in SAMPLES
}


def read(kind: Kind, intro=INTRO, settings=SETTINGS):
    raw = compose(kind, intro, sample_links(), settings).as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    return msg, msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def speaking(code: str, intro=INTRO):
    return replace(intro, languages=dict.fromkeys(EVERYONE, code))


@pytest.mark.parametrize("code", [c for c in SHIPPED if c != "en"])
@pytest.mark.parametrize(("kind", "flow"), SAMPLES)
def test_every_email_is_written_in_its_readers_language(kind, flow, code):
    msg, text, html = read(kind, speaking(code, FLOWS[flow]))
    page = Visible(html)
    assert msg["Content-Language"] == code
    assert page.root == {"lang": code, "dir": "ltr"}
    assert str(msg["Subject"]) != ENGLISH_SUBJECT[kind, flow]
    english_text = read(kind, FLOWS[flow])[1]
    assert text != english_text
    assert emails.language(kind, speaking(code, FLOWS[flow]), SETTINGS) == code
    # Not one English sentence of the English mail is left in either part.
    english = {line.strip() for line in english_text.splitlines() if len(line.split()) > 3}
    english -= {line.strip() for line in TYPED_LINES}
    for part in (text, page.text):
        assert "Nobody is introduced without saying yes first" not in part
        assert [line for line in english if line in part and "://" not in line] == []


@pytest.mark.parametrize("code", list(PSEUDO))
@pytest.mark.parametrize(("kind", "flow"), SAMPLES)
def test_no_word_of_any_email_is_outside_a_catalog(kind, flow, code, monkeypatch):
    monkeypatch.setattr(emails, "language", lambda *_: code)
    msg, text, html = read(kind, FLOWS[flow])
    page = Visible(html)
    assert page.root == {"lang": code, "dir": PSEUDO[code]}
    assert untranslated(str(msg["Subject"]), TYPED) == []
    assert untranslated(text, TYPED) == [], "text part"
    assert untranslated(page.text, TYPED) == [], "HTML part"


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


LETTERS = {
    "signin": lambda code: member_emails.signin(SETTINGS, "ada@example.org", f"{BASE}/me/signin/x", code),
    "welcome": lambda code: member_emails.welcome(
        SETTINGS, "Ada Lovelace", "ada@example.org", f"{BASE}/welcome/x", code
    ),
}


def letter(kind: str, code: str):
    msg = BytesParser(policy=policy.default).parsebytes(LETTERS[kind](code).as_bytes())
    return msg, msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
@pytest.mark.parametrize("kind", sorted(LETTERS))
def test_the_sign_in_and_welcome_mail_are_written_in_the_language_given(kind, code):
    msg, text, html = letter(kind, code)
    page = Visible(html)
    assert msg["Content-Language"] == code
    assert page.root == {"lang": code, "dir": PSEUDO.get(code, "ltr")}
    if code in PSEUDO:
        assert untranslated(str(msg["Subject"]), TYPED) == []
        assert untranslated(text, TYPED) == [], "text part"
        assert untranslated(page.text, TYPED) == [], "HTML part"
    elif code != "en":
        english = letter(kind, "en")
        assert str(msg["Subject"]) != str(english[0]["Subject"]) and text != english[1]
        assert str(msg["From"]) != str(english[0]["From"])  # "<org> introductions", in this language too


def test_a_letter_without_a_language_is_in_the_organisations():
    french = replace(SETTINGS, language="fr")
    msg = member_emails.welcome(french, "Ada Lovelace", "ada@example.org", f"{BASE}/welcome/x")
    assert (
        msg["Content-Language"] == "fr" and "Bonjour Ada Lovelace" in msg.get_body(("plain",)).get_content()
    )
