"""Sending one message exactly once: claimed in a versioned write, sent, then recorded; a refusal
is marked for retry; a suppressed recipient is never mailed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from warm_intro.domain.delivery import NothingToSend
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services import sending

from .conftest import ADA, ALAN, GRACE

K = Kind.CONFIRM_REQUEST


def test_a_message_is_claimed_sent_and_recorded_without_reading_the_stream_image_again(office):
    intro = office.ask()
    reads = office.store.reads
    assert (
        sending.deliver(office.store, office.mailer, office.settings, intro, K, office.now) is Delivery.SENT
    )
    assert office.store.reads == reads  # the claim and the record use what they hold
    stored = office.store.get(intro.id)
    assert stored.outbox[K].status is Delivery.SENT and stored.outbox[K].ses_id == "ses-1"
    assert stored.version == intro.version + 2 and len(stored.tokens) == 2  # claimed, then recorded
    assert office.mailer.sent[0][1] == [ADA]


def test_a_message_already_sent_is_not_sent_again(office):
    intro = office.ask()
    sending.deliver(office.store, office.mailer, office.settings, intro, K, office.now)
    # the stream delivers the same record again
    assert (
        sending.deliver(office.store, office.mailer, office.settings, intro, K, office.now) is Delivery.SENT
    )
    assert len(office.mailer.sent) == 1


def test_a_claim_that_loses_a_race_reads_again_and_still_sends_once(office):
    intro = office.ask()
    office.store.race(lambda store: store.write(store.get(intro.id)))
    assert (
        sending.deliver(office.store, office.mailer, office.settings, intro, K, office.now) is Delivery.SENT
    )
    assert len(office.mailer.sent) == 1 and office.store.get(intro.id).outbox[K].status is Delivery.SENT


def test_a_refusal_is_marked_for_retry_and_reported(office):
    intro = office.ask()
    office.mailer.refuse = 1
    with pytest.raises(sending.SendFailed):
        sending.deliver(office.store, office.mailer, office.settings, intro, K, office.now)
    message = office.store.get(intro.id).outbox[K]
    assert (message.status, message.attempts) == (Delivery.RETRY, 1) and office.mailer.sent == []


def test_a_suppressed_target_is_never_asked_and_the_request_closes(office):
    office.store.begin(office.now).people.suppress(address_hash(ALAN, office.settings.hash_key), "bounced", 0)
    intro = office.awaiting_connector()
    office.answer(GRACE, "approve")
    office.deliver()
    stored = office.store.get(intro.id)
    assert office.mailer.to(ALAN) == []
    assert stored.state is State.REFUSED


def test_an_operator_resends_a_failed_message_and_only_a_parked_one(office):
    intro = office.ask()
    failed = replace(intro.outbox[K], status=Delivery.FAILED, attempts=8)
    stored = office.store.write(intro.evolve(outbox={**intro.outbox, K: failed}))
    resent = sending.resend(office.store, intro.id, K, office.now)
    assert resent.outbox[K].status is Delivery.PENDING and resent.version == stored.version + 1
    assert office.store.get(intro.id) == resent
    with pytest.raises(NothingToSend):
        sending.resend(office.store, intro.id, K, office.now)
