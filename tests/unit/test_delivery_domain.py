"""The life of one message, in the pure domain: the attempt cap, what wakes the notifier, re-send."""

from __future__ import annotations

import pytest

from warm_intro.domain import delivery
from warm_intro.domain.lifecycle import new_request
from warm_intro.domain.model import Delivery, Kind, Person, Target
from warm_intro.domain.rules import LEASE_SECONDS, Timings
from warm_intro.domain.schedule import due_at, tick

T = 1_790_000_000
K = Kind.CONFIRM_REQUEST
TIMINGS = Timings()


def fresh():
    return new_request(
        "i1",
        Person("Ada Lovelace", "ada@example.org"),
        "grace@example.org",
        Target("Alan Turing", "alan@example.net"),
        "Hello.",
        T,
        "api",
    )


def refuse(intro, now):
    return delivery.refused(delivery.claim(intro, K, now, {}), K, now)


def test_refused_message_waits_for_the_clock_not_the_stream():
    intro = refuse(fresh(), T)
    assert intro.outbox[K].status is Delivery.RETRY
    assert delivery.pending(intro) == []  # the stream filter will not wake the notifier for it
    assert tick(intro, T + 60, TIMINGS) is intro
    later = tick(intro, T + TIMINGS.retry, TIMINGS)
    assert later.outbox[K].status is Delivery.PENDING and delivery.pending(later) == [K]


def test_after_max_attempts_a_message_is_parked_as_failed_and_the_clock_leaves_it():
    intro, now = fresh(), T
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        intro = refuse(intro, now)
        assert intro.outbox[K].attempts == attempt
        now += TIMINGS.retry
        intro = tick(intro, now, TIMINGS)
    assert intro.outbox[K].status is Delivery.FAILED
    with pytest.raises(delivery.NothingToSend):
        delivery.claim(intro, K, now, {})
    message_times = [m.at + TIMINGS.retry for m in intro.outbox.values()]
    assert due_at(intro, TIMINGS) not in message_times  # only the request's own expiry remains due
    assert tick(intro, now + TIMINGS.retry * 10, TIMINGS).outbox[K].status is not Delivery.PENDING


@pytest.mark.parametrize(("status", "later"), [(Delivery.FAILED, 5), (Delivery.SENDING, LEASE_SECONDS)])
def test_an_operator_can_resend_failed_or_uncertain(status, later):
    """'Uncertain' is a claim older than the lease: its sender vanished, SES may have sent it."""
    intro = delivery.claim(fresh(), K, T, {})
    intro = delivery._set(intro, K, T, status=status, attempts=8)
    again = delivery.resend(intro, K, T + later)
    assert again.outbox[K].status is Delivery.PENDING and again.outbox[K].attempts == 0
    assert again.version == intro.version and delivery.pending(again) == [K]  # the repository bumps it


@pytest.mark.parametrize("status", [Delivery.SENT, Delivery.PENDING, Delivery.SENDING, Delivery.SUPPRESSED])
def test_resend_refuses_anything_else(status):
    intro = delivery._set(fresh(), K, T, status=status)
    with pytest.raises(delivery.NothingToSend):
        delivery.resend(intro, K, T)
