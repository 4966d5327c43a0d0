"""A connector's "you two should meet" clicked through in Chromium: keyboard only, every page axe-clean
at phone and desktop widths, no JavaScript needed (the coach answers with the page itself)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import DESKTOP, PHONE, link_to, mail_to, unique
from .test_keyboard import press, tab_to, type_into

pytestmark = pytest.mark.browser

GRACE = "grace@example.org"
NOTE = "Alan runs the Bletchley reading group and Joan has just started one; I think they'd enjoy comparing notes."


def accessible(page, name: str) -> None:
    assert page.locator("h1").count() == 1, name
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        found = Axe().run(page).response["violations"]
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]])
            for v in found
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{name} at {size['width']}px: {serious}"
    page.set_viewport_size(PHONE)


def test_a_proposal_made_and_answered_with_the_keyboard_alone_on_accessible_pages(page, server):
    n, alan, joan = len(server.outbox()), unique("alan"), unique("joan")
    page.goto(server.base + "/introduce")
    accessible(page, "the proposal form")
    for field, text in [
        ("connector_name", "Grace Hopper"),
        ("connector_email", GRACE),
        ("a_name", "Alan Turing"),
        ("a_email", alan),
        ("b_name", "Joan Clarke"),
        ("b_email", joan),
        ("note", "Hi [name], you two should meet."),
    ]:
        type_into(page, field, text)
    assert press(page, 'button[type="submit"]') == 200
    assert (
        page.get_by_role("status").is_visible() and "placeholder" in page.get_by_role("status").inner_text()
    )
    accessible(page, "the proposal form with the coach's hints")
    tab_to(page, "#note")  # the note rewritten by keyboard too
    page.keyboard.press("Control+A")
    page.keyboard.type(NOTE)
    assert press(page, 'button[type="submit"]') == 200
    assert page.get_by_role("heading", name="Check your email").is_visible()

    page.goto(link_to(server, GRACE, n, subject="confirm the introduction"))
    accessible(page, "the connector's confirmation")
    assert press(page, 'button[value="confirm"]') == 200
    assert page.get_by_role("heading", name="Your introduction is on its way").is_visible()

    page.goto(link_to(server, joan, n))  # the person named second is asked first by default
    accessible(page, "the first person's choice")
    assert page.get_by_role("heading", name="Would you like to meet Alan Turing?").is_visible()
    assert press(page, 'button[value="accept"]') == 200
    accessible(page, "the first person's thanks")

    page.goto(link_to(server, alan, n))
    accessible(page, "the second person's choice")
    assert press(page, 'button[value="accept"]') == 200
    assert page.get_by_role("heading", name="You've been introduced").is_visible()
    introduction = mail_to(server, alan, n, subject="Introduction:")
    assert any(GRACE in a for a in introduction["cc"]) and any(joan in a for a in introduction["to"])


def test_the_form_shows_field_errors_accessibly(page, server):
    page.goto(server.base + "/introduce")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.locator(".summary").is_visible()
    accessible(page, "the proposal form with errors")
