"""A proposal's messages, rendered and parsed back: who each goes to, and the words that make it a
proposal ("nobody asked"), never a request's."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest

from local.screenshot_emails import INTRO, SETTINGS, sample_links
from warm_intro.domain.messages import SPECS
from warm_intro.domain.model import Flow, Kind, Person, Role, Target
from warm_intro.domain.proposal import PROPOSAL_ONLY
from warm_intro.views.emails import compose

# Alan is asked first (the target's place), Joan second (the requester's place), Grace proposed it.
PROPOSAL = replace(
    INTRO,
    flow=Flow.PROPOSAL,
    requester=Person("Joan Clarke", "joan@example.net", "cryptanalyst at Hut 8"),
    target=Target("Alan Turing", "alan@example.net", "runs the Bletchley reading group"),
    blurb="Alan runs a reading group and Joan has just started one; I think they'd enjoy comparing notes.",
    note=None,
)
ADDRESS = {
    Role.REQUESTER: "joan@example.net",
    Role.TARGET: "alan@example.net",
    Role.CONNECTOR: "grace@example.org",
}
SENT = sorted(
    PROPOSAL_ONLY | {Kind.TARGET_ASK, Kind.TARGET_REMINDER, Kind.INTRODUCTION, Kind.FOLLOWUP, Kind.THANKS}
)


def parsed(kind: Kind):
    msg = BytesParser(policy=policy.default).parsebytes(
        compose(kind, PROPOSAL, sample_links(), SETTINGS).as_bytes()
    )
    return msg, msg.get_body(("plain",)).get_content()


@pytest.mark.parametrize("kind", SENT)
def test_each_goes_to_whom_its_spec_says_and_never_calls_anyone_a_requester(kind):
    msg, text = parsed(kind)
    assert [a.addr_spec for a in msg["To"].addresses] == [ADDRESS[r] for r in SPECS[kind].to]
    assert "request" not in text.lower().replace("requested", "")  # nobody requested anything


def test_the_first_ask_names_the_second_and_says_they_are_asked_only_after_a_yes():
    _, text = parsed(Kind.TARGET_ASK)
    assert "Grace Hopper thinks you and Joan Clarke (cryptanalyst at Hut 8) should meet" in text
    assert "Nobody asked for this" in text and PROPOSAL.blurb in text
    assert "we'll ask Joan Clarke too" in text and "joan@example.net" not in text


def test_the_introduction_says_nobody_asked_and_copies_the_connector():
    msg, text = parsed(Kind.INTRODUCTION)
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["grace@example.org"]
    assert "Neither of you asked for this" in text and "Alan Turing, you said yes first" in text


def test_the_connectors_close_is_neutral_and_names_nobody_as_saying_no():
    msg, text = parsed(Kind.PROPOSAL_CLOSED)
    assert msg["Subject"] == "Your introduction of Alan Turing and Joan Clarke"
    assert "won't happen right now" in text and "Nobody is told who said no, you included" in text
    assert "declin" not in text.lower()


def test_the_confirmation_to_an_unproven_address_carries_no_name_or_note():
    msg, text = parsed(Kind.CONFIRM_PROPOSAL)
    assert msg["To"].addresses[0].display_name == ""
    assert "Alan" not in text and "Joan" not in text and PROPOSAL.blurb not in text
