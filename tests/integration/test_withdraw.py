"""The requester can withdraw while the request is open, from the confirmation email's link; whoever
was asked is not bothered again, and their link says the request was withdrawn."""

from __future__ import annotations

import pytest

from tests.integration.steps import (
    ADA,
    ALAN,
    GRACE,
    awaiting_connector,
    awaiting_target,
    introduced,
    tick,
    unconfirmed,
)
from warm_intro.domain.model import Delivery, Kind, Role, State


def withdraw(world, intro_id: str) -> None:
    confirm = world.last_link(ADA, "link")
    page = world.get(confirm)
    assert page.status == 200 and 'value="withdraw"' in page.text
    answer = world.post_form(confirm, {"decision": "withdraw"})
    assert answer.status == 200 and "You withdrew this request" in answer.text
    world.deliver()
    intro = world.intro(intro_id)
    assert intro.state is State.WITHDRAWN
    assert (intro.history[-1].actor, intro.history[-1].action) == (Role.REQUESTER, "withdraw")


def test_withdrawing_an_unconfirmed_request_mails_nobody(world):
    intro_id = unconfirmed(world)
    withdraw(world, intro_id)
    world.advance(days=2)
    tick(world)
    assert len(world.mail()) == 1 and world.mail_to(GRACE) == []
    assert world.intro(intro_id).state is State.WITHDRAWN  # not turned into 'expired' later


@pytest.mark.parametrize(("walk", "asked"), [(awaiting_connector, GRACE), (awaiting_target, ALAN)])
def test_whoever_was_asked_is_not_bothered_again_and_sees_it_was_withdrawn(world, walk, asked):
    intro_id = walk(world)
    link = world.last_link(asked)
    asked_before, total = len(world.mail_to(asked)), len(world.mail())
    withdraw(world, intro_id)
    for _ in range(4):  # past the reminder and the expiry
        world.advance(days=4)
        tick(world)
    assert len(world.mail_to(asked)) == asked_before
    assert len(world.mail()) == total  # no reminder, no close, no confirmation of the withdrawal
    page = world.get(link)
    assert page.status == 410 and "This request was withdrawn" in page.text and "<form" not in page.text
    late = world.post_form(link, {"decision": "approve" if asked == GRACE else "accept"})
    assert late.status == 409 and "This request was withdrawn" in late.text
    assert world.intro(intro_id).state is State.WITHDRAWN


def test_an_ask_not_yet_sent_is_cancelled_and_never_arrives(world):
    intro_id = unconfirmed(world)
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200
    assert (
        world.post_form(world.last_link(ADA), {"decision": "withdraw"}).status == 200
    )  # before the stream runs
    world.deliver()
    assert world.mail_to(GRACE) == []
    assert world.intro(intro_id).outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED


def test_a_decided_request_cannot_be_withdrawn(world):
    intro_id = introduced(world)
    confirm = world.last_link(ADA)  # the introduction itself carries no link: this is her confirm link
    page = world.get(confirm)
    assert page.status == 200 and "been introduced" in page.text and "<form" not in page.text  # a success
    assert world.post_form(confirm, {"decision": "withdraw"}).status == 409
    assert world.intro(intro_id).state is State.INTRODUCED
