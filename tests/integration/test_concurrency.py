"""Many people (or one impatient person) pressing the same link at once: every racer reads the same
version before any writes, exactly one decision lands, the rest get a clear answer, and each email
goes out once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from warm_intro import runtime
from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.errors import AlreadyDecided, Conflict
from warm_intro.domain.model import State
from warm_intro.services import links

from .steps import ALAN, GRACE, awaiting_connector, awaiting_target
from .test_scheduler_runs import atomic_writes

RACERS = 8


class Together(Repository):
    """Holds each racer's first read until all of them have read, so all decide from one version."""

    def __init__(self, base: Repository, barrier: threading.Barrier):
        super().__init__(base.client, base.table, base.timings)
        self.barrier, self.waited = barrier, False

    def begin(self, now, known=()):
        unit = super().begin(now, known)
        read = unit.intros.get

        def get(intro_id):
            intro = read(intro_id)
            if not self.waited:
                self.waited = True
                self.barrier.wait(timeout=10)
            return intro

        unit.intros.get = get
        return unit


def race(world, token: str, decisions: list[str]) -> list[str]:
    barrier = threading.Barrier(len(decisions))

    def one(decision: str) -> str:
        repo = Together(runtime.repository(), barrier)
        try:
            links.answer(repo, runtime.settings(), token, decision, world.now, via="page:v1")
            return "done"
        except (AlreadyDecided, Conflict) as error:
            return type(error).__name__

    with ThreadPoolExecutor(len(decisions)) as pool:
        return list(pool.map(one, decisions))


@pytest.mark.parametrize("decisions", [["approve"] * RACERS, ["approve", "decline"] * (RACERS // 2)])
def test_parallel_decisions_on_one_link_make_one_transition_and_one_set_of_emails(
    world, monkeypatch, decisions
):
    atomic_writes(monkeypatch)
    intro_id = awaiting_connector(world)
    token = world.last_link(GRACE).rsplit("/", 1)[1]
    version = world.intro(intro_id).version
    outcomes = race(world, token, decisions)
    assert outcomes.count("done") == 1
    assert set(outcomes) - {"done"} <= {"AlreadyDecided", "Conflict"}
    intro = world.intro(intro_id)
    assert intro.version > version
    assert [e.action for e in intro.history].count("approve") + [e.action for e in intro.history].count(
        "decline"
    ) == 1
    world.deliver()
    if intro.state is State.AWAITING_TARGET:
        assert len(world.mail_to(ALAN)) == 1
    else:
        assert intro.state is State.DECLINED and world.mail_to(ALAN) == []
    assert world.deliver() == 0


def test_parallel_accepts_send_one_introduction(world, monkeypatch):
    atomic_writes(monkeypatch)
    intro_id = awaiting_target(world)
    token = world.last_link(ALAN).rsplit("/", 1)[1]
    assert race(world, token, ["accept"] * RACERS).count("done") == 1
    world.deliver()
    assert world.intro(intro_id).state is State.INTRODUCED
    assert sum(m["subject"].startswith("Introduction:") for m in world.mail()) == 1
