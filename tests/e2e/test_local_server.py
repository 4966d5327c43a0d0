"""End to end, as a newcomer runs it: the local server over HTTP, links read out of the outbox."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.support.server import LocalServer

pytestmark = pytest.mark.e2e

LINK = re.compile(r"http://127\.0\.0\.1:\d+/(?:link|optout)/[A-Za-z0-9_.\-]+")


@pytest.fixture(scope="module")
def server():
    srv = LocalServer(LIMIT_CONFIRM_DAY="50")  # Ada asks many times a day here, each confirmed at once
    yield srv
    srv.stop()


def ask(
    server,
    target_email: str | None,
    requester=("Ada Lovelace", "ada@example.org"),
    connector="grace@example.org",
):
    # Unique per request; a name may not hold an @, which mail programs would read as an address.
    target = {"name": f"Target {(target_email or str(time.monotonic_ns())).replace('@', ' at ')}"}
    if target_email:
        target["email"] = target_email
    status, _, body = server.post_json(
        "/intros",
        {
            "requester": {"name": requester[0], "email": requester[1]},
            "connector_email": connector,
            "target": target,
            "blurb": "I'm Ada; I write about engines and would value twenty minutes of your time.",
        },
    )
    assert status == 202, body
    return target["name"]


def newest_link(server, address: str, before: int, kind: str = "link") -> str:
    mail = server.wait_for_mail(before + 1)
    for message in reversed(mail[before:]):
        if any(address in a for a in message["to"]):
            links = [u for u in LINK.findall(message["text"]) if f"/{kind}/" in u]
            if links:
                return links[0]
    raise AssertionError(f"no {kind} link to {address} in {[m['subject'] for m in mail[before:]]}")


def closing_mail(server, before: int, target: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            m
            for m in server.outbox()[before:]
            if m["subject"].strip() == f"Your introduction request to {target}"
        ]  # a folded subject may lead with a space
        if found:
            assert len(found) == 1
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no closing mail about {target}")


def confirm(server, before: int, requester="ada@example.org") -> None:
    link = newest_link(server, requester, before)
    status, _, page = server.get(link)
    assert status == 200 and 'value="confirm"' in page
    assert server.post_form(link, {"decision": "confirm"})[0] == 200


def test_introduction_happy_path_over_http(server):
    n = len(server.outbox())
    ask(server, None)  # the connector supplies the target's address
    confirm_link = newest_link(server, "ada@example.org", n)
    for _ in range(3):  # a link scanner fetching the page changes nothing
        assert server.get(confirm_link)[0] == 200
        assert server.request("HEAD", confirm_link)[0] == 200
    assert len(server.outbox()) == n + 1
    assert server.post_form(confirm_link, {"decision": "confirm"})[0] == 200

    review = newest_link(server, "grace@example.org", n + 1)
    status, _, page = server.post_form(review, {"decision": "approve", "target_email": "not-an-address"})
    assert status == 422 and "email address" in page
    assert (
        server.post_form(
            review, {"decision": "approve", "target_email": "alan@example.net", "note": "Hi Alan"}
        )[0]
        == 200
    )

    consent = newest_link(server, "alan@example.net", n + 2)
    status, _, page = server.get(consent)
    assert status == 200 and all(f'value="{v}"' in page for v in ("accept", "decline", "opt_out"))
    assert server.post_form(consent, {"decision": "accept"})[0] == 200

    mail = server.wait_for_mail(n + 4)
    intro = mail[-1]
    assert any("ada@example.org" in a for a in intro["to"]) and any(
        "alan@example.net" in a for a in intro["to"]
    )
    assert any("grace@example.org" in a for a in intro["cc"])
    # Final: every link now shows what happened, with no form, and a second decision is refused.
    status, _, page = server.get(consent)
    assert status == 200 and "You said yes" in page and "<form" not in page
    assert server.post_form(consent, {"decision": "decline"})[0] == 409
    time.sleep(1)
    assert len(server.outbox()) == n + 4


@pytest.mark.parametrize("who", ["connector", "target", "target_opt_out"])
def test_every_decline_ends_with_the_same_neutral_mail(server, who):
    n = len(server.outbox())
    address = f"{who}-{time.monotonic_ns()}@example.net"
    target = ask(server, address)
    confirm(server, n)
    review = newest_link(server, "grace@example.org", n + 1)
    if who == "connector":
        assert server.post_form(review, {"decision": "decline", "note": "Not a fit"})[0] == 200
    else:
        assert server.post_form(review, {"decision": "approve"})[0] == 200
        consent = newest_link(server, address, n + 2)
        assert (
            server.post_form(consent, {"decision": "opt_out" if who == "target_opt_out" else "decline"})[0]
            == 200
        )
    server.wait_for_mail(n + (2 if who == "connector" else 3))
    assert not [
        m for m in server.outbox()[n:] if m["subject"].strip() == f"Your introduction request to {target}"
    ]
    # The requester is told at one moment, two expiry periods after confirming, whoever said no.
    server.request("POST", "/_local/tick", b"days=21", {"Content-Type": "application/x-www-form-urlencoded"})
    close = closing_mail(server, n, target)
    assert close["to"] == ["Ada Lovelace <ada@example.org>"]
    assert "won't happen right now" in close["text"]
    neutral = LINK.sub(
        "TOKEN", close["text"].replace(target, "TARGET")
    )  # each mail has its own opt-out token
    assert "decline" not in neutral.lower() and "grace" not in neutral.lower()
    expected = getattr(test_every_decline_ends_with_the_same_neutral_mail, "seen", neutral)
    test_every_decline_ends_with_the_same_neutral_mail.seen = neutral
    assert neutral == expected  # connector's no and target's no read the same


def test_non_member_connector_is_told_politely_and_nobody_else_is_mailed(server):
    n = len(server.outbox())
    ask(server, "someone@example.net", connector="stranger@example.com")
    confirm(server, n)
    mail = server.wait_for_mail(n + 2)
    time.sleep(1)
    mail = server.outbox()
    assert len(mail) == n + 2
    assert mail[-1]["to"] == ["Ada Lovelace <ada@example.org>"]
    assert "couldn't pass on" in mail[-1]["subject"]


def test_withdraw_before_the_connector_answers(server):
    n = len(server.outbox())
    ask(server, "withdrawn@example.net")
    confirm(server, n)
    review = newest_link(server, "grace@example.org", n + 1)
    confirm_link = newest_link(server, "ada@example.org", n)
    assert server.post_form(confirm_link, {"decision": "withdraw"})[0] == 200
    status, _, page = server.get(review)
    assert status == 410 and "withdr" in page
    assert server.post_form(review, {"decision": "approve"})[0] == 409
    time.sleep(1)
    assert len(server.outbox()) == n + 2  # nobody else was bothered


def test_bad_links_and_bad_input_get_clear_answers(server):
    assert server.get("/link/nope")[0] == 404
    status, headers, page = server.get("/link/AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
    assert status == 404 and "text/html" in headers["Content-Type"] and "Traceback" not in page
    status, _, body = server.post_json(
        "/intros", {"requester": {"name": "A\r\nBcc: x@evil.test", "email": "a@b.c"}}
    )
    assert status == 422 and '"errors"' in body


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/intros", "POST"),
        ("DELETE", "/link/abc.def", "GET, HEAD, POST"),
        ("PATCH", "/", "GET, POST"),
        ("OPTIONS", "/optout/abc.def", "GET, HEAD, POST"),
        ("BREW", "/nowhere", "GET, HEAD, POST"),
    ],
)
def test_a_method_the_api_does_not_take_gets_405_with_allow(server, method, path, allow):
    status, headers, body = server.request(method, path, b"{}" if method == "PUT" else None)
    assert status == 405 and headers["Allow"] == allow
    assert json.loads(body)["allow"] == allow
    assert server.get("/_local/outbox.json")[0] == 200  # the same connection pool still works after it
