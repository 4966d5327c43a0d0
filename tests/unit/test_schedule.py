"""What time does to one introduction, in the pure domain, moment by moment."""

from __future__ import annotations

from dataclasses import replace

from warm_intro.domain.delivery import is_parked
from warm_intro.domain.lifecycle import GO, Admission, decide, new_request
from warm_intro.domain.model import (
    Decision,
    Delivery,
    Grant,
    Intro,
    Kind,
    Person,
    Purpose,
    Role,
    State,
    Target,
)
from warm_intro.domain.rules import DAY, HOUR, LEASE_SECONDS, Timings
from warm_intro.domain.schedule import due_at, tick

T = 1_790_000_000
TIMINGS = Timings()
GRANTS = {
    Decision.CONFIRM: Grant(Role.REQUESTER, Purpose.CONFIRM, T + 99 * DAY),
    Decision.APPROVE: Grant(Role.CONNECTOR, Purpose.REVIEW, T + 99 * DAY),
    Decision.ACCEPT: Grant(Role.TARGET, Purpose.CONSENT, T + 99 * DAY),
}


def delivered(intro: Intro, now: int, status: Delivery = Delivery.SENT) -> Intro:
    """What the notifier would do with every pending message at `now`."""
    outbox = {
        k: replace(m, status=status, at=now) if m.status is Delivery.PENDING else m
        for k, m in intro.outbox.items()
    }
    return intro.evolve(outbox=outbox)


def requested() -> Intro:
    intro = new_request(
        "i1",
        Person("Ada Lovelace", "ada@example.org"),
        "grace@example.org",
        Target("Alan Turing", "alan@example.net"),
        "Hello.",
        T,
        "api",
    )
    return delivered(intro, T)


def step(intro: Intro, decision: Decision, now: int, admission: Admission = GO) -> Intro:
    return delivered(decide(intro, GRANTS[decision], decision, now, via="test", admission=admission), now)


def test_unconfirmed_lapses_quietly_after_a_day():
    intro = requested()
    assert due_at(intro, TIMINGS) == T + 24 * HOUR
    assert tick(intro, T + 24 * HOUR - 1, TIMINGS) is intro
    expired = tick(intro, T + 24 * HOUR, TIMINGS)
    assert expired.state is State.EXPIRED and set(expired.outbox) == {
        Kind.CONFIRM_REQUEST
    }  # nothing new to send
    assert (expired.history[-1].actor, expired.history[-1].action) == (Role.SYSTEM, "expire")
    assert due_at(expired, TIMINGS) == expired.decided_at + TIMINGS.retention  # only to forget the blurb


def test_reminder_counts_from_when_the_ask_went_out():
    intro = decide(requested(), GRANTS[Decision.CONFIRM], Decision.CONFIRM, T, via="test")
    intro = delivered(intro, T + 2 * HOUR)  # SES refused for two hours first
    assert due_at(intro, TIMINGS) == T + 2 * HOUR + 4 * DAY
    assert tick(intro, T + 4 * DAY, TIMINGS) is intro
    reminded = tick(intro, T + 2 * HOUR + 4 * DAY, TIMINGS)
    assert reminded.outbox[Kind.CONNECTOR_REMINDER].status is Delivery.PENDING
    assert reminded.reminded == {Role.CONNECTOR}
    sent = delivered(reminded, T + 5 * DAY)
    assert due_at(sent, TIMINGS) == T + 10 * DAY  # only the expiry is left


def test_an_ask_that_never_went_out_is_not_chased_but_still_closes():
    intro = step(requested(), Decision.CONFIRM, T)
    intro = intro.evolve(
        outbox={
            **intro.outbox,
            Kind.CONNECTOR_ASK: replace(intro.outbox[Kind.CONNECTOR_ASK], status=Delivery.FAILED),
        }
    )
    assert due_at(intro, TIMINGS) == T + 10 * DAY
    closed = tick(intro, T + 10 * DAY, TIMINGS)
    assert closed.state is State.EXPIRED and closed.outbox[Kind.CLOSED].status is Delivery.HELD
    assert Kind.CONNECTOR_REMINDER not in closed.outbox
    assert (
        tick(closed, T + 20 * DAY, TIMINGS).outbox[Kind.CLOSED].status is Delivery.PENDING
    )  # the requester's moment


def test_a_held_ask_is_left_to_admission_and_cancelled_by_expiry():
    intro = delivered(
        decide(
            requested(),
            GRANTS[Decision.CONFIRM],
            Decision.CONFIRM,
            T,
            via="test",
            admission=Admission(hold=True, connector_name="Grace Hopper"),
        ),
        T,
    )
    assert intro.outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    assert due_at(intro, TIMINGS) == T + 10 * DAY  # not every 15 minutes: the clock cannot release it
    assert tick(intro, T + 5 * DAY, TIMINGS) is intro
    closed = tick(intro, T + 10 * DAY, TIMINGS)
    assert closed.outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED
    assert closed.outbox[Kind.CLOSED].status is Delivery.HELD and due_at(closed, TIMINGS) == T + 20 * DAY


def test_expiry_wins_over_a_reminder_due_at_the_same_time():
    late = Timings(reminder_days=12, expiry_days=10)
    intro = step(requested(), Decision.CONFIRM, T)
    closed = tick(intro, T + 30 * DAY, late)
    assert closed.state is State.EXPIRED and Kind.CONNECTOR_REMINDER not in closed.outbox
    assert closed.outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT  # what was sent stays on record


def test_expiry_counts_from_the_current_ask():
    intro = step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, T + 9 * DAY)
    assert tick(intro, T + 10 * DAY, TIMINGS) is intro
    assert tick(intro, T + 19 * DAY, TIMINGS).state is State.EXPIRED


def test_followup_a_week_after_the_introduction_went_out_and_only_once():
    intro = step(step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, T), Decision.ACCEPT, T + DAY)
    assert due_at(intro, TIMINGS) == T + 8 * DAY
    asked = delivered(tick(intro, T + 8 * DAY, TIMINGS), T + 8 * DAY)
    assert asked.outbox[Kind.FOLLOWUP].status is Delivery.SENT
    assert due_at(asked, TIMINGS) == asked.decided_at + TIMINGS.retention  # only to forget the blurb
    later = tick(asked, T + 80 * DAY, TIMINGS)
    assert later.outbox == asked.outbox and later.blurb == ""
    assert due_at(later, TIMINGS) == later.decided_at + TIMINGS.intro_retention  # only to anonymise it


def test_no_followup_about_an_introduction_that_never_arrived():
    intro = step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, T)
    intro = step(intro, Decision.ACCEPT, T)
    bounced = intro.evolve(
        outbox={
            **intro.outbox,
            Kind.INTRODUCTION: replace(intro.outbox[Kind.INTRODUCTION], status=Delivery.SUPPRESSED),
        }
    )
    assert due_at(bounced, TIMINGS) == bounced.decided_at + TIMINGS.retention  # only to forget the blurb
    assert tick(bounced, T + 30 * DAY, TIMINGS).outbox == bounced.outbox


def test_a_claim_never_confirmed_is_parked_for_a_person_and_never_resent_by_the_clock():
    intro = decide(requested(), GRANTS[Decision.CONFIRM], Decision.CONFIRM, T, via="test")
    intro = delivered(intro, T, Delivery.SENDING)
    assert (
        due_at(intro, TIMINGS) == T + 10 * DAY
    )  # only expiry: no reminder for an ask that may not have arrived
    assert tick(intro, T + DAY, TIMINGS) is intro
    message = intro.outbox[Kind.CONNECTOR_ASK]
    assert not is_parked(message, T + LEASE_SECONDS - 1) and is_parked(message, T + LEASE_SECONDS)
