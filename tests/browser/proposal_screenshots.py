"""Photographs the proposal pages ("you two should meet") at phone and desktop widths into
docs/screenshots/proposal-<page>-<width>.png.

.venv/bin/python -m tests.browser.proposal_screenshots
"""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import sync_playwright

from tests.support.server import LocalServer

from .helpers import DESKTOP, PHONE, SERVER_ENV, decide, launch, link_to
from .screenshots import OUT

GRACE = "grace@example.org"
NOTE = (
    "Alan runs the Bletchley reading group and Joan has just started one at Hut 8. "
    "I think they'd enjoy comparing how they choose papers, and could help each other."
)
FORM = {
    "#connector_name": "Grace Hopper",
    "#connector_email": GRACE,
    "#a_name": "Alan Turing",
    "#a_email": "alan@example.net",
    "#a_about": "runs the Bletchley reading group",
    "#b_name": "Joan Clarke",
    "#b_email": "joan@example.net",
    "#b_about": "cryptanalyst at Hut 8",
}


def proposal_tour(page, server) -> Iterator[str]:
    n = len(server.outbox())
    page.goto(server.base + "/introduce")
    yield "form"
    for selector, value in FORM.items():
        page.locator(selector).fill(value)
    page.locator("#note").fill("Hi [name], you two should meet.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    yield "form-coached"
    page.locator("#note").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    page.goto(link_to(server, GRACE, n, subject="confirm the introduction"))
    yield "confirm"
    decide(page, page.url, "Confirm and ask Joan Clarke")
    page.goto(link_to(server, "joan@example.net", n))
    yield "consent"


def main() -> None:
    server = LocalServer(**SERVER_ENV)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport=PHONE)
            for name in proposal_tour(page, server):
                for size in (PHONE, DESKTOP):
                    page.set_viewport_size(size)
                    path = OUT / f"proposal-{name}-{size['width']}.png"
                    page.screenshot(path=path, full_page=True)
                    print(path.relative_to(OUT.parents[1]))
                page.set_viewport_size(PHONE)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
