"""Many people (or one impatient person) pressing the same link at once: every racer reads the same
version before any writes, exactly one decision lands, the rest get a clear answer, and each email
goes out once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from warm_intro import runtime
from warm_intro.adapters.dynamodb import Repository, Writes
from warm_intro.domain.errors import AlreadyDecided, Conflict
from warm_intro.domain.model import Kind, State
from warm_intro.services import links, membership
from warm_intro_admin.cli import main

from .steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, unconfirmed
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


# A member's removal racing a decision that relies on them. The decision reads the member (consistently,
# after it read the introduction) rather than checking them in its write; the removal deletes the member
# and then writes every open introduction of theirs again, so a decision that read the member before the
# delete and writes after the removal fails its version check, and its retry reads the member gone.


def removal_before_the_first_write(monkeypatch, world, email: str) -> list[str]:
    """The whole removal of `email` (`members remove`) runs just before the next decision writes,
    after it read everything (the member included); the list says when it has."""
    attempts: list[str] = []
    real = Writes.commit

    def commit(self, client):
        if not attempts and any("Put" in s.entry for s in self.staged.values()):
            attempts.append("raced")
            settings = runtime.settings()
            membership.remove(runtime.repository(), settings.hash_key, email, world.now, policy="members")
        return real(self, client)

    monkeypatch.setattr(Writes, "commit", commit)
    return attempts


def test_removal_landing_between_a_confirms_member_read_and_its_write_fails_the_write(world, monkeypatch):
    found = unconfirmed(world)
    raced = removal_before_the_first_write(monkeypatch, world, GRACE)
    answer = world.post_form(world.last_link(ADA), {"decision": "confirm"})
    assert raced[0] == "raced" and answer.status == 200  # read again: politely refused, she is no member
    intro = world.intro(found)
    assert intro.state is State.REFUSED and Kind.CONNECTOR_ASK not in intro.outbox
    world.deliver()
    assert world.mail_to(GRACE) == []


def test_removal_landing_between_an_approvals_member_read_and_its_write_fails_the_write(world, monkeypatch):
    found = awaiting_connector(world)
    review = world.last_link(GRACE)
    raced = removal_before_the_first_write(monkeypatch, world, GRACE)
    assert world.post_form(review, {"decision": "approve"}).status in (409, 410)
    intro = world.intro(found)
    assert raced[0] == "raced" and intro.state is State.AWAITING_CONNECTOR
    assert "approve" not in [e.action for e in intro.history] and Kind.TARGET_ASK not in intro.outbox
    world.deliver()
    assert world.mail_to(ALAN) == []


def test_removal_landing_between_an_accepts_member_read_and_its_write_fails_the_write(world, monkeypatch):
    found = awaiting_target(world)
    raced = removal_before_the_first_write(monkeypatch, world, ADA)  # the requester: the policy is members
    assert world.post_form(world.last_link(ALAN), {"decision": "accept"}).status in (409, 410)
    intro = world.intro(found)
    assert raced[0] == "raced" and intro.state is State.REFUSED and Kind.INTRODUCTION not in intro.outbox
    world.deliver()
    assert not any(m["subject"].startswith("Introduction:") for m in world.mail())


ALIAS = "g.hopper@navy.example"


def test_a_request_naming_the_connector_by_an_alias_cannot_slip_past_her_removal(
    world, monkeypatch, tmp_path, capsys
):
    """The request is indexed under the alias (the address it was given, respelled here); the confirm
    resolves it to Grace and would index her own address only in its write. The removal walks her
    aliases' introductions too, so that write still fails."""
    monkeypatch.setenv("HASH_KEY", world.settings.hash_key)
    members = tmp_path / "members.csv"
    members.write_text(
        f"email,name,aliases\n{ADA},Ada Lovelace,\n{GRACE},Grace Hopper,{ALIAS}\n", encoding="utf-8"
    )
    assert main(["--table", "intros-test", "--region", "us-east-1", "members", "import", str(members)]) == 0
    capsys.readouterr()
    found = unconfirmed(world, connector_email="G.Hopper+intros@Navy.example")
    raced = removal_before_the_first_write(monkeypatch, world, GRACE)
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200
    intro = world.intro(found)
    assert raced == ["raced"] and intro.state is State.REFUSED  # written only by the retry
    assert Kind.CONNECTOR_ASK not in intro.outbox
    world.deliver()
    assert world.mail_to(GRACE) == [] and world.mail_to(ALIAS) == []
