"""What the note coach needs from storage: this person's last request's note, read back from their
requester ledger (one read by key, no query) and that introduction. The coach itself is pure
(domain.note_coach). The ledger remembers confirmed requests of the last 30 days or so (domain.limits),
which is also how far back "the same text as last time" is worth a word."""

from __future__ import annotations

from ..domain.hashing import address_hash
from ..settings import Settings
from .unit_of_work import Book, LedgerOf, Store


def last_note(store: Store, settings: Settings, email: str) -> str | None:
    """The blurb of this person's latest confirmed request (None once forgotten under the retention
    rules, or when there is none). A proposal's form compares the connector's note with it too."""
    uow, ref = store.begin(0), LedgerOf(Book.REQUESTER, address_hash(email, settings.hash_key))
    asks = uow.ledgers.read(ref)[ref].asks  # the intake function's policy grants the coach this read
    latest = max(asks, key=lambda a: a.at, default=None)
    intro = uow.intros.get(latest.intro_id) if latest else None
    return (intro.blurb or None) if intro else None
