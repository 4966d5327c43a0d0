"""Proposals ("you two should meet") through the unit of work in memory: taking one (its
confirmation ledger and index entries in one write, a race read again), the connector's confirmation
(their week and the first person's 30 days in the decision's write) and each person's answer."""

from __future__ import annotations

from tests.support.memory import MemoryStore
from warm_intro.api import ProposalRequest
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Flow, Kind, Role, State
from warm_intro.services import proposals
from warm_intro.services.unit_of_work import Book, Entry, LedgerOf

from .conftest import ALAN, GRACE, Office

JOAN = "joan@example.net"
NOTE = (
    "Alan runs the Bletchley reading group and Joan has just started one at Hut 8. "
    "I think they'd enjoy comparing how they choose papers."
)


def propose(
    office: Office, connector: str = GRACE, name: str = "Grace Hopper", store: MemoryStore | None = None
):
    request = ProposalRequest.model_validate(
        {
            "connector": {"name": name, "email": connector},
            "people": [
                {"name": "Alan Turing", "email": ALAN, "about": "runs the Bletchley reading group"},
                {"name": "Joan Clarke", "email": JOAN, "about": "cryptanalyst at Hut 8"},
            ],
            "note": NOTE,
        }
    )
    return proposals.submit(store or office.store, office.settings, request, office.now, "api", "192.0.2.7")


def test_a_proposal_is_one_write_of_the_introduction_its_index_and_the_confirmation_ledger(office):
    intro = propose(office)
    key = office.settings.hash_key
    assert office.store.commits == [2]  # the introduction and the confirmation ledger; its index just before
    stored = office.store.get(intro.id)
    assert stored.flow is Flow.PROPOSAL and stored.state is State.UNCONFIRMED and stored.version == 0
    assert {(e.person, e.role) for e in office.store.stored.entries if e.intro == intro.id} == {
        (address_hash(GRACE, key), Role.CONNECTOR),
        (address_hash(JOAN, key), Role.TARGET),  # asked first: the person named second, by default
        (address_hash(ALAN, key), Role.REQUESTER),
    }
    ledger, _ = office.store.stored.ledgers[LedgerOf(Book.CONFIRMATIONS, address_hash(GRACE, key))]
    assert ledger.version == 1


def test_two_proposals_at_the_same_moment_the_later_reads_the_ledger_again_and_waits(office):
    first: list = []
    office.store.race(lambda store: first.append(propose(office, store=store)))
    second = propose(office)
    assert first and office.store.get(first[0].id).outbox[Kind.CONFIRM_PROPOSAL].status is Delivery.PENDING
    assert office.store.get(second.id).outbox[Kind.CONFIRM_PROPOSAL].status is Delivery.HELD
    assert len(office.store.stored.intros) == 2  # the conflicted attempt wrote nothing


def test_both_yes_one_introduction_and_each_persons_ledger_counted_once(office):
    intro = propose(office)
    office.deliver()
    office.answer(GRACE, "confirm")
    key = office.settings.hash_key
    stored = office.store.stored.ledgers
    assert stored[LedgerOf(Book.CONNECTOR, address_hash(GRACE, key))][0].version == 1
    assert stored[LedgerOf(Book.TARGET, address_hash(JOAN, key))][0].version == 1
    office.deliver()
    assert office.mailer.to(ALAN) == [] and len(office.mailer.to(JOAN)) == 1
    assert office.answer(JOAN, "accept").state is State.AWAITING_SECOND
    assert stored[LedgerOf(Book.TARGET, address_hash(ALAN, key))][0].version == 1
    office.deliver()
    assert office.answer(ALAN, "accept").state is State.INTRODUCED
    office.deliver()
    (introduction,) = [m for m in office.mailer.to(ALAN) if m["Subject"].startswith("Introduction:")]
    assert JOAN in introduction["To"] and GRACE in introduction["Cc"]
    assert office.store.get(intro.id).state is State.INTRODUCED


def test_an_opted_out_first_person_closes_it_at_confirmation_and_nobody_is_asked(office):
    office.store.stored.suppressions[address_hash(JOAN, office.settings.hash_key)] = {"opted_out"}
    intro = propose(office)
    office.deliver()
    after = office.answer(GRACE, "confirm")
    office.deliver()
    assert not after.is_open and office.store.get(intro.id).state is after.state
    assert office.mailer.to(JOAN) == office.mailer.to(ALAN) == []


def test_a_non_member_proposer_is_refused_and_nobody_is_asked(office):
    intro = propose(office, connector="eve@example.com", name="Eve")
    office.deliver()
    assert office.answer("eve@example.com", "confirm").state is State.REFUSED
    office.deliver()
    assert office.store.get(intro.id).state is State.REFUSED
    assert office.mailer.to(JOAN) == office.mailer.to(ALAN) == []
    assert (
        Entry(address_hash(JOAN, office.settings.hash_key), intro.id, Role.TARGET)
        in office.store.stored.entries
    )
