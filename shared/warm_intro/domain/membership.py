"""What a member's removal does to the requests still open, and who must still be a member for a
request to move forward.

- A removed connector is not asked or reminded again: an ask still waiting for them stays open and
  closes neutrally at its usual expiry, so the requester learns nothing they wouldn't otherwise. An ask
  they already passed on to the target stands: the target's answer is theirs to give.
- A removed requester who may no longer ask (the policy admits them only as a member) has the
  requests they already confirmed closed quietly: nobody is mailed, nobody asked again. An unconfirmed
  one is refused politely if they confirm it, as for anyone who isn't a member.
- A target's membership never matters: becoming or ceasing to be a member changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from .actors import CONNECTOR_REMOVED, connector_gone
from .lifecycle import close, record
from .model import SENDABLE, Delivery, Flow, Intro, Kind, Role, State

REQUESTER_REMOVED = "requester_removed"
ASKED = frozenset({State.AWAITING_CONNECTOR, State.AWAITING_TARGET})
# A proposal's connector must be a member when it first asks someone; its people need never be.
PROPOSAL_VOUCHING = {State.AWAITING_TARGET: (Role.CONNECTOR,)}


def without_connector(intro: Intro, now: int) -> Intro:
    """The connector is no longer a member. Returns the same object when it changes nothing."""
    if intro.state is not State.AWAITING_CONNECTOR or connector_gone(intro):
        return intro
    unsent = SENDABLE | {Delivery.HELD}
    outbox = {
        kind: replace(msg, status=Delivery.CANCELLED, at=now)
        if kind in (Kind.CONNECTOR_ASK, Kind.CONNECTOR_REMINDER) and msg.status in unsent
        else msg
        for kind, msg in intro.outbox.items()
    }
    intro = intro.evolve(outbox=outbox, version=intro.version + 1, updated_at=now)
    return record(intro, now, Role.SYSTEM, CONNECTOR_REMOVED)


def without_requester(intro: Intro, now: int) -> Intro:
    """The requester may no longer ask. Returns the same object when it changes nothing."""
    if intro.state not in ASKED or intro.flow is Flow.PROPOSAL:  # a proposal has no requester
        return intro
    return record(close(intro, State.REFUSED, now, None), now, Role.SYSTEM, REQUESTER_REMOVED)


def vouching(before: Intro, after: Intro) -> tuple[Role, ...]:
    """Who must still be a member, at the moment it is written, for `before` to become `after`:
    whoever's standing lets the request ask someone new or make the introduction."""
    if after.state is before.state:
        return ()
    if after.flow is Flow.PROPOSAL:
        return PROPOSAL_VOUCHING.get(after.state, ())
    return {
        State.AWAITING_CONNECTOR: (Role.REQUESTER, Role.CONNECTOR),
        State.AWAITING_TARGET: (Role.REQUESTER, Role.CONNECTOR),
        State.INTRODUCED: (Role.REQUESTER,),
    }.get(after.state, ())
