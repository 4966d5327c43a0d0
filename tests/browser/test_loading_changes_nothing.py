"""Link scanners open every link in an email and run its JavaScript. Opening a page, however often,
with JavaScript running, must change nothing: no mail, no decision, the same form offered after."""

from __future__ import annotations

import pytest

from .helpers import ask, decide, link_to, mail_to, settle, tick, unique

pytestmark = pytest.mark.browser
LOADS = 3


def assert_loading_changes_nothing(page, server, link: str, buttons: list[str]) -> None:
    before = settle(server, 0.5)
    for _ in range(LOADS):
        answer = page.goto(link, wait_until="load")
        assert answer.status == 200
        page.reload(wait_until="load")
    after = settle(server)
    assert after == before  # not one message more
    assert page.evaluate("document.forms.length") >= 1
    for button in buttons:  # the page still offers every choice: nothing was decided
        assert page.get_by_role("button", name=button, exact=True).is_enabled(), button


def test_opening_any_link_page_again_and_again_decides_nothing(page, server):
    n = len(server.outbox())
    ada = ask(page, server)
    confirm = link_to(server, ada, n)
    assert_loading_changes_nothing(page, server, confirm, ["Confirm and send", "Cancel this request"])
    decide(page, confirm, "Confirm and send")

    review = link_to(server, "grace@example.org", n, subject="Ada Lovelace")
    assert_loading_changes_nothing(page, server, review, ["Approve and ask Alan Turing", "Decline"])
    assert_loading_changes_nothing(
        page, server, link_to(server, "grace@example.org", n, kind="optout"), ["Never ask me again"]
    )
    target = unique("alan")
    decide(page, review, "Approve and ask Alan Turing", **{"Alan Turing's email": target})

    consent = link_to(server, target, n)
    assert_loading_changes_nothing(
        page, server, consent, ["Yes, introduce us", "No, thank you", "No, and don't ask me again"]
    )
    assert_loading_changes_nothing(
        page, server, link_to(server, target, n, kind="optout"), ["Never ask me again"]
    )
    decide(page, consent, "Yes, introduce us")

    mail_to(server, target, n, where=lambda m: m["cc"])  # the introduction is out
    tick(server, days=8)  # the follow-up goes out a week after the introduction
    followup = link_to(server, ada, n, where=lambda m: "/link/" in m["text"] and "connect" in m["subject"])
    assert_loading_changes_nothing(page, server, followup, ["Yes, we did", "Not yet", "No"])
    decide(page, followup, "Yes, we did")
    assert page.get_by_role("heading", name="Thank you for telling us").is_visible()
