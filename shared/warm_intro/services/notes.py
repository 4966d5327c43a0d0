"""What the note coach needs from storage: this person's last note of the same kind, found through
the per-person index (one Query) and a few reads. The coach itself is pure (domain.note_coach)."""

from __future__ import annotations

from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers
from ..domain.hashing import address_hash
from ..domain.model import Flow, Role
from ..settings import Settings

RECENT = 12  # a person's requests are capped per month; these are plenty to find the last one


def last_note(repo: Repository, settings: Settings, email: str, flow: Flow) -> str | None:
    """The blurb of this person's latest request, or the reason of their latest proposal (None once
    forgotten under the retention rules, or when there is none)."""
    role = Role.CONNECTOR if flow is Flow.PROPOSAL else Role.REQUESTER
    entries = Ledgers(repo).person_entries(address_hash(email, settings.hash_key))
    ids = [e["intro"] for e in entries if e.get("role") == role.value][-RECENT:]
    mine = [i for i in map(repo.get, ids) if i is not None and i.flow is flow]
    latest = max(mine, key=lambda i: i.created_at, default=None)
    return latest.blurb or None if latest else None
