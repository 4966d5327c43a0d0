"""Scheduler: on an EventBridge schedule, moves every introduction that has come due (reminders,
expiry, follow-ups, stuck messages). Safe to run twice at once: every change is a versioned write."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from dataclasses import asdict

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import runtime
from warm_intro.services.admission import release_held
from warm_intro.services.scheduler import run_due
from warm_intro.telemetry import count_events, metrics

logger = Logger()
MARGIN_MS = 5_000  # stop taking new introductions this long before the timeout; the next run goes on


@init_phase.resumed_after_first
@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    # The schedule's input names the run, for the logs only: time comes from the clock, never the event.
    logger.append_keys(**{k: event[k] for k in ("execution_id", "scheduled_time", "attempt") if k in event})
    organisation = runtime.settings().org_name
    report = run_due(
        runtime.repository(),
        runtime.now(),
        more=lambda: context.get_remaining_time_in_millis() > MARGIN_MS,
        observe=lambda before, after: count_events(organisation, after, since=len(before.history)),
        hash_key=runtime.settings().hash_key,
    )
    released = release_held(runtime.settings(), runtime.repository(), runtime.now())
    if report.failed:
        logger.error("introductions the clock could not move", extra={"ids": report.failed})
    logger.info("scheduler run", extra={**asdict(report), "released": released})
    return {**asdict(report), "released": released}
