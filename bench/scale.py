"""Scale: the same steps against a table already holding 100, 10,000 (and, with --full, 100,000)
introductions. The calls per request and per scheduler run must not change with the table."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

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


def items(count: int, now: int, timings, due: int = DUE, months: int = 1):
    """Realistic stored introductions: unconfirmed requests, as the intake writes them. All but `due`
    were made in the last `months` months and are not due (their next moment is moved a year on); `due`
    of them are two days old (due to lapse)."""
    for n in range(count):
        created = now - 2 * 86400 if n < due else now - (n % 600) - (n % months) * 30 * 86400
        intro = new_request(
            new_id(),
            Person(f"Requester {n}", f"r{n}@example.org"),
            "grace@example.org",
            Target(f"Target {n}", f"t{n}@example.net", "runs a reading group"),
            BLURB,
            created,
            "api",
        )
        item = to_item(intro, timings)
        if n >= due and months > 1:
            item["due_at"] = now + 365 * 86400  # spread over months for `stats`, yet not due
        yield dump(item)


def fill(world, count: int, due: int = DUE, months: int = 1) -> float:
    """Straight into moto's table, item by item, as `batch_write_item` would leave it: moto's HTTP layer
    (about 55 items a second here) would make a million-item table a day's work, and the filling is
    not what is measured. The stream is detached meanwhile: these are old writes, and moto would
    otherwise keep a copy of every one for the notifier to wade through."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[outbox.ACCOUNT][outbox.REGION].tables[world.settings.table_name]
    shard, table.stream_shard = table.stream_shard, None
    start = time.perf_counter()
    try:
        for item in items(count, world.now, world.settings.timings, due, months):
            table.put_item(item)
    finally:
        table.stream_shard = shard
    return time.perf_counter() - start


@contextmanager
def without_table_snapshots() -> Iterator[list[str]]:
    """moto deep-copies every table before each TransactWriteItems, to roll it back if the transaction
    is cancelled: at 100,000 introductions that made one request take 78 s and 3 GB, and a million
    would not fit in memory. The snapshot is only ever read on a cancellation, so here it is skipped,
    and the cancellations are counted instead (yielded): a run that had one is not valid."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    real, original, cancelled = models.copy, models.DynamoDBBackend.transact_write_items, []

    class Snapshots:
        copy = staticmethod(real.copy)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else real.deepcopy(value, memo)

    def counted(backend, transact_items):
        try:
            return original(backend, transact_items)
        except Exception as error:
            cancelled.append(type(error).__name__)
            raise

    models.copy, models.DynamoDBBackend.transact_write_items = Snapshots, counted
    try:
        yield cancelled
    finally:
        models.copy, models.DynamoDBBackend.transact_write_items = real, original


def run(meter: Meter, count: int) -> dict:
    with deployment() as world, without_table_snapshots() as cancelled:
        fill_s = fill(world, count)
        walk = Walk(meter, world)
        walk.step("request", world.ask, 202)
        walk.deliver("confirm_request")
        link = walk.view("confirm", REQUESTER)
        walk.decide("confirm", link, "confirm")
        walk.step("scheduler run", world.tick)
        assert not cancelled, f"a transaction was cancelled ({cancelled}): moto had no snapshot to roll back"
        return {
            "intros_in_table": count + 1,
            "fill_seconds": round(fill_s, 1),
            "steps": {name: dict(sorted(t.calls.items())) for name, t in walk.steps},
            "scans": sum(n for _, t in walk.steps for op, n in t.calls.items() if op.endswith(".Scan")),
        }


def admin(members: int, intros: int) -> dict:
    """`warm-intro members import` of `members` rows and `warm-intro stats` over a year holding `intros`
    introductions (spread over twelve months), timed against moto in this process."""
    import csv
    import tempfile
    from pathlib import Path

    from warm_intro_admin import members as member_cli
    from warm_intro_admin import stats

    with deployment() as world, tempfile.TemporaryDirectory() as tmp:
        fill_s = fill(world, intros, due=0, months=12)
        path = Path(tmp) / "members.csv"
        with path.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["email", "name"])
            out.writerows([f"member{n}@example.org", f"Member {n}"] for n in range(members))
        repo = runtime.repository()
        start = time.perf_counter()
        report = member_cli.import_csv(repo, path, progress=False)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        span = stats.months(stats.month_of(world.now), 12)
        figures = stats.summarise(stats.collect(repo, span), world.now, 5)
        stats_s = time.perf_counter() - start
    return {
        "members": members,
        "members_written": report.changed,
        "import_seconds": round(import_s, 1),
        "intros_in_year": intros,
        "stats_requests_counted": figures["requests"],
        "stats_seconds": round(stats_s, 1),
        "fill_seconds": round(fill_s, 1),
    }
