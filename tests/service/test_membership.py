"""Removing a member: what it does to the requests still open."""

from __future__ import annotations

from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services import membership
from warm_intro.services.membership import Effect

from .conftest import ADA, GRACE


def _remove(office, email):
    return membership.remove(office.store, office.settings.hash_key, email, office.now, policy="members")


def test_removing_the_connector_stops_their_ask_and_reminders(office):
    intro = office.awaiting_connector()
    removal = _remove(office, GRACE)
    assert removal.was_member and removal.effects == {Effect.CONNECTOR_STOPPED: 1}
    office.advance(days=4)
    office.tick()
    stored = office.store.get(intro.id)
    assert Kind.CONNECTOR_REMINDER not in stored.outbox and stored.state is State.AWAITING_CONNECTOR
    assert _remove(office, GRACE).effects == {Effect.CONNECTOR_STOPPED: 1}  # idempotent: nothing more changes
    again = office.store.get(intro.id)  # only written again (a decision read before it must fail)
    assert again.version == stored.version + 1
    assert again.evolve(version=stored.version, updated_at=stored.updated_at) == stored


def test_removing_the_requester_closes_their_request_quietly(office):
    intro = office.awaiting_connector()
    removal = _remove(office, ADA)
    assert removal.effects == {Effect.REQUESTER_CLOSED: 1}
    stored = office.store.get(intro.id)
    assert stored.state is State.REFUSED and stored.outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT
    assert Kind.CLOSED not in stored.outbox  # nobody is mailed


def test_a_removal_racing_a_decision_is_applied_to_what_was_decided(office):
    intro = office.awaiting_connector()
    office.store.race(lambda store: store.write(store.get(intro.id)))
    assert _remove(office, ADA).effects == {Effect.REQUESTER_CLOSED: 1}
    assert office.store.get(intro.id).state is State.REFUSED
