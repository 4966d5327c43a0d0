"""Nothing hangs forever: an unanswered ask closes with the same neutral words as a decline, told to
the requester at the same moment as a decline would be, and an unconfirmed request lapses quietly."""

from __future__ import annotations

import pytest

from local.world import LINK
from tests.integration.steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, tick, unconfirmed
from warm_intro.domain.model import Delivery, Kind, State


def test_an_unconfirmed_request_lapses_quietly_after_a_day(world):
    intro_id = unconfirmed(world)
    confirm = world.last_link(ADA)
    world.advance(hours=23.9)
    tick(world)
    assert world.intro(intro_id).state is State.UNCONFIRMED
    world.advance(hours=0.2)
    tick(world)
    intro = world.intro(intro_id)
    assert intro.state is State.EXPIRED and intro.history[-1].action == "expire"
    assert len(world.mail()) == 1  # only the original "please confirm": no mail to anyone about it
    page = world.get(confirm)
    assert page.status == 410 and "<form" not in page.text
    late = world.post_form(confirm, {"decision": "confirm"})
    assert late.status == 409 and world.intro(intro_id).state is State.EXPIRED
    assert world.deliver() == 0 and len(world.mail_to(GRACE)) == 0


@pytest.mark.parametrize(("walk", "asked"), [(awaiting_connector, GRACE), (awaiting_target, ALAN)])
def test_an_unanswered_ask_closes_after_ten_days_and_the_requester_hears_at_twenty(world, walk, asked):
    intro_id = walk(world)
    link = world.last_link(asked)
    world.advance(days=9.9)
    tick(world)
    assert world.intro(intro_id).is_open
    before = len(world.mail_to(asked))  # the ask, and a connector's one reminder (a target gets none)
    world.advance(days=0.2)
    tick(world)
    intro = world.intro(intro_id)
    assert intro.state is State.EXPIRED and intro.outbox[Kind.CLOSED].status is Delivery.HELD
    assert len(world.mail_to(asked)) == before == (2 if asked == GRACE else 1)  # nothing more for the silent
    page = world.get(link)
    assert page.status == 410 and "This request has closed" in page.text and "<form" not in page.text
    assert world.post_form(link, {"decision": "decline"}).status == 409
    mine = world.get(world.last_link(ADA))
    assert (
        mine.status == 200 and "Your request is on its way" in mine.text
    )  # as after a decline, or while asked
    world.advance(days=9.8)  # 19.9 days after confirming
    tick(world)
    assert not [m for m in world.mail_to(ADA) if "won't happen right now" in m["text"]]
    world.advance(days=0.2)
    tick(world)
    closes = [m for m in world.mail_to(ADA) if "won't happen right now" in m["text"]]
    assert len(closes) == 1 and world.intro(intro_id).outbox[Kind.CLOSED].status is Delivery.SENT
    assert world.get(world.last_link(ADA, "link")).status == 410
    settled = len(world.mail())
    for _ in range(3):
        world.advance(days=5)
        tick(world)
    assert len(world.mail()) == settled and world.intro(intro_id).state is State.EXPIRED


def test_an_expiry_reads_exactly_like_a_decline(world):
    awaiting_target(world)
    world.advance(days=10)
    tick(world)
    world.advance(days=10)  # the requester is told twenty days after confirming
    tick(world)
    expired = world.mail_to(ADA)[-1]
    # A second request, for the same person at another address, that the connector declines.
    other = {"name": "Alan Turing", "email": "alan.turing@example.net"}
    awaiting_connector(world, target=other)
    assert world.post_form(world.last_link(GRACE), {"decision": "decline"}).status == 200
    world.deliver()
    world.advance(days=20)
    tick(world)
    declined = world.mail_to(ADA)[-1]
    assert declined is not expired and declined["headers"]["Message-ID"] != expired["headers"]["Message-ID"]
    for part in ("subject", "text", "html"):  # the same words; each mail's own opt-out token differs
        assert LINK.sub("TOKEN", declined[part]) == LINK.sub("TOKEN", expired[part])
