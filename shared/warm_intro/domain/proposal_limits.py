"""A proposal's place in the organisation's limits (domain.limits): the connector's weekly allowance.
Each person's "asked per 30 days" is the target's rule (limits.target_turn), applied to each of them."""

from __future__ import annotations

from dataclasses import replace

from .errors import LimitReached
from .limits import WEEK, ConnectorLedger
from .rules import Limits
from .translatable import N_


def proposal_turn(ledger: ConnectorLedger, limits: Limits, now: int) -> ConnectorLedger:
    """A proposal counts toward the connector's weekly allowance, with the asks they get as a
    connector. Over it, they are told so: it is their own activity, so telling them reveals nothing."""
    asks = tuple(at for at in ledger.asks if at > now - WEEK)
    if len(asks) >= limits.connector_per_week:
        raise LimitReached(
            N_(
                "You've had %(asks)s introductions through this service in the last 7 days, asked of you "
                "or proposed by you: the most a member has in a week here. Please propose this one again "
                "in a few days."
            ),
            asks=len(asks),
        )
    return replace(ledger, asks=(*asks, now))
