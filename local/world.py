"""A whole deployment in one process: moto as AWS, the template's table, the handlers behind a
local gateway, the stream pumped into the notifier, and a clock the caller moves. The tests and the
benchmark both walk introductions through it."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from warm_intro import runtime
from warm_intro.adapters.agreements import Agreements

from . import aws, outbox
from .gateway import Answer, Gateway
from .lambdas import invoke
from .stream import StreamPump

START = 1_790_000_000  # a fixed moment (2026-09-21) so a walk never depends on the real clock

MEMBERS = [
    ("grace@example.org", "Grace Hopper"),
    ("katherine@example.org", "Katherine Johnson"),
    ("ada@example.org", "Ada Lovelace"),
]
LINK = re.compile(r"https://intros\.example\.org/(?:link|optout)/[A-Za-z0-9_.\-]+")

REQUEST = {
    "requester": {"name": "Ada Lovelace", "email": "ada@example.org"},
    "connector_email": "grace@example.org",
    "target": {
        "name": "Alan Turing",
        "email": "alan@example.net",
        "about": "runs the Bletchley reading group",
    },
    "blurb": "I'm Ada, I write about computing engines. I'd love 20 minutes to ask Alan about his reading group.",
}


class World:
    def __init__(self, clock: list[int]):
        self.clock = clock
        self.settings = runtime.settings()
        aws.create_resources(self.settings.table_name, self.settings.sender)
        for email, name in MEMBERS:
            runtime.repository().put_member(email, name)
            Agreements(runtime.repository()).record(email, clock[0], "demo")  # happy to be asked
        self.gateway = Gateway()
        self.pump_ = StreamPump(
            aws.stream_arn(self.settings.table_name),
            dead_letter_url=aws.dead_letter_queue(self.settings.table_name),
        )

    # time ----------------------------------------------------------------------------------------
    @property
    def now(self) -> int:
        return self.clock[0]

    def advance(self, days: float = 0, hours: float = 0, seconds: float = 0) -> None:
        self.clock[0] += int(days * 86400 + hours * 3600 + seconds)

    # HTTP ------------------------------------------------------------------------------------------
    def request(self, method: str, url: str, **kwargs) -> Answer:
        parts = urlsplit(url)
        return self.gateway.request(method, parts.path or "/", query=parts.query, **kwargs)

    def get(self, url: str) -> Answer:
        return self.request("GET", url)

    def post_form(self, url: str, data: dict[str, str]) -> Answer:
        headers = {"content-type": "application/x-www-form-urlencoded"}
        return self.request("POST", url, headers=headers, body=urlencode(data).encode())

    def post_json(self, url: str, body: bytes | str, source_ip: str = "192.0.2.1") -> Answer:
        raw = body.encode() if isinstance(body, str) else body
        return self.request(
            "POST", url, headers={"content-type": "application/json"}, body=raw, source_ip=source_ip
        )

    def ask(self, **changes) -> Answer:
        import json

        return self.post_json("/intros", json.dumps({**REQUEST, **changes}))

    # mail and time-driven work ---------------------------------------------------------------------
    def deliver(self) -> int:
        """Runs the stream into the notifier until nothing new arrives."""
        total = 0
        while n := self.pump_.pump():
            total += n
        return total

    def tick(self) -> dict:
        return invoke("SchedulerFunction", {"source": "aws.scheduler"})

    def mail(self) -> list[dict]:
        return outbox.messages()

    def mail_to(self, address: str) -> list[dict]:
        return [m for m in self.mail() if any(address in a for a in m["to"] + m["cc"])]

    def last_link(self, address: str, kind: str = "link") -> str:
        links = [u for m in self.mail_to(address) for u in LINK.findall(m["text"]) if f"/{kind}/" in u]
        assert links, f"no {kind} link mailed to {address}"
        return links[-1]

    def intro(self, intro_id: str):
        return runtime.repository().get(intro_id)
