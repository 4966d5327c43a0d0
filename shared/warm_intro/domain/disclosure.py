"""What a requester may know of their request, and when: the one home of "nobody learns who said no".

A confirmed request that ends without an introduction, for whatever reason (a decline by anyone, an
opt-out, a cap, a suppressed address, silence), becomes visible to its requester at one moment
computed only from what the requester knows: when they confirmed, plus the longest a request can
run (`window`). Until then they see it on its way; at that moment the clock releases the neutral
close (held since the request closed) and every page, export and limit says "closed". Only an
introduction and the requester's own withdrawal show sooner, because only those are theirs to know.
"""

from __future__ import annotations

from enum import StrEnum

from .model import Delivery, Intro, Kind, State
from .proposal import kind_for, proposer
from .rules import DAY, Timings


class Seen(StrEnum):
    """A request as its requester sees it."""

    UNCONFIRMED = "unconfirmed"
    ON_ITS_WAY = "on_its_way"
    INTRODUCED = "introduced"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"  # the neutral "won't happen right now", whoever or whatever stopped it
    LAPSED = "lapsed"  # never confirmed
    NOT_POSSIBLE = "not_possible"  # refused at confirmation: the requester or connector is not eligible

    @property
    def is_open(self) -> bool:
        return self in (Seen.UNCONFIRMED, Seen.ON_ITS_WAY)


def window(t: Timings) -> int:
    """The longest a confirmed request runs: the connector's time, then the target's."""
    return 2 * t.expiry


def confirmed_at(intro: Intro) -> int | None:
    """When whoever started it (the requester, or a proposal's connector) confirmed it."""
    by = proposer(intro)
    return next((e.at for e in intro.history if e.actor is by and e.action == "confirm"), None)


def visible_at(intro: Intro, t: Timings) -> int | None:
    """When a confirmed request that is not introduced by then shows as closed to its requester."""
    at = confirmed_at(intro)
    return None if at is None else at + window(t)


def withdrawn_at(intro: Intro) -> int | None:
    by = proposer(intro)
    return next((e.at for e in intro.history if e.actor is by and e.action == "withdraw"), None)


def neutral_close_pending(intro: Intro) -> bool:
    """Closed, but the requester has not been told yet: their page still says it is on its way."""
    close = intro.outbox.get(kind_for(intro, Kind.CLOSED))
    return not intro.is_open and close is not None and close.status is Delivery.HELD


def seen_by_requester(intro: Intro) -> Seen:
    """What the requester sees of this request as it is stored now (of a proposal: what its connector
    sees). The clock changes it only at `visible_at`, by releasing the held close, so the answer never
    depends on who said no."""
    if intro.state is State.INTRODUCED:
        return Seen.INTRODUCED
    if withdrawn_at(intro) is not None:
        return Seen.WITHDRAWN
    if intro.state is State.UNCONFIRMED:
        return Seen.UNCONFIRMED
    if intro.is_open or neutral_close_pending(intro):
        return Seen.ON_ITS_WAY
    if confirmed_at(intro) is None:
        return Seen.LAPSED
    if intro.state is State.REFUSED and kind_for(intro, Kind.NOT_POSSIBLE) in intro.outbox:
        return Seen.NOT_POSSIBLE
    return Seen.CLOSED


def settled_at(intro: Intro, t: Timings) -> int | None:
    """When the request ended as its requester knows it (None while it has not, for them)."""
    seen = seen_by_requester(intro)
    if seen.is_open:
        return None
    if seen is Seen.WITHDRAWN:
        return withdrawn_at(intro)
    if seen is Seen.CLOSED:
        return max(intro.decided_at or 0, visible_at(intro, t) or 0)
    return intro.decided_at


def blocks_until(intro: Intro, t: Timings, block_days: float) -> int | None:
    """A request closed without an introduction blocks asking for the same person again, whatever
    closed it, from the moment the requester learns of it. Withdrawing is the requester's own act."""
    if seen_by_requester(intro) is not Seen.CLOSED:
        return None
    return (settled_at(intro, t) or 0) + int(block_days * DAY)
