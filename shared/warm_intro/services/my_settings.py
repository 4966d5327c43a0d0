"""What a signed-in person may change about themselves: pause asks, their own weekly limit as a
connector, never being asked again (and undoing it), and their data (a copy, or erasure)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..domain import preferences
from ..domain.errors import InvalidInput
from ..domain.hashing import address_hash, hashes
from ..domain.preferences import Preferences
from ..domain.sessions import Session
from ..settings import Settings
from . import personal_data
from .unit_of_work import Book, LedgerOf, Store, UnitOfWork, retrying

OWN = "opted_out"  # the person's own opt-out, as the one-click header and the links record it


@dataclass(frozen=True)
class Mine:
    prefs: Preferences
    opted_out: bool
    member: bool
    org_week_limit: int


def mine(store: Store, settings: Settings, session: Session) -> Mine:
    hashed = address_hash(session.email, settings.hash_key)
    people = store.begin(0).people
    return Mine(
        people.preferences(str(hashed)),
        bool(people.suppressed([hashed], reasons=[OWN])),
        people.member_name(session.email) is not None,
        settings.limit_connector_week,
    )


def pause(store: Store, settings: Settings, session: Session, day_start: int | None, now: int) -> None:
    """Pause until the start of `day_start`'s day; None ends the pause."""
    hashed = str(address_hash(session.email, settings.hash_key))
    until = None
    if day_start is not None:
        try:
            until = preferences.pause_until(day_start, now)
        except ValueError as error:
            raise InvalidInput("until", str(error)) from None
    people = store.begin(now).people
    people.set_preferences(hashed, prefs := replace(people.preferences(hashed), paused_until=until))
    _reschedule(store, settings, hashed, prefs, now)


def limit(store: Store, settings: Settings, session: Session, value: int | None, now: int) -> None:
    """Your own weekly limit as a connector; None goes back to the organisation's."""
    hashed = str(address_hash(session.email, settings.hash_key))
    if value is not None:
        try:
            value = preferences.week_limit(value, settings.limits)
        except ValueError as error:
            raise InvalidInput("week_limit", str(error)) from None
    people = store.begin(now).people
    people.set_preferences(hashed, prefs := replace(people.preferences(hashed), week_limit=value))
    _reschedule(store, settings, hashed, prefs, now)


def _reschedule(store: Store, settings: Settings, hashed: str, prefs: Preferences, now: int) -> None:
    """Asks held for this connector go out when the new preferences allow (the scheduler's next run
    after a resume), not when the old ones would have."""
    ref = LedgerOf(Book.CONNECTOR, hashed)

    def reschedule(uow: UnitOfWork) -> None:
        ledger = uow.ledgers.get(ref)
        if ledger.held:
            own = preferences.own_limits(settings.limits, prefs)
            uow.ledgers.save(ref, ledger, due_at=preferences.resume_at(ledger, own, prefs, now))

    retrying(store, now, reschedule)  # a release by the scheduler meanwhile: read again


def never_ask(store: Store, settings: Settings, session: Session, now: int) -> None:
    """The same keyed-hash opt-out as the one-click header."""
    store.begin(now).people.suppress(str(address_hash(session.email, settings.hash_key)), OWN, now)


def ask_again(store: Store, settings: Settings, session: Session) -> None:
    people = store.begin(0).people
    for hashed in hashes(session.email, settings.hash_key):
        people.opt_back_in(hashed)


def export(store: Store, settings: Settings, session: Session) -> dict[str, Any]:
    hashed = str(address_hash(session.email, settings.hash_key))
    data = personal_data.export(settings.hash_key, store, session.email)
    prefs = store.begin(0).people.preferences(hashed)
    return {**data, "preferences": {k: v for k, v in vars(prefs).items() if v is not None}}


def erase(store: Store, settings: Settings, session: Session, now: int) -> personal_data.Erased:
    """Everything about this person goes, their sessions with it; their opt-out (if any) stays."""
    people = store.begin(now).people
    for hashed in hashes(session.email, settings.hash_key):
        people.set_preferences(hashed, Preferences())
    return personal_data.erase(settings.hash_key, store, session.email, now)
