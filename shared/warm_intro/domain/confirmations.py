"""Mail to an address nobody has proven yet: the confirmation a new request sends its requester.

Anyone can type anyone's address into the form, so an address gets at most one unanswered
confirmation at a time and a few a day. A request made while one is unanswered waits (its mail is
held): it is sent only when the person answers the earlier one by confirming it, proving they want
the service; otherwise it lapses with its request, quietly, like any unconfirmed request.

The ledger holds only intro ids and times, under the keyed hash of the address."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeGuard

from . import delivery
from .lifecycle import record
from .model import Intro, Kind, Role, State
from .proposal import kind_for
from .rules import DAY

# Requests remembered as waiting, oldest first. Past this, a request still waits on its introduction
# but is never released (it lapses): an attack from many networks can't grow the ledger without end.
MAX_WAITING = 10


@dataclass(frozen=True)
class ConfirmationLedger:
    version: int = 0
    outstanding: str | None = None  # the intro whose confirmation mail is unanswered
    outstanding_at: int = 0
    sent: tuple[int, ...] = ()  # when each confirmation went out, the last day only
    held: tuple[tuple[str, int], ...] = ()  # (intro id, requested at), oldest first


def _tidy(ledger: ConfirmationLedger, now: int, window: int) -> ConfirmationLedger:
    """Forget what no rule needs: an unanswered mail past its window, old sends, lapsed waiters."""
    live = ledger.outstanding is not None and ledger.outstanding_at > now - window
    return replace(
        ledger,
        outstanding=ledger.outstanding if live else None,
        outstanding_at=ledger.outstanding_at if live else 0,
        sent=tuple(at for at in ledger.sent if at > now - DAY),
        held=tuple((i, at) for i, at in ledger.held if at > now - window),
    )


def take(
    ledger: ConfirmationLedger, intro_id: str, now: int, window: int, per_day: int
) -> tuple[ConfirmationLedger, bool]:
    """A new request's confirmation: True when it may go now, False when it waits."""
    ledger = _tidy(ledger, now, window)
    if ledger.outstanding is None and len(ledger.sent) < per_day:
        return replace(ledger, outstanding=intro_id, outstanding_at=now, sent=(*ledger.sent, now)), True
    return replace(ledger, held=(*ledger.held, (intro_id, now))[:MAX_WAITING]), False


def answered(ledger: ConfirmationLedger, intro_id: str, now: int, window: int) -> ConfirmationLedger:
    """The person answered the mail for `intro_id`: it is no longer outstanding."""
    ledger = _tidy(ledger, now, window)
    if ledger.outstanding == intro_id:
        ledger = replace(ledger, outstanding=None, outstanding_at=0)
    return drop(ledger, intro_id)


def may_send(ledger: ConfirmationLedger, per_day: int) -> bool:
    return ledger.outstanding is None and len(ledger.sent) < per_day


def promote(ledger: ConfirmationLedger, intro_id: str, now: int) -> ConfirmationLedger:
    """A waiting request's mail goes out now; it is the outstanding one from here."""
    return replace(drop(ledger, intro_id), outstanding=intro_id, outstanding_at=now, sent=(*ledger.sent, now))


def drop(ledger: ConfirmationLedger, intro_id: str) -> ConfirmationLedger:
    return replace(ledger, held=tuple((i, at) for i, at in ledger.held if i != intro_id))


def is_waiting(intro: Intro | None) -> TypeGuard[Intro]:
    return intro is not None and delivery.is_held(intro, _confirmation(intro), State.UNCONFIRMED)


def release(intro: Intro, now: int) -> Intro:
    """The waiting confirmation goes out now."""
    return record(delivery.release(intro, _confirmation(intro), now), now, Role.SYSTEM, "release")


def _confirmation(intro: Intro) -> Kind:
    """A request's or a proposal's: one address has one unanswered confirmation at a time, of either."""
    return kind_for(intro, Kind.CONFIRM_REQUEST)
