"""What a signed-in member does beyond the links: a request that needs no confirming mail, and the
opt-in directory (listing, searching, resolving a pick, unlisting on removal and erasure)."""

from __future__ import annotations

import pytest

from tests.support.memory import MemoryStore
from warm_intro.api import IntroRequest
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Kind, State
from warm_intro.domain.sessions import Session
from warm_intro.services import directory, intake, membership, personal_data
from warm_intro.services.unit_of_work import Book, LedgerOf

from .conftest import ADA, ALAN, GRACE, Office


def _session(office: Office, email: str) -> Session:
    return Session(email, str(address_hash(email, office.settings.hash_key)), "csrf", office.now + 3600)


def _request() -> IntroRequest:
    return IntroRequest.model_validate(
        {
            "requester": {"name": "Ada Lovelace", "email": ADA},
            "connector_email": GRACE,
            "target": {"name": "Alan Turing", "email": ALAN, "about": "reading group"},
            "blurb": "I'd love 20 minutes to ask Alan about his reading group.",
        }
    )


def test_a_signed_in_request_is_confirmed_in_one_write_with_its_connector_still_a_member(office):
    intro = intake.submit(
        office.store, office.settings, _request(), office.now, "form", "192.0.2.1", proven=True
    )
    stored = office.store.get(intro.id)
    assert stored.state is State.AWAITING_CONNECTOR
    assert Kind.CONFIRM_REQUEST not in stored.outbox and Kind.CONNECTOR_ASK in stored.outbox
    assert stored.history[-1].via == intake.SIGNED_IN
    ref = LedgerOf(Book.CONFIRMATIONS, address_hash(ADA, office.settings.hash_key))
    assert ref not in office.store.stored.ledgers  # nothing waits on a click
    # the introduction, the requester's and connector's ledgers, and the member checks of both
    # (connector, and requester under the members-only request policy); its index entries just before
    assert office.store.commits == [5]


def _without_grace(store: MemoryStore) -> None:
    del store.stored.members[GRACE]


def test_a_signed_in_request_whose_connector_is_removed_meanwhile_is_read_again_and_not_sent(office):
    office.store.race(_without_grace)
    intro = intake.submit(
        office.store, office.settings, _request(), office.now, "form", "192.0.2.1", proven=True
    )
    stored = office.store.get(intro.id)
    assert stored is not None and stored.state is not State.AWAITING_CONNECTOR
    assert Kind.CONNECTOR_ASK not in stored.outbox


def test_a_member_lists_a_line_others_find_it_and_a_pick_resolves_to_them_only(office):
    grace, ada = _session(office, GRACE), _session(office, ADA)
    directory.be_findable(office.store, office.settings, grace, "Compilers, COBOL and the Navy")
    assert directory.my_line(office.store, office.settings, grace) == "Compilers, COBOL and the Navy"
    (found,) = directory.search(office.store, ada, "navy compilers")
    assert (found.name, found.line) == ("Grace Hopper", "Compilers, COBOL and the Navy")
    assert GRACE not in repr(found)  # a listing never carries the address
    assert directory.search(office.store, ada, "navy fortran") == []
    assert directory.search(office.store, None, "navy") == []  # signed-out: nobody is found
    assert directory.resolve(office.store, found.entry) == GRACE
    assert directory.listing(office.store, found.entry) == found
    assert directory.stop(office.store, office.settings.hash_key, GRACE) is True
    assert (
        directory.search(office.store, ada, "navy") == []
        and directory.resolve(office.store, found.entry) is None
    )


def test_only_members_are_listed_and_search(office):
    alan = _session(office, ALAN)
    with pytest.raises(InvalidInput):
        directory.be_findable(office.store, office.settings, alan, "Computable numbers")
    assert office.store.stored.listings == {}
    directory.be_findable(office.store, office.settings, _session(office, ADA), "Analytical engines")
    assert directory.search(office.store, alan, "engines") == []


def test_removal_and_erasure_unlist(office):
    directory.be_findable(office.store, office.settings, _session(office, GRACE), "Compilers")
    directory.be_findable(office.store, office.settings, _session(office, ADA), "Engines")
    membership.remove(office.store, office.settings.hash_key, GRACE, office.now, policy="members")
    personal_data.erase(office.settings.hash_key, office.store, ADA, office.now)
    assert office.store.stored.listings == {}
