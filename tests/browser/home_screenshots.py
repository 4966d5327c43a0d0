"""Photographs the members' home at phone and desktop widths into docs/screenshots/home-<page>-<width>.png:
sign-in, the link's page, the home with something waiting, settings, and the request form's directory.

.venv/bin/python -m tests.browser.home_screenshots
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .helpers import ask, mail_to
from .screenshots import shoot

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/me/signin/[A-Za-z0-9_\-]+")
GRACE = "grace@example.org"


def sign_in(page, server, email: str) -> Iterator[str]:
    n = len(server.outbox())
    page.goto(server.base + "/me")
    yield "signin"
    page.locator("#email").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a sign-in link").click()
    yield "signin-sent"
    message = mail_to(server, email, n, where=lambda m: "/me/signin/" in m["text"])
    page.goto(SIGNIN.findall(message["text"])[0])
    yield "signin-link"
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def home_tour(page, server) -> Iterator[str]:
    ask(page, server, requester=("Ada Lovelace", "ada.home@example.net"))
    n = len(server.outbox())
    confirm = mail_to(server, "ada.home@example.net", n - 1, where=lambda m: "/link/" in m["text"])
    page.goto(re.search(r"http://127\.0\.0\.1:\d+/link/\S+", confirm["text"]).group(0))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and send").click()
    mail_to(server, GRACE, n, where=lambda m: "Alan Turing" in m["text"])
    yield from sign_in(page, server, GRACE)
    yield "home"
    page.goto(server.base + "/me/settings")
    page.locator("#line").fill("compilers, COBOL, the US Navy, Philadelphia")
    with page.expect_navigation():
        page.locator('button[value="findable"]').click()
    yield "settings"
    page.goto(server.base + "/?find=compilers")
    yield "directory"


def main() -> None:
    # The settings page shows the organisation's cap: a realistic one, not the tests' lifted one.
    shoot(home_tour, "home-", LIMIT_CONNECTOR_WEEK="2")


if __name__ == "__main__":
    main()
