"""What time does to an introduction: one reminder, polite expiry, the follow-up, refused messages.

`tick` and `due_at` read the same moments (`_moments`), so they cannot drift apart: whenever
`due_at` has come, `tick` changes something, and afterwards `due_at` is later or gone. The
scheduler relies on that; otherwise it would read the same introduction on every run forever.
"""

from __future__ import annotations

from dataclasses import replace

from . import actors, delivery
from .disclosure import neutral_close_pending, settled_at, visible_at
from .erasure import IN_FLIGHT, anonymise, forget_content, has_content, is_anonymous
from .lifecycle import close, record, send
from .model import Delivery, Intro, Kind, Message, Role, State
from .proposal import FOLLOWUPS, is_proposal, kind_for
from .rules import Timings

QUIET_EXPIRY, EXPIRY, REMINDER, FOLLOWUP = "quiet_expiry", "expiry", "reminder", "followup"
TELL = "tell"  # the held neutral close goes to the requester (domain.disclosure.visible_at)
FORGET = "forget"  # data minimisation: the blurb and notes go a while after the introduction closed
RETIRE = "retire"  # and, after the organisation's retention period, every name and address in it


def tick(intro: Intro, now: int, t: Timings) -> Intro:
    """Everything that has come due by `now`; returns the same object when nothing has."""
    moments = {what: at for what, at in _moments(intro, t).items() if at <= now}
    start = intro
    intro = _unstick(intro, now, t)
    if QUIET_EXPIRY in moments:
        intro = record(close(intro, State.EXPIRED, now, None), now, Role.SYSTEM, "expire")
    elif EXPIRY in moments:  # the same neutral close as a decline: nothing says who was silent
        intro = record(
            close(intro, State.EXPIRED, now, kind_for(intro, Kind.CLOSED)), now, Role.SYSTEM, "expire"
        )
    elif REMINDER in moments and (turn := actors.turn(intro)) and turn.reminder:
        intro = send(intro, now, turn.reminder).evolve(reminded=intro.reminded | {turn.role})
    elif FOLLOWUP in moments:
        for kind in FOLLOWUPS[intro.flow]:
            intro = send(intro, now, kind)
    if _moments(intro, t).get(TELL, now + 1) <= now:  # also right after an expiry at this same tick
        intro = _tell(intro, now)
    if FORGET in moments:
        intro = forget_content(intro, now)
    if RETIRE in moments:
        intro = anonymise(intro, now)
    return start if intro == start else intro


def due_at(intro: Intro, t: Timings) -> int | None:
    """The next moment `tick` will change something; None when nothing ever will."""
    stuck = (_stuck_at(msg, t) for msg in intro.outbox.values())
    times = [*_moments(intro, t).values(), *(at for at in stuck if at is not None)]
    return min(times) if times else None


def closes_at(intro: Intro, t: Timings) -> int | None:
    """When an open ask closes by itself if nobody answers (what its emails promise); None otherwise."""
    return _moments(intro, t).get(EXPIRY)


def _moments(intro: Intro, t: Timings) -> dict[str, int]:
    """When each thing the lifecycle waits for falls due, for the introduction as it stands."""
    if intro.state is State.UNCONFIRMED:
        return {QUIET_EXPIRY: intro.created_at + t.unconfirmed}
    if (turn := actors.turn(intro)) is not None:
        expiry = (intro.asked_at or intro.created_at) + t.expiry
        # Never past the moment the requester is told: an ask that waited for room gets less time.
        moments = {EXPIRY: min(expiry, visible_at(intro, t) or expiry)}
        # Counted from when the ask actually went out: an ask that waited is not chased at once.
        # Only whoever the introduction waits on (domain.actors): not a connector no longer a member;
        # a request's target only when the organisation turned that on (their ask said silence is
        # fine); the two people of a connector's proposal keep their one reminder each.
        if (
            turn.reminder is not None
            and turn.role not in intro.reminded
            and (turn.role is not Role.TARGET or t.remind_targets or is_proposal(intro))
            and actors.waiting_on(intro) is turn.role
            and (sent := _sent_at(intro, turn.ask)) is not None
        ):
            moments[REMINDER] = sent + t.reminder
        return moments
    # Only once the introduction really went out: nobody is asked about a meeting they never heard of.
    moments = {}
    if neutral_close_pending(intro) and (at := visible_at(intro, t)) is not None:
        moments[TELL] = at
    sent = _sent_at(intro, Kind.INTRODUCTION)
    if intro.state is State.INTRODUCED and Kind.FOLLOWUP not in intro.outbox and sent is not None:
        moments[FOLLOWUP] = sent + t.followup
    settled = settled_at(intro, t)  # when the requester learned the outcome: nothing is forgotten sooner
    if settled is None:
        return moments
    # Not while a message is on its way (it may still quote the blurb or the note), but a message
    # stuck in flight holds the content back only as long again as the retention itself.
    if has_content(intro):
        in_flight = any(m.status in IN_FLIGHT for m in intro.outbox.values())
        moments[FORGET] = settled + t.retention * (2 if in_flight else 1)
    if not is_anonymous(intro):
        moments[RETIRE] = settled + t.intro_retention
    return moments


def _tell(intro: Intro, now: int) -> Intro:
    return record(delivery.release(intro, kind_for(intro, Kind.CLOSED), now), now, Role.SYSTEM, "tell")


def _stuck_at(msg: Message, t: Timings) -> int | None:
    """Only a message SES refused waits for the clock. Pending and sending ones are the stream's
    (its retries, then the dead-letter queue an operator re-drives): scheduling them too would
    move the due index on every write, and each move is paid for twice in the index."""
    return msg.at + t.retry if msg.status is Delivery.RETRY else None


def _unstick(intro: Intro, now: int, t: Timings) -> Intro:
    """Messages SES refused go back to pending, so the stream offers them to the notifier again.
    (A claim never confirmed sent is 'parked' for a person: see domain.delivery.is_parked.)"""
    outbox = dict(intro.outbox)
    for kind, msg in intro.outbox.items():
        if (at := _stuck_at(msg, t)) is not None and now >= at:
            outbox[kind] = replace(msg, status=Delivery.PENDING, at=now)
    if outbox == intro.outbox:
        return intro
    return intro.evolve(outbox=outbox, version=intro.version + 1, updated_at=now)


def _sent_at(intro: Intro, kind: Kind) -> int | None:
    msg = intro.outbox.get(kind)
    return msg.at if msg is not None and msg.status is Delivery.SENT else None
