"""One reminder, to the person being asked, a set number of days after their ask went out; never two.
A target is reminded only when the organisation turns it on (RemindTargets)."""

from __future__ import annotations

import pytest

from tests.integration.steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, subjects, tick
from warm_intro.domain.model import Kind, Role, State


def test_the_connector_is_reminded_once_after_four_days(world):
    intro_id = awaiting_connector(world)
    assert len(world.mail_to(GRACE)) == 1
    world.advance(days=3.9)
    tick(world)
    assert len(world.mail_to(GRACE)) == 1  # not yet
    world.advance(days=0.2)
    tick(world)
    asks = subjects(world, GRACE)
    assert len(asks) == 2 and asks[1].startswith("Reminder:")
    for _ in range(5):  # the clock keeps running until just before expiry: nothing more
        world.advance(days=1)
        tick(world)
    assert len(world.mail_to(GRACE)) == 2
    intro = world.intro(intro_id)
    assert intro.state is State.AWAITING_CONNECTOR and intro.reminded == {Role.CONNECTOR}
    assert len(world.mail_to(ADA)) == 1  # the requester hears nothing about it


def test_the_reminder_link_still_works(world):
    intro_id = awaiting_connector(world)
    world.advance(days=4)
    tick(world)
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    assert world.intro(intro_id).state is State.AWAITING_TARGET


@pytest.fixture
def remind_targets(monkeypatch):
    monkeypatch.setenv("REMIND_TARGETS", "true")  # read when the world starts


def test_by_default_the_target_is_never_reminded_and_the_request_closes_at_its_expiry(world):
    intro_id = awaiting_target(world)
    for _ in range(9):
        world.advance(days=1)
        tick(world)
    assert len(world.mail_to(ALAN)) == 1  # the ask only: it said silence is fine
    intro = world.intro(intro_id)
    assert intro.state is State.AWAITING_TARGET and Kind.TARGET_REMINDER not in intro.outbox
    world.advance(days=1.1)
    tick(world)
    assert world.intro(intro_id).state is State.EXPIRED and len(world.mail_to(ALAN)) == 1


def test_the_target_is_reminded_once_and_the_connector_is_not_reminded_again(remind_targets, world):
    intro_id = awaiting_target(world)
    world.advance(days=4)
    tick(world)
    asks = subjects(world, ALAN)
    assert len(asks) == 2 and asks[1].startswith("Reminder:")
    for _ in range(5):
        world.advance(days=1)
        tick(world)
    assert len(world.mail_to(ALAN)) == 2
    assert len(world.mail_to(GRACE)) == 1  # approved in time: never reminded
    assert world.intro(intro_id).reminded == {Role.TARGET}


def test_each_is_reminded_once_when_both_were_slow(remind_targets, world):
    intro_id = awaiting_connector(world)
    world.advance(days=5)
    tick(world)
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    world.deliver()
    world.advance(days=3.9)
    tick(world)
    assert len(world.mail_to(ALAN)) == 1  # counted from the target's own ask, not the request
    world.advance(days=0.2)
    tick(world)
    assert len(world.mail_to(ALAN)) == 2 and len(world.mail_to(GRACE)) == 2
    intro = world.intro(intro_id)
    assert intro.reminded == {Role.CONNECTOR, Role.TARGET}
    assert Kind.CONNECTOR_REMINDER in intro.outbox and Kind.TARGET_REMINDER in intro.outbox
