"""Admin: export and erase one person's data, for the organisation's administrator. The routes are
IAM-authorised in the template (only signed requests from a principal allowed `execute-api:Invoke`
on them arrive here); the handler refuses anything API Gateway did not authorise, as a second lock.
Addresses travel in the body, never the path, so they stay out of access logs."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from dataclasses import asdict
from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from warm_intro import bodies, runtime
from warm_intro.domain.validation import EMAIL_MAX
from warm_intro.services import personal_data
from warm_intro.web import json_errors

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=bodies.json_value)


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=EMAIL_MAX)


@app.post("/admin/export")
def export(body: Annotated[Person, Body()]) -> Response[dict]:
    return Response(
        200,
        "application/json",
        personal_data.export(runtime.settings().hash_key, runtime.repository(), body.email),
        headers={"Cache-Control": "no-store"},
    )


@app.post("/admin/erase")
def erase(body: Annotated[Person, Body()]) -> Response[dict]:
    erased = personal_data.erase(runtime.settings().hash_key, runtime.repository(), body.email, runtime.now())
    logger.info("erased one person's data", extra={"introductions": erased.introductions})
    return Response(200, "application/json", asdict(erased), headers={"Cache-Control": "no-store"})


json_errors(app)


def _signed(event: dict) -> bool:
    iam = ((event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    return bool(iam.get("userArn") or iam.get("callerId"))


@init_phase.resumed_after_first
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    if not _signed(event):
        return {
            "statusCode": 403,
            "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
            "body": '{"message": "Forbidden", "errors": []}',
        }
    return app.resolve(event, context)
