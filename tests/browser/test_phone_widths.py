"""Every page fits a small phone with long but ordinary data: a 49-character address, long hyphenated
names, long notes with an unbroken link in them. At 320 and 390 px nothing scrolls sideways and every
button is on screen, whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .helpers import decide, link_to, tick, unique

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)
REQUESTER = "Anna-Katharina Wolkenstein-Trostburg-Hohenzollern"
TARGET = "Jean-Baptiste Marie-Joseph Delacroix-Montmorency"
ABOUT = "runs the Interdisciplinary-Computational-Linguistics-and-Philosophy-of-Mind reading group"
LINKY = "https://example.org/reading-groups/interdisciplinary-computational-linguistics/2026/autumn-term"
BLURB = (
    "I'm Anna-Katharina; I research Entscheidungsproblem-adjacent questions in computability theory. "
    f"My notes are at {LINKY}. I'd value twenty minutes to ask how the group chooses its readings."
)
NOTE = f"Jean-Baptiste, Anna-Katharina is thoughtful and brief; her notes: {LINKY}. Grace"


def long_address(label: str) -> str:
    """An ordinary address of exactly 49 characters, unique in the session."""
    local = unique(label).split("@")[0].replace("-", ".")
    cut = f"{local}.wolkenstein.trostburg.hohenzollern"[: 49 - len("@example.net")]
    address = (
        cut.removesuffix(".") + ("x" if cut.endswith(".") else "") + "@example.net"
    )  # a dot-atom: no final dot
    assert len(address) == 49
    return address


def pages(page, server) -> Iterator[str]:
    """Opens every page a person can land on, with long data; yields each page's name while it shows."""
    requester, target, declined = long_address("anna"), long_address("jean"), long_address("kath")
    n = len(server.outbox())

    page.goto(server.base + "/")
    page.get_by_label("Your name").fill(REQUESTER)
    page.get_by_label("Your email").fill(requester)
    page.locator("#connector_email").fill("grace@example.org")
    page.locator("#target_name").fill(TARGET)
    page.get_by_label("What they do (optional)").fill(ABOUT)
    page.get_by_label("Who you are, why you'd like to meet, and one ask").fill("x")  # too short: errors
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    yield "request-form-errors"

    page.get_by_label("Who you are, why you'd like to meet, and one ask").fill(BLURB)
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    yield "request-sent"

    confirm = link_to(server, requester, n)
    page.goto(confirm)
    yield "confirm"
    decide(page, confirm, "Confirm and send")
    yield "confirmed"

    review = link_to(server, "grace@example.org", n, where=lambda m: requester in m["text"])
    page.goto(review)
    yield "review"
    decide(page, review, f"Approve and ask {TARGET}", **{f"{TARGET}'s email": "jean-baptiste at example"})
    yield "review-errors"
    page.get_by_label(f"{TARGET}'s email").fill(target)
    page.get_by_label(f"A note to {TARGET} (optional)").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Approve and ask {TARGET}").click()
    yield "approved"

    consent = link_to(server, target, n)
    page.goto(consent)
    yield "consent"
    page.goto(link_to(server, target, n, kind="optout"))
    yield "optout"
    decide(page, consent, "Yes, introduce us")
    yield "introduced"
    page.goto(review)
    yield "introduced-connector"
    page.goto(confirm)
    yield "introduced-requester"

    page.goto(server.base + "/")  # a second request, declined by the connector
    page.get_by_label("Your name").fill(REQUESTER)
    page.get_by_label("Your email").fill(declined)
    page.locator("#connector_email").fill("grace@example.org")
    page.locator("#target_name").fill(TARGET)
    page.locator("#target_email").fill(long_address("jb"))
    page.get_by_label("Who you are, why you'd like to meet, and one ask").fill(BLURB)
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    declined_confirm = link_to(server, declined, n)
    decide(page, declined_confirm, "Confirm and send")
    decline = link_to(server, "grace@example.org", n, where=lambda m: declined in m["text"])
    decide(page, decline, "Decline", **{"Why not? (optional, private)": NOTE})
    yield "declined-connector"
    page.goto(declined_confirm)
    yield "declined-requester"

    third = long_address("rose")  # the confirm page names the connector by a long address
    page.goto(server.base + "/")
    page.get_by_label("Your name").fill(REQUESTER)
    page.get_by_label("Your email").fill(third)
    page.locator("#connector_email").fill(long_address("conn"))
    page.locator("#target_name").fill(TARGET)
    page.get_by_label("Who you are, why you'd like to meet, and one ask").fill(BLURB)
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    third_confirm = link_to(server, third, n)
    page.goto(third_confirm)
    yield "confirm-long-connector"

    tick(server, days=8)  # the follow-up falls due; the unconfirmed request lapses
    page.goto(link_to(server, requester, n, subject="connect"))
    yield "followup"
    page.goto(third_confirm)
    yield "lapsed"


def overflow(page) -> dict:
    """What sticks out sideways: the document's extra width and any button not wholly on screen."""
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const buttons = [...document.querySelectorAll('button')].map(b => {
            const box = b.getBoundingClientRect();
            return {text: b.innerText.slice(0, 40), left: box.left, right: box.right, height: box.height};
        }).filter(b => b.left < 0 || b.right > width || b.height === 0);
        return {extra: root.scrollWidth - width, buttons};
    }""")


def test_every_page_fits_a_phone_with_long_names_addresses_and_notes(page, server):
    seen, wide = [], []
    for name in pages(page, server):
        seen.append(name)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            found = overflow(page)
            if found["extra"] > 0 or found["buttons"]:
                wide.append((name, width, found))
            assert all(
                page.locator("button").nth(i).is_visible() for i in range(page.locator("button").count())
            )
        page.set_viewport_size({"width": 390, "height": 844})
    assert len(seen) == 17
    assert wide == [], wide
