"""Every email kind read as its reader would (issue 18): both parts, the words and the headers. Replies
to what the connector is asked can't reach the requester; the target's ask reads as the connector's,
offers both answers as links, tells the real closing date and why it came; every footer links the
About page."""

from __future__ import annotations

import re
from dataclasses import replace
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from local.screenshot_emails import BASE, INTRO, SETTINGS, sample_links
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.messages import ANSWER_LINKS, SPECS
from warm_intro.domain.model import (
    DECISIONS_BY_PURPOSE,
    Decision,
    Delivery,
    Event,
    Flow,
    Kind,
    Message,
    Person,
    Role,
    State,
)
from warm_intro.domain.validation import check_name
from warm_intro.views import member_emails
from warm_intro.views.emails import compose

ABOUT = f"{BASE}/about"
ASKED_AT = 1_790_000_000  # Monday 21 September 2026, 14:13 UTC
CLOSES_ON = "Thursday 1 October"  # ten days later (the default ExpiryDays)
# Before the introduction a no is still possible; the connector gets these then.
CONNECTOR_BEFORE_INTRODUCTION = [k for k in Kind if SPECS[k].to == (Role.CONNECTOR,) and k is not Kind.THANKS]
TARGET_ASKS = [Kind.TARGET_ASK, Kind.TARGET_REMINDER]


class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append((self._href or "", ""))

    def handle_data(self, data):
        if self._href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def read(kind: Kind, intro=INTRO, settings=SETTINGS):
    raw = compose(kind, intro, sample_links(), settings).as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    return msg, text, html


def words(html: str) -> str:
    """The HTML part as a reader sees it: tags gone, entities read, spaces collapsed."""
    body = html.split("<body", 1)[1].split(">", 1)[1]
    inline = re.sub(r"</?(?:a|strong|em|b)\b[^>]*>", "", body)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def asked(intro=INTRO, at: int = ASKED_AT):
    """The introduction as it stands once its current ask went out at `at`."""
    sent = {k: Message(k, Delivery.SENT, at) for k in (Kind.CONNECTOR_ASK, Kind.TARGET_ASK)}
    return replace(intro, asked_at=at, outbox=sent)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_footer_links_the_about_page_in_both_parts(kind):
    _, text, html = read(kind)
    footer = text.rsplit("\n-- \n", 1)[1]
    assert f"About this service and your data: {ABOUT}" in footer
    assert (ABOUT, "About this service and your data") in Links(html).links


@pytest.mark.parametrize("kind", CONNECTOR_BEFORE_INTRODUCTION)
@pytest.mark.parametrize("org_reply", [None, "office@example.org"])
def test_replies_to_the_connectors_ask_never_reach_the_requester(kind, org_reply):
    msg, text, html = read(kind, settings=replace(SETTINGS, reply_to=org_reply))
    reply_to = [a.addr_spec for a in msg["Reply-To"].addresses] if msg["Reply-To"] else []
    assert reply_to == ([org_reply] if org_reply else [])
    assert "ada@example.org" not in reply_to
    if kind not in (Kind.CONNECTOR_ASK, Kind.CONNECTOR_REMINDER):
        return  # a proposal's messages to the connector who started it ask nothing of them
    for part in (text, words(html)):
        assert "A reply to this email goes to Ada" not in part
        assert "replies to this email don't go to Ada Lovelace" in part
        assert ("(they reach Bletchley Circle)" in part) is bool(org_reply)
    assert 'To say no privately, use the "No" link rather than a reply' in text
    assert "To say no privately, use the “No” button rather than a reply" in words(html)


def _offers_to_introduce(text: str, html: str) -> None:
    assert f"Thinking of two people who should meet? You can introduce them too: {BASE}/introduce" in text
    assert (f"{BASE}/introduce", "introduce them") in Links(html).links


@pytest.mark.parametrize(
    ("kind", "flow"),
    [
        (Kind.CONNECTOR_ASK, Flow.REQUEST),
        (Kind.CONNECTOR_REMINDER, Flow.REQUEST),
        (Kind.THANKS, Flow.REQUEST),
        (Kind.THANKS, Flow.PROPOSAL),  # a proposal's connector is never asked: they started it
    ],
)
def test_a_member_asked_or_thanked_as_connector_is_offered_to_introduce_two_people(kind, flow):
    _, text, html = read(kind, intro=replace(INTRO, flow=flow))
    _offers_to_introduce(text, html)


def test_the_welcome_to_a_member_offers_to_introduce_two_people():
    msg = member_emails.welcome(SETTINGS, "Grace Hopper", "grace@example.org", f"{BASE}/welcome/x")
    _offers_to_introduce(msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content())


@pytest.mark.parametrize("kind", TARGET_ASKS)
def test_the_target_ask_comes_from_the_connector_via_the_organisation(kind):
    msg, text, html = read(kind)
    (sender,) = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Grace Hopper via Bletchley Circle",
        "intros@example.org",
    )
    question = "Grace Hopper asks: would you like to meet Ada Lovelace?"
    assert msg["Subject"] == (question if kind is Kind.TARGET_ASK else f"Reminder: {question}")
    assert [a.addr_spec for a in msg["Reply-To"].addresses] == ["grace@example.org"]
    assert text.startswith("Hello Alan Turing,\n")
    assert "Reply: it goes to Grace Hopper, not to Ada Lovelace" in text
    assert "Reply: it goes to Grace Hopper, not to Ada Lovelace" in words(html)


def test_a_connector_without_a_name_is_never_shown_by_address_in_from_or_subject():
    nameless = replace(INTRO, connector=Person("", "grace@example.org"))
    msg, _, _ = read(Kind.TARGET_ASK, nameless)
    assert msg["From"].addresses[0].display_name == "Bletchley Circle introductions"
    assert msg["Subject"] == "A member of Bletchley Circle asks: would you like to meet Ada Lovelace?"


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        (Kind.TARGET_ASK, [("Yes", "accept", None), ("No", "decline", None)]),
        (Kind.TARGET_REMINDER, [("Yes", "accept", None), ("No", "decline", None)]),
        (
            Kind.CONNECTOR_ASK,
            [
                ("Yes, ask Alan Turing", "approve", "Yes, ask Alan Turing"),
                ("No, not this one", "decline", None),
            ],
        ),
        (
            Kind.CONNECTOR_REMINDER,
            [
                ("Yes, ask Alan Turing", "approve", "Yes, ask Alan Turing"),
                ("No, not this one", "decline", None),
            ],
        ),
    ],
)
def test_both_answers_are_links_in_the_email_each_opening_its_page_with_it_ready(kind, answers):
    _, text, html = read(kind)
    page = sample_links()[next(p for p in SPECS[kind].links if p.value in ("consent", "review"))]
    hrefs = dict(Links(html).links)
    styles = re.findall(r'<a href="[^"]+\?choice=[a-z]+" style="([^"]+)"', html)
    assert len(styles) == 2 and styles[0] == styles[1]  # two equal buttons: neither is the default
    for label, choice, button in answers:
        url = f"{page}?choice={choice}"
        assert f"{label}: {url}\n" in text
        assert hrefs[url] == (button or label)


def test_the_target_is_told_what_happened_not_more():
    _, text, html = read(Kind.TARGET_ASK, replace(INTRO, note=None))
    said = "Ada Lovelace asked Grace Hopper to introduce you, and Grace Hopper passed it on."
    for part in (text, words(html)):
        assert said in part
        assert "offered" not in part and "thinks you and" not in part
        assert "Ada Lovelace will see your address and write first, with Grace Hopper in copy." in part
        assert "Ada Lovelace never learns who said no, only that it won't happen right now." in part
    _, text, _ = read(Kind.TARGET_ASK)
    assert "and Grace Hopper passed it on with a note:\n\nAlan, Ada is thoughtful and brief." in text


@pytest.mark.parametrize("kind", TARGET_ASKS)
def test_the_first_email_to_a_target_tells_them_why_they_got_it(kind):
    _, text, html = read(kind)
    why = (
        "Why you got this: Ada Lovelace asked Grace Hopper, a member of Bletchley Circle, for an "
        "introduction to you, and Grace Hopper approved asking you at this address."
    )
    for part in (text, words(html)):
        assert why in part and "It is used only for this request." in part
    assert f"how to get a copy or have it erased: {ABOUT}" in text
    assert (ABOUT, "What we keep, for how long, and how to get a copy or have it erased") in Links(html).links


@pytest.mark.parametrize("kind", [Kind.CONNECTOR_REMINDER, Kind.TARGET_REMINDER])
def test_reminders_give_the_real_closing_date(kind):
    _, text, html = read(kind, asked(at=ASKED_AT))
    for part in (text, words(html)):
        assert "A gentle reminder, in case this got buried: " in part
        assert f"closes by itself on {CLOSES_ON}" in part
        assert "in 10 days" not in part


def test_the_closing_date_is_when_the_ask_really_closes():
    """Counted from when the ask went out, and never past the moment the requester is told the request
    closed (twice ExpiryDays after they confirmed, domain.disclosure): an ask that waited gets less time."""
    late = asked(at=ASKED_AT + 15 * 86_400)
    _, text, _ = read(Kind.CONNECTOR_ASK, late)
    assert "closes by itself on Friday 16 October" in text  # 25 days after ASKED_AT
    confirmed = replace(late, history=(Event(ASKED_AT, Role.REQUESTER, "confirm", State.AWAITING_CONNECTOR),))
    _, text, html = read(Kind.CONNECTOR_ASK, confirmed)
    assert "closes by itself on Sunday 11 October" in text  # 20 days after confirming
    assert "closes by itself on Sunday 11 October" in words(html)


def test_how_the_requester_knows_the_connector_is_shown_to_the_connector_only():
    line = "Grace supervised my final-year project"
    intro = replace(INTRO, acquaintance=line)
    for kind in Kind:
        _, text, html = read(kind, intro)
        shown = line in text or line in words(html)
        assert shown is (kind in (Kind.CONNECTOR_ASK, Kind.CONNECTOR_REMINDER)), kind
    _, text, html = read(Kind.CONNECTOR_ASK, intro)
    assert f"How Ada Lovelace knows you, in their words (only you see this): {line}" in text
    assert f"How Ada Lovelace knows you, in their words (only you see this): {line}" in words(html)


@pytest.mark.parametrize("kind", list(Kind))
def test_no_email_promises_more_than_is_true(kind):
    _, text, html = read(kind)
    for part in (text.lower(), words(html).lower()):
        for overpromise in ("nobody will know", "offered to introduce", "never from whom", "was glad to"):
            assert overpromise not in part


def _accepted(name: str) -> str | None:
    try:
        return check_name("name", name)
    except InvalidInput:
        return None


names = (
    st.text(
        alphabet=st.sampled_from("Ada Lovelace Zoë 山田太郎 さくら・ミラー Grace-Hopper O'Brien 👩‍💻 \u0301"),
        min_size=1,
        max_size=60,
    )
    .map(_accepted)
    .filter(bool)
)


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(connector=names, requester=names, kind=st.sampled_from(TARGET_ASKS))
def test_the_subject_reads_back_word_for_word_whatever_the_names(connector, requester, kind):
    """Folded, a long subject with non-ASCII names must read the same to a modern parser and to a
    reader that decodes RFC 2047 words (no doubled or leading spaces)."""
    intro = replace(
        INTRO,
        connector=Person(connector, "grace@example.org"),
        requester=Person(requester, "ada@example.org"),
    )
    raw = compose(kind, intro, sample_links(), SETTINGS).as_bytes()
    wanted = ("Reminder: " if kind is Kind.TARGET_REMINDER else "") + (
        f"{connector} asks: would you like to meet {requester}?"
    )
    assert str(BytesParser(policy=policy.default).parsebytes(raw)["Subject"]) == wanted
    compat = message_from_bytes(raw)["Subject"]
    assert str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", compat)))) == wanted
    (sender,) = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses
    assert sender.addr_spec == "intros@example.org"
    assert sender.display_name in (f"{connector} via Bletchley Circle", "")


def test_every_answer_an_email_offers_is_one_its_page_takes_and_none_is_never_ask_again():
    for purpose, answers in ANSWER_LINKS.items():
        assert set(answers) <= set(DECISIONS_BY_PURPOSE[purpose]), purpose
        assert Decision.OPT_OUT not in answers  # that one has its own link, with its own page


def test_the_sign_in_email_links_the_about_page_too():
    from warm_intro.views import member_emails

    msg = member_emails.signin(SETTINGS, "ada@example.org", f"{BASE}/me/signin/sample")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert f"About this service and your data: {ABOUT}" in text.rsplit("\n-- \n", 1)[1]
    assert (ABOUT, "About this service and your data") in Links(html).links
