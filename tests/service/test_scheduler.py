"""The scheduled run: what has come due is written once, on the version read."""

from __future__ import annotations

from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services import admission

from .conftest import GRACE, Office


def test_a_due_reminder_is_written_once_and_sent_once(office):
    intro = office.awaiting_connector()
    office.advance(days=4)
    report = office.tick()
    assert (report.due, report.changed, report.conflicts) == (1, 1, 0)
    assert office.store.get(intro.id).outbox[Kind.CONNECTOR_REMINDER].status is Delivery.PENDING
    again = office.tick()
    assert (again.due, again.changed) == (0, 0)
    office.deliver()
    assert [m["subject"] for m in office.mailer.to(GRACE)][-1].startswith("Reminder")


def test_a_run_that_keeps_losing_to_another_writer_counts_a_conflict_and_writes_nothing(office):
    intro = office.awaiting_connector()
    office.advance(days=4)
    for _ in range(2):
        office.store.race(lambda store: store.write(store.get(intro.id)))
    report = office.tick()
    assert (report.changed, report.conflicts) == (0, 1)
    assert Kind.CONNECTOR_REMINDER not in office.store.get(intro.id).outbox


def test_a_connector_removed_before_the_reminder_is_not_reminded(office):
    intro = office.awaiting_connector()
    office.store.stored.members.pop(GRACE)
    office.advance(days=4)
    assert office.tick().changed == 1
    stored = office.store.get(intro.id)
    assert stored.outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT
    assert Kind.CONNECTOR_REMINDER not in stored.outbox and stored.history[-1].action == "connector_removed"


def test_silence_expires_the_request_and_the_neutral_close_goes_out_later(office):
    intro = office.awaiting_connector()
    office.advance(days=11)
    office.tick()
    assert office.store.get(intro.id).state is State.EXPIRED


def test_a_held_ask_goes_out_when_the_connectors_week_has_room():
    office = Office(limit_connector_week=1)
    office.awaiting_connector()
    second = office.ask("joan@example.net", target="Joan Clarke")  # Grace's second ask this week
    office.deliver()
    office.answer("ada@example.org", "confirm")
    assert office.store.get(second.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    assert admission.release_held(office.settings, office.store, office.now) == 0
    office.advance(days=8)
    assert admission.release_held(office.settings, office.store, office.now) == 1
    assert office.store.get(second.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.PENDING
