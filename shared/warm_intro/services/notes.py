"""What the note coach needs from storage: this person's last request's note, read back from their
requester ledger (one read by key, no query) and that introduction. The coach itself is pure
(domain.note_coach). The ledger remembers confirmed requests of the last 30 days or so (domain.limits),
which is also how far back "the same text as last time" is worth a word."""

from __future__ import annotations

from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, requester_key
from ..domain.hashing import address_hash
from ..settings import Settings


def last_note(repo: Repository, settings: Settings, email: str) -> str | None:
    """The blurb of this person's latest confirmed request (None once forgotten under the retention
    rules, or when there is none). A proposal's form compares the connector's note with it too."""
    key = requester_key(address_hash(email, settings.hash_key))
    asks = Ledgers(repo).read(key)[key].asks
    latest = max(asks, key=lambda a: a.at, default=None)
    intro = repo.get(latest.intro_id) if latest else None
    return (intro.blurb or None) if intro else None
