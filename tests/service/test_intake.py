"""Taking a request: one write of the introduction, its index entries and the confirmation ledger."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.memory import MemoryStore
from warm_intro.domain.errors import Conflict, RateLimited
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, Role, State
from warm_intro.services import personal_data
from warm_intro.services.unit_of_work import Book, Entry, LedgerOf

from .conftest import ADA, ALAN, GRACE, Office


def test_a_request_is_stored_with_its_index_entries_and_ledger_in_one_write(office):
    intro = office.ask()
    key = office.settings.hash_key
    assert office.store.get(intro.id).state is State.UNCONFIRMED
    assert office.store.get(intro.id).outbox[Kind.CONFIRM_REQUEST].status is Delivery.PENDING
    assert office.store.commits == [2]  # the introduction and the ledger; the three index entries just before
    assert office.store.stored.entries == {
        Entry(address_hash(ADA, key), intro.id, Role.REQUESTER),
        Entry(address_hash(GRACE, key), intro.id, Role.CONNECTOR),
        Entry(address_hash(ALAN, key), intro.id, Role.TARGET),
    }
    ledger, _ = office.store.stored.ledgers[LedgerOf(Book.CONFIRMATIONS, address_hash(ADA, key))]
    assert (ledger.version, ledger.outstanding) == (1, intro.id)


def test_a_second_request_while_the_first_is_unanswered_waits():
    office = Office()
    first, second = office.ask(), office.ask()
    assert office.store.get(first.id).outbox[Kind.CONFIRM_REQUEST].status is Delivery.PENDING
    assert office.store.get(second.id).outbox[Kind.CONFIRM_REQUEST].status is Delivery.HELD


def test_a_network_over_its_hourly_rate_is_refused_and_nothing_is_stored():
    office = Office(limit_ip_hour=2)
    office.ask(), office.ask()
    with pytest.raises(RateLimited):
        office.ask()
    assert len(office.store.stored.intros) == 2
    office.ask(source="198.51.100.7")  # another network is not held back
    assert len(office.store.stored.intros) == 3


def _someone_else_takes_the_ledger(store: MemoryStore) -> None:
    (ref,) = store.stored.ledgers
    ledger, due = store.stored.ledgers[ref]
    store.stored.ledgers[ref] = (replace(ledger, version=ledger.version + 1), due)


def test_a_request_racing_another_for_the_same_address_reads_again_and_is_stored_once(office):
    office.ask()
    office.store.race(_someone_else_takes_the_ledger)
    second = office.ask()
    assert len(office.store.stored.intros) == 2 and office.store.get(second.id) == second
    assert office.store.commits == [2, 2]  # the losing attempt's conditional write wrote nothing
    # Its index entries went in just before and name an introduction that was never stored: skipped.
    named = {e.intro for e in office.store.stored.entries}
    assert len(named) == 3 and named >= set(office.store.stored.intros)
    exported = personal_data.export(office.settings.hash_key, office.store, ADA)["introductions"]
    assert sorted(i["id"] for i in exported) == sorted(office.store.stored.intros)


def test_a_request_that_keeps_losing_the_race_writes_nothing_and_says_so(office):
    office.ask()
    for _ in range(3):
        office.store.race(_someone_else_takes_the_ledger)
    with pytest.raises(Conflict):
        office.ask()
    assert len(office.store.stored.intros) == 1
