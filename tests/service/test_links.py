"""Answering a link: the decision, the policy's ledgers, the index and the member checks, in one
write; a race is read again, and the loser sees what was decided."""

from __future__ import annotations

import pytest

from warm_intro.domain.errors import AlreadyDecided, LimitReached
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.lifecycle import decide
from warm_intro.domain.model import Decision, Delivery, Grant, Kind, Purpose, Role, State
from warm_intro.services import membership
from warm_intro.services.unit_of_work import Book, Entry, LedgerOf

from .conftest import ADA, ALAN, GRACE, Office

REAL = "alan.turing@example.net"


def test_confirming_asks_the_connector_and_writes_both_ledgers_with_it(office):
    intro = office.ask()
    office.deliver()
    before = list(office.store.commits)
    after = office.answer(ADA, "confirm")
    key = office.settings.hash_key
    assert (
        after.state is State.AWAITING_CONNECTOR
        and after.outbox[Kind.CONNECTOR_ASK].status is Delivery.PENDING
    )
    # the introduction, the confirmation, requester and connector ledgers (both members read, not checked)
    assert office.store.commits[len(before) :] == [4]
    ledgers = office.store.stored.ledgers
    assert ledgers[LedgerOf(Book.REQUESTER, address_hash(ADA, key))][0].asks[0].intro_id == intro.id
    assert ledgers[LedgerOf(Book.CONNECTOR, address_hash(GRACE, key))][0].version == 1
    assert (
        office.store.get(intro.id).version == after.version == intro.version + 3
    )  # ask, claim, sent, now this


def test_a_connector_removed_as_the_requester_confirms_is_never_asked(office):
    intro = office.ask()
    office.deliver()
    # Her removal lands between the confirm's read of her membership and its write: the removal
    # writes the request again, so the confirm's write fails its version; read again, she is no member.
    office.store.race(
        lambda store: membership.remove(store, office.settings.hash_key, GRACE, office.now, policy="members")
    )
    after = office.answer(ADA, "confirm")
    assert after.state is State.REFUSED and office.store.get(intro.id).state is State.REFUSED
    office.deliver()
    assert office.mailer.to(GRACE) == []


def test_the_loser_of_two_racing_decisions_sees_what_was_decided(office):
    intro = office.awaiting_connector()
    grant = Grant(Role.CONNECTOR, Purpose.REVIEW, office.now + 86400)
    office.store.race(
        lambda store: store.write(decide(intro, grant, Decision.DECLINE, office.now, via="page"))
    )
    with pytest.raises(AlreadyDecided) as raised:
        office.answer(GRACE, "approve")
    assert raised.value.intro.state is State.DECLINED
    assert (
        office.store.get(intro.id).state is State.DECLINED
        and office.store.get(intro.id).outbox.get(Kind.TARGET_ASK) is None
    )


def test_a_corrected_target_address_is_indexed_in_the_approval(office):
    intro = office.awaiting_connector()
    before = len(office.store.commits)
    office.answer(GRACE, "approve", target_email=REAL)
    key = office.settings.hash_key
    assert Entry(address_hash(REAL, key), intro.id, Role.TARGET) in office.store.stored.entries
    assert office.store.commits[before:] == [
        2
    ]  # introduction, target ledger (members read, index entry first)
    office.deliver()
    assert len(office.mailer.to(REAL)) == 1 and office.mailer.to(ALAN) == []


def test_a_target_who_opts_out_is_suppressed_and_the_request_closes(office):
    intro = office.awaiting_target()
    after = office.answer(ALAN, "opt_out")
    assert after.state is State.DECLINED
    assert office.store.stored.suppressions == {address_hash(ALAN, office.settings.hash_key): {"opted_out"}}
    assert office.store.get(intro.id).history[-1].action == "opt_out"


def test_a_requester_at_their_limit_still_frees_their_address_for_the_next_confirmation():
    office = Office(limit_requester_open=1)
    office.awaiting_connector()
    second = office.ask()
    office.deliver()
    with pytest.raises(LimitReached):
        office.answer(ADA, "confirm")
    ledger, _ = office.store.stored.ledgers[
        LedgerOf(Book.CONFIRMATIONS, address_hash(ADA, office.settings.hash_key))
    ]
    assert ledger.outstanding is None and office.store.get(second.id).state is State.UNCONFIRMED
