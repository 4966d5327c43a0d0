"""Notifier: the table's stream in, email out. Each record names the messages an introduction is
waiting to send; each is delivered exactly once (see warm_intro.services.sending). A record whose
send failed is reported back so the stream retries only it; a replay finds nothing left to send.
A sign-in ask (warm_intro.services.signin) comes the same way, so the page that took it answers
before anyone knows whether a link goes out."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import runtime
from warm_intro.adapters.codec import intro_from_image
from warm_intro.adapters.sessions import signin_ask_from_image
from warm_intro.domain.delivery import pending
from warm_intro.domain.model import Delivery
from warm_intro.services.sending import SendFailed, deliver
from warm_intro.services.signin import send_link
from warm_intro.telemetry import metrics

logger = Logger()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    image = record.dynamodb.new_image if record.dynamodb else None
    if (ask := signin_ask_from_image(image)) is not None:
        mailed = send_link(runtime.repository(), runtime.mailer(), runtime.settings(), ask, runtime.now())
        logger.info("sign-in link", extra={"mailed": mailed})
        return
    intro = intro_from_image(image)
    if intro is None:
        return
    refused: list[SendFailed] = []
    for kind in pending(intro):  # one refusal must not hold back the intro's other messages
        try:
            outcome = deliver(
                runtime.repository(), runtime.mailer(), runtime.settings(), intro, kind, runtime.now()
            )
        except SendFailed as error:
            refused.append(error)
            outcome = Delivery.RETRY
        log = logger.error if outcome is Delivery.FAILED else logger.info
        log("message", extra={"intro": intro.id, "kind": kind.value, "outcome": outcome.value})
        metrics.add_metric(name=f"Message_{outcome.value}", unit=MetricUnit.Count, value=1)
    if refused:
        raise refused[0]


@init_phase.resumed_after_first
@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    metrics.set_default_dimensions(organisation=runtime.settings().org_name)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
