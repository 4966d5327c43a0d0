"""A backlog: `count` introductions come due at once (an outage, a paused organisation). The scheduler
runs as deployed (its Timeout from the template, a context whose remaining time is the real time left)
until nothing is due: how many runs, how long each took against its timeout, and that every introduction
moved exactly once and nothing was sent twice."""

from __future__ import annotations

import time
from time import gmtime, strftime

from local import lambdas, outbox, template
from warm_intro import runtime
from warm_intro.adapters.codec import from_item
from warm_intro.adapters.dynamodb import load
from warm_intro.domain.schedule import due_at

from .flows import deployment
from .meter import Tap
from .scale import fill, items

MARGIN_MS = 5_000  # functions/scheduler/app.py stops taking new introductions this long before its timeout


class TimedContext:
    """Lambda's context for one run: the time left counts down from the function's timeout."""

    def __init__(self, function: str, timeout_ms: int):
        self.function_name = function
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
        self.memory_limit_in_mb = 256
        self.aws_request_id = "backlog"
        self.log_group_name = self.log_stream_name = "backlog"
        self.deadline = time.perf_counter() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.perf_counter()) * 1000)


def timeout_ms() -> int:
    f = template.resources("AWS::Serverless::Function")["SchedulerFunction"]["Properties"]
    return int(f.get("Timeout", template.load()["Globals"]["Function"]["Timeout"])) * 1000


def run(tap: Tap, count: int = 10_000, max_runs: int = 20) -> dict:
    limit = timeout_ms()
    with deployment() as world:
        fill_s = fill(world, count, due=count)
        sample = from_item(load(next(items(1, world.now, world.settings.timings))))
        initial = sample.version
        sent_before = len(outbox.messages())
        handler = lambdas.module("SchedulerFunction").lambda_handler
        runs = []
        tap.capturing = True  # the runs' logs are not printed
        try:
            while len(runs) < max_runs:
                start = time.perf_counter()
                report = handler({"source": "aws.scheduler"}, TimedContext("SchedulerFunction", limit))
                runs.append(
                    {
                        "seconds": round(time.perf_counter() - start, 1),
                        "moved": report["changed"],
                        "looked_at": report["due"],
                        "unfinished": report["unfinished"],
                        "failed": len(report["failed"]),
                        "conflicts": report["conflicts"],
                    }
                )
                if not report["due"]:
                    break
        finally:
            tap.capturing = False
        world.deliver()
        # Read back through the repository (the by_month index, then the items), as `warm-intro stats` does.
        repo, timings = runtime.repository(), world.settings.timings
        months = {strftime("%Y-%m", gmtime(at)) for at in (world.now - 2 * 86400 - 600, world.now)}
        intros = [intro for month in sorted(months) for intro in repo.created_in(month)]
        # Moved exactly once: one lapse in the history, and one write (the repository bumps the version once).
        once = sum(
            1
            for i in intros
            if sum(e.action == "expire" for e in i.history) == 1 and i.version == initial + 1
        )
        still_due = sum(1 for i in intros if (at := due_at(i, timings)) is not None and at <= world.now)
    slowest = max(r["seconds"] for r in runs)
    return {
        "due": count,
        "fill_seconds": round(fill_s, 1),
        "timeout_s": limit / 1000,
        "margin_s": MARGIN_MS / 1000,
        "runs": runs,
        "runs_until_done": sum(1 for r in runs if r["looked_at"]),
        "slowest_run_s": slowest,
        "slowest_run_share_of_timeout": round(slowest / (limit / 1000), 2),
        "moved": sum(r["moved"] for r in runs),
        "intros": len(intros),
        "moved_exactly_once": once,
        "still_due": still_due,
        "emails_sent": len(outbox.messages()) - sent_before,
        "throughput_per_s": round(
            sum(r["moved"] for r in runs) / max(sum(r["seconds"] for r in runs), 0.001)
        ),
    }
