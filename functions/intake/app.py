"""Intake: the public request form (GET/POST /) and the JSON API (POST /intros), with its OpenAPI
document and Swagger UI at /docs. Answers never depend on who the connector or target is."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from warm_intro import bodies, runtime
from warm_intro.api import PROBLEMS, Accepted, IntroRequest
from warm_intro.refusals import CROSS_SITE, REFUSED, CrossSite, status_of
from warm_intro.services import intake
from warm_intro.telemetry import metrics
from warm_intro.web import cross_site, field_errors, html, json_errors, refuse_cross_site

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=bodies.json_value)
app.enable_swagger(
    path="/docs", title="Warm introductions", description="Ask for a double-opt-in introduction."
)

ACCEPTED = "Thank you. If everything is in order, we've emailed the requester a link to confirm."


@app.post(
    "/intros",
    summary="Ask for an introduction",
    responses={
        202: {
            "description": "Received; the requester must confirm by email.",
            "content": {"application/json": {"model": Accepted}},
        },
        **PROBLEMS,
    },
)
def create_intro(body: Annotated[IntroRequest, Body()]) -> Response[Accepted]:
    if cross_site(
        app.current_event.headers, app.current_event.request_context.domain_name, runtime.settings()
    ):
        raise CrossSite(CROSS_SITE)
    intake.submit(runtime.repository(), runtime.settings(), body, runtime.now(), via="api", source=_source())
    return Response(202, "application/json", Accepted(status="received", message=ACCEPTED))


@app.get("/", include_in_schema=False)
def request_form():
    return html(runtime.settings(), "request_form.html", form={}, errors={})


@app.post("/", include_in_schema=False)
def submit_form():
    if cross_site(
        app.current_event.headers, app.current_event.request_context.domain_name, runtime.settings()
    ):
        return refuse_cross_site(runtime.settings())
    form: dict[str, str] = {}
    try:
        form = bodies.form(app.current_event, max_fields=20)
        body = IntroRequest.model_validate(_nest(form))
        intake.submit(
            runtime.repository(), runtime.settings(), body, runtime.now(), via="form", source=_source()
        )
    except ValidationError as error:
        errors = {e["field"].replace(".", "_"): e["message"] for e in field_errors(error.errors())}
        return html(runtime.settings(), "request_form.html", 422, form=form, errors=errors)
    except REFUSED as error:
        return html(
            runtime.settings(), "request_form.html", status_of(error), form=form, errors={"form": str(error)}
        )
    return html(runtime.settings(), "request_sent.html")


json_errors(app, pages=("/",))


def _source() -> str:
    return app.current_event.request_context.http.source_ip


def _nest(form: dict[str, str]) -> dict:
    return {
        "requester": {"name": form.get("requester_name", ""), "email": form.get("requester_email", "")},
        "connector_email": form.get("connector_email", ""),
        "target": {
            "name": form.get("target_name", ""),
            "email": form.get("target_email") or None,
            "about": form.get("target_about") or None,
        },
        "blurb": form.get("blurb", "").replace(
            "\r\n", "\n"
        ),  # browsers send a textarea's line breaks as CRLF
    }


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
