"""Walks introductions through the real handlers against moto, one tally per lifecycle step:
the completed introduction, and every way one ends without an introduction."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from moto import mock_aws

from local.world import START, World
from warm_intro import runtime

from .meter import Meter, Tally

REQUESTER, CONNECTOR, TARGET = "ada@example.org", "grace@example.org", "alan@example.net"


class Walk:
    """One introduction's steps, each tallied; `world` is the whole deployment in this process."""

    def __init__(self, meter: Meter, world: World):
        self.meter, self.world = meter, world
        self.steps: list[tuple[str, Tally]] = []
        self.statuses: list[tuple[str, int]] = []

    def step(self, name: str, action: Callable[[], object], expect: int | None = None):
        tally = Tally(at=self.world.now)
        with self.meter.step(tally):
            result = action()
        if expect is not None:
            assert result.status == expect, f"{name}: {result.status} {result.text[:300]}"
        self.steps.append((name, tally))
        return result

    def deliver(self, what: str) -> None:
        self.step(f"notifier: {what}", self.world.deliver)

    def tick(self, what: str, days: float) -> None:
        self.world.advance(days=days)
        self.step(f"scheduler: {what}", self.world.tick)

    def view(self, who: str, address: str) -> str:
        link = self.world.last_link(address)
        self.step(f"{who} page view", lambda: self.world.get(link), 200)
        return link

    def decide(self, name: str, link: str, decision: str, **form) -> None:
        self.step(name, lambda: self.world.post_form(link, {"decision": decision, **form}), 200)

    # the shared beginning: asked, confirmed, connector asked
    def to_connector(self) -> str:
        self.step("request", self.world.ask, 202)
        self.deliver("confirm_request")
        link = self.view("confirm", REQUESTER)
        self.decide("confirm", link, "confirm")
        self.deliver("connector_ask")
        return self.view("connector", CONNECTOR)

    def to_target(self) -> str:
        link = self.to_connector()
        self.decide("approve", link, "approve", note="You two will get on.")
        self.deliver("target_ask")
        return self.view("target", TARGET)


def completed(walk: Walk) -> None:
    link = walk.to_target()
    walk.decide("accept", link, "accept")
    walk.deliver("introduction")
    walk.tick("follow-up due (7 days on)", 7.01)
    walk.deliver("followup")


def connector_declines(walk: Walk) -> None:
    walk.decide("decline", walk.to_connector(), "decline")
    walk.deliver("closed")


def target_declines(walk: Walk) -> None:
    walk.decide("decline", walk.to_target(), "decline")
    walk.deliver("closed")


def target_opts_out(walk: Walk) -> None:
    walk.decide("opt out", walk.to_target(), "opt_out")
    walk.deliver("closed")


def connector_never_answers(walk: Walk) -> None:
    walk.to_connector()
    walk.tick("reminder due (4 days on)", 4.01)
    walk.deliver("connector_reminder")
    walk.tick("expiry due (10 days after the ask)", 6.01)
    walk.deliver("closed")


PATHS = {
    "completed": completed,
    "connector declines": connector_declines,
    "target declines": target_declines,
    "target opts out": target_opts_out,
    "expires unanswered": connector_never_answers,
}


@contextmanager
def deployment():
    """A fresh moto account with the template's table, the members, and a clock the walk moves."""
    clock = [START]
    real_now = runtime.now
    runtime.now = lambda: clock[0]
    try:
        with mock_aws():
            runtime.reset()
            yield World(clock)
    finally:
        runtime.reset()
        runtime.now = real_now


def walk(meter: Meter, path: str) -> Walk:
    with deployment() as world:
        w = Walk(meter, world)
        meter.left.clear()
        PATHS[path](w)
        if path == "completed":
            w.duplicates = replay_check(meter, w)
        w.stored_bytes = stored_bytes(meter)
        return w


def stored_bytes(meter: Meter) -> int:
    """What the walk left in the table (the introduction, its ledgers, index entries and counters), in
    DynamoDB's bytes: every item its steps wrote, as last written."""
    return sum(meter.left.values())


def idle_run(meter: Meter) -> Tally:
    """One scheduler run with nothing due: what every five minutes of a quiet month costs."""
    with deployment() as world:
        tally = Tally(at=world.now)
        with meter.step(tally):
            world.tick()
        return tally


def replay_check(meter: Meter, w: Walk) -> Tally:
    """Lambda delivers stream records at least once: the last batch, delivered again, sends nothing."""
    from local.lambdas import invoke

    event = meter.last_event["NotifierFunction"]
    tally = Tally()
    with meter.step(tally):
        invoke("NotifierFunction", event)
    return tally
