"""Pumps the table's stream into the notifier as the template's event source mapping would, read
from the template itself: the records its FilterCriteria let through, in order, BatchSize at a time.
A function error splits the batch in two before it is retried (BisectBatchOnFunctionError); a partial
answer (ReportBatchItemFailures) checkpoints at the first failed record and retries from there; a batch
still failing after MaximumRetryAttempts retries goes, described as Lambda describes it, to the
dead-letter list (the DestinationConfig OnFailure queue). Lambda does not say whether a bisected
retry counts as a retry; here it does, so no record is offered more than 1 + MaximumRetryAttempts
times, the bound the template promises. Retries follow at once: the shard waits for them, as on Lambda."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

import boto3

from . import template
from .events import stream_event
from .lambdas import invoke


def matches(pattern, value) -> bool:
    """The subset of the event-pattern syntax (Lambda's filters, EventBridge's rules) the template uses:
    nested keys, literal values, {"exists": bool} and {"prefix": str}."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            matches(sub, value.get(key, _MISSING)) for key, sub in pattern.items()
        )
    for option in pattern:
        if isinstance(option, dict) and "exists" in option:
            if option["exists"] == (value is not _MISSING):
                return True
        elif isinstance(option, dict) and "prefix" in option:
            if isinstance(value, str) and value.startswith(option["prefix"]):
                return True
        elif value == option or (isinstance(value, list) and option in value):
            return True
    return False


_MISSING = object()


@dataclass(frozen=True)
class EventSourceMapping:
    """The parts of a function's DynamoDB event source mapping the pump follows."""

    batch_size: int
    max_retries: int
    bisect: bool
    report_failures: bool
    on_failure: str | None  # the destination's logical id
    filters: list[dict]


def event_source_mapping(function: str) -> EventSourceMapping:
    fn = template.resources("AWS::Serverless::Function")[function]
    (props,) = [
        e["Properties"] for e in fn["Properties"].get("Events", {}).values() if e["Type"] == "DynamoDB"
    ]
    retries = int(props.get("MaximumRetryAttempts", -1))
    if retries < 0:
        raise ValueError(
            f"{function}: the local pump needs a finite MaximumRetryAttempts, as the template should"
        )
    destination = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    return EventSourceMapping(
        batch_size=int(props.get("BatchSize", 100)),
        max_retries=retries,
        bisect=bool(props.get("BisectBatchOnFunctionError", False)),
        report_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
        on_failure=destination.split(".")[0] if isinstance(destination, str) else None,
        filters=[json.loads(f["Pattern"]) for f in props.get("FilterCriteria", {}).get("Filters", [])],
    )


@dataclass
class Batch:
    shard: str
    records: list[dict]
    invocations: int = 0


class StreamPump:
    def __init__(
        self,
        stream_arn: str,
        function: str = "NotifierFunction",
        region: str = "us-east-1",
        dead_letter_url: str | None = None,
    ):
        self.arn = stream_arn
        self.dead_letter_url = dead_letter_url  # the OnFailure queue, when there is one
        self.function = function
        self.region = region
        self.client = boto3.client("dynamodbstreams", region_name=region)
        self.iterators: dict[str, str] = {}  # shard id -> sequence number of the last record read
        self.mapping = event_source_mapping(function)
        self.filters = self.mapping.filters
        # What the OnFailure destination received: one message per batch given up on.
        self.dead_letters: list[dict] = []
        # One pump at a time: two would read the same shard iterator and deliver each record twice
        # (the server pumps from its own thread and from every POST /_local/tick).
        self.lock = threading.Lock()

    def pump(self) -> int:
        """Delivers everything new, retries included; returns how many records went in."""
        with self.lock:
            return self._pump()

    def _pump(self) -> int:
        size = self.mapping.batch_size
        queue = deque(
            Batch(shard, records[start : start + size])
            for shard, records in self._new_records().items()
            for start in range(0, len(records), size)
        )
        delivered = 0
        while queue:
            batch = queue.popleft()
            batch.invocations += 1
            delivered += len(batch.records)
            retry, crashed = self._invoke(batch)
            if not retry:
                continue
            again = Batch(batch.shard, retry, batch.invocations)
            if batch.invocations > self.mapping.max_retries:
                self._give_up(again, crashed)
            elif crashed and self.mapping.bisect and len(retry) > 1:
                half = (len(retry) + 1) // 2
                queue.extendleft(
                    [
                        Batch(batch.shard, retry[half:], batch.invocations),
                        Batch(batch.shard, retry[:half], batch.invocations),
                    ]
                )
            else:
                queue.appendleft(again)
        return delivered

    def _invoke(self, batch: Batch) -> tuple[list[dict], bool]:
        """The records to retry (none: the batch is done), and whether the function itself failed."""
        try:
            answer = invoke(self.function, stream_event(batch.records, self.arn)) or {}
        except Exception as error:  # noqa: BLE001 -- a failed invocation: Lambda retries the whole batch
            print(f"{self.function} failed on a batch of {len(batch.records)}: {error!r}", file=sys.stderr)
            return batch.records, True
        failures = answer.get("batchItemFailures") if self.mapping.report_failures else None
        if not failures:
            return [], False
        numbers = [r["dynamodb"]["SequenceNumber"] for r in batch.records]
        named = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
        if not all(n in numbers for n in named):  # an answer naming no record of the batch fails all of it
            return batch.records, False
        return batch.records[min(numbers.index(n) for n in named) :], False

    def _give_up(self, batch: Batch, crashed: bool) -> None:
        first, last = batch.records[0]["dynamodb"], batch.records[-1]["dynamodb"]
        letter = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{self.region}:123456789012:function:{self.function}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": batch.invocations,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled" if crashed else "",
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": batch.shard,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": _arrival(first),
                "approximateArrivalOfLastRecord": _arrival(last),
                "batchSize": len(batch.records),
                "streamArn": self.arn,
            },
        }
        self.dead_letters.append(letter)
        if self.dead_letter_url:
            sqs = boto3.client("sqs", region_name=self.region)
            sqs.send_message(QueueUrl=self.dead_letter_url, MessageBody=json.dumps(letter))
        print(
            f"{self.function}: gave up on {len(batch.records)} record(s) after {batch.invocations} tries; "
            f"dead letter kept for {self.mapping.on_failure}",
            file=sys.stderr,
        )

    def _new_records(self) -> dict[str, list[dict]]:
        shards = self.client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        records: dict[str, list[dict]] = {}
        for shard in shards:
            shard_id = shard["ShardId"]
            # A fresh iterator after the last record seen, each time: moto undoes a cancelled
            # transaction by swapping in a copy of the table, and an old iterator would keep
            # reading the replaced stream and miss every record written after it.
            where = {"ShardIteratorType": "TRIM_HORIZON"}
            if shard_id in self.iterators:
                where = {
                    "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                    "SequenceNumber": self.iterators[shard_id],
                }
            iterator = self.client.get_shard_iterator(StreamArn=self.arn, ShardId=shard_id, **where)[
                "ShardIterator"
            ]
            wanted: list[dict] = []
            # Every page, not the first only: a page whose records the filter all drops says nothing
            # about the records after it.
            while iterator and (page := self.client.get_records(ShardIterator=iterator))["Records"]:
                self.iterators[shard_id] = page["Records"][-1]["dynamodb"]["SequenceNumber"]
                wanted += [r for r in page["Records"] if self._wanted(r)]
                iterator = page.get("NextShardIterator")
            if wanted:
                records[shard_id] = wanted
        return records

    def _wanted(self, record: dict) -> bool:
        return not self.filters or any(matches(f, record) for f in self.filters)


def _arrival(record: dict) -> str:
    created = record.get("ApproximateCreationDateTime")
    moment = created if isinstance(created, datetime) else datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
