"""Membership changes while a request is open. A removed connector is never asked, reminded or able
to approve again, and the ask closes neutrally on the usual schedule; a removed requester's confirmed
requests close quietly; a target's membership changes nothing. Every decision re-checks membership
in its own conditional write, so a removal racing an approval cannot slip through."""

from __future__ import annotations

import pytest

from tests.integration.steps import (
    ADA,
    ALAN,
    GRACE,
    awaiting_connector,
    awaiting_target,
    intro_id,
    tick,
    unconfirmed,
)
from warm_intro import runtime
from warm_intro.domain.model import Delivery, Kind, Role, State
from warm_intro_admin.cli import main

TABLE = ["--table", "intros-test", "--region", "us-east-1"]


def remove(capsys, email: str) -> str:
    """`warm-intro members remove`, through the CLI's own parsing; returns what it printed."""
    capsys.readouterr()
    assert main([*TABLE, "members", "remove", email]) == 0
    return capsys.readouterr().out


def closes_to(world, address: str) -> list[dict]:
    return [m for m in world.mail_to(address) if "won't happen right now" in m["text"]]


def test_a_removed_connector_is_not_reminded_cannot_approve_and_the_ask_closes_on_schedule(world, capsys):
    found = awaiting_connector(world)
    review = world.last_link(GRACE)
    out = remove(capsys, GRACE)
    assert out.startswith(f"{GRACE}: removed\n")
    assert "1 open request waiting for them as connector: no more reminders" in out

    page = world.get(review)
    assert page.status == 410 and "This request has closed" in page.text and "<form" not in page.text
    late = world.post_form(review, {"decision": "approve", "target_email": ALAN})
    assert late.status == 409 and "<form" not in late.text
    world.deliver()
    assert world.mail_to(ALAN) == [] and world.intro(found).state is State.AWAITING_CONNECTOR

    world.advance(days=9.9)  # past the reminder: none goes to a connector who has left
    tick(world)
    assert len(world.mail_to(GRACE)) == 1 and world.intro(found).is_open and closes_to(world, ADA) == []
    world.advance(days=0.2)  # the usual expiry
    tick(world)
    assert world.intro(found).state is State.EXPIRED
    world.advance(days=10)  # the one moment a requester hears of any ending: what a silent connector gives
    tick(world)
    assert len(closes_to(world, ADA)) == 1
    assert len(world.mail_to(GRACE)) == 1 and world.mail_to(ALAN) == []


def test_removal_racing_an_approval_fails_the_approval_in_its_own_write(world):
    found = awaiting_connector(world)
    review = world.last_link(GRACE)
    assert world.get(review).status == 200  # the page was opened while she was still a member
    runtime.repository().remove_member(GRACE)  # the removal's first step lands before her click
    answer = world.post_form(review, {"decision": "approve", "target_email": ALAN})
    assert answer.status == 409
    world.deliver()
    intro = world.intro(found)
    assert intro.state is State.AWAITING_CONNECTOR and Kind.TARGET_ASK not in intro.outbox
    assert world.mail_to(ALAN) == []


def test_a_reminder_due_after_the_member_item_is_gone_is_not_sent(world):
    """Even when nothing marked the request (the member item deleted by other means), the scheduler
    checks membership before reminding, and the ask still closes on schedule."""
    found = awaiting_connector(world)
    runtime.repository().remove_member(GRACE)
    world.advance(days=4.1)
    tick(world)
    intro = world.intro(found)
    assert len(world.mail_to(GRACE)) == 1 and Kind.CONNECTOR_REMINDER not in intro.outbox
    assert intro.history[-1].actor is Role.SYSTEM and intro.history[-1].action == "connector_removed"
    assert world.get(world.last_link(GRACE)).status == 410
    world.advance(days=6)
    tick(world)
    assert world.intro(found).state is State.EXPIRED
    world.advance(days=10)  # the requester hears at the one moment, whatever ended it
    tick(world)
    assert len(closes_to(world, ADA)) == 1


def test_an_unsent_ask_to_a_removed_connector_is_cancelled(world, capsys):
    found = unconfirmed(world)
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200  # ask not yet mailed
    remove(capsys, GRACE)
    world.deliver()
    assert world.mail_to(GRACE) == []
    assert world.intro(found).outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED


def test_an_unconfirmed_request_to_a_removed_connector_is_refused_politely_when_confirmed(world, capsys):
    found = unconfirmed(world)
    out = remove(capsys, GRACE)
    assert "1 open request naming them as connector, not yet confirmed: refused politely" in out
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200
    world.deliver()
    assert world.intro(found).state is State.REFUSED and world.mail_to(GRACE) == []


def test_a_connector_removed_after_approving_leaves_the_target_free_to_answer(world, capsys):
    found = awaiting_target(world)
    out = remove(capsys, GRACE)
    assert "1 open request they had approved, now with the target: continue" in out
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 200
    world.deliver()
    assert world.intro(found).state is State.INTRODUCED


@pytest.mark.parametrize("walk", [awaiting_connector, awaiting_target])
def test_a_removed_requesters_requests_close_quietly(world, capsys, walk):
    found = walk(world)
    asked = GRACE if walk is awaiting_connector else ALAN
    link, total = world.last_link(asked), len(world.mail())
    out = remove(capsys, ADA)
    assert "1 open request they had asked for: closed quietly" in out
    intro = world.intro(found)
    assert intro.state is State.REFUSED and intro.history[-1].action == "requester_removed"
    page = world.get(link)
    assert page.status == 410 and "This request has closed" in page.text and "<form" not in page.text
    assert world.post_form(link, {"decision": "approve" if asked == GRACE else "accept"}).status == 409
    for _ in range(3):  # past every reminder and the expiry
        world.advance(days=5)
        tick(world)
    assert len(world.mail()) == total  # nobody is mailed: not the requester, not whoever was asked


def test_removal_racing_a_targets_yes_fails_the_yes_in_its_own_write(world):
    found = awaiting_target(world)
    runtime.repository().remove_member(ADA)
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 409
    world.deliver()
    assert world.intro(found).state is State.AWAITING_TARGET
    assert not any("introduc" in m["subject"].lower() for m in world.mail_to(ALAN)[1:])


def test_a_requester_the_policy_still_admits_keeps_their_requests(world, capsys, monkeypatch):
    monkeypatch.setenv("REQUEST_POLICY", "members_and_domains")
    monkeypatch.setenv("ALLOWED_DOMAINS", "example.org")
    runtime.settings.cache_clear()  # the organisation admits anyone at example.org, member or not
    found = awaiting_target(world)
    out = remove(capsys, ADA)
    assert "1 open request they had asked for: continue (the request policy still lets them ask)" in out
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 200
    assert world.intro(found).state is State.INTRODUCED


def test_a_target_who_becomes_a_member_or_leaves_changes_nothing(world, capsys):
    found = awaiting_target(world)
    runtime.repository().put_member(ALAN, "Alan Turing")
    assert world.intro(found).state is State.AWAITING_TARGET
    out = remove(capsys, ALAN)
    assert "1 open request for an introduction to them: continue" in out
    world.advance(days=4.1)
    tick(world)
    assert len(world.mail_to(ALAN)) == 1  # the ask: a target gets no reminder by default
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 200
    world.deliver()
    assert world.intro(found).state is State.INTRODUCED


def test_removing_again_finishes_what_an_interrupted_run_left(world, capsys):
    found = awaiting_connector(world)
    runtime.repository().remove_member(GRACE)  # the first run stopped right after deleting the member
    out = remove(capsys, GRACE)
    assert out.startswith(f"{GRACE}: was not a member\n") and "waiting for them as connector" in out
    assert world.get(world.last_link(GRACE)).status == 410
    assert world.intro(found).history[-1].action == "connector_removed"


@pytest.fixture
def one_ask_a_week(monkeypatch):
    monkeypatch.setenv("LIMIT_CONNECTOR_WEEK", "1")  # read when the world starts


def test_an_ask_held_for_a_removed_connectors_week_is_never_released(one_ask_a_week, world, capsys):
    first = awaiting_connector(world)
    katherine = {"name": "Katherine Johnson", "email": "katherine@example.org"}
    assert (
        world.ask(requester=katherine, target={"name": "Joan Clarke", "email": "joan@example.net"}).status
        == 202
    )
    world.deliver()
    assert world.post_form(world.last_link(katherine["email"]), {"decision": "confirm"}).status == 200
    world.deliver()
    held = world.intro(intro_id(world.last_link(katherine["email"])))
    assert held.outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD and len(world.mail_to(GRACE)) == 1
    out = remove(capsys, GRACE)
    assert "2 open requests waiting for them as connector" in out
    assert world.intro(held.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED
    world.advance(days=7.1)  # the week has room again
    assert world.tick()["released"] == 0
    world.deliver()
    world.advance(days=3)
    tick(world)
    assert len(world.mail_to(GRACE)) == 1  # the first ask only: no release, no reminder
    assert world.intro(first).state is State.EXPIRED and world.intro(held.id).state is State.EXPIRED
    world.advance(days=10)  # the requesters hear at the one moment, whatever ended it
    tick(world)
    assert len(closes_to(world, ADA)) == 1 and len(closes_to(world, katherine["email"])) == 1
