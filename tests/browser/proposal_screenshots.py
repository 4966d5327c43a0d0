"""Photographs the proposal pages ("you two should meet") at phone and desktop widths into
docs/screenshots/proposal-<page>-<width>.png.

.venv/bin/python -m tests.browser.proposal_screenshots
"""

from __future__ import annotations

from collections.abc import Iterator

from .helpers import decide, link_to
from .screenshots import shoot

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
    shoot(proposal_tour, "proposal-")


if __name__ == "__main__":
    main()
