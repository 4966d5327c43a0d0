"""A person's own preferences about being asked: pause every ask until a date, and (as a connector)
a weekly limit of their own, never above the organisation's. Pure rules; stored by address hash next
to the opt-outs (adapters.preferences)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import InvalidInput
from .limits import ConnectorLedger, Turn, next_room_at, take_turn
from .rules import DAY, Limits, OverCapacity
from .translatable import N_

MAX_PAUSE_DAYS = 366


@dataclass(frozen=True)
class Preferences:
    paused_until: int | None = None
    week_limit: int | None = None

    def paused(self, now: int) -> bool:
        return self.paused_until is not None and self.paused_until > now


def own_limits(limits: Limits, prefs: Preferences) -> Limits:
    """The organisation's limits with this connector's own weekly limit, if lower."""
    if prefs.week_limit is None:
        return limits
    return replace(limits, connector_per_week=max(1, min(prefs.week_limit, limits.connector_per_week)))


def connector_turn(
    ledger: ConnectorLedger, limits: Limits, prefs: Preferences, intro_id: str, now: int
) -> tuple[ConnectorLedger, Turn, int | None]:
    """Like limits.take_turn, for a connector with preferences: while paused every ask waits (or the
    request closes politely, when the organisation refuses past capacity). Returns the ledger, the
    turn, and when a held ask can next go out."""
    own = own_limits(limits, prefs)
    if prefs.paused(now):
        if limits.connector_over_capacity is OverCapacity.REFUSE:
            return ledger, Turn.REFUSE, None
        held = replace(ledger, held=(*ledger.held, intro_id))
        return held, Turn.HOLD, resume_at(held, own, prefs, now)
    ledger, turn = take_turn(ledger, own, intro_id, now)
    return ledger, turn, next_room_at(ledger, own, now)


def resume_at(ledger: ConnectorLedger, own: Limits, prefs: Preferences, now: int) -> int | None:
    """When a held ask can next go out: after the pause, and when the week has room."""
    room_at = next_room_at(ledger, own, now)
    if room_at is None or not prefs.paused(now):
        return room_at
    return max(room_at, prefs.paused_until or 0)


def pause_until(day_start: int, now: int) -> int:
    """A pause chosen as a date (the settings' `until`) runs to the start of that day (UTC), at most a
    year ahead."""
    if day_start <= now:
        raise InvalidInput("until", N_("Please choose a date in the future."))
    if day_start > now + MAX_PAUSE_DAYS * DAY:
        raise InvalidInput("until", N_("Please choose a date within %(days)s days."), days=MAX_PAUSE_DAYS)
    return day_start


def week_limit(value: int, limits: Limits) -> int:
    """A connector's own weekly limit (the settings' `week_limit`)."""
    if not 1 <= value <= limits.connector_per_week:
        most = limits.connector_per_week
        raise InvalidInput("week_limit", N_("Please choose a number from 1 to %(most)s."), most=most)
    return value
