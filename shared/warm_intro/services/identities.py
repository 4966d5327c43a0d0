"""The one-off upgrade of data earlier versions wrote (`warm-intro identities migrate`): what they keyed
on the address as typed (lower-cased) is re-keyed to the canonical mailbox, and closed introductions
they left with nothing due are scheduled for anonymisation after IntroRetentionDays.

Lookups already check an address's earlier hash too, so the same spelling keeps working without it;
this step makes *other* spellings of an address stored before the upgrade find its opt-out and its
introductions. Idempotent: a second run moves, copies and schedules nothing, and running it while the
service is live is safe (every write is conditional or additive)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import Conflict
from ..domain.hashing import address_hash
from ..domain.schedule import due_at
from .unit_of_work import Entry, Store


@dataclass(frozen=True)
class Migrated:
    addresses: int  # stored spellings whose hash changed
    index_entries: int  # per-person index entries moved to the canonical hash
    suppressions: int  # opt-outs, bounces and complaints copied to the canonical hash
    scheduled: int  # closed introductions given their anonymisation time


def migrate(hash_key: str, store: Store, now: int) -> Migrated:
    uow = store.begin(now)
    people = uow.people
    addresses, moved, copied, seen = 0, 0, 0, set()
    for intro_id, role, email in uow.intros.stored_addresses():
        hashed = address_hash(email, hash_key)
        if hashed.earlier is None:
            continue
        addresses += 1
        moved += people.move(Entry(hashed.earlier, intro_id, role), hashed)
        if hashed.earlier in seen:
            continue
        seen.add(hashed.earlier)
        missing = people.suppression_reasons(hashed.earlier) - people.suppression_reasons(hashed)
        for reason in sorted(missing):
            people.suppress(hashed, reason, now)
        copied += bool(missing)
    return Migrated(addresses, moved, copied, _schedule(store, now))


def _schedule(store: Store, now: int) -> int:
    """Writing an introduction back as it is stores its next due time, now its anonymisation."""
    scheduled = 0
    for intro_id in store.begin(now).intros.unscheduled():
        uow = store.begin(now)
        intro = uow.intros.get(intro_id)
        if intro is not None and due_at(intro, store.timings) is not None:
            uow.intros.save(intro)
            try:
                uow.commit()
                scheduled += 1
            except Conflict:  # it changed meanwhile, and that write stored its due time
                continue
    return scheduled
