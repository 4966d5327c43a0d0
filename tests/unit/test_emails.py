"""Every message rendered and parsed back as MIME, as a mail client would see it."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.headerregistry import Address
from email.parser import BytesParser
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local.screenshot_emails import BASE, INTRO, SETTINGS, sample_links
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.messages import SPECS
from warm_intro.domain.model import Kind, Person, Role, Target
from warm_intro.domain.validation import check_email
from warm_intro.views.emails import UNPROVEN, compose

REPLY_TO = {
    Kind.TARGET_ASK: ["grace@example.org"],
    Kind.TARGET_REMINDER: ["grace@example.org"],
    Kind.SECOND_ASK: ["grace@example.org"],
    Kind.SECOND_REMINDER: ["grace@example.org"],
    Kind.INTRODUCTION: ["ada@example.org", "alan@example.net"],
    Kind.THANKS: ["ada@example.org"],
}
HOSTILE = (
    '<script>alert(1)</script><a href="https://intros.example.org/link/forged">Say yes</a> & <b>bold</b>'
)


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]
        self.srcs += [v for k, v in attrs if k == "src"]


def parsed(kind: Kind, intro=INTRO, settings=SETTINGS):
    raw = compose(kind, intro, sample_links(), settings).as_bytes()
    return BytesParser(policy=policy.default).parsebytes(raw)


def parts(msg) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


@pytest.mark.parametrize("kind", list(Kind))
def test_each_message_has_both_parts_and_our_headers(kind):
    msg = parsed(kind)
    text, html = parts(msg)
    assert msg.get_content_type() == "multipart/alternative"
    assert text.strip() and "<" not in text.split("\n", 1)[0]
    assert html.lstrip().startswith("<!doctype html>")
    assert msg["From"].addresses[0].display_name == (
        "Grace Hopper via Bletchley Circle"
        if kind in (Kind.TARGET_ASK, Kind.TARGET_REMINDER, Kind.SECOND_ASK, Kind.SECOND_REMINDER)
        else "Bletchley Circle introductions"
    )
    assert msg["From"].addresses[0].addr_spec == "intros@example.org"
    assert msg["Message-ID"].endswith("@example.org>")
    assert "\n" not in msg["Subject"] and msg["Subject"].strip() == msg["Subject"]
    to_roles = SPECS[kind].to
    expected_to = [
        {
            Role.REQUESTER: "ada@example.org",
            Role.CONNECTOR: "grace@example.org",
            Role.TARGET: "alan@example.net",
        }[r]
        for r in to_roles
    ]
    assert [a.addr_spec for a in msg["To"].addresses] == expected_to
    reply_to = [a.addr_spec for a in msg["Reply-To"].addresses] if msg["Reply-To"] else []
    assert reply_to == REPLY_TO.get(kind, [])


@pytest.mark.parametrize("kind", list(Kind))
def test_links_are_absolute_on_base_url_and_nothing_is_fetched(kind):
    text, html = parts(parsed(kind))
    page = Page(html)
    assert f"{BASE}/optout/01JDEMO.sample-optout" in page.hrefs  # every message: a way to stop mail
    assert all(h.startswith(f"{BASE}/") for h in page.hrefs)
    assert page.srcs == [] and "img" not in page.tags  # no pixels, no remote images
    assert all(word.startswith(f"{BASE}/") for word in text.split() if "://" in word)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_message_has_the_one_click_opt_out(kind):
    msg = parsed(kind)
    assert msg["List-Unsubscribe"] == f"<{BASE}/optout/01JDEMO.sample-optout>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/optout/01JDEMO.sample-optout" in Page(parts(msg)[1]).hrefs  # the body link: a page
    assert f"{BASE}/optout/01JDEMO.sample-optout" in parts(msg)[0]


def test_target_ask_is_the_forwardable_request():
    msg = parsed(Kind.TARGET_ASK)
    text, html = parts(msg)
    assert msg["Subject"] == "Grace Hopper asks: would you like to meet Ada Lovelace?"
    assert INTRO.blurb in text and INTRO.note in text
    assert 'name="viewport" content="width=device-width' in html
    assert "ada@example.org" not in text + html  # the requester's address waits for a yes


def test_introduction_invites_requester_first_and_connector_to_bcc():
    msg = parsed(Kind.INTRODUCTION)
    text, _ = parts(msg)
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["grace@example.org"]
    assert "Ada Lovelace, over to you: please reply first" in text
    assert "Grace Hopper, thank you. Feel free to move yourself to Bcc" in text
    assert msg["Auto-Submitted"] is None  # people should be free to answer it, robots included


def test_a_suppressed_copy_recipient_is_left_out():
    raw = compose(
        Kind.INTRODUCTION, INTRO, sample_links(), SETTINGS, frozenset({"grace@example.org"})
    ).as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert msg["Cc"] is None and len(msg["To"].addresses) == 2


@pytest.mark.parametrize("kind", list(Kind))
def test_user_text_is_escaped_in_html_and_makes_no_links(kind):
    intro = replace(
        INTRO,
        requester=Person("Ada <b>Lovelace</b>", "ada@example.org"),
        target=Target("Alan Turing", "alan@example.net", HOSTILE[:200]),
        blurb=HOSTILE,
        note=HOSTILE,
    )
    text, html = parts(parsed(kind, intro))
    page = Page(html)
    assert "script" not in page.tags and "b" not in page.tags
    assert f"{BASE}/link/forged" not in page.hrefs
    choices = {
        f"{url}?choice={c}" for url in sample_links().values() for c in ("accept", "approve", "decline")
    }
    ours = {f"{BASE}/", f"{BASE}/introduce", f"{BASE}/about"}
    assert set(page.hrefs) <= set(sample_links().values()) | choices | ours
    if kind in UNPROVEN:  # to an unproven address: none of a stranger's text at all
        assert "Lovelace" not in text + html and "script" not in text + html
    else:
        assert "&lt;b&gt;Lovelace&lt;/b&gt;" in html
    if kind in (Kind.CONNECTOR_ASK, Kind.TARGET_ASK, Kind.INTRODUCTION):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert HOSTILE in text  # plain text shows it as typed: it cannot be markup there
    if kind is Kind.TARGET_ASK:
        assert html.count("&lt;script&gt;") == 2  # blurb and the connector's note


def test_a_stored_name_with_address_punctuation_is_blanked_in_headers_and_kept_in_the_body():
    """Such names are refused at input now; one stored before (or built directly) still can't read
    as an address list in a header, and the body shows it as typed."""
    name = 'Lovelace, Ada "The Countess"'
    intro = replace(INTRO, requester=Person(name, "ada@example.org"))
    msg = parsed(Kind.INTRODUCTION, intro)
    (ada, alan) = msg["To"].addresses
    assert (ada.display_name, ada.addr_spec) == ("Lovelace Ada The Countess", "ada@example.org")
    assert alan.addr_spec == "alan@example.net"
    assert msg["Subject"] == "Introduction: Lovelace Ada The Countess / Alan Turing"
    assert f"{name}, meet Alan Turing" in parts(msg)[0]


def test_header_injection_in_names_cannot_add_headers():
    """Names are refused at the API (see the injection tests); should one slip through, the email
    package encodes it inside the display name instead of starting a new header."""
    intro = replace(
        INTRO,
        requester=Person("Ada\r\nBcc: victim@example.com", "ada@example.org"),
        target=Target("Alan\r\nBcc: victim@example.com", "alan@example.net"),
    )
    for kind in Kind:
        raw = compose(kind, intro, sample_links(), SETTINGS).as_bytes()
        head = raw.split(b"\n\n", 1)[0]
        assert not any(line.lower().startswith(b"bcc") for line in head.splitlines())
        assert b"victim@example.com>" not in head  # only ever inside an encoded display name
        assert BytesParser(policy=policy.default).parsebytes(raw)["Bcc"] is None


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z0-9.+'_-]{1,12}@[a-z0-9.-]{1,12}\.[a-z]{2,4}", fullmatch=True))
def test_every_address_the_doors_accept_can_be_written_into_a_header(candidate):
    """An address accepted at input but refused by the email package would fail at send time, in the
    notifier, with nobody to tell: the input rule must be at least as strict as the header."""
    try:
        accepted = check_email("email", candidate)
    except InvalidInput:
        return
    address = Address(addr_spec=accepted)
    assert address.addr_spec == accepted
