"""SES feedback: bounce and complaint notices (through SNS) put the addresses on the suppression
list. Notices arrive at least once and in any order; recording one is idempotent."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import runtime
from warm_intro.services.feedback import addresses_to_suppress, suppress_all

logger = Logger()


@init_phase.resumed_after_first
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    suppressed = 0
    for record in event.get("Records", []):
        try:
            notice = json.loads(record["Sns"]["Message"])
        except (KeyError, TypeError, ValueError):
            # Not SES's: retrying cannot make it readable, and a DynamoDB error below still fails loudly.
            logger.warning("unreadable notice", extra={"message_id": record.get("Sns", {}).get("MessageId")})
            continue
        found = addresses_to_suppress(notice)
        suppress_all(runtime.repository(), runtime.settings(), found, runtime.now())
        suppressed += len(found)
    logger.info("feedback", extra={"suppressed": suppressed})
    return {"suppressed": suppressed}
