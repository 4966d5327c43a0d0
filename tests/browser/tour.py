"""A walk past every page a person can land on, in the state worth seeing. `tour` drives the browser
and yields each page's name while the page is showing, so callers can check it or photograph it.
Near the end it moves the server's clock 69 days ahead (follow-up and expiry need time to pass)."""

from __future__ import annotations

from collections.abc import Iterator

from .helpers import ask, decide, link_to, links_to, mail_to, tick, unique

PAGES = [
    "request-form",
    "about",
    "request-form-errors",
    "request-sent",
    "confirm",
    "confirmed",
    "review",
    "connector-pause",
    "connector-weekly",
    "review-errors",
    "approved",
    "consent",
    "consent-ready",
    "optout",
    "introduced",
    "already-answered",
    "declined-requester",
    "invalid-link",
    "followup",
    "lapsed",
    "expired",
]


def tour(page, server, requesters: tuple[str, str, str] | None = None) -> Iterator[str]:
    page.goto(server.base + "/")
    yield "request-form"

    page.get_by_role("link", name="About this service and your data").click()
    yield "about"
    page.goto(server.base + "/")

    page.locator("#requester_email").fill("ada at example")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    yield "request-form-errors"

    requester, declined_requester, late_requester = requesters or (unique("ada"), unique("kj"), unique("dv"))
    n = len(server.outbox())
    ask(page, server, requester=("Ada Lovelace", requester))
    yield "request-sent"

    ask(
        page,
        server,
        requester=("Katherine Johnson", declined_requester),
        target=("Alan Turing", unique("alan")),
    )
    ask(
        page, server, requester=("Dorothy Vaughan", late_requester)
    )  # left unconfirmed until its link expires

    confirm = link_to(server, requester, n)
    page.goto(confirm)
    yield "confirm"

    decide(page, confirm, "Confirm and send")
    yield "confirmed"

    review = link_to(server, "grace@example.org", n, subject="Ada Lovelace")
    page.goto(review)
    yield "review"

    pause, weekly, _never = links_to(server, "grace@example.org", n, "optout", subject="Ada Lovelace")
    page.goto(pause)  # the footer's "too many asks?" choices: each page asks before it acts
    yield "connector-pause"
    page.goto(weekly)
    yield "connector-weekly"

    decide(page, review, "Approve and ask Alan Turing", **{"Alan Turing's email": "alan at bletchley"})
    yield "review-errors"

    target = unique("alan")
    page.get_by_label("Alan Turing's email").fill(target)
    page.get_by_label("A note to Alan Turing (optional)").fill("Alan, Ada is thoughtful and brief. Grace")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and ask Alan Turing").click()
    yield "approved"

    consent = link_to(server, target, n)
    page.goto(consent)
    yield "consent"

    page.goto(consent + "?choice=accept")  # the email's "Yes" link: the answer ready, not yet given
    yield "consent-ready"

    page.goto(link_to(server, target, n, kind="optout"))
    yield "optout"

    decide(page, consent, "Yes, introduce us")
    yield "introduced"
    mail_to(
        server, target, n, where=lambda m: m["cc"]
    )  # the introduction is out: the follow-up is due from it

    page.goto(consent)
    yield "already-answered"

    mary_confirm = link_to(server, declined_requester, n)
    decide(page, mary_confirm, "Confirm and send")
    decide(page, link_to(server, "grace@example.org", n, subject="Katherine Johnson"), "Decline")
    page.goto(mary_confirm)
    yield "declined-requester"

    page.goto(confirm.rsplit(".", 1)[0] + ".ThisIsNotTheSecretThisIsNotTheSecret00")
    yield "invalid-link"

    late_confirm = link_to(server, late_requester, n)
    tick(server, days=8)
    page.goto(link_to(server, requester, n, subject="connect"))
    yield "followup"

    page.goto(late_confirm)
    yield "lapsed"

    tick(server, days=61)  # past every link's lifetime
    page.goto(consent)
    yield "expired"
