"""The local stream pump behaves as the template's event source mapping says Lambda will: a record
that keeps failing is retried, its batch bisected around it, and once out of retries it goes to the
dead-letter queue as Lambda describes it, so the admin CLI's `outbox resend --dlq` can follow it back;
a partial answer is retried from its first failed record. The numbers are read from the template."""

from __future__ import annotations

import json
from itertools import pairwise

import boto3
import pytest

from local import stream, template
from warm_intro_admin.outbox import intro_ids, read_dead_letters
from warm_intro_admin.target import Target

(EVENT,) = [
    e["Properties"]
    for e in template.resources("AWS::Serverless::Function")["NotifierFunction"]["Properties"][
        "Events"
    ].values()
    if e["Type"] == "DynamoDB"
]
RETRIES, BATCH = int(EVENT["MaximumRetryAttempts"]), int(EVENT["BatchSize"])


def sequence(record: dict) -> str:
    return record["dynamodb"]["SequenceNumber"]


class Notifier:
    """Stands in for the notifier: fails on the poison record, as a whole or as a partial answer."""

    def __init__(self, partial: bool = False):
        self.partial = partial
        self.poison: str | None = None
        self.calls: list[list[str]] = []
        self.done: list[str] = []

    def __call__(self, function: str, event: dict) -> dict:
        numbers = [sequence(r) for r in event["Records"]]
        self.poison = self.poison or numbers[min(3, len(numbers) - 1)]
        self.calls.append(numbers)
        if self.poison not in numbers:
            self.done += numbers
            return {"batchItemFailures": []}
        if not self.partial:
            raise RuntimeError("poison")
        self.done += numbers[: numbers.index(self.poison)]
        return {"batchItemFailures": [{"itemIdentifier": self.poison}]}


@pytest.fixture
def asked(world) -> int:
    """A full batch of requests, each one stream record the notifier's filter lets through."""
    for n in range(BATCH):
        assert world.ask(requester={"name": "Ada Lovelace", "email": f"ada{n}@example.org"}).status == 202
    return BATCH


def test_the_template_asks_for_retries_bisection_and_a_dead_letter_queue():
    assert RETRIES > 0 and BATCH > 2 and EVENT["BisectBatchOnFunctionError"] is True
    assert (
        "ReportBatchItemFailures" in EVENT["FunctionResponseTypes"]
        and EVENT["DestinationConfig"]["OnFailure"]
    )


def test_a_poison_record_is_retried_bisected_and_dead_lettered_exactly_as_configured(
    world, asked, monkeypatch
):
    notifier = Notifier()
    monkeypatch.setattr(stream, "invoke", notifier)
    world.deliver()
    poison, calls = notifier.poison, notifier.calls
    assert len(calls[0]) == BATCH
    with_poison = [len(c) for c in calls if poison in c]
    assert len(with_poison) == 1 + RETRIES  # offered once, then retried MaximumRetryAttempts times
    for size, following in pairwise(with_poison):
        assert following in ({size // 2, (size + 1) // 2} if size > 1 else {1})  # halved, down to itself
    assert with_poison[-1] == 1
    everyone = sorted({n for c in calls for n in c}, key=int)
    assert notifier.done == [n for n in everyone if n != poison]  # the rest once each, in stream order
    (letter,) = world.pump_.dead_letters
    info = letter["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == (poison, poison, 1)
    assert letter["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert letter["requestContext"]["approximateInvokeCount"] == 1 + RETRIES
    # The letter is in the local dead-letter queue, where `warm-intro --local outbox resend --dlq` reads it.
    admin = Target(boto3.Session(region_name="us-east-1"), world.settings.table_name, "local")
    admin.dead_letter_url = world.pump_.dead_letter_url
    found = read_dead_letters(admin)
    assert len(found.ids) == 1 and not found.unreadable
    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    assert intro_ids(streams, json.dumps(letter)) == found.ids
    assert world.intro(found.ids[0]).outbox  # the poisoned introduction, found back from the dead letter
    assert world.deliver() == 0  # the shard moved on: nothing is offered again


def test_a_partial_answer_is_retried_from_its_first_failed_record_then_dead_lettered(
    world, asked, monkeypatch
):
    notifier = Notifier(partial=True)
    monkeypatch.setattr(stream, "invoke", notifier)
    world.deliver()
    poison, calls = notifier.poison, notifier.calls
    first = calls[0]
    rest = first[first.index(poison) :]
    assert calls[1:] == [rest] * RETRIES  # from the checkpoint on, never bisected: no function error
    (letter,) = world.pump_.dead_letters
    info = letter["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == (
        rest[0],
        rest[-1],
        len(rest),
    )
    assert notifier.done == first[: first.index(poison)]


def test_a_record_that_fails_once_is_delivered_on_its_retry_and_never_dead_lettered(
    world, asked, monkeypatch
):
    notifier = Notifier()

    def once(function, event):
        if len(notifier.calls) == 0:
            notifier.calls.append([sequence(r) for r in event["Records"]])
            raise RuntimeError("a passing fault")
        notifier.done += [sequence(r) for r in event["Records"]]
        return {"batchItemFailures": []}

    monkeypatch.setattr(stream, "invoke", once)
    world.deliver()
    assert sorted(notifier.done, key=int) == notifier.calls[0] and not world.pump_.dead_letters
