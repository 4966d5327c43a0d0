"""The scheduler's DynamoDB calls grow with what is due, never with the table: 2,000 introductions
that are not due cost it nothing; each due one costs one read and one write (plus the membership
read and check of a connector about to be reminded)."""

from __future__ import annotations

from collections import Counter

from warm_intro import runtime
from warm_intro.adapters.codec import to_item
from warm_intro.adapters.dynamodb import dump
from warm_intro.domain.lifecycle import close
from warm_intro.domain.model import Delivery, Intro, Kind, Message, Person, State, Target
from warm_intro.domain.rules import DAY
from warm_intro.services.scheduler import run_due


def waiting(n: int, asked_at: int) -> Intro:
    """A request whose connector was asked (and mailed) at `asked_at`."""
    return Intro(
        id=f"i{n:05d}",
        state=State.AWAITING_CONNECTOR,
        created_at=asked_at,
        updated_at=asked_at,
        requester=Person("Ada Lovelace", "ada@example.org"),
        connector=Person("Grace Hopper", "grace@example.org"),
        target=Target("Alan Turing", "alan@example.net"),
        blurb="Hello.",
        asked_at=asked_at,
        outbox={Kind.CONNECTOR_ASK: Message(Kind.CONNECTOR_ASK, Delivery.SENT, asked_at)},
    )


def declined(n: int, at: int) -> Intro:
    intro = close(waiting(n, at), State.DECLINED, at, Kind.CLOSED)
    return intro.evolve(
        blurb="",  # long closed: its blurb was forgotten (issue 6), nothing left to do
        outbox={**intro.outbox, Kind.CLOSED: Message(Kind.CLOSED, Delivery.SENT, at)},
    )


def put_all(world, intros: list[Intro]) -> None:
    client, table, timings = runtime.client("dynamodb"), world.settings.table_name, runtime.settings().timings
    for start in range(0, len(intros), 25):
        batch = [{"PutRequest": {"Item": dump(to_item(i, timings))}} for i in intros[start : start + 25]]
        assert not client.batch_write_item(RequestItems={table: batch}).get("UnprocessedItems")


def indexed(world) -> int:
    answer = runtime.client("dynamodb").query(
        TableName=world.settings.table_name,
        IndexName="due",
        Select="COUNT",
        KeyConditionExpression="due_pk = :p",
        ExpressionAttributeValues={":p": {"S": "due"}},
    )
    return answer["Count"]


def calls_of_one_run(world) -> tuple[Counter, object]:
    calls: Counter = Counter()

    def count(event_name: str, **_) -> None:
        calls[event_name.rsplit(".", 1)[1]] += 1

    client = runtime.client("dynamodb")
    client.meta.events.register("before-call.dynamodb.*", count)
    try:
        report = run_due(runtime.repository(), world.now)
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", count)
    return calls, report


def test_calls_grow_with_due_introductions_not_with_the_table(world):
    now = world.now
    empty, _ = calls_of_one_run(world)
    assert empty == Counter(Query=1)

    # 1,000 waiting on a connector asked just now (in the due index, but not due for days),
    # 1,000 long closed (in the index too, but not due until IntroRetentionDays anonymises them).
    put_all(
        world,
        [waiting(n, now) for n in range(1000)] + [declined(n, now - 90 * DAY) for n in range(1000, 2000)],
    )
    assert indexed(world) == 2000  # all in the index, none of them due yet
    full, report = calls_of_one_run(world)
    assert full == empty and report.due == 0

    due = [waiting(n, now - 5 * DAY) for n in range(2000, 2007)]  # reminders due
    put_all(world, due)
    with_due, report = calls_of_one_run(world)
    assert report.changed == len(due)
    # A connector's reminder also reads their membership, and reads it again (consistently) just before
    # its one conditional write: a removal after that read rewrites the introduction, failing the write.
    assert with_due == empty + Counter(GetItem=2 * len(due), BatchGetItem=len(due), PutItem=len(due))
    assert all(Kind.CONNECTOR_REMINDER in world.intro(i.id).outbox for i in due)

    again, report = calls_of_one_run(world)
    assert again == empty and report.due == 0  # and once done, they cost nothing either
