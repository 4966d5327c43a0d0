"""Pumps the table's stream into the notifier as Lambda's event source mapping would: in order,
in batches, retrying only the records the notifier reports as failed."""

from __future__ import annotations

import json
import sys
import threading

import boto3

from . import template
from .events import stream_event
from .lambdas import invoke


def _matches(pattern, value) -> bool:
    """The subset of Lambda's event-filter syntax the template uses: nested keys, literal values,
    {"exists": bool} and {"prefix": str}."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            _matches(sub, value.get(key, _MISSING)) for key, sub in pattern.items()
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


def template_filters(function: str) -> list[dict]:
    fn = template.resources("AWS::Serverless::Function")[function]
    for event in fn["Properties"].get("Events", {}).values():
        if event["Type"] == "DynamoDB":
            return [
                json.loads(f["Pattern"])
                for f in event["Properties"].get("FilterCriteria", {}).get("Filters", [])
            ]
    return []


class StreamPump:
    def __init__(self, stream_arn: str, function: str = "NotifierFunction", region: str = "us-east-1"):
        self.arn = stream_arn
        self.function = function
        self.client = boto3.client("dynamodbstreams", region_name=region)
        self.iterators: dict[str, str] = {}  # shard id -> sequence number of the last record read
        self.retry: list[dict] = []
        self.filters = template_filters(function)
        # One pump at a time: two would read the same shard iterator and deliver each record twice
        # (the server pumps from its own thread and from every POST /_local/tick).
        self.lock = threading.Lock()

    def pump(self, max_attempts: int = 3) -> int:
        """Delivers everything new (and earlier failures); returns how many records went in."""
        with self.lock:
            return self._pump(max_attempts)

    def _pump(self, max_attempts: int) -> int:
        records = self.retry + self._new_records()
        self.retry = []
        delivered = 0
        for start in range(0, len(records), 10):
            batch = records[start : start + 10]
            delivered += len(batch)
            try:
                answer = invoke(self.function, stream_event(batch, self.arn)) or {}
                failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
            except Exception as error:  # noqa: BLE001 -- a failed invocation: Lambda retries the whole batch
                print(f"notifier failed on a batch of {len(batch)}: {error!r}", file=sys.stderr)
                failed = {r["dynamodb"]["SequenceNumber"] for r in batch}
            for record in batch:
                if record["dynamodb"]["SequenceNumber"] in failed:
                    record["_attempts"] = record.get("_attempts", 0) + 1
                    if record["_attempts"] < max_attempts:
                        self.retry.append(record)
        return delivered

    def _new_records(self) -> list[dict]:
        shards = self.client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        records = []
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
            page = self.client.get_records(ShardIterator=iterator)
            if page["Records"]:
                self.iterators[shard_id] = page["Records"][-1]["dynamodb"]["SequenceNumber"]
            records += [r for r in page["Records"] if self._wanted(r)]
        return records

    def _wanted(self, record: dict) -> bool:
        return not self.filters or any(_matches(f, record) for f in self.filters)
