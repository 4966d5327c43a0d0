"""The connector sees exactly who will be asked: when the requester typed the target's address, the
connector's email and page show it, the connector may correct it, and only the address the connector
approved is ever mailed."""

from __future__ import annotations

from tests.integration.steps import ADA, GRACE, awaiting_connector, intro_id
from warm_intro import runtime
from warm_intro.adapters.ledger import Ledgers
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import State

SECOND = "ada.other@example.com"  # the requester's own second address, given as the target's
REAL = "alan.turing@example.net"


def test_a_requester_giving_their_own_second_address_as_the_target_is_seen_by_the_connector(world):
    found = awaiting_connector(world, target={"name": "Alan Turing", "email": SECOND})
    (ask,) = world.mail_to(GRACE)
    assert f"Alan Turing's address as {SECOND}" in ask["text"] and SECOND in ask["html"]
    page = world.get(world.last_link(GRACE))
    assert page.status == 200
    assert f"<strong>{SECOND}</strong>" in page.text  # in the lead, beside the name
    assert f'name="target_email" type="email" value="{SECOND}"' in page.text  # to keep or correct
    assert world.intro(found).state is State.AWAITING_CONNECTOR


def test_a_corrected_address_is_the_only_one_mailed_and_the_record_says_so(world):
    found = awaiting_connector(world, target={"name": "Alan Turing", "email": SECOND})
    answer = world.post_form(
        world.last_link(GRACE), {"decision": "approve", "target_email": f" {REAL.upper()} "}
    )
    assert answer.status == 200
    world.deliver()
    assert world.mail_to(SECOND) == []
    (ask,) = world.mail_to(REAL)
    assert ask["to"] == [f"Alan Turing <{REAL}>"]
    intro = world.intro(found)
    assert intro.target.email == REAL and intro.state is State.AWAITING_TARGET
    assert [(e.actor.value, e.action) for e in intro.history[-2:]] == [
        ("connector", "correct_address"),
        ("connector", "approve"),
    ]
    entries = Ledgers(runtime.repository()).person_entries(address_hash(REAL, world.settings.hash_key))
    assert [(e["intro"], e["role"]) for e in entries] == [(found, "target")]  # export and erasure find it
    assert world.post_form(world.last_link(REAL), {"decision": "accept"}).status == 200
    world.deliver()
    intro_mail = [m for m in world.mail() if m["subject"].startswith("Introduction:")]
    assert len(intro_mail) == 1 and f"Alan Turing <{REAL}>" in intro_mail[0]["to"]
    assert world.mail_to(SECOND) == []


def test_approving_as_shown_asks_the_given_address_and_records_no_correction(world):
    found = awaiting_connector(world, target={"name": "Alan Turing", "email": REAL})
    assert (
        world.post_form(world.last_link(GRACE), {"decision": "approve", "target_email": REAL}).status == 200
    )
    world.deliver()
    assert len(world.mail_to(REAL)) == 1
    assert "correct_address" not in [e.action for e in world.intro(found).history]


def test_clearing_the_address_is_refused_and_changes_nothing(world):
    found = awaiting_connector(world, target={"name": "Alan Turing", "email": SECOND})
    answer = world.post_form(world.last_link(GRACE), {"decision": "approve", "target_email": ""})
    assert answer.status == 422 and "Please give an email address" in answer.text
    world.deliver()
    assert world.intro(found).state is State.AWAITING_CONNECTOR and world.mail_to(SECOND) == []
    assert intro_id(world.last_link(ADA)) == found
