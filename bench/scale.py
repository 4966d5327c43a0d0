"""Scale: the same steps against a table already holding 100, 10,000 (and, with --full, 100,000)
introductions. The calls per request and per scheduler run must not change with the table."""

from __future__ import annotations

import time

from local import outbox
from warm_intro import runtime
from warm_intro.adapters.codec import to_item
from warm_intro.adapters.dynamodb import dump
from warm_intro.domain.lifecycle import new_request
from warm_intro.domain.model import Person, Target
from warm_intro.domain.tokens import new_id

from .flows import REQUESTER, Walk, deployment
from .meter import Meter

DUE = 10  # introductions that have come due in every table, whatever its size
BLURB = "I'm writing a history of computing and would value twenty minutes on how your group started."


def items(count: int, now: int, timings):
    """Realistic stored introductions: unconfirmed requests, as the intake writes them. All but DUE
    were made just now (next due in the future); DUE of them are two days old (due to expire)."""
    for n in range(count):
        created = now - 2 * 86400 if n < DUE else now - (n % 600)
        intro = new_request(
            new_id(), Person(f"Requester {n}", f"r{n}@example.org"), "grace@example.org",
            Target(f"Target {n}", f"t{n}@example.net", "runs a reading group"), BLURB, created, "api",
        )
        yield dump(to_item(intro, timings))


def fill(world, count: int) -> float:
    """batch_write_item in 25s. The stream is detached meanwhile: these are old writes, and moto
    would otherwise keep a copy of every one for the notifier to wade through."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[outbox.ACCOUNT][outbox.REGION].tables[world.settings.table_name]
    shard, table.stream_shard = table.stream_shard, None
    client = runtime.client("dynamodb")
    start = time.perf_counter()
    try:
        batch = []
        for item in items(count, world.now, world.settings.timings):
            batch.append({"PutRequest": {"Item": item}})
            if len(batch) == 25:
                client.batch_write_item(RequestItems={world.settings.table_name: batch})
                batch = []
        if batch:
            client.batch_write_item(RequestItems={world.settings.table_name: batch})
    finally:
        table.stream_shard = shard
    return time.perf_counter() - start


def run(meter: Meter, count: int) -> dict:
    with deployment() as world:
        fill_s = fill(world, count)
        walk = Walk(meter, world)
        walk.step("request", world.ask, 202)
        walk.deliver("confirm_request")
        link = walk.view("confirm", REQUESTER)
        walk.decide("confirm", link, "confirm")
        walk.step("scheduler run", world.tick)
        return {
            "intros_in_table": count + 1,
            "fill_seconds": round(fill_s, 1),
            "steps": {name: dict(sorted(t.calls.items())) for name, t in walk.steps},
            "scans": sum(n for _, t in walk.steps for op, n in t.calls.items() if op.endswith(".Scan")),
        }
