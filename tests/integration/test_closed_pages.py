"""After a request closes, each person's link says what is true now, never who said no; a success
page answers 200, and 410 is for a link that events have overtaken."""

from __future__ import annotations

import re

import pytest

from tests.integration.steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, introduced, tick

STALE = ("Thank you for approving", "If they say yes", "you&#39;ll be in copy")


def main_text(page) -> str:
    """The page's own words (title and lines), without the layout around them."""
    found = re.search(r"<main[^>]*>(.*)</main>", page.text, re.DOTALL)
    assert found, page.text
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def target_declines(world, target: str = ALAN):
    assert world.post_form(world.last_link(target), {"decision": "decline"}).status == 200
    world.deliver()


def expires(world, target: str = ALAN):
    world.advance(days=10.1)
    tick(world)


def withdraws(world):
    assert world.post_form(world.last_link(ADA), {"decision": "withdraw"}).status == 200
    world.deliver()


@pytest.mark.parametrize("close", [target_declines, expires])
def test_the_connectors_link_after_the_target_said_no_or_was_silent_says_the_same_neutral_thing(world, close):
    awaiting_target(world)
    review = world.last_link(GRACE)
    close(world)
    page = world.get(review)
    assert page.status == 410 and "<form" not in page.text
    text = main_text(page)
    assert "won&#39;t happen right now" in text and not any(s in text for s in STALE)
    assert "declin" not in text.lower() and "Alan" not in text  # never who said no


def test_the_connectors_page_is_identical_whether_the_target_declined_or_stayed_silent(world):
    pages = []
    for close, name, email in (
        (target_declines, "Alan Turing", ALAN),
        (expires, "Joan Clarke", "joan@example.net"),
    ):
        awaiting_target(world, target={"name": name, "email": email, "about": "runs the reading group"})
        review = world.last_link(GRACE)
        close(world, email)
        pages.append(main_text(world.get(review)))
    assert pages[0] == pages[1] and "won&#39;t happen right now" in pages[0]


def test_the_connectors_link_after_a_withdrawal_says_so(world):
    awaiting_target(world)
    review = world.last_link(GRACE)
    withdraws(world)
    page = world.get(review)
    text = main_text(page)
    assert page.status == 410 and "This request was withdrawn" in text and not any(s in text for s in STALE)


def test_after_the_introduction_every_link_is_a_success_page(world):
    introduced(world)
    review, consent = world.last_link(GRACE), world.last_link(ALAN)
    page = world.get(review)
    text = main_text(page)
    assert page.status == 200 and "They&#39;ve been introduced" in text and not any(s in text for s in STALE)
    page = world.get(consent)
    assert page.status == 200 and "You said yes" in main_text(page)


@pytest.mark.parametrize(("walk", "asked"), [(awaiting_connector, GRACE), (awaiting_target, ALAN)])
def test_whoever_was_asked_and_stayed_silent_sees_it_closed_after_expiry(world, walk, asked):
    walk(world)
    link = world.last_link(asked)
    expires(world)
    page = world.get(link)
    text = main_text(page)
    assert page.status == 410 and "This request has closed" in text and "<form" not in page.text


def test_the_target_who_declined_sees_their_own_answer_with_200(world):
    awaiting_target(world)
    consent = world.last_link(ALAN)
    target_declines(world)
    page = world.get(consent)
    assert page.status == 200 and "You declined" in main_text(page)
    expires(world)  # nothing later changes what they see
    assert world.get(consent).status == 200
