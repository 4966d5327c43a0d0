"""Messages parked for a person: 'failed' (SES kept refusing) or 'uncertain' (the sender vanished
mid-send, so SES may have sent it), and stream records the notifier gave up on (the dead-letter
queue holds only their stream position). Re-sending sets a message back to pending through the
domain; the table's stream then offers it to the notifier again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from warm_intro.adapters.codec import intro_id_in
from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.delivery import NothingToSend, is_parked
from warm_intro.domain.errors import Conflict
from warm_intro.domain.model import Delivery, Intro, Kind
from warm_intro.services.sending import resend

from .target import AdminError, Target


@dataclass
class Parked:
    intro: str
    kind: Kind
    status: str
    at: int


def parked(intro: Intro, now: int) -> list[Parked]:
    return [Parked(intro.id, kind, _label(m), m.at) for kind, m in intro.outbox.items() if is_parked(m, now)]


def _label(message) -> str:
    return {Delivery.SENDING: "uncertain", Delivery.PENDING: "stalled"}.get(
        message.status, message.status.value
    )


def find(repo: Repository, ids: list[str], now: int) -> list[Parked]:
    found: list[Parked] = []
    for intro_id in dict.fromkeys(ids):
        intro = repo.get(intro_id)
        if intro is None:
            raise AdminError(f"No introduction {intro_id!r}.")
        found += parked(intro, now)
    return found


def recent_ids(repo: Repository, span: list[str]) -> list[str]:
    return [intro.id for month in span for intro in repo.created_in(month)]


def resend_all(repo: Repository, messages: list[Parked], now: int) -> list[str]:
    lines = []
    for m in messages:
        try:
            resend(repo, m.intro, m.kind, now)
            lines.append(f"{m.intro} {m.kind.value}: {m.status} -> pending")
        except (NothingToSend, Conflict):  # it moved on since we looked: leave it to whoever moved it
            lines.append(f"{m.intro} {m.kind.value}: changed meanwhile, left alone")
    return lines


# the dead-letter queue ---------------------------------------------------------------------------


@dataclass
class DeadLetters:
    ids: list[str] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)  # messages whose intros were all found
    unreadable: int = 0  # too old for the stream (24 h) or not a stream batch


def read_dead_letters(target: Target, limit: int = 100) -> DeadLetters:
    if not target.dead_letter_url:
        raise AdminError(
            f"{target.label} has no dead-letter queue (use --stack for a deployed organisation)."
        )
    sqs, streams = target.client("sqs"), target.client("dynamodbstreams")
    found = DeadLetters()
    seen: set[str] = set()
    while len(seen) < limit:
        batch = sqs.receive_message(
            QueueUrl=target.dead_letter_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=300
        ).get("Messages", [])
        fresh = [m for m in batch if m["MessageId"] not in seen]
        if not fresh:
            break
        for message in fresh:
            seen.add(message["MessageId"])
            ids = intro_ids(streams, message["Body"])
            if ids is None:
                found.unreadable += 1
                continue
            found.ids += ids
            found.receipts.append(message["ReceiptHandle"])
    return found


def intro_ids(streams, body: str) -> list[str] | None:
    """The introductions in the stream batch a dead letter points at; None when it cannot be read back."""
    try:
        info = json.loads(body)["DDBStreamBatchInfo"]
        iterator = streams.get_shard_iterator(
            StreamArn=info["streamArn"],
            ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=info["startSequenceNumber"],
        )["ShardIterator"]
    except (ValueError, KeyError, TypeError):
        return None
    except ClientError as error:
        if error.response["Error"]["Code"] in ("TrimmedDataAccessException", "ResourceNotFoundException"):
            return None
        raise
    last = int(info["endSequenceNumber"])
    ids: list[str] = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator, Limit=100)
        for record in page["Records"]:
            if int(record["dynamodb"]["SequenceNumber"]) > last:
                return ids
            if (intro_id := intro_id_in(record["dynamodb"]["Keys"])) is not None:
                ids.append(intro_id)
        if not page["Records"]:
            break
        iterator = page.get("NextShardIterator")
    return ids


def forget(target: Target, receipts: list[str]) -> None:
    sqs = target.client("sqs")
    for receipt in receipts:
        sqs.delete_message(QueueUrl=target.dead_letter_url, ReceiptHandle=receipt)
