"""What a signed-in person may change about themselves: pause asks, their own weekly limit as a
connector, never being asked again (and undoing it), and their data (a copy, or erasure)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..adapters import preferences as stored
from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, connector_key
from ..domain import preferences
from ..domain.errors import InvalidInput
from ..domain.hashing import address_hash, hashes
from ..domain.preferences import Preferences
from ..domain.sessions import Session
from ..settings import Settings
from . import personal_data


@dataclass(frozen=True)
class Mine:
    prefs: Preferences
    opted_out: bool
    member: bool
    org_week_limit: int


def mine(repo: Repository, settings: Settings, session: Session) -> Mine:
    hashed = address_hash(session.email, settings.hash_key)
    return Mine(
        stored.read(repo, str(hashed)),
        bool(repo.suppressed([hashed], reasons=[stored.OWN])),
        repo.member_name(session.email) is not None,
        settings.limit_connector_week,
    )


def pause(repo: Repository, settings: Settings, session: Session, day_start: int | None, now: int) -> None:
    """Pause until the start of `day_start`'s day; None ends the pause."""
    hashed = str(address_hash(session.email, settings.hash_key))
    until = None
    if day_start is not None:
        try:
            until = preferences.pause_until(day_start, now)
        except ValueError as error:
            raise InvalidInput("until", str(error)) from None
    stored.write(repo, hashed, prefs := replace(stored.read(repo, hashed), paused_until=until))
    _reschedule(repo, settings, hashed, prefs, now)


def limit(repo: Repository, settings: Settings, session: Session, value: int | None, now: int) -> None:
    """Your own weekly limit as a connector; None goes back to the organisation's."""
    hashed = str(address_hash(session.email, settings.hash_key))
    if value is not None:
        try:
            value = preferences.week_limit(value, settings.limits)
        except ValueError as error:
            raise InvalidInput("week_limit", str(error)) from None
    stored.write(repo, hashed, prefs := replace(stored.read(repo, hashed), week_limit=value))
    _reschedule(repo, settings, hashed, prefs, now)


def _reschedule(repo: Repository, settings: Settings, hashed: str, prefs: Preferences, now: int) -> None:
    """Asks held for this connector go out when the new preferences allow (the scheduler's next run
    after a resume), not when the old ones would have."""
    ledgers, key = Ledgers(repo), connector_key(hashed)
    ledger = ledgers.read(key)[key]
    if ledger.held:
        own = preferences.own_limits(settings.limits, prefs)
        ledgers.write(ledgers.put(key, ledger, preferences.resume_at(ledger, own, prefs, now)))


def never_ask(repo: Repository, settings: Settings, session: Session, now: int) -> None:
    """The same keyed-hash opt-out as the one-click header."""
    repo.suppress(str(address_hash(session.email, settings.hash_key)), stored.OWN, now)


def ask_again(repo: Repository, settings: Settings, session: Session) -> None:
    for hashed in hashes(session.email, settings.hash_key):
        stored.opt_back_in(repo, hashed)


def export(repo: Repository, settings: Settings, session: Session) -> dict:
    hashed = str(address_hash(session.email, settings.hash_key))
    data = personal_data.export(settings.hash_key, repo, session.email)
    prefs = stored.read(repo, hashed)
    return {**data, "preferences": {k: v for k, v in vars(prefs).items() if v is not None}}


def erase(repo: Repository, settings: Settings, session: Session, now: int) -> personal_data.Erased:
    """Everything about this person goes, their sessions with it; their opt-out (if any) stays."""
    for hashed in hashes(session.email, settings.hash_key):
        stored.write(repo, hashed, Preferences())
    return personal_data.erase(settings.hash_key, repo, session.email, now)
