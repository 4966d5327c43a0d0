"""A connector's footer: pause for 30 days, at most one ask a week, or never. Each link shows a page
(GET changes nothing) and a press decides; the choice is the person's, kept by their address's keyed
hash, and the limits apply it when the next ask would go out."""

from __future__ import annotations

import re

import pytest

from tests.integration.steps import GRACE, awaiting_connector, intro_id, tick
from warm_intro import runtime
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, State

OTHERS = [(f"r{i}@example.org", f"Requester {i}") for i in range(4)]
FOOTER = {
    "pause": "Pause them for 30 days: ",
    "weekly": "Or at most one ask a week: ",
    "never": "Or never ask me again: ",
}


@pytest.fixture
def members(world):
    for email, name in OTHERS:
        runtime.repository().put_member(email, name)
    return world


def footer_link(world, which: str) -> str:
    text = [m for m in world.mail_to(GRACE) if m["subject"].startswith("Would you")][-1]["text"]
    found = re.search(re.escape(FOOTER[which]) + r"(\S+)", text)
    assert found, f"no {which} link in the connector's ask"
    return found[1]


def preference(world):
    return runtime.repository().begin(0).people.preferences(address_hash(GRACE, world.settings.hash_key))


def confirmed_request(world, requester: tuple[str, str], target: str) -> str:
    email, name = requester
    answer = world.ask(
        requester={"name": name, "email": email}, target={"name": target, "email": f"{target}@example.net"}
    )
    assert answer.status == 202
    world.deliver()
    link = world.last_link(email)
    assert world.post_form(link, {"decision": "confirm"}).status == 200
    world.deliver()
    return intro_id(link)


def asks_to_grace(world) -> int:
    return sum(m["subject"].startswith("Would you") for m in world.mail_to(GRACE))


def test_the_connector_ask_offers_three_choices_in_both_parts_and_one_click_still_means_never(world):
    awaiting_connector(world)
    ask = world.mail_to(GRACE)[-1]
    links = {which: footer_link(world, which) for which in FOOTER}
    assert len(set(links.values())) == 3
    for url in links.values():
        assert url in ask["html"]
    assert ask["headers"]["List-Unsubscribe"] == f"<{links['never']}>"
    assert "Pause for 30 days" in ask["html"] and "At most one a week" in ask["html"]
    never = world.get(links["never"])
    assert never.status == 200 and "This means never" in never.text


def test_opening_the_pause_link_changes_nothing_and_pressing_pauses_for_thirty_days(members):
    world = members
    first = awaiting_connector(world)
    link = footer_link(world, "pause")
    page = world.get(link)
    assert page.status == 200 and "Pause for 30 days" in page.text
    assert preference(world).paused_until is None  # GET never acts
    answer = world.post_form(link, {"decision": "pause"})
    assert answer.status == 200 and "Paused for 30 days" in answer.text
    assert preference(world).paused_until == world.now + 30 * 86400
    assert world.intro(first).state is State.AWAITING_CONNECTOR  # the ask in her inbox is still hers
    history = world.intro(first).history[-1]
    assert (history.actor.value, history.action) == ("connector", "pause")

    paused = confirmed_request(world, OTHERS[0], "Ted")
    assert world.intro(paused).outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD  # waits out the pause
    assert asks_to_grace(world) == 1
    world.advance(days=10, seconds=1)
    tick(world)
    assert world.intro(paused).state is State.EXPIRED and asks_to_grace(world) == 1  # closed politely

    world.advance(days=20)
    tick(world)
    later = confirmed_request(world, OTHERS[1], "Una")
    assert world.intro(later).state is State.AWAITING_CONNECTOR and asks_to_grace(world) == 2


def test_at_most_one_a_week_holds_the_second_ask_until_the_week_has_room(members):
    world = members
    awaiting_connector(world)
    link = footer_link(world, "weekly")
    assert world.get(link).status == 200 and preference(world).week_limit is None
    answer = world.post_form(link, {"decision": "one_a_week"})
    assert answer.status == 200 and "At most one ask a week" in answer.text
    assert preference(world).week_limit == 1
    world.advance(days=7, seconds=1)  # a new week: one ask goes, the next waits
    first = confirmed_request(world, OTHERS[0], "Ted")
    second = confirmed_request(world, OTHERS[1], "Una")
    assert world.intro(first).outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT
    assert world.intro(second).outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    assert asks_to_grace(world) == 2
    world.advance(days=7, seconds=1)
    tick(world)
    assert world.intro(second).outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT


def test_a_pause_also_holds_back_asks_already_waiting_for_room(members):
    world = members
    awaiting_connector(world)
    confirmed_request(world, OTHERS[0], "Ted")  # the default cap is 2 a week
    waiting = confirmed_request(world, OTHERS[1], "Una")
    assert world.intro(waiting).outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    assert world.post_form(footer_link(world, "pause"), {"decision": "pause"}).status == 200
    world.advance(days=7, seconds=1)  # her week has room again, but she is paused
    tick(world)
    assert asks_to_grace(world) == 2
    world.advance(days=4)
    tick(world)
    assert world.intro(waiting).state is State.EXPIRED and asks_to_grace(world) == 2
