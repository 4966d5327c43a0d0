"""Members' home end to end over HTTP against the local server: sign in from the outbox, each list,
each setting's effect on the next ask (a pause, never ask me again, a weekly limit), the download,
erasure ending the session."""

from __future__ import annotations

import calendar
import http.client
import json
import re
import time
from urllib.parse import urlencode

import pytest

from tests.support.server import LocalServer
from warm_intro.domain.note_coach import fingerprint
from warm_intro.views.wording import day

pytestmark = pytest.mark.e2e

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/me/signin/[A-Za-z0-9_\-]+")
LINK = re.compile(r"http://127\.0\.0\.1:\d+/link/[A-Za-z0-9_.\-]+")
ADA, GRACE, DOROTHY = "ada@example.org", "grace@example.org", "dorothy@example.org"


@pytest.fixture(scope="module")
def server():
    srv = LocalServer(LIMIT_CONFIRM_DAY="50")
    yield srv
    srv.stop()


class Client:
    """A browser's part that matters here: one cookie, no redirects followed."""

    def __init__(self, server: LocalServer):
        self.server, self.cookie = server, None

    def send(self, method: str, path: str, fields: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        answer = conn.getresponse()
        text = answer.read().decode()
        headers = {k.lower(): v for k, v in answer.getheaders()}
        if "set-cookie" in headers:
            pair = headers["set-cookie"].split(";", 1)[0]
            self.cookie = None if pair.endswith("=") else pair
        conn.close()
        return answer.status, headers, text

    def csrf(self, path: str = "/me") -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.send("GET", path)[2]).group(1)

    def sign_in(self, email: str) -> dict:
        before = len(self.server.outbox())
        status, _, first = self.send("POST", "/me", {"email": email})
        assert status == 200 and "Check your email" in first
        path = newest(self.server, email, before, SIGNIN)  # mailed by the notifier, from the stream
        assert self.send("GET", path)[0] == 200  # opening it spends nothing
        status, headers, _ = self.send("POST", path)
        assert status == 303 and headers["location"] == "/me"
        return headers


def newest(server, address: str, before: int, pattern=LINK) -> str:
    """The newest link matching `pattern` mailed to `address` since `before`, waiting for it a while."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in reversed(server.outbox()[before:]):
            if any(address in a for a in message["to"]) and (found := pattern.findall(message["text"])):
                return found[0].split(str(server.port), 1)[1]
        time.sleep(0.2)
    raise AssertionError(f"nothing to {address}")


def request(server, target: str, connector: str = GRACE, requester: str = "Ada Lovelace") -> None:
    email = f"{requester.split()[0].lower()}@example.org"
    before = len(server.outbox())
    status, _, _ = server.post_json(
        "/intros",
        {
            "requester": {"name": requester, "email": email},
            "connector_email": connector,
            "target": {"name": target, "email": f"{target.split()[0].lower()}@example.net"},
            "blurb": "I'm Ada; I write about engines and would value twenty minutes of your time.",
        },
    )
    assert status == 202
    link = newest(server, email, before)
    before = len(server.outbox())
    assert server.post_form(link, {"decision": "confirm"})[0] == 200


def settled(server) -> None:
    """Waits until the stream has carried everything written so far: a new request's confirmation mail
    comes through the same (local, single-shard) stream after them."""
    newcomer = f"newcomer{len(server.outbox())}@example.net"
    before = len(server.outbox())
    body = {
        "requester": {"name": "Mary Jackson", "email": newcomer},
        "connector_email": "katherine@example.org",
        "target": {"name": "Annie Easley", "email": "annie@example.net"},
        "blurb": "I'm Mary; I build wind tunnels and would value twenty minutes on your work.",
    }
    assert server.post_json("/intros", body)[0] == 202
    newest(server, newcomer, before)


def asks_to(server, address: str, since: int) -> list[str]:
    return [m["subject"] for m in server.outbox()[since:] if address in m["to"][0]]


def test_sign_in_see_the_lists_answer_from_home_and_the_cookie_is_http_only_and_lax(server):
    request(server, "Alan Turing")
    grace = Client(server)
    headers = grace.sign_in(GRACE)
    flags = {f.strip() for f in headers["set-cookie"].split(";")[1:]}
    assert flags == {"Path=/", "Max-Age=604800", "HttpOnly", "SameSite=Lax"}  # plain http here: no Secure
    deadline = time.monotonic() + 20
    while "asks you to introduce them to Alan Turing" not in (page := grace.send("GET", "/me")[2]):
        assert time.monotonic() < deadline, page
        time.sleep(0.3)
    intro = re.search(r'action="/me/open/([^"]+)"', page).group(1)
    status, headers, _ = grace.send("POST", f"/me/open/{intro}", {"csrf": grace.csrf(), "role": "connector"})
    assert status == 303 and headers["location"].startswith(f"/link/{intro}.")
    assert server.post_form(headers["location"], {"decision": "approve"})[0] == 200
    assert "Thank you for approving" in grace.send("GET", "/me")[2]
    ada = Client(server)
    ada.sign_in(ADA)
    assert "On its way" in ada.send("GET", "/me")[2]
    evil = grace.send("POST", "/me/signout", {"csrf": grace.csrf()}, {"Origin": "https://evil.example"})
    assert evil[0] == 403
    assert grace.send("POST", "/me/signout", {"csrf": grace.csrf()})[0] == 303
    assert "Sign in to your introductions" in grace.send("GET", "/me")[2]


def test_a_pause_set_at_home_holds_the_next_ask_then_download_and_erase(server):
    grace = Client(server)
    grace.sign_in(GRACE)
    until = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 5 * 86400))
    saved = grace.send("POST", "/me/settings", {"csrf": grace.csrf(), "action": "pause", "until": until})
    shown = day(calendar.timegm(time.strptime(until, "%Y-%m-%d")))  # e.g. "Friday 4 December"
    assert saved[0] == 200 and f"Asks are paused until {shown}." in saved[2]
    before = len(server.outbox())
    request(server, "Joan Clarke")
    time.sleep(2)  # the stream pump would have sent the ask by now
    assert not [m for m in server.outbox()[before:] if "Joan Clarke" in m["subject"]]
    status, headers, body = grace.send("GET", "/me/data")
    assert status == 200 and headers["content-disposition"].startswith("attachment")
    assert json.loads(body)["preferences"]["paused_until"] > time.time()
    cookie = grace.cookie
    erased = grace.send("POST", "/me/erase", {"csrf": grace.csrf("/me/erase"), "confirm": "erase"})
    assert erased[0] == 200 and grace.cookie is None
    stale = Client(server)
    stale.cookie = cookie
    assert "Sign in to your introductions" in stale.send("GET", "/me")[2]
    before = len(server.outbox())
    Client(server).send("POST", "/me", {"email": GRACE})
    Client(server).send("POST", "/me", {"email": ADA})  # asked after Grace: its link means hers was decided
    newest(server, ADA, before, SIGNIN)
    assert not [m for m in server.outbox()[before:] if GRACE in m["to"][0]]  # not known any more


def test_a_member_opts_into_the_directory_and_a_request_picked_from_it_reaches_them(server):
    katherine = "katherine@example.org"
    listed = Client(server)
    listed.sign_in(katherine)
    line = {"csrf": listed.csrf(), "action": "findable", "line": "NASA, orbital mechanics"}
    assert "You're listed" in listed.send("POST", "/me/settings", line)[2]
    ada = Client(server)
    ada.sign_in(ADA)
    status, _, page = ada.send("GET", "/?find=Orbital")
    assert status == 200 and "Katherine Johnson" in page and katherine not in page
    (entry,) = re.findall(r'name="connector_id" id="pick-\d+" value="([0-9a-f]{32})"', page)
    note = "I'm Ada; I write about engines and would value twenty minutes of Dorothy's time on orbits."
    before = len(server.outbox())
    status, _, sent = ada.send(
        "POST",
        "/",
        {
            "csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1),
            "requester_name": "Ada Lovelace",
            "requester_email": ADA,
            "connector_id": entry,
            "connector_email": "",
            "target_name": "Dorothy Vaughan",
            "blurb": note,
            "coached": fingerprint(note),  # sent as written, whatever the coach would say
        },
    )
    assert status == 200 and "Your request is on its way" in sent, sent
    ask = newest(server, katherine, before)  # asked at once: the session proved Ada's address
    assert ask.startswith("/link/")
    assert katherine not in ada.send("GET", "/me")[2]


def test_never_ask_me_again_and_a_weekly_limit_set_at_home_shape_the_next_asks(server):
    dorothy = Client(server)
    dorothy.sign_in(DOROTHY)
    assert dorothy.send("POST", "/me/settings", {"csrf": dorothy.csrf(), "action": "never"})[0] == 200
    before = len(server.outbox())
    request(server, "Christine Darden", DOROTHY, "Katherine Johnson")
    settled(server)
    assert asks_to(server, DOROTHY, before) == []  # opted out: the ask never goes out
    assert dorothy.send("POST", "/me/settings", {"csrf": dorothy.csrf(), "action": "ask_again"})[0] == 200
    limit = {"csrf": dorothy.csrf(), "action": "limit", "week_limit": "1"}
    assert dorothy.send("POST", "/me/settings", limit)[0] == 200
    before = len(server.outbox())
    request(server, "Mary Winston", DOROTHY, "Katherine Johnson")
    assert newest(server, DOROTHY, before).startswith("/link/")  # asked again, once
    request(server, "Melba Mouton", DOROTHY, "Katherine Johnson")
    settled(server)
    (ask,) = asks_to(server, DOROTHY, before)  # the second waits for next week
    assert "Mary Winston" in ask
