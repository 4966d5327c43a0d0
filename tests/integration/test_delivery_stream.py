"""The notifier fed the sample stream batch from events/, as Lambda delivers it: a poison record
among good ones, and replays of what was already sent."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from local.lambdas import invoke
from warm_intro import runtime
from warm_intro.domain.model import Delivery, Kind

EVENT = json.loads((Path(__file__).parents[2] / "events" / "stream_notifier.json").read_text())
EXPECTED = {
    "ada@example.org": Kind.CONFIRM_REQUEST,
    "katherine@example.org": Kind.CONNECTOR_ASK,
    "claude@example.net": Kind.TARGET_ASK,
}


def seed(world) -> dict:
    """The table as the stream saw it: each record's new image is the stored item."""
    event = copy.deepcopy(EVENT)
    for record in event["Records"]:
        runtime.repository().client.put_item(
            TableName=world.settings.table_name, Item=record["dynamodb"]["NewImage"]
        )
    return event


def poison(record: dict) -> dict:
    bad = copy.deepcopy(record)
    bad["eventID"] = "poisoned"
    bad["dynamodb"]["SequenceNumber"] = "442158450000000001745043919"
    bad["dynamodb"]["NewImage"]["pk"] = {"S": "INTRO#nobody-wrote-this"}
    bad["dynamodb"]["NewImage"]["state"] = {"S": "lost"}  # no such state: the image cannot be read
    return bad


def recipients(world) -> list[str]:
    return sorted(a.split("<")[-1].rstrip(">") for m in world.mail() for a in m["to"])


def test_sample_batch_sends_each_message_once(world):
    event = seed(world)
    assert invoke("NotifierFunction", event) == {"batchItemFailures": []}
    assert recipients(world) == sorted(EXPECTED)
    for record in event["Records"]:
        intro = world.intro(record["dynamodb"]["Keys"]["pk"]["S"].removeprefix("INTRO#"))
        (kind,) = [k for k, m in intro.outbox.items() if m.ses_id and m.at == world.now]
        assert intro.outbox[kind].status is Delivery.SENT and kind in EXPECTED.values()


def test_a_poison_record_is_reported_alone_and_blocks_nothing(world):
    event = seed(world)
    good = event["Records"]
    bad = poison(good[0])
    answer = invoke("NotifierFunction", {"Records": [good[0], bad, *good[1:]]})
    assert answer == {"batchItemFailures": [{"itemIdentifier": bad["dynamodb"]["SequenceNumber"]}]}
    assert recipients(world) == sorted(EXPECTED)
    # Lambda retries from the failed record on: the good ones after it come again and send nothing.
    again = invoke("NotifierFunction", {"Records": [bad, *good[1:]]})
    assert again == {"batchItemFailures": [{"itemIdentifier": bad["dynamodb"]["SequenceNumber"]}]}
    assert recipients(world) == sorted(EXPECTED)


def test_replayed_records_never_send_twice(world):
    event = seed(world)
    for _ in range(3):
        assert invoke("NotifierFunction", event) == {"batchItemFailures": []}
    assert recipients(world) == sorted(EXPECTED)
    world.deliver()  # and the stream's own records of the 'sent' writes wake nothing
    assert recipients(world) == sorted(EXPECTED)
