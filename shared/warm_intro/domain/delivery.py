"""The life of one outgoing message: pending -> sending -> sent, each step a versioned write.

A claim is written before SES is called, so a retry that finds a message 'sending' knows SES may
already have it and never sends it again; only a definite refusal from SES makes it 'retry'.
A message SES keeps refusing stops at 'failed' (the clock ignores it) until an operator re-sends it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeGuard

from .errors import Conflict
from .messages import SPECS
from .model import SENDABLE, Delivery, Grant, Intro, Kind, Message, State
from .rules import LEASE_SECONDS

MAX_ATTEMPTS = 8  # with the 15-minute retry, about two hours of refusals before a person looks
STALLED_SECONDS = 3_600  # pending this long: the stream gave up on it (see the dead-letter queue)


class NothingToSend(Conflict):
    """Already sent, being sent, or no longer wanted."""


def claim(intro: Intro, kind: Kind, now: int, grants: dict[str, Grant]) -> Intro:
    """Mark the message as being sent and store the hashes of the links it will carry."""
    message = intro.outbox.get(kind)
    if message is None or message.status not in SENDABLE:
        raise NothingToSend(kind)
    wanted_state = SPECS[kind].only_while
    if wanted_state is not None and intro.state is not wanted_state:
        return _set(intro, kind, now, status=Delivery.CANCELLED)
    intro = intro.evolve(tokens={**intro.tokens, **grants})
    return _set(intro, kind, now, status=Delivery.SENDING, attempts=message.attempts + 1)


def sent(intro: Intro, kind: Kind, now: int, ses_id: str) -> Intro:
    return _set(intro, kind, now, status=Delivery.SENT, ses_id=ses_id)


def refused(intro: Intro, kind: Kind, now: int) -> Intro:
    """SES said no (throttled, or a transient error): safe to try again later, up to a point."""
    tired = intro.outbox[kind].attempts >= MAX_ATTEMPTS
    return _set(intro, kind, now, status=Delivery.FAILED if tired else Delivery.RETRY)


def suppressed(intro: Intro, kind: Kind, now: int) -> Intro:
    return _set(intro, kind, now, status=Delivery.SUPPRESSED)


def is_parked(message: Message, now: int) -> bool:
    """Waiting for a person: SES kept refusing it ('failed'), or its sender vanished mid-send (a
    claim older than the lease: SES may have sent it), or the stream never delivered it."""
    if message.status is Delivery.FAILED:
        return True
    if message.status is Delivery.SENDING:
        return now >= message.at + LEASE_SECONDS
    return message.status is Delivery.PENDING and now >= message.at + STALLED_SECONDS


def resend(intro: Intro, kind: Kind, now: int) -> Intro:
    """An operator's decision to try a parked message again, with a fresh count. For a claim that
    was never confirmed the operator accepts that the person may get it twice."""
    message = intro.outbox.get(kind)
    if message is None or not is_parked(message, now):
        raise NothingToSend(kind)
    return _set(intro, kind, now, status=Delivery.PENDING, attempts=0)


def is_held(intro: Intro | None, kind: Kind, while_in: State) -> TypeGuard[Intro]:
    """A message kept back (for a connector's room, an earlier confirmation, the requester's moment)
    while its introduction is still `while_in`."""
    message = intro.outbox.get(kind) if intro else None
    return (
        intro is not None
        and intro.state is while_in
        and message is not None
        and message.status is Delivery.HELD
    )


def release(intro: Intro, kind: Kind, now: int) -> Intro:
    """A held message goes out now: pending again, so the stream offers it to the notifier."""
    return _set(intro, kind, now, status=Delivery.PENDING)


def _set(intro: Intro, kind: Kind, now: int, **changes: Any) -> Intro:
    message = replace(intro.outbox[kind], at=now, **changes)
    return intro.evolve(outbox={**intro.outbox, kind: message})


def pending(intro: Intro) -> list[Kind]:
    """What wakes the notifier. Not 'retry': a refused message waits for the clock to re-pend it
    (or for the stream to retry its failed record), rather than hammering SES at once."""
    return [kind for kind, msg in intro.outbox.items() if msg.status is Delivery.PENDING]
