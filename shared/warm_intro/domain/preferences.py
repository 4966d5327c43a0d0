"""What a connector asked of the service from the footer of an ask: a break, or fewer asks.

A preference belongs to the person (the keyed hash of their address, next to their opt-out), so it
holds however their address is spelled and in every request that names them. It is applied when the
next ask would go out (services.admission):

- Paused: a new ask closes at once, politely, like one to a connector who opted out: the requester
  hears the same neutral close at the same moment as for any other close (domain.disclosure). It is
  not held: a pause outlasts an ask's life, so holding it would only make it expire unseen, and
  thirty days of held asks would all land on the day the pause ends. Asks already waiting for room
  stay in the queue, are not released while the pause lasts, and each closes at its usual expiry.
- One a week: their weekly cap is the smaller of theirs and the organisation's; past it, the
  organisation's choice applies (the ask waits for room, or the request closes neutrally).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .rules import DAY, Limits

PAUSE_DAYS = 30
PAUSE = PAUSE_DAYS * DAY


@dataclass(frozen=True)
class Preference:
    paused_until: int = 0
    per_week: int | None = None

    def paused(self, now: int) -> bool:
        return self.paused_until > now

    @staticmethod
    def merged(found: Iterable[Preference]) -> Preference:
        """One person's preference stored under several hashes: the most protective of each."""
        found = list(found)
        caps = [p.per_week for p in found if p.per_week is not None]
        return Preference(max((p.paused_until for p in found), default=0), min(caps) if caps else None)


def rules_for(limits: Limits, preference: Preference) -> Limits:
    """The organisation's limits as they apply to this connector."""
    if preference.per_week is None or preference.per_week >= limits.connector_per_week:
        return limits
    return replace(limits, connector_per_week=preference.per_week)


def held_until(next_room: int | None, preference: Preference) -> int | None:
    """When the queue of held asks is next worth looking at: not before a pause ends."""
    if next_room is None:
        return None
    return max(next_room, preference.paused_until)
