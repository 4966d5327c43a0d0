"""Keyboard alone: Tab to a field or button (its focus always visible), type, press Enter."""

from __future__ import annotations

import pytest

from .helpers import link_to, mail_to, tick, unique

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("", "none"), f"focus on {selector} is not visible"
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, field: str, text: str) -> None:
    tab_to(page, f"#{field}")
    page.keyboard.type(text)


def press(page, button: str) -> int:
    """Tabs to the button, presses Enter; returns the status of the page that follows."""
    tab_to(page, button)
    with page.expect_navigation() as answer:
        page.keyboard.press("Enter")
    return answer.value.status


def test_a_whole_request_can_be_made_and_answered_with_the_keyboard_alone(page, server):
    n, ada = len(server.outbox()), unique("ada")
    page.goto(server.base + "/")
    for field, text in [
        ("requester_name", "Ada Lovelace"),
        ("requester_email", ada),
        ("connector_email", "grace@example.org"),
        ("target_name", "Alan Turing"),
        ("blurb", "I'm Ada; I'd value twenty minutes to ask Alan about his reading group."),
    ]:
        type_into(page, field, text)
    assert press(page, 'button[type="submit"]') == 200
    assert page.get_by_role("heading", name="Check your email").is_visible()

    page.goto(link_to(server, ada, n))
    assert press(page, 'button[value="confirm"]') == 200

    target = unique("alan")
    page.goto(link_to(server, "grace@example.org", n, subject="Ada Lovelace"))
    type_into(page, "target_email", target)
    assert press(page, 'button[value="approve"]') == 200

    page.goto(link_to(server, target, n))
    assert press(page, 'button[value="decline"]') == 200
    assert page.get_by_role("heading", name="You declined").is_visible()
    tick(server, 21)  # the requester hears at one moment, twenty days after confirming, whoever said no
    assert (
        "won't happen right now"
        in mail_to(server, ada, n, where=lambda m: "won't happen" in m["text"])["text"]
    )
