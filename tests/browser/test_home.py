"""The members' home in Chromium, keyboard only: sign in from the outbox, the home's lists, each
setting, the directory and a request picked from it; every page axe-clean at phone and desktop widths."""

from __future__ import annotations

import re

import pytest

from .helpers import mail_to, unique
from .test_keyboard import press, tab_to, type_into
from .test_proposals import accessible

pytestmark = pytest.mark.browser

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/me/signin/[A-Za-z0-9_\-]+")


def sign_in(page, server, email: str) -> None:
    n = len(server.outbox())
    page.goto(server.base + "/me")
    accessible(page, "the sign-in form")
    type_into(page, "email", email)
    assert press(page, 'button[type="submit"]') == 200
    assert page.get_by_role("heading", name="Check your email").is_visible()
    accessible(page, "the sign-in answer")
    message = mail_to(server, email, n, where=lambda m: "/me/signin/" in m["text"])
    page.goto(SIGNIN.findall(message["text"])[0])
    accessible(page, "the sign-in link's page")
    assert press(page, 'button[type="submit"]') == 200  # 303 to /me, followed
    assert page.locator("h1").inner_text() == "Your introductions"


def test_sign_in_the_home_and_every_setting_with_the_keyboard_alone(page, server):
    sign_in(page, server, "katherine@example.org")
    accessible(page, "the home page")
    tab_to(page, 'a[href="/me/settings"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Your settings").is_visible()
    accessible(page, "the settings page")
    tab_to(page, "#week_limit")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    assert press(page, 'button[value="limit"]') == 200
    assert "at most 2 times a week (your choice)" in page.content()
    type_into(page, "line", "NASA, orbital mechanics, Hampton")
    assert press(page, 'button[value="findable"]') == 200
    assert "You're listed" in page.content()
    accessible(page, "the settings page, listed")
    tab_to(page, "#week_limit")
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    assert press(page, 'button[value="limit"]') == 422
    accessible(page, "the settings page with an error")
    assert press(page, 'button[value="never"]') == 200
    assert press(page, 'button[value="ask_again"]') == 200


def test_a_connector_picked_from_the_directory_with_the_keyboard_alone(page, server):
    sign_in(page, server, "dorothy@example.org")
    page.goto(server.base + "/me/settings")
    type_into(page, "line", "FORTRAN, the West Computers")
    assert press(page, 'button[value="findable"]') == 200
    page.context.clear_cookies()
    sign_in(page, server, "ada@example.org")
    page.goto(server.base + "/")
    type_into(page, "find", "fortran")
    assert press(page, 'form[role="search"] button') == 200
    accessible(page, "the request form with the directory's answers")
    tab_to(page, 'input[name="connector_id"]')
    page.keyboard.press("Space")
    assert page.locator('input[name="connector_id"]').is_checked()
    assert "dorothy@example.org" not in page.content()
    target = unique("mary")
    for field, text in [
        ("target_name", "Mary Jackson"),
        ("target_email", target),
        ("blurb", "I'm Ada; I'd value twenty minutes to ask Mary how she became an engineer at Langley."),
    ]:
        type_into(page, field, text)
    status = press(page, 'form[method="post"] button[type="submit"]')
    if status == 200 and page.get_by_role("status").count():  # the coach's hints: sent again as written
        status = press(page, 'form[method="post"] button[type="submit"]')
    assert status == 200 and page.get_by_role("heading", name="Your request is on its way").is_visible()
    accessible(page, "the request sent")
    mail_to(server, "dorothy@example.org", 0, subject="", where=lambda m: "Mary Jackson" in m["text"])
