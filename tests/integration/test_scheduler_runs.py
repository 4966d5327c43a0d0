"""The scheduled run: pages through what is due within its time budget, and sends nothing twice
when two runs overlap, when a run stops part way, or when it is repeated."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from local.lambdas import Context, module
from local.samples import load
from warm_intro import runtime
from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services.scheduler import run_due

ASKS = [  # (requester, connector, target): three requests that stay within every per-person limit
    (("Ada Lovelace", "ada@example.org"), "grace@example.org", ("Alan Turing", "alan@example.net")),
    (
        ("Katherine Johnson", "katherine@example.org"),
        "grace@example.org",
        ("Joan Clarke", "joan@example.net"),
    ),
    (("Ada Lovelace", "ada@example.org"), "katherine@example.org", ("Tommy Flowers", "tommy@example.net")),
]


def three_waiting_on_connectors(world) -> list[str]:
    ids = []
    for (name, email), connector, (target, target_email) in ASKS:
        answer = world.ask(
            requester={"name": name, "email": email},
            connector_email=connector,
            target={"name": target, "email": target_email},
        )
        assert answer.status == 202
        world.deliver()
        confirm = world.last_link(email)
        assert world.post_form(confirm, {"decision": "confirm"}).status == 200
        ids.append(confirm.rsplit("/", 1)[1].split(".")[0])
    world.deliver()
    assert all(world.intro(i).state is State.AWAITING_CONNECTOR for i in ids)
    return ids


def reminders(world) -> list[str]:
    return sorted(m["subject"] for m in world.mail() if m["subject"].startswith("Reminder:"))


def assert_each_reminded_once(world, ids) -> None:
    world.deliver()
    assert len(reminders(world)) == 3 and len(set(reminders(world))) == 3
    for intro_id in ids:
        assert world.intro(intro_id).outbox[Kind.CONNECTOR_REMINDER].status is Delivery.SENT


class Racing(Repository):
    """Holds every first read until the other run has read the same introduction too, so both
    decide from the same version and race to write it."""

    def __init__(self, base: Repository, barriers: dict[str, threading.Barrier]):
        super().__init__(base.client, base.table, base.timings)
        self.barriers, self.seen = barriers, set()

    def get(self, intro_id):
        intro = super().get(intro_id)
        if intro_id not in self.seen:
            self.seen.add(intro_id)
            self.barriers[intro_id].wait(timeout=10)
        return intro


def atomic_writes(monkeypatch) -> None:
    """DynamoDB checks a condition and writes as one step; moto, called from two threads, does
    not, so both racers could pass the same version check. Give moto the service's guarantee."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()  # moto's transact_write_items calls put_item inside
    for name in ("put_item", "update_item", "transact_write_items"):
        original = getattr(DynamoDBBackend, name)

        def atomic(self, *args, _original=original, **kwargs):
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, atomic)


def test_two_runs_at_the_same_moment_send_each_reminder_once(world, monkeypatch):
    atomic_writes(monkeypatch)
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    barriers = {i: threading.Barrier(2) for i in ids}
    runs = [Racing(runtime.repository(), barriers) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda repo: run_due(repo, world.now), runs))
    assert sum(r.changed for r in reports) == 3  # each introduction moved by exactly one run
    assert sum(r.unchanged for r in reports) == 3  # the other run re-read it and found nothing left to do
    assert all(r.failed == [] and r.conflicts == 0 for r in reports)
    assert_each_reminded_once(world, ids)


def test_a_run_stopped_part_way_and_repeated_sends_nothing_twice(world):
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    budget = iter([True, False])  # time for one introduction, then the budget is spent
    first = run_due(runtime.repository(), world.now, more=lambda: next(budget, False))
    assert (first.changed, first.unfinished) == (1, True)
    world.deliver()
    assert len(reminders(world)) == 1
    second = run_due(runtime.repository(), world.now)
    assert (second.changed, second.unfinished) == (2, False)
    again = run_due(runtime.repository(), world.now)  # as if the run were retried after a crash
    assert (again.due, again.changed) == (0, 0)
    assert_each_reminded_once(world, ids)


def test_pages_until_nothing_is_due(world):
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    report = run_due(runtime.repository(), world.now, batch=1)
    assert (report.due, report.changed, report.pages) == (3, 3, 4)
    assert_each_reminded_once(world, ids)


def test_one_unreadable_introduction_does_not_stall_the_others(world):
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    runtime.client("dynamodb").put_item(
        TableName=world.settings.table_name,
        Item={
            "pk": {"S": "INTRO#broken"},
            "sk": {"S": "INTRO"},
            "due_pk": {"S": "due"},
            "due_at": {"N": "1"},
        },
    )
    report = run_due(runtime.repository(), world.now)
    assert report.failed == ["broken"] and report.changed == 3
    assert_each_reminded_once(world, ids)


def test_the_handler_takes_the_sample_schedule_event(world):
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    answer = module("SchedulerFunction").lambda_handler(
        load("scheduler_event.json"), Context("SchedulerFunction")
    )
    assert (answer["due"], answer["changed"], answer["unfinished"], answer["failed"]) == (3, 3, False, [])
    assert_each_reminded_once(world, ids)


class ShortOfTime(Context):
    def get_remaining_time_in_millis(self) -> int:
        return 4_000


def test_the_handler_leaves_work_for_the_next_run_when_time_is_short(world):
    ids = three_waiting_on_connectors(world)
    world.advance(days=4)
    event = load("scheduler_event.json")
    answer = module("SchedulerFunction").lambda_handler(event, ShortOfTime("SchedulerFunction"))
    assert (answer["changed"], answer["unfinished"]) == (0, True)
    assert module("SchedulerFunction").lambda_handler(event, Context("SchedulerFunction"))["changed"] == 3
    assert_each_reminded_once(world, ids)
