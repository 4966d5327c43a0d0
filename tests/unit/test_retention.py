"""Closed introductions over time, in the pure domain: content goes after ContentRetentionDays even if a
message is stuck in flight, and every name and address after IntroRetentionDays."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain.erasure import is_anonymous
from warm_intro.domain.model import Decision, Delivery, Kind, Role, State
from warm_intro.domain.schedule import due_at, tick

from .test_schedule import TIMINGS, T, delivered, requested, step

DAY = 86_400
PERSONAL = ("ada", "lovelace", "grace", "alan", "turing", "hello.")


def introduced():
    return step(step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, T), Decision.ACCEPT, T + DAY)


def text(intro) -> str:
    return json.dumps(repr(intro)).lower()


def test_a_closed_introduction_is_anonymised_after_the_retention_period_and_keeps_its_record():
    intro = delivered(tick(introduced(), T + 8 * DAY, TIMINGS), T + 8 * DAY)  # the follow-up went out
    intro = tick(intro, intro.decided_at + TIMINGS.retention, TIMINGS)
    assert intro.blurb == "" and not is_anonymous(intro)
    retire_at = intro.decided_at + TIMINGS.intro_retention
    assert due_at(intro, TIMINGS) == retire_at
    assert tick(intro, retire_at - 1, TIMINGS) is intro
    retired = tick(intro, retire_at, TIMINGS)
    assert is_anonymous(retired) and retired.target.email is None and retired.tokens == {}
    assert not any(word in text(retired) for word in PERSONAL)
    assert retired.state is State.INTRODUCED and retired.history[:-1] == intro.history
    assert (retired.history[-1].actor, retired.history[-1].action) == (Role.SYSTEM, "retire")
    assert due_at(retired, TIMINGS) is None and tick(retired, retire_at + 999 * DAY, TIMINGS) is retired


def test_an_open_introduction_is_never_anonymised():
    intro = step(requested(), Decision.CONFIRM, T)
    assert tick(intro, T + 9 * DAY, TIMINGS).state is State.AWAITING_CONNECTOR
    assert not is_anonymous(tick(intro, T + 9 * DAY, TIMINGS))


@settings(max_examples=100, deadline=None)
@given(
    stuck=st.sampled_from([Delivery.PENDING, Delivery.SENDING, Delivery.RETRY, Delivery.HELD]),
    kind=st.sampled_from([Kind.CLOSED, Kind.INTRODUCTION, Kind.FOLLOWUP]),
)
def test_a_message_stuck_in_flight_holds_content_back_only_so_long(stuck, kind):
    closed = introduced()
    intro = closed.evolve(
        outbox={
            **closed.outbox,
            kind: replace(
                closed.outbox.get(kind) or closed.outbox[Kind.INTRODUCTION],
                kind=kind,
                status=stuck,
                at=closed.decided_at,
            ),
        }
    )
    deadline = intro.decided_at + 2 * TIMINGS.retention
    now, moved = intro.decided_at, intro
    while (when := due_at(moved, TIMINGS)) is not None and when <= deadline:
        now = max(now, when)
        moved = tick(moved, now, TIMINGS)
        if moved.outbox[kind].status is Delivery.RETRY:  # the notifier is still failing to send it
            moved = moved.evolve(
                outbox={**moved.outbox, kind: replace(moved.outbox[kind], status=stuck, at=now)}
            )
    assert moved.blurb == "" and moved.target.about is None
    assert moved.outbox[kind].status is Delivery.CANCELLED  # it would have quoted what is gone
