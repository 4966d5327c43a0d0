"""Scheduler: on an EventBridge schedule, moves every introduction that has come due (reminders,
expiry, follow-ups, stuck messages). Safe to run twice at once: every change is a versioned write."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import runtime
from warm_intro.services.clock import run_due

logger = Logger()


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    report = run_due(runtime.repository(), runtime.now())
    logger.info("scheduler run", extra=vars(report))
    return vars(report)
