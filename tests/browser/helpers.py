"""Driving the service as a person would: fill the request form, open links from the outbox, press buttons."""

from __future__ import annotations

import itertools
import re
import time

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
LINK = re.compile(r"http://127\.0\.0\.1:\d+/(?:link|optout)/[A-Za-z0-9_.\-]+")
BLURB = (
    "I'm Ada; I write about calculating engines and run a small study group. "
    "I'd value twenty minutes to ask how you started the Bletchley reading group."
)
# A session asks many introductions within minutes, all from 127.0.0.1 and through Grace: each test
# asks as a requester of its own, and the limits on the network, connector and target are lifted.
# The policy itself is tested elsewhere.
SERVER_ENV = {
    "REQUEST_POLICY": "anyone",
    "LIMIT_IP_HOUR": "10000",
    "LIMIT_CONNECTOR_WEEK": "10000",
    "LIMIT_TARGET_30D": "10000",
}
_serial = itertools.count(1)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def unique(label: str) -> str:
    """An address nobody else in this session uses, so per-person limits never interfere."""
    return f"{label}-{next(_serial)}-{time.monotonic_ns() % 10**9}@example.net"


def ask(
    page,
    server,
    *,
    requester=None,
    connector="grace@example.org",
    target=("Alan Turing", None),
    about="runs the Bletchley reading group",
    blurb=BLURB,
) -> str:
    """Fills in and sends the request form, as a person would; returns the requester's address."""
    requester = requester or ("Ada Lovelace", unique("ada"))
    page.goto(server.base + "/")
    page.get_by_label("Your name").fill(requester[0])
    page.get_by_label("Your email").fill(requester[1])
    page.locator("#connector_email").fill(connector)
    page.locator("#target_name").fill(target[0])
    if target[1]:
        page.locator("#target_email").fill(target[1])
    page.get_by_label("What they do (optional)").fill(about)
    page.get_by_label("Who you are, why you'd like to meet, and one ask").fill(blurb)
    with page.expect_navigation():  # the answer page has loaded before anyone looks at it
        page.get_by_role("button", name="Send request").click()
    return requester[1]


def mail_to(server, address: str, after: int, subject: str = "", count: int = 1, where=None) -> dict:
    """The newest message to `address` among those after the first `after` (whose subject holds
    `subject` and that satisfies `where`), waiting for it to arrive."""
    deadline = time.monotonic() + 30  # generous: CI machines are shared; it returns as soon as mail is there
    while time.monotonic() < deadline:
        found = [
            m
            for m in server.outbox()[after:]
            if any(address in a for a in m["to"])
            and subject.lower() in m["subject"].lower()
            and (where is None or where(m))
        ]
        if len(found) >= count:
            return found[-1]
        time.sleep(0.15)
    raise AssertionError(
        f"no mail to {address} ({subject!r}) after #{after}: "
        f"{[(m['to'], m['subject']) for m in server.outbox()[after:]]}"
    )


def links_to(
    server, address: str, after: int, kind: str = "link", subject: str = "", where=None
) -> list[str]:
    message = mail_to(server, address, after, subject, where=where)
    found = [u for u in LINK.findall(message["text"]) if f"/{kind}/" in u]
    assert found, f"no /{kind}/ link in {message['subject']!r}"
    return found


def link_to(server, address: str, after: int, kind: str = "link", subject: str = "", where=None) -> str:
    found = links_to(server, address, after, kind, subject, where)
    # A connector's footer offers pause and one-a-week before "never" on the same path: never comes last.
    return found[-1] if kind == "optout" else found[0]


def decide(page, link: str, button: str, **fields: str):
    """Opens a link from an email and presses one of its buttons; returns the page's HTTP answer."""
    page.goto(link)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    with page.expect_navigation(), page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button, exact=True).click()
    return answer.value


def settle(server, seconds: float = 1.2) -> list[dict]:
    """Gives the stream pump time to deliver anything that is due, then returns the outbox."""
    time.sleep(seconds)
    return server.outbox()


def tick(server, days: float) -> dict:
    import json

    status, _, body = server.request(
        "POST",
        "/_local/tick",
        f"days={days}".encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    assert status == 200, body
    return json.loads(body)
