"""The organisation's limits as pure rules over small ledgers, one per requester, connector and target.

A ledger only holds keyed hashes, intro ids and times. The services read the ledgers, apply these
rules and write the new ledgers in the same transaction as the introduction, each on its version,
so a counter and the transition it counts commit together or not at all.

Closing an introduction does not touch any ledger: the next time the requester confirms, the asks
still marked open are read back from their introductions (`settle`), so withdrawals, expiries,
declines and erasures all free a slot without a hook in each of those places. They are read as the
requester sees them (domain.disclosure): a request closed by someone else stays open, and then
blocks asking for the same person again, on the same schedule whoever or whatever closed it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeGuard

from . import delivery
from .errors import LimitReached
from .lifecycle import record
from .model import Intro, Kind, Role, State
from .rules import DAY, Limits, OverCapacity

WEEK, MONTH = 7 * DAY, 30 * DAY


@dataclass(frozen=True)
class Ask:
    """One confirmed request, from its requester's side; the target only as keyed hashes."""

    intro_id: str
    at: int
    email: str | None  # hash of the target's address, when the requester gave it
    name: str  # hash of the target's normalised name
    open: bool = True
    blocked_until: int | None = None  # closed without an introduction: no new request for them before then

    def same_target(self, email: str | None, name: str) -> bool:
        """By address when both sides know it, else by normalised name."""
        return self.email == email if self.email and email else self.name == name


@dataclass(frozen=True)
class EarlierRequest:
    """What became of an earlier request as its requester sees it, read back from its introduction."""

    open: bool
    email: str | None = None
    blocked_until: int | None = None


@dataclass(frozen=True)
class RequesterLedger:
    version: int = 0
    asks: tuple[Ask, ...] = ()


@dataclass(frozen=True)
class ConnectorLedger:
    version: int = 0
    asks: tuple[int, ...] = ()  # when each ask went out to the connector
    held: tuple[str, ...] = ()  # intro ids waiting for room, oldest first


@dataclass(frozen=True)
class TargetLedger:
    version: int = 0
    asks: tuple[int, ...] = ()


class Turn(StrEnum):
    GO = "go"
    HOLD = "hold"  # the ask waits until the connector's week has room
    REFUSE = "refuse"  # the request closes neutrally


# requester ---------------------------------------------------------------------------------------


def settle(ledger: RequesterLedger, outcomes: dict[str, EarlierRequest], now: int) -> RequesterLedger:
    """Fold in what became of asks that were open, and forget what no rule needs any more."""
    asks = []
    for ask in ledger.asks:
        if ask.open and (out := outcomes.get(ask.intro_id)) is not None and not out.open:
            ask = replace(ask, open=False, email=ask.email or out.email, blocked_until=out.blocked_until)
        if ask.open or ask.at > now - MONTH or (ask.blocked_until or 0) > now:
            asks.append(ask)
    return replace(ledger, asks=tuple(asks))


def admit(
    ledger: RequesterLedger, limits: Limits, intro_id: str, email: str | None, name: str, now: int
) -> RequesterLedger:
    """The requester's own limits; raises LimitReached with words about their own activity only."""
    others = [a for a in ledger.asks if a.intro_id != intro_id]
    if any(a.open and a.same_target(email, name) for a in others):
        raise LimitReached(
            "You already have a request open for an introduction to this person. "
            "Please wait for it to finish before asking again."
        )
    if any((a.blocked_until or 0) > now and a.same_target(email, name) for a in others):
        raise LimitReached(
            "You asked for an introduction to this person recently, so we can't send another request "
            "for them for a while. Thank you for understanding."
        )
    open_now = sum(a.open for a in others)
    if open_now >= limits.requester_open:
        raise LimitReached(
            f"You already have {open_now} requests waiting for answers. "
            "Please wait until one of them is finished before asking for another."
        )
    recent = sum(a.at > now - MONTH for a in others)
    if recent >= limits.requester_per_30_days:
        raise LimitReached(
            f"You have made {recent} requests in the last 30 days, the most we allow. Please try again later."
        )
    return replace(ledger, asks=(*others, Ask(intro_id, now, email, name)))


def open_ids(ledger: RequesterLedger, but: str = "") -> list[str]:
    """The asks whose fate is not known yet: the only introductions `settle` needs to read."""
    return [a.intro_id for a in ledger.asks if a.open and a.intro_id != but]


# connector ---------------------------------------------------------------------------------------


def take_turn(
    ledger: ConnectorLedger, limits: Limits, intro_id: str, now: int
) -> tuple[ConnectorLedger, Turn]:
    """Asks already waiting go first, so nobody jumps the queue when a slot frees up."""
    asks = tuple(at for at in ledger.asks if at > now - WEEK)
    if not ledger.held and len(asks) < limits.connector_per_week:
        return replace(ledger, asks=(*asks, now)), Turn.GO
    if limits.connector_over_capacity is OverCapacity.REFUSE:
        return replace(ledger, asks=asks), Turn.REFUSE
    return replace(ledger, asks=asks, held=(*ledger.held, intro_id)), Turn.HOLD


def room(ledger: ConnectorLedger, limits: Limits, now: int) -> int:
    return max(0, limits.connector_per_week - sum(at > now - WEEK for at in ledger.asks))


def next_room_at(ledger: ConnectorLedger, limits: Limits, now: int) -> int | None:
    """When a held ask can next go out; None when nothing is held."""
    if not ledger.held:
        return None
    recent = sorted(at for at in ledger.asks if at > now - WEEK)
    if len(recent) < limits.connector_per_week:
        return now
    return recent[len(recent) - limits.connector_per_week] + WEEK


def released(ledger: ConnectorLedger, intro_id: str, now: int, sent: bool) -> ConnectorLedger:
    """`intro_id` leaves the queue: sent now, or dropped because its request closed meanwhile."""
    held = tuple(i for i in ledger.held if i != intro_id)
    return replace(ledger, held=held, asks=(*ledger.asks, now) if sent else ledger.asks)


def is_held(intro: Intro | None) -> TypeGuard[Intro]:
    return delivery.is_held(intro, Kind.CONNECTOR_ASK, State.AWAITING_CONNECTOR)


def release_ask(intro: Intro, now: int) -> Intro:
    """The held ask goes out now; the connector's time to answer starts now too."""
    return record(
        delivery.release(intro, Kind.CONNECTOR_ASK, now).evolve(asked_at=now), now, Role.SYSTEM, "release"
    )


# target ------------------------------------------------------------------------------------------


def target_turn(ledger: TargetLedger, limits: Limits, now: int) -> tuple[TargetLedger, bool]:
    asks = tuple(at for at in ledger.asks if at > now - MONTH)
    if len(asks) >= limits.target_per_30_days:
        return replace(ledger, asks=asks), False
    return replace(ledger, asks=(*asks, now)), True
