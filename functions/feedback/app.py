"""SES feedback: bounce and complaint events (from the default event bus, through the template's
EventBridge rule) put the addresses on the suppression list. Events arrive at least once and in any
order; recording one is idempotent."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import runtime
from warm_intro.services.feedback import addresses_to_suppress, suppress_all

logger = Logger()


@init_phase.resumed_after_first
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    notice = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(notice, dict):
        # Not SES's: retrying cannot make it readable, and a DynamoDB error below still fails loudly.
        logger.warning(
            "unreadable notice", extra={"event_id": event.get("id") if isinstance(event, dict) else None}
        )
        return {"suppressed": 0}
    found = addresses_to_suppress(notice)
    suppress_all(runtime.repository(), runtime.settings(), found, runtime.now())
    logger.info("feedback", extra={"suppressed": len(found)})
    return {"suppressed": len(found)}
