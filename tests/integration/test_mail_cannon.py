"""The service used as a mail cannon, from the attacker's side: whatever a stranger posts, a victim's
address gets at most one unanswered confirmation and a few a day, none with text the stranger wrote;
an address that opted out or bounced gets nothing of any kind; every message can be stopped in one
click (RFC 8058)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from local.world import REQUEST, World
from tests.integration.steps import ADA, ALAN, GRACE, introduced, tick
from warm_intro import runtime
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, State

VICTIM = "victim@example.com"
SUBJECT = "Please confirm your introduction request"


def spellings(address: str, n: int) -> list[str]:
    """The same mailbox as typed by an attacker trying to look like many: case and spacing."""
    local, _, domain = address.partition("@")
    forms = [address, address.upper(), f" {address} ", f"{local.capitalize()}@{domain.upper()}"]
    return [forms[i % len(forms)] for i in range(n)]


def bomb(world, n: int = 25, victim: str = VICTIM) -> list:
    """n requests naming `victim` as the requester, each from another network, each with a subject
    line the attacker would like the victim to read."""
    answers = []
    for i, address in enumerate(spellings(victim, n)):
        body = {
            **REQUEST,
            "requester": {"name": f"Buy cheap pills {i}", "email": address},
            "target": {"name": f"CLICK https://evil.example/{i}", "email": None},
        }
        answers.append(world.post_json("/intros", json.dumps(body), source_ip=f"198.51.100.{i + 1}"))
    world.deliver()
    return answers


def test_25_posts_for_one_victim_put_one_mail_in_their_inbox_with_none_of_the_attackers_text(world):
    answers = bomb(world)
    assert {(a.status, a.body) for a in answers} == {(answers[0].status, answers[0].body)}  # same bytes
    assert answers[0].status == 202
    mail = world.mail_to(VICTIM)
    assert len(mail) == 1
    assert mail[0]["subject"] == SUBJECT
    for words in ("pills", "CLICK", "evil.example", GRACE, REQUEST["blurb"][:20]):
        assert words not in mail[0]["subject"] + mail[0]["text"] + mail[0]["html"]


def test_ignored_the_victim_gets_at_most_the_daily_cap_however_long_the_attack(world):
    for _ in range(4):  # a day of attacks, answered by nobody, then the next day
        bomb(world, n=8)
        world.advance(hours=6)
        tick(world)
    assert len(world.mail_to(VICTIM)) == 1  # one unanswered mail at a time, and it lapses in 24 h
    world.advance(hours=1)
    tick(world)
    bomb(world, n=8)
    assert len(world.mail_to(VICTIM)) == 2


def test_confirming_sends_the_next_waiting_request_and_the_daily_cap_still_holds(world):
    assert world.ask().status == 202 and world.ask(target={"name": "Grace's friend"}).status == 202
    world.deliver()
    assert len(world.mail_to(ADA)) == 1  # the second waits for the first to be answered
    for n in range(3):
        world.ask(target={"name": f"Someone {n}"})
    world.deliver()
    assert len(world.mail_to(ADA)) == 1
    for expected in (2, 3, 3):  # confirming lets the next go, until the cap of 3 a day
        assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status in (200, 429)
        world.deliver()
        assert len(world.mail_to(ADA)) == expected


def test_withdrawing_the_mail_as_not_mine_releases_no_more_mail(world):
    bomb(world, n=5)
    assert world.post_form(world.last_link(VICTIM), {"decision": "withdraw"}).status == 200
    world.deliver()
    assert len(world.mail_to(VICTIM)) == 1


def test_one_click_on_the_confirmation_stops_all_mail_to_the_address(world):
    bomb(world, n=3)
    optout = world.last_link(VICTIM, kind="optout")
    mail = world.mail_to(VICTIM)[0]
    assert mail["headers"]["List-Unsubscribe"] == f"<{optout}>"
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    answer = world.post_form(optout, {"List-Unsubscribe": "One-Click"})  # what a mail client sends
    assert answer.status == 200
    world.advance(days=2)
    answers = bomb(world, n=25)
    assert {a.status for a in answers} == {202}
    assert len(world.mail_to(VICTIM)) == 1  # only the one before the click


@pytest.mark.parametrize("reason", ["opted_out", "bounced", "complained"])
def test_a_suppressed_requester_address_gets_no_confirmation(world, reason):
    runtime.repository().suppress(address_hash(VICTIM, world.settings.hash_key), reason, world.now)
    answers = bomb(world, n=5)
    assert {a.status for a in answers} == {202}
    assert world.mail_to(VICTIM) == []


def test_a_connector_who_opted_out_after_approving_gets_no_copy_and_no_thanks(world):
    world.ask()
    world.deliver()
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200
    world.deliver()
    review = world.last_link(GRACE)
    assert world.post_form(review, {"decision": "approve"}).status == 200
    world.deliver()
    assert world.post_form(world.last_link(GRACE, kind="optout"), {"decision": "opt_out"}).status == 200
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status == 200
    world.deliver()
    (introduction,) = [m for m in world.mail_to(ALAN) if m["subject"].startswith("Introduction:")]
    assert introduction["cc"] == [] and not any(GRACE in a for a in introduction["to"])
    world.advance(days=7.1)
    tick(world)
    assert world.post_form(world.last_link(ADA), {"decision": "yes"}).status == 200
    world.deliver()
    assert not any(m["subject"].startswith("Thank you") for m in world.mail_to(GRACE))


def test_every_message_of_a_whole_introduction_carries_the_one_click_pair(world):
    found = introduced(world)
    world.advance(days=7.1)
    tick(world)
    world.post_form(world.last_link(ADA), {"decision": "yes"})
    world.deliver()
    kinds = {k for k, m in world.intro(found).outbox.items() if m.status is Delivery.SENT}
    assert kinds == {
        Kind.CONFIRM_REQUEST,
        Kind.CONNECTOR_ASK,
        Kind.TARGET_ASK,
        Kind.INTRODUCTION,
        Kind.FOLLOWUP,
        Kind.THANKS,
    }
    for mail in world.mail():
        assert mail["headers"]["List-Unsubscribe"].startswith("<https://intros.example.org/optout/")
        assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_on_the_introduction_stops_what_is_to_come_for_everyone_and_suppresses_nobody(world):
    found = introduced(world)
    (introduction,) = [m for m in world.mail_to(ALAN) if m["subject"].startswith("Introduction:")]
    link = introduction["headers"]["List-Unsubscribe"].strip("<>")
    page = world.get(link)
    assert page.status == 200 and "can't tell which of you" in page.text
    assert world.post_form(link, {"List-Unsubscribe": "One-Click"}).status == 200
    world.advance(days=8)
    tick(world)
    assert not any(m["subject"].startswith("Did you") for m in world.mail_to(ADA))
    assert world.intro(found).outbox[Kind.FOLLOWUP].status is Delivery.CANCELLED
    assert world.intro(found).state is State.INTRODUCED
    hashes = [address_hash(a, world.settings.hash_key) for a in (ADA, ALAN, GRACE)]
    assert runtime.repository().suppressed(hashes) == set()  # a click that can't say whose stops nobody


def test_ipv6_addresses_within_one_64_share_the_hourly_limit(world):
    body = json.dumps(REQUEST)
    answers = [world.post_json("/intros", body, source_ip=f"2001:db8:1:2::{i:x}") for i in range(1, 21)]
    assert {a.status for a in answers} == {202}
    assert world.post_json("/intros", body, source_ip="2001:db8:1:2:ffff:ffff:ffff:ffff").status == 429
    assert world.post_json("/intros", body, source_ip="2001:db8:1:3::1").status == 202  # the next /64
    world.advance(hours=1)
    assert world.post_json("/intros", body, source_ip="2001:db8:1:2::abcd").status == 202


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    victim=st.sampled_from(["victim@example.com", "j.doe+news@example.org", "ALICE@Example.NET"]),
    flips=st.lists(st.booleans(), min_size=1, max_size=30),
    pads=st.lists(st.sampled_from(["", " ", "  "]), min_size=2, max_size=2),
)
def test_any_spelling_of_the_victims_address_shares_the_one_mail(clock, victim, flips, pads):
    """Case and surrounding spaces, in any mix, over 25 posts: one mail. (Other spellings of one
    mailbox share it exactly as far as `address_hash` treats them as one.)"""

    def spelled(n: int) -> str:
        cased = "".join(c.upper() if flips[(n + i) % len(flips)] else c.lower() for i, c in enumerate(victim))
        return f"{pads[0]}{cased}{pads[1]}"

    with mock_aws():
        runtime.reset()
        world = World(clock)
        for n in range(25):
            body = {**REQUEST, "requester": {"name": "Bulk", "email": spelled(n)}}
            assert world.post_json("/intros", json.dumps(body), source_ip=f"198.51.100.{n + 1}").status == 202
        world.deliver()
        assert len(world.mail()) == 1
    runtime.reset()
