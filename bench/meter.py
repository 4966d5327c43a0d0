"""Counts what each lifecycle step costs, from the inside: every AWS call the handlers make (botocore
event hooks on the clients warm_intro.runtime builds), every Lambda invocation with its duration and
the bytes it logs, and the request units DynamoDB would bill (see sizes.py and docs/benchmark.md)."""

from __future__ import annotations

import io
import json
import math
import re
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.utils import getaddresses

import boto3

from local import lambdas, outbox, template
from warm_intro import runtime

from .sizes import item_size, rru, wru

LAMBDA_LOG_LINES = 300  # START, END and REPORT lines Lambda itself writes per invocation, in bytes


@dataclass
class Tally:
    http: int = 0
    invocations: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)  # "dynamodb.GetItem" -> n
    rru: float = 0.0
    wru: float = 0.0  # table writes, transactions counted twice
    gsi_wru: float = 0.0
    emails: int = 0
    recipients: int = 0
    log_bytes: int = 0
    billed_ms: int = 0  # sum over invocations of the duration rounded up to 1 ms
    billed_by: Counter = field(default_factory=Counter)  # the same, per function
    aws_ms: float = 0.0  # of which: waiting on (moto's) AWS
    subjects: list = field(default_factory=list)
    at: int = 0  # the (moved) clock when the step ran
    handled: list = field(default_factory=list)  # (function, event) as each invocation got it
    metrics: Counter = field(default_factory=Counter)  # (namespace, metric, dimension names) -> datapoints
    trace: list = field(default_factory=list)  # (service, operation, parsed answer), in order

    def add(self, other: Tally) -> None:
        for name in (
            "http",
            "rru",
            "wru",
            "gsi_wru",
            "emails",
            "recipients",
            "log_bytes",
            "billed_ms",
            "aws_ms",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.invocations.update(other.invocations)
        self.calls.update(other.calls)
        self.metrics.update(other.metrics)
        self.billed_by.update(other.billed_by)
        self.subjects += other.subjects

    @property
    def ddb_reads(self) -> int:
        return sum(n for op, n in self.calls.items() if op.split(".")[1] in READS)

    @property
    def ddb_writes(self) -> int:
        return sum(n for op, n in self.calls.items() if op.split(".")[1] in WRITES)

    def as_dict(self) -> dict:
        return {
            "http_requests": self.http,
            "invocations": dict(self.invocations),
            "aws_calls": dict(sorted(self.calls.items())),
            "dynamodb_reads": self.ddb_reads,
            "dynamodb_writes": self.ddb_writes,
            "rru": self.rru,
            "wru": self.wru,
            "gsi_wru": self.gsi_wru,
            "ses_messages": self.emails,
            "ses_recipients": self.recipients,
            "log_bytes": self.log_bytes,
            "billed_ms": self.billed_ms,
            "aws_ms": round(self.aws_ms, 1),
        }


READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


class Tap(io.TextIOBase):
    """Stands in for stdout (before any Logger is built, since a Logger keeps the stream it finds):
    while capturing, counts what would go to CloudWatch Logs instead of printing it."""

    def __init__(self, real):
        self.real = real
        self.capturing = False
        self.count = 0
        self.metrics: Counter = Counter()  # custom metrics in the EMF lines written while capturing

    def write(self, text: str) -> int:
        if self.capturing:
            self.count += len(text.encode())
            if '"_aws"' in text:
                self._emf(text)
        else:
            self.real.write(text)
        return len(text)

    def flush(self) -> None:
        self.real.flush()

    def _emf(self, text: str) -> None:
        """CloudWatch bills a custom metric per namespace, name and set of dimension values."""
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            for directive in record.get("_aws", {}).get("CloudWatchMetrics", []):
                for dims in directive.get("Dimensions", [[]]):
                    key = tuple(f"{d}={record.get(d)}" for d in dims)
                    for metric in directive.get("Metrics", []):
                        self.metrics[(directive.get("Namespace"), metric["Name"], key)] += 1


class Meter:
    def __init__(self, tap: Tap):
        self.tap = tap
        self.current: Tally | None = None
        self.shadow: dict[tuple, dict] = {}  # last known full item per key, for sizes of old items
        # Bytes each item written since `left.clear()` holds now: what a walk leaves in the table.
        self.left: dict[tuple, int] = {}
        self.indexes = _indexes()
        self.keys = [k["AttributeName"] for k in template.table_definition()["KeySchema"]]
        self.http_functions = {r.function for r in template.routes()}
        self.last_event: dict[str, dict] = {}
        self._started: float = 0.0
        self._pending: tuple | None = None
        self._raw = None  # an unhooked client, for reads that only size what was billed
        self._reads: list[tuple] = []  # (tally, op, params, answer) of the step's Queries and Scans

    # wiring ------------------------------------------------------------------------------------
    def install(self) -> None:
        original = runtime.client

        def client(service: str):
            made = original(service)
            if not getattr(made, "_bench_hooked", False):  # not id(): a new client may reuse a freed one's
                made._bench_hooked = True
                made.meta.events.register("before-parameter-build.*.*", self._before)
                made.meta.events.register("after-call.*.*", self._after)
            return made

        client.cache_clear = original.cache_clear  # runtime.reset() clears the real cache
        runtime.client = client
        for function in template.functions():
            module = lambdas.module(function)
            module.lambda_handler = self._timed(function, module.lambda_handler)

    @contextmanager
    def step(self, tally: Tally):
        self.current = tally
        try:
            yield tally
        finally:
            self.current = None
            self._bill_reads()

    def _timed(self, function: str, handler):
        def lambda_handler(event, context):
            self.last_event[function] = event
            tally = self.current
            if tally is None:
                return handler(event, context)
            tally.invocations[function] += 1
            tally.handled.append((function, event))
            tally.http += function in self.http_functions
            self.tap.count, self.tap.capturing = 0, True
            self.tap.metrics.clear()
            # CPU time (handler and moto, both in this process), not wall time: other work on a shared
            # machine must not inflate what one invocation would bill.
            start = time.process_time()
            try:
                return handler(event, context)
            finally:
                elapsed = (time.process_time() - start) * 1000
                self.tap.capturing = False
                tally.billed_ms += math.ceil(elapsed)
                tally.billed_by[function] += math.ceil(elapsed)
                tally.log_bytes += self.tap.count + LAMBDA_LOG_LINES
                tally.metrics.update(self.tap.metrics)

        return lambda_handler

    # botocore hooks ------------------------------------------------------------------------------
    def _before(self, model, params, **_):
        self._pending = (model.service_model.service_name, model.name, params)
        self._started = time.perf_counter()

    def _after(self, http_response, parsed, model, **_):
        tally, pending = self.current, self._pending
        self._pending = None
        if tally is None or pending is None:
            return
        service, op, params = pending
        tally.aws_ms += (time.perf_counter() - self._started) * 1000
        tally.calls[f"{service}.{op}"] += 1
        tally.trace.append((service, op, parsed))
        failed = "Error" in parsed and parsed["Error"].get("Code")
        if service == "dynamodb":
            self._dynamodb(tally, op, params, parsed, bool(failed))
        elif op in ("SendEmail", "SendRawEmail") and not failed:
            tally.emails += 1
            recipients, subject = _recipients(params)
            tally.recipients += recipients
            tally.subjects.append(subject)

    # DynamoDB billing ----------------------------------------------------------------------------
    def _key(self, item: dict) -> tuple:
        return tuple(str(item.get(k)) for k in self.keys)

    def _dynamodb(self, tally: Tally, op: str, params: dict, parsed: dict, failed: bool) -> None:
        if op == "GetItem":
            found = parsed.get("Item")
            size = self._full_size(params["Key"], found, "ProjectionExpression" in params)
            tally.rru += rru(size, bool(params.get("ConsistentRead")))
        elif op == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                found = {self._key(i): i for i in parsed.get("Responses", {}).get(table, [])}
                for key in request["Keys"]:
                    size = self._full_size(key, found.get(self._key(key)), True)
                    tally.rru += rru(size, bool(request.get("ConsistentRead")))
        elif op in ("Query", "Scan"):
            self._reads.append((tally, op, params, parsed))  # sized once the step is over: see step()
        elif op == "PutItem":
            self._write(tally, params["Item"], 1, failed)
        elif op in ("UpdateItem", "DeleteItem"):
            tally.wru += wru(self._update_size(params, op))
            self._left(params, op, failed)
        elif op == "TransactWriteItems":
            for action in params["TransactItems"]:
                ((kind, body),) = action.items()
                if kind == "Put":
                    self._write(tally, body["Item"], 2, failed)
                else:
                    tally.wru += 2 * wru(self._update_size(body, kind))
                    self._left(body, kind, failed)
        elif op == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    if "PutRequest" in request:
                        self._write(tally, request["PutRequest"]["Item"], 1, failed)
                    else:
                        self._left(request["DeleteRequest"], "DeleteItem", failed)

    def _bill_reads(self) -> None:
        for tally, op, params, parsed in self._reads:
            size = self._evaluated_size(op, params, parsed)
            tally.rru += rru(size, bool(params.get("ConsistentRead")) and "IndexName" not in params)
        self._reads.clear()

    def _evaluated_size(self, op: str, params: dict, parsed: dict) -> int:
        """DynamoDB bills a Query or Scan for every item it evaluated, whole, before a filter or a
        projection leaves some of it out: the same read again, with neither, gives their stored sizes.
        It is made after the step (its time is no part of the step's) by a client of our own, so it
        is never tallied."""
        items = parsed.get("Items", [])
        if not {"FilterExpression", "ProjectionExpression"} & params.keys():
            return sum(item_size(i) for i in items)
        evaluated = parsed.get("ScannedCount", len(items))
        if evaluated == 0:
            return 0
        kept = set(re.findall(r"[#:][A-Za-z0-9_]+", params.get("KeyConditionExpression", "")))
        again = {
            k: v for k, v in params.items() if k not in ("FilterExpression", "ProjectionExpression", "Select")
        }
        for part in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
            left = {k: v for k, v in params.get(part, {}).items() if k in kept}
            again.pop(part, None)
            if left:
                again[part] = left
        again["Limit"] = evaluated
        if self._raw is None:
            self._raw = boto3.client("dynamodb", region_name=outbox.REGION)
        read = self._raw.query if op == "Query" else self._raw.scan
        return sum(item_size(i) for i in read(**again)["Items"])

    def _full_size(self, key: dict, found: dict | None, partial: bool) -> int:
        """A projection does not make a read cheaper: DynamoDB bills the whole stored item."""
        if found is None:
            return 0
        if partial and self._key(key) in self.shadow:
            return item_size(self.shadow[self._key(key)])
        if not partial:
            self.shadow[self._key(key)] = found
        return item_size(found)

    def _write(self, tally: Tally, item: dict, factor: int, failed: bool) -> None:
        old = self.shadow.get(self._key(item))
        if failed:  # a failed condition still costs the size of the item it was checked against
            tally.wru += factor * wru(item_size(old))
            return
        tally.wru += factor * wru(max(item_size(item), item_size(old)))
        tally.gsi_wru += sum(_index_writes(index, old, item) for index in self.indexes)
        self.shadow[self._key(item)] = item
        self.left[self._key(item)] = item_size(item)

    def _left(self, params: dict, op: str, failed: bool) -> None:
        key = self._key(params["Key"])
        if failed or op == "ConditionCheck":
            return
        if op in ("Delete", "DeleteItem"):
            self.left.pop(key, None)
        else:  # an update: its size as billed (the old item, or its key, plus the values written)
            self.left[key] = self._update_size(params, "UpdateItem")

    def _update_size(self, params: dict, op: str) -> int:
        """Updates here touch small items (counters, suppressions): the old item, or its key, plus
        the values written. An approximation, documented in docs/benchmark.md."""
        old = self.shadow.get(self._key(params["Key"]))
        if op != "UpdateItem":
            return item_size(old or params["Key"])
        written = sum(item_size({n: v}) for n, v in params.get("ExpressionAttributeValues", {}).items())
        return item_size(old or params["Key"]) + written


def _indexes() -> list[tuple[list[str], list[str]]]:
    """(key attributes, projected attributes) of each global secondary index."""
    table = template.table_definition()
    base = [k["AttributeName"] for k in table["KeySchema"]]
    out = []
    for index in table.get("GlobalSecondaryIndexes", []):
        keys = [k["AttributeName"] for k in index["KeySchema"]]
        projection = index["Projection"]
        extra = projection.get("NonKeyAttributes", []) if projection["ProjectionType"] == "INCLUDE" else []
        out.append((keys, None if projection["ProjectionType"] == "ALL" else keys + base + extra))
    return out


def _index_writes(index: tuple[list[str], list[str] | None], old: dict | None, new: dict) -> int:
    """Index writes for one item write: one to add or remove an entry, one to update it in place
    when a projected attribute changes, two (delete + put) when its index key changes."""
    keys, projected = index

    def entry(item):
        if item is None or not all(k in item for k in keys):
            return None
        return {k: v for k, v in item.items() if projected is None or k in projected}

    before, after = entry(old), entry(new)
    if before is None and after is None:
        return 0
    if before is None or after is None:
        return wru(item_size(before or after))
    if all(before[k] == after[k] for k in keys):
        return 0 if before == after else wru(item_size(after))
    return wru(item_size(before)) + wru(item_size(after))


def _recipients(params: dict) -> tuple[int, str]:
    raw = params.get("Content", {}).get("Raw", {}).get("Data") or params.get("RawMessage", {}).get("Data")
    if raw is not None:
        headers = BytesHeaderParser().parsebytes(raw if isinstance(raw, bytes) else raw.encode())
        fields = [headers.get_all(h, []) for h in ("To", "Cc", "Bcc")]
        addresses = getaddresses([v for values in fields for v in values])
        if params.get("Destination"):
            addresses = [("", a) for a in _destination(params["Destination"])]
        return len({a for _, a in addresses if a}), str(headers.get("Subject", ""))
    return len(_destination(params.get("Destination", {}))), ""


def _destination(dest: dict) -> list[str]:
    return [*dest.get("ToAddresses", []), *dest.get("CcAddresses", []), *dest.get("BccAddresses", [])]


def tap_stdout() -> Tap:
    tap = Tap(sys.stdout)
    sys.stdout = tap
    return tap
