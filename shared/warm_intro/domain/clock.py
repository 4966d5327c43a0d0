"""What time does to an introduction: one reminder, polite expiry, the follow-up, stuck messages.

`tick` is pure and idempotent: applied twice at the same moment it changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import replace

from .lifecycle import close, record, send
from .model import Delivery, Intro, Kind, Role, State
from .rules import Timings

REMINDERS = {
    State.AWAITING_CONNECTOR: (Role.CONNECTOR, Kind.CONNECTOR_ASK, Kind.CONNECTOR_REMINDER),
    State.AWAITING_TARGET: (Role.TARGET, Kind.TARGET_ASK, Kind.TARGET_REMINDER),
}


def tick(intro: Intro, now: int, t: Timings) -> Intro:
    """Everything that has come due by `now`; returns the same object when nothing has."""
    start = intro
    intro = _unstick(intro, now, t)
    asked = intro.asked_at or intro.created_at
    if intro.state is State.UNCONFIRMED and now >= intro.created_at + t.unconfirmed:
        intro = record(close(intro, State.EXPIRED, now, None), now, Role.SYSTEM, "expire")
    elif intro.state in REMINDERS and now >= asked + t.expiry:
        intro = record(close(intro, State.EXPIRED, now, Kind.CLOSED), now, Role.SYSTEM, "expire")
    elif intro.state in REMINDERS:
        role, ask, reminder = REMINDERS[intro.state]
        if _was_sent(intro, ask) and role not in intro.reminded and now >= asked + t.reminder:
            intro = send(intro, now, reminder).evolve(reminded=intro.reminded | {role})
    elif intro.state is State.INTRODUCED and Kind.FOLLOWUP not in intro.outbox:
        if now >= (intro.decided_at or now) + t.followup:
            intro = send(intro, now, Kind.FOLLOWUP)
    return start if intro == start else intro


def _unstick(intro: Intro, now: int, t: Timings) -> Intro:
    """Messages SES refused go back to pending (the stream then retries them); a claim that was
    never confirmed becomes 'uncertain' and waits for a person, because SES may have sent it."""
    outbox = dict(intro.outbox)
    for kind, msg in intro.outbox.items():
        if msg.status is Delivery.RETRY and now >= msg.at + t.retry:
            outbox[kind] = replace(msg, status=Delivery.PENDING, at=now)
        elif msg.status is Delivery.PENDING and now >= msg.at + t.retry:
            outbox[kind] = replace(msg, at=now)  # rewritten so the stream offers it again
        elif msg.status is Delivery.SENDING and now >= msg.at + t.lease_seconds:
            outbox[kind] = replace(msg, status=Delivery.UNCERTAIN, at=now)
    if outbox == intro.outbox:
        return intro
    return intro.evolve(outbox=outbox, version=intro.version + 1, updated_at=now)


def _was_sent(intro: Intro, kind: Kind) -> bool:
    return kind in intro.outbox and intro.outbox[kind].status is Delivery.SENT


def due_at(intro: Intro, t: Timings) -> int | None:
    """The next moment `tick` could change something; None when nothing ever will."""
    times = []
    for msg in intro.outbox.values():
        if msg.status in (Delivery.PENDING, Delivery.RETRY, Delivery.HELD):
            times.append(msg.at + t.retry)
        elif msg.status is Delivery.SENDING:
            times.append(msg.at + t.lease_seconds)
    asked = intro.asked_at or intro.created_at
    if intro.state is State.UNCONFIRMED:
        times.append(intro.created_at + t.unconfirmed)
    elif intro.state in REMINDERS:
        role, ask, _ = REMINDERS[intro.state]
        times.append(asked + t.expiry)
        if role not in intro.reminded and _was_sent(intro, ask):
            times.append(asked + t.reminder)
    elif intro.state is State.INTRODUCED and Kind.FOLLOWUP not in intro.outbox:
        times.append((intro.decided_at or intro.created_at) + t.followup)
    return min(times) if times else None

