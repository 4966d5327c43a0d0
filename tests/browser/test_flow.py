"""Every path a person can take, clicked through in Chromium with links read from the local outbox."""

from __future__ import annotations

import re

import pytest

from .helpers import ask, decide, link_to, mail_to, settle, tick, unique

pytestmark = pytest.mark.browser


def test_request_confirm_approve_accept_introduces_both_with_the_connector_in_copy(page, server):
    n = len(server.outbox())
    ada = ask(page, server)  # no address for Alan: Grace knows it
    assert page.get_by_role("heading", name="Check your email").is_visible()

    decide(page, link_to(server, ada, n), "Confirm and send")
    assert page.get_by_role("heading", name="Your request is on its way").is_visible()

    alan = unique("alan")
    answer = decide(
        page,
        link_to(server, "grace@example.org", n, subject="Ada Lovelace"),
        "Approve and ask Alan Turing",
        **{"Alan Turing's email": alan, "A note to Alan Turing (optional)": "You two should talk."},
    )
    assert answer.status == 200
    assert page.get_by_role("heading", name="Thank you for approving").is_visible()

    page.goto(link_to(server, alan, n))
    assert page.get_by_text("You two should talk.").is_visible()  # the connector's note reaches the target
    decide(page, page.url, "Yes, introduce us")
    assert page.get_by_role("heading", name="You said yes").is_visible()

    introduction = mail_to(server, alan, n, where=lambda m: m["cc"])
    assert any(ada in a for a in introduction["to"])
    assert introduction["cc"] == ["Grace Hopper <grace@example.org>"]


def close_with(page, server, who: str) -> tuple[str, str]:
    """Walks one request to a no by `who`; returns (the requester's closing mail, the decider's page heading)."""
    n = len(server.outbox())
    target = unique(who)
    ada = ask(page, server, target=("Alan Turing", target))
    decide(page, link_to(server, ada, n), "Confirm and send")
    review = link_to(server, "grace@example.org", n, subject="Ada Lovelace")
    if who == "connector":
        decide(page, review, "Decline", **{"Why not? (optional, private)": "Alan is swamped this term."})
    else:
        decide(page, review, "Approve and ask Alan Turing")
        button = "No, thank you" if who == "target" else "No, and don't ask me again"
        decide(page, link_to(server, target, n), button)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert not any("won't happen" in m["text"] for m in settle(server)[n:] if ada in str(m["to"]))  # not yet
    tick(server, 21)  # the requester is told at one moment, twenty days after confirming, whoever said no
    closing = mail_to(server, ada, n, where=lambda m: "won't happen right now" in m["text"])
    mail = settle(server)[n:]
    assert sum("won't happen right now" in m["text"] for m in mail if ada in str(m["to"])) == 1
    assert not any(m["cc"] for m in mail)  # no introduction went out
    return re.sub(r"https?://\S+", "URL", closing["text"].replace(ada, "ADA")), heading


def test_every_no_reads_the_same_to_the_requester_and_names_nobody(page, server):
    texts = {}
    for who, heading in [
        ("connector", "You declined"),
        ("target", "You declined"),
        ("opt_out", "You won't be asked again"),
    ]:
        texts[who], shown = close_with(page, server, who)
        assert shown == heading
    assert texts["connector"] == texts["target"] == texts["opt_out"]
    assert "grace" not in texts["connector"].lower() and "declin" not in texts["connector"].lower()


def test_the_requester_can_withdraw_and_the_connector_then_sees_it_closed(page, server):
    n = len(server.outbox())
    ada = ask(page, server, target=("Alan Turing", unique("alan")))
    confirm = link_to(server, ada, n)
    decide(page, confirm, "Confirm and send")
    review = link_to(server, "grace@example.org", n, subject="Ada Lovelace")  # Grace has been asked
    decide(page, confirm, "Withdraw my request")
    assert page.get_by_role("heading", name="You withdrew this request").is_visible()

    answer = page.goto(review)
    assert answer.status == 410
    assert page.get_by_role("heading", name="This request was withdrawn").is_visible()
    assert page.locator("form").count() == 0


def test_the_form_keeps_what_was_typed_and_puts_each_error_next_to_its_field(page, server):
    page.goto(server.base + "/")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada at example")
    page.locator("#target_email").fill("alan@")
    with page.expect_navigation(), page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send request").click()
    assert answer.value.status == 422
    assert page.get_by_label("Your name").input_value() == "Ada Lovelace"
    assert page.get_by_label("Your email").input_value() == "ada at example"
    for field in ("requester_email", "connector_email", "target_name", "target_email", "blurb"):
        box = page.locator(f"#{field}")
        assert box.get_attribute("aria-invalid") == "true", field
        assert f"{field}-error" in box.get_attribute("aria-describedby"), field
        assert page.locator(f"#{field}-error").is_visible(), field
    assert page.locator("#requester_name").get_attribute("aria-invalid") is None
    page.get_by_role("link", name=re.compile("^Your email")).click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.id") == "requester_email" or page.url.endswith(
        "#requester_email"
    )
