"""The limits through the real handlers: the requester hears about their own activity on the confirm
page; everyone else's limits only ever show as the usual neutral close, never in the API answer."""

from __future__ import annotations

import json

import pytest

from local.world import LINK, REQUEST
from warm_intro import runtime
from warm_intro.adapters.ledger import Ledgers
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, State

from .steps import ADA, GRACE

MORE = [(f"r{i}@example.org", f"Requester {i}") for i in range(8)]


def link_for(world, address: str, intro: str, kind: str = "link") -> str:
    links = [u for m in world.mail_to(address) for u in LINK.findall(m["text"]) if f"/{kind}/{intro}." in u]
    assert links, f"no {kind} link for {intro} mailed to {address}"
    return links[-1]


def requests_of(world, address: str) -> set[str]:
    entries = Ledgers(runtime.repository()).person_entries(address_hash(address, world.settings.hash_key))
    return {e["intro"] for e in entries if e["role"] == "requester"}


def ask(world, requester=(ADA, "Ada Lovelace"), target=("Alan Turing", "alan@example.net")) -> str:
    """The new request's id. Its confirmation mail may wait for an earlier one to be answered."""
    before = requests_of(world, requester[0])
    answer = world.ask(
        requester={"name": requester[1], "email": requester[0]},
        target={"name": target[0], **({"email": target[1]} if target[1] else {})},
    )
    assert answer.status == 202
    world.deliver()
    (new,) = requests_of(world, requester[0]) - before
    return new


def confirm(world, intro: str, requester: str = ADA):
    answer = world.post_form(link_for(world, requester, intro), {"decision": "confirm"})
    world.deliver()
    return answer


def approve(world, intro: str):
    answer = world.post_form(link_for(world, GRACE, intro), {"decision": "approve"})
    world.deliver()
    return answer


def asks_to(world, address: str) -> int:
    return sum(m["subject"].startswith("Would you introduce") for m in world.mail_to(address))


@pytest.fixture(autouse=True)
def confirmations(monkeypatch):
    """These tests ask many times a day from one address; the daily cap on confirmation mail is
    tested in test_mail_cannon."""
    monkeypatch.setenv("LIMIT_CONFIRM_DAY", "50")


@pytest.fixture
def roomy(monkeypatch):
    """For tests of other limits that ask one connector more often than the default 2 a week."""
    monkeypatch.setenv("LIMIT_CONNECTOR_WEEK", "5")


@pytest.fixture
def members(world):
    for email, name in MORE:
        runtime.repository().put_member(email, name)
    return world


def test_a_fourth_open_request_is_refused_kindly_and_a_closed_one_frees_a_slot(roomy, world):
    ids = [ask(world, target=(f"Target {i}", f"t{i}@example.net")) for i in range(4)]
    assert [confirm(world, i).status for i in ids[:3]] == [200, 200, 200]
    refused = confirm(world, ids[3])
    assert refused.status == 429 and "3 requests waiting" in refused.text
    assert world.intro(ids[3]).state is State.UNCONFIRMED and asks_to(world, GRACE) == 3
    assert world.post_form(link_for(world, ADA, ids[0]), {"decision": "withdraw"}).status == 200
    assert confirm(world, ids[3]).status == 200
    assert world.intro(ids[3]).state is State.AWAITING_CONNECTOR and asks_to(world, GRACE) == 4


def test_a_second_open_request_for_the_same_person_is_refused_whatever_the_connector(world):
    first = ask(world)
    second = ask(world, target=("alan  TURING", None))  # no address: matched by normalised name
    assert confirm(world, first).status == 200
    answer = confirm(world, second)
    assert answer.status == 429 and "already have a request open" in answer.text
    assert world.intro(second).state is State.UNCONFIRMED


@pytest.mark.parametrize("who", [GRACE, "alan@example.net"])
def test_after_any_no_the_requester_cannot_ask_for_them_for_180_days_from_when_they_were_told(world, who):
    first = ask(world)
    confirm(world, first)
    told = world.now + 20 * 86400  # two expiry periods after confirming, whoever said no
    if who != GRACE:
        approve(world, first)
    world.post_form(world.last_link(who), {"decision": "decline"})
    world.deliver()
    world.advance(days=19)
    answer = confirm(world, ask(world))
    assert answer.status == 429 and "already have a request open" in answer.text  # as if still open
    world.clock[0] = told
    world.tick()
    world.deliver()
    answer = confirm(world, ask(world))
    assert answer.status == 429 and "recently" in answer.text
    world.clock[0] = told + 180 * 86400 - 60
    assert confirm(world, ask(world)).status == 429
    world.advance(seconds=120)
    assert confirm(world, ask(world)).status == 200


def test_past_two_asks_a_week_the_third_waits_then_goes_out_when_the_week_has_room(members):
    world = members
    ids = [ask(world, requester=MORE[i], target=(f"T {i}", f"t{i}@example.net")) for i in range(3)]
    assert [confirm(world, i, MORE[n][0]).status for n, i in enumerate(ids)] == [200] * 3
    assert asks_to(world, GRACE) == 2
    held = world.intro(ids[2])
    assert held.state is State.AWAITING_CONNECTOR and held.outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    world.advance(days=3)
    world.tick()
    world.deliver()
    assert asks_to(world, GRACE) == 2  # no room yet: only reminders are due in 4 days
    world.advance(days=4, seconds=1)
    assert world.tick()["released"] == 1
    world.deliver()
    assert world.intro(ids[2]).outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT
    assert asks_to(world, GRACE) == 3
    assert world.tick()["released"] == 0


@pytest.fixture
def refusing(monkeypatch):
    monkeypatch.setenv("LIMIT_CONNECTOR_WEEK", "1")
    monkeypatch.setenv("CONNECTOR_OVER_CAPACITY", "refuse")


def test_a_connector_over_capacity_can_refuse_instead_which_closes_neutrally(refusing, members):
    world = members
    first = ask(world, requester=MORE[0], target=("T", "t@example.net"))
    second = ask(world, requester=MORE[1], target=("U", "u@example.net"))
    assert confirm(world, first, MORE[0][0]).status == 200
    assert confirm(world, second, MORE[1][0]).status == 200  # the requester sees nothing unusual here
    assert world.intro(second).state is State.REFUSED and asks_to(world, GRACE) == 1
    assert Kind.CLOSED in world.intro(second).outbox


def test_a_target_address_gets_three_asks_in_30_days_the_fourth_closes_neutrally(roomy, members):
    world = members
    ids = [ask(world, requester=MORE[i]) for i in range(4)]
    for n, i in enumerate(ids):
        confirm(world, i, MORE[n][0])
        page = approve(world, i)
        assert page.status == 200  # the connector's page reads as usual
    assert len(world.mail_to("alan@example.net")) == 3
    fourth = world.intro(ids[3])
    # Closed, and its requester told like any other, twenty days after confirming (domain.disclosure).
    assert fourth.state is State.REFUSED and fourth.outbox[Kind.CLOSED].status is Delivery.HELD


def test_an_opted_out_target_is_never_mailed_again(members):
    world = members
    first = ask(world, requester=MORE[0])
    confirm(world, first, MORE[0][0])
    approve(world, first)
    assert world.post_form(world.last_link("alan@example.net"), {"decision": "opt_out"}).status == 200
    world.deliver()
    mailed = len(world.mail_to("alan@example.net"))
    second = ask(world, requester=MORE[1], target=("Alan Turing", None))
    confirm(world, second, MORE[1][0])
    assert (
        world.post_form(
            link_for(world, GRACE, second), {"decision": "approve", "target_email": "Alan@Example.net"}
        ).status
        == 200
    )
    world.deliver()
    assert len(world.mail_to("alan@example.net")) == mailed
    assert world.intro(second).state is State.REFUSED


def test_the_public_api_allows_a_modest_rate_per_source_address(world):
    statuses = [world.post_json("/intros", _body(), source_ip="198.51.100.7").status for _ in range(21)]
    assert statuses == [202] * 20 + [429]
    assert world.post_json("/intros", _body(), source_ip="198.51.100.8").status == 202


def test_ledgers_and_the_person_index_hold_no_address_or_name(members):
    world = members
    ids = [
        ask(world, requester=MORE[i], target=(f"Target Person {i}", f"t{i}@example.net")) for i in range(2)
    ]
    for n, i in enumerate(ids):
        confirm(world, i, MORE[n][0])
        approve(world, i)
    items = runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]
    kept = [i for i in items if i["pk"]["S"].startswith(("LEDGER#", "PERSON#", "SUPPRESS#", "RATE#"))]
    prefixes = {i["pk"]["S"][:9] if i["pk"]["S"].startswith("LEDGER#") else i["pk"]["S"][:7] for i in kept}
    assert prefixes >= {"LEDGER#R#", "LEDGER#C#", "LEDGER#T#", "PERSON#"}
    text = repr(kept).lower()
    assert "@" not in text and "target person" not in text and "example" not in text
    assert sum(i["pk"]["S"].startswith("PERSON#") for i in kept) == 6  # requester, connector, target each


def _body() -> str:
    return json.dumps(REQUEST)


def test_a_confirmation_refused_by_the_requesters_own_limits_still_proves_the_address(world):
    """The click answered the mail: the next request's confirmation goes out at once instead of waiting
    a day for the refused one to lapse (one unanswered confirmation per address, test_mail_cannon)."""
    confirm(world, ask(world))
    second = ask(world)  # the same person again, while the first request is open
    assert confirm(world, second).status == 429
    third = ask(world, target=("Joan Clarke", "joan@example.net"))
    assert link_for(world, ADA, third)  # mailed now, not held behind the refused one
    assert world.intro(third).outbox[Kind.CONFIRM_REQUEST].status is Delivery.SENT
