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
from warm_intro.domain.errors import DomainError
from warm_intro.domain.languages import is_shipped, pickable
from warm_intro.services import intake
from warm_intro.telemetry import metrics
from warm_intro.views.wording import span
from warm_intro.web import (
    CROSS_SITE,
    CrossSite,
    cross_site,
    field_errors,
    html,
    json_errors,
    refuse_cross_site,
    status_of,
    visitor_language,
)

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
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    return html(settings, "request_form.html", language=language, form={}, errors={})


@app.post("/", include_in_schema=False)
def submit_form():
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    if cross_site(app.current_event.headers, app.current_event.request_context.domain_name, settings):
        return refuse_cross_site(settings, language)
    form: dict[str, str] = {}
    try:
        form = bodies.form(app.current_event, max_fields=20)
        # The language the form was shown in: the requester's, for the page and for their mail.
        language = pickable(form.get("language")) or language
        body = IntroRequest.model_validate(_nest(form, language))
        intake.submit(runtime.repository(), settings, body, runtime.now(), via="form", source=_source())
    except ValidationError as error:
        errors = {e["field"].replace(".", "_"): e["message"] for e in field_errors(error.errors())}
        return html(settings, "request_form.html", 422, language=language, form=form, errors=errors)
    except (DomainError, bodies.Unreadable) as error:
        return html(
            settings,
            "request_form.html",
            status_of(error),
            language=language,
            form=form,
            errors={"form": str(error)},
        )
    return html(
        settings,
        "request_sent.html",
        language=language,
        email=body.requester.email,
        confirm_within=span(settings.unconfirmed_hours, "hour", language),
    )


@app.get("/about", include_in_schema=False)
def about():
    """The privacy notice: who runs the service, why people hear from it, what is kept, for how long."""
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    return html(
        settings,
        "about.html",
        language=language,
        contact=settings.contact,
        expiry=span(settings.expiry_days, "day", language),
        confirm_within=span(settings.unconfirmed_hours, "hour", language),
        content_retention=span(settings.content_retention_days, "day", language),
        intro_retention=span(settings.intro_retention_days, "day", language),
    )


json_errors(app, pages=("/",))


def _source() -> str:
    return app.current_event.request_context.http.source_ip


def _nest(form: dict[str, str], language: str) -> dict:
    return {
        "language": language if is_shipped(language) else None,
        "requester": {"name": form.get("requester_name", ""), "email": form.get("requester_email", "")},
        "connector_email": form.get("connector_email", ""),
        "acquaintance": form.get("acquaintance") or None,
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
