"""The pages over plain HTTP: statuses a person's browser and a link scanner get, headers, size, and
that every page is self-contained (its one stylesheet allowed by hash, nothing from elsewhere)."""

from __future__ import annotations

import hashlib
import re
import time
from base64 import b64encode

import pytest

from tests.support.server import LocalServer

pytestmark = pytest.mark.e2e

# Each test asks as a requester of its own; the limits on one network and one connector are lifted.
LIMITS = {"REQUEST_POLICY": "anyone", "LIMIT_IP_HOUR": "10000", "LIMIT_CONNECTOR_WEEK": "10000"}
LINK = re.compile(r"http://127\.0\.0\.1:\d+/(?:link|optout)/[A-Za-z0-9_.\-]+")
FORM = {
    "requester_name": "Ada Lovelace",
    "requester_email": "ada@example.org",
    "connector_email": "grace@example.org",
    "target_name": "Alan Turing",
    "blurb": "I'm Ada. <b>Bold</b> claim: I'd value twenty minutes with Alan.",
}


@pytest.fixture(scope="module")
def server():
    srv = LocalServer(**LIMITS)
    yield srv
    srv.stop()


def newest(server, address: str, after: int, kind: str = "link", text: str = "") -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in reversed(server.outbox()[after:]):
            found = [u for u in LINK.findall(message["text"]) if f"/{kind}/" in u]
            if found and any(address in a for a in message["to"]) and text in message["text"]:
                return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {kind} link to {address}")


def at_consent(server, target: str) -> dict[str, str]:
    """A request sent through the form, confirmed and approved: returns its links by role."""
    n, ada = len(server.outbox()), "ada." + target.replace("@", ".at.") + "@example.org"
    assert server.post_form("/", {**FORM, "requester_email": ada, "target_email": target})[0] == 200
    links = {"requester": newest(server, ada, n)}
    assert server.post_form(links["requester"], {"decision": "confirm"})[0] == 200
    links["connector"] = newest(server, "grace@example.org", n)
    assert server.post_form(links["connector"], {"decision": "approve"})[0] == 200
    links["target"] = newest(server, target, n)
    links["optout"] = newest(server, target, n, kind="optout")
    return links


def assert_self_contained(server, headers: dict, page: str) -> None:
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["content-type"].startswith("text/html")
    assert len(page.encode()) < 10_000  # a few KB, stylesheet included
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    digest = "sha256-" + b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = headers["content-security-policy"]
    assert f"style-src '{digest}'" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert "<script" not in page
    for url in re.findall(r'(?:src|href|action)="([^"]*)"', page):
        assert url.startswith(("/", "#", "?", "data:", server.base + "/")), url  # "?lang=": this page again
    assert headers["referrer-policy"] == "no-referrer" and headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_every_form_page_is_small_self_contained_and_escapes_what_people_typed(server):
    status, headers, page = server.get("/")
    assert status == 200
    assert_self_contained(server, headers, page)
    links = at_consent(server, "escape@example.net")
    for link in (links["target"], links["optout"]):
        status, headers, page = server.get(link)
        assert status == 200 and 'method="post"' in page
        assert_self_contained(server, headers, page)
    page = server.get(links["target"])[2]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page and "<b>Bold" not in page


def test_form_errors_sit_next_to_their_fields_and_keep_the_input(server):
    status, headers, page = server.post_form(
        "/", {**FORM, "requester_email": "ada at home", "target_email": "x@", "blurb": "Hi"}
    )
    assert status == 422
    assert_self_contained(server, headers, page)
    for field in ("requester_email", "target_email", "blurb"):
        control = re.search(rf'<(?:input|textarea) id="{field}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in control and f"{field}-error" in control
        assert re.search(rf'<p class="error" id="{field}-error">\w', page), field
        assert f'href="#{field}"' in page  # and the summary at the top links to it
    assert 'value="ada at home"' in page and 'value="Ada Lovelace"' in page and ">Hi</textarea>" in page
    assert 'id="requester_name-error"' not in page


def test_links_answer_with_the_right_status_and_a_friendly_page(server):
    links = at_consent(server, "statuses@example.net")
    target = links["target"]
    assert server.request("HEAD", target)[:1] == (200,)
    bad = server.post_form(target, {"decision": "approve"})
    assert bad[0] == 400 and "That choice isn&#39;t available" in bad[2]
    assert server.post_form(target, {"decision": "accept"})[0] == 200

    status, headers, page = server.get(target)  # opened again: what was decided, no form
    assert status == 200 and "You said yes" in page and "<form" not in page  # a success, not a dead link
    assert_self_contained(server, headers, page)
    status, _, page = server.post_form(target, {"decision": "decline"})
    assert status == 409 and "Nothing changed" in page and "You said yes" in page

    tampered = target[:-6] + "AAAAAA"
    for link in (tampered, server.base + "/link/short", server.base + "/optout/x.y"):
        status, headers, page = server.get(link)
        assert status == 404 and "This link doesn&#39;t work" in page, link
        assert_self_contained(server, headers, page)
    assert server.post_form(tampered, {"decision": "accept"})[0] == 404


def test_the_connector_sees_errors_inline_and_a_private_decline_note_is_kept_apart(server):
    n, ada = len(server.outbox()), "ada-private-note@example.net"
    assert (
        server.post_form("/", {**FORM, "requester_email": ada})[0] == 200
    )  # no address for Alan: Grace adds it
    assert server.post_form(newest(server, ada, n), {"decision": "confirm"})[0] == 200
    review = newest(server, "grace@example.org", n)
    status, _, page = server.post_form(
        review, {"decision": "approve", "target_email": "alan@", "note": "Hello Alan"}
    )
    assert status == 422 and 'id="target_email-error"' in page
    assert 'value="alan@"' in page and ">Hello Alan</textarea>" in page
    assert page.count('name="note"') == 2  # the private note is its own field, left empty
    assert re.search(r'<textarea id="private_note" name="note"[^>]*></textarea>', page)
    status, _, page = server.post_form(review, {"decision": "decline", "note": "Alan is swamped"})
    assert status == 200 and "never learns who said no" in page
    time.sleep(1)
    assert not any("Alan is swamped" in m["text"] for m in server.outbox()[n:])


def test_one_click_unsubscribe_and_expired_links(server):
    links = at_consent(server, "expiring@example.net")
    status, _, page = server.request(
        "POST",
        links["optout"],
        b"List-Unsubscribe=One-Click",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and "You won&#39;t be asked again" in page
    assert server.get(links["optout"])[0] == 200  # their own answer stands

    # Last in this module: moves the server's clock past every link's lifetime.
    server.request(
        "POST",
        "/_local/tick",
        b"days=61",
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    status, headers, page = server.get(links["requester"])
    assert status == 410 and "This link has expired" in page and "<form" not in page
    assert_self_contained(server, headers, page)
    assert server.post_form(links["requester"], {"decision": "withdraw"})[0] == 410
