"""The services against the unit of work in memory (tests/support/memory.py): each test runs in
milliseconds, with the same conditions the table enforces."""

from __future__ import annotations

import re

import pytest

from tests.support.memory import MemoryMailer, MemoryStore
from warm_intro.api import IntroRequest
from warm_intro.domain.delivery import pending
from warm_intro.domain.model import Intro
from warm_intro.services import intake, links, scheduler, sending, signin
from warm_intro.settings import Settings

START = 1_790_000_000
ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.net"
LINK = re.compile(r"https://intros\.example\.org/(?:link|optout)/[A-Za-z0-9_.\-]+")


class Office:
    """One organisation's service in memory: the store, SES, the settings and a clock."""

    def __init__(self, **settings):
        self.settings = Settings(
            table_name="intros",
            base_url="https://intros.example.org",
            org_name="Bletchley Circle",
            sender="intros@example.org",
            hash_key="test-hash-key-not-secret-0123456789",
            **settings,
        )
        self.store = MemoryStore(self.settings.timings)
        self.mailer = MemoryMailer()
        self.now = START
        for email, name in ((GRACE, "Grace Hopper"), (ADA, "Ada Lovelace")):
            self.store.put_member(email, name)

    def advance(self, days: float) -> None:
        self.now += int(days * 86400)

    def ask(
        self, target_email: str | None = ALAN, source: str = "192.0.2.1", target: str = "Alan Turing"
    ) -> Intro:
        request = IntroRequest.model_validate(
            {
                "requester": {"name": "Ada Lovelace", "email": ADA},
                "connector_email": GRACE,
                "target": {"name": target, "email": target_email, "about": "reading group"},
                "blurb": "I'd love 20 minutes to ask Alan about his reading group.",
            }
        )
        return intake.submit(self.store, self.settings, request, self.now, "api", source)

    def deliver(self) -> int:
        """What the stream and the notifier do: every sign-in ask and pending message, until none is left."""
        sent = 0
        for ask in list(self.store.stored.signin_asks.values()):
            sent += signin.send_link(self.store, self.mailer, self.settings, ask, self.now)
        while waiting := [(i, k) for i in self.store.stored.intros.values() for k in pending(i)]:
            for intro, kind in waiting:
                sending.deliver(self.store, self.mailer, self.settings, intro, kind, self.now)
                sent += 1
        return sent

    def link(self, address: str) -> str:
        texts = [m.get_body(("plain",)).get_content() for m in self.mailer.to(address)]
        found = [u for text in texts for u in LINK.findall(text) if "/link/" in u]
        assert found, f"no link mailed to {address}"
        return found[-1].rsplit("/", 1)[1]

    def answer(self, address: str, decision: str, **fields) -> Intro:
        token = self.link(address)
        return links.answer(
            self.store, self.settings, token, decision, self.now, via="page:v1", **fields
        ).intro

    def tick(self) -> scheduler.RunReport:
        return scheduler.run_due(self.store, self.now, hash_key=self.settings.hash_key)

    def awaiting_connector(self) -> Intro:
        intro = self.ask()
        self.deliver()
        self.answer(ADA, "confirm")
        self.deliver()
        return self.store.get(intro.id)

    def awaiting_target(self) -> Intro:
        intro = self.awaiting_connector()
        self.answer(GRACE, "approve")
        self.deliver()
        return self.store.get(intro.id)


@pytest.fixture
def office() -> Office:
    return Office()
