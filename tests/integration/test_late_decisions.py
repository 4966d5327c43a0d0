"""A decision or a page view applies the clock first: a request whose deadline has passed is over even
before the scheduler has run, so a late "yes" can't revive it. A page view still never writes."""

from __future__ import annotations

import pytest

from tests.integration.steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, tick, unconfirmed
from warm_intro import runtime
from warm_intro.domain.model import Kind, State


def snapshot():
    repo = runtime.repository()
    return repo.client.scan(TableName=repo.table)["Items"]


@pytest.mark.parametrize(
    ("walk", "asked", "decision"),
    [
        (awaiting_connector, GRACE, {"decision": "approve", "target_email": ALAN}),
        (awaiting_target, ALAN, {"decision": "accept"}),
    ],
)
def test_a_late_yes_after_the_deadline_but_before_the_scheduler_changes_nothing(world, walk, asked, decision):
    intro_id = walk(world)
    link, waiting = world.last_link(asked), world.intro(intro_id)
    world.advance(days=10.1)  # past the expiry; the scheduler has not run yet
    before = snapshot()
    page = world.get(link)
    assert page.status == 410 and "This request has closed" in page.text and "<form" not in page.text
    assert snapshot() == before  # the page view wrote nothing
    late = world.post_form(link, decision)
    assert late.status == 409 and "<form" not in late.text
    world.deliver()
    intro = world.intro(intro_id)  # nobody new was asked and nobody introduced
    assert intro.state is waiting.state and intro.outbox.keys() == waiting.outbox.keys()
    tick(world)  # the scheduler then closes it as it always would: one neutral close, nobody introduced
    intro = world.intro(intro_id)
    assert intro.state is State.EXPIRED and Kind.INTRODUCTION not in intro.outbox
    world.advance(days=10)  # the requester hears at the one moment, whatever ended it
    tick(world)
    assert len([m for m in world.mail_to(ADA) if "won't happen right now" in m["text"]]) == 1
    assert not any(ALAN in a for m in world.mail_to(ADA) for a in m["to"] + m["cc"])


def test_a_late_confirmation_of_a_lapsed_request_asks_nobody(world):
    intro_id = unconfirmed(world)
    confirm = world.last_link(ADA)
    world.advance(hours=24.1)  # lapsed; the scheduler has not run yet
    page = world.get(confirm)
    assert page.status == 410 and "lapsed" in page.text and "<form" not in page.text
    assert world.post_form(confirm, {"decision": "confirm"}).status == 409
    world.deliver()
    assert world.mail_to(GRACE) == [] and world.intro(intro_id).state is State.UNCONFIRMED
    tick(world)
    assert world.intro(intro_id).state is State.EXPIRED and world.mail_to(GRACE) == []


def test_a_decision_just_before_the_deadline_still_counts(world):
    intro_id = awaiting_target(world)
    world.advance(days=9.9)
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 200
    world.deliver()
    assert world.intro(intro_id).state is State.INTRODUCED
