"""Intake: the public request form (GET/POST /) and the JSON API (POST /intros), with its OpenAPI
document and Swagger UI at /docs. Answers never depend on who the connector or target is."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from warm_intro import bodies, openapi_docs, runtime, signed_in
from warm_intro.api import PROBLEMS, Accepted, IntroRequest, ProposalRequest
from warm_intro.domain import note_coach
from warm_intro.domain.directory import PICKED
from warm_intro.domain.hashing import same_mailbox
from warm_intro.domain.languages import is_shipped, pickable
from warm_intro.domain.sessions import csrf_ok
from warm_intro.refusals import CROSS_SITE, REFUSED, CrossSite, status_of
from warm_intro.services import directory, intake, notes, proposals
from warm_intro.telemetry import metrics
from warm_intro.views.catalogs import translations
from warm_intro.views.wording import span
from warm_intro.web import (
    cross_site,
    field_errors,
    html,
    json_errors,
    refuse_cross_site,
    said,
    visitor_language,
)

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=bodies.json_value)

ACCEPTED = "Thank you. If everything is in order, we've emailed the requester a link to confirm."
PROPOSED = "Thank you. If everything is in order, we've emailed the connector a link to confirm."


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


@app.get("/docs", include_in_schema=False)
def docs():
    return openapi_docs.page(
        app, title="Warm introductions", description="Ask for a double-opt-in introduction."
    )


@app.post(
    "/proposals",
    summary="Propose an introduction between two people",
    description="A member proposes that two people meet. The connector confirms by email; then each "
    "person is asked privately, the second only after the first says yes. Same answer whoever they are.",
    responses={
        202: {
            "description": "Received; the connector must confirm by email.",
            "content": {"application/json": {"model": Accepted}},
        },
        **PROBLEMS,
    },
)
def create_proposal(body: Annotated[ProposalRequest, Body()]) -> Response[Accepted]:
    if cross_site(
        app.current_event.headers, app.current_event.request_context.domain_name, runtime.settings()
    ):
        raise CrossSite(CROSS_SITE)
    proposals.submit(
        runtime.repository(), runtime.settings(), body, runtime.now(), via="proposal-api:v1", source=_source()
    )
    return Response(202, "application/json", Accepted(status="received", message=PROPOSED))


@app.get("/", include_in_schema=False)
def request_form():
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    me = _me()
    form = {"requester_email": me["signed_in"], "requester_name": me["name"]} if me else {}
    find = (app.current_event.get_query_string_value("find") or "")[:100]
    return html(
        settings, "request_form.html", language=language, form=form, errors={}, **me, **_finding(me, find)
    )


@app.get("/introduce", include_in_schema=False)
def proposal_form():
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    me = _me()
    form = {"connector_email": me["signed_in"], "connector_name": me["name"]} if me else {}
    return html(settings, "propose_form.html", language=language, form=form, errors={}, **me)


@app.post("/introduce", include_in_schema=False)
def submit_proposal_form():
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    if cross_site(app.current_event.headers, app.current_event.request_context.domain_name, settings):
        return refuse_cross_site(settings, language)
    form: dict[str, str] = {}
    me = _me()
    try:
        form = bodies.form(app.current_event, max_fields=20)
        language = pickable(form.get("language")) or language  # the language the form was shown in
        body = ProposalRequest.model_validate(_nest_proposal(form))
        advice = note_coach.review(
            body.note,
            form.get("coached"),
            meant_for=tuple(p.name for p in body.people),
            last=notes.last_note(runtime.repository(), settings, body.connector.email),
            proposal=True,
        )
        if advice:  # the text kept, the hints beside it; sending it again unchanged sends it
            coached = note_coach.fingerprint(body.note)
            return _form_again("propose_form.html", language, form, advice=advice, coached=coached, **me)
        proven = _proven(me, form, form.get("connector_email", ""))
        proposals.submit(
            runtime.repository(),
            settings,
            body,
            runtime.now(),
            via="proposal-form:v1",
            source=_source(),
            proven=proven,
        )
    except ValidationError as error:
        found = field_errors(error.errors(), translations(language).gettext)
        errors = {_proposal_field(e["field"]): e["message"] for e in found}
        return _form_again("propose_form.html", language, form, 422, errors=errors, **me)
    except REFUSED as error:
        return _refused("propose_form.html", language, form, error, **me)
    return html(
        settings,
        "propose_sent.html",
        language=language,
        proven=proven,
        confirm_within=span(settings.unconfirmed_hours, "hour", language),
    )


@app.post("/", include_in_schema=False)
def submit_form():
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    if cross_site(app.current_event.headers, app.current_event.request_context.domain_name, settings):
        return refuse_cross_site(settings, language)
    form: dict[str, str] = {}
    me = _me()
    finding: dict = {}
    try:
        form = bodies.form(app.current_event, max_fields=20)
        # The language the form was shown in: the requester's, for the page and for their mail.
        language = pickable(form.get("language")) or language
        nested, via = _nest(form, language), "form"
        if picked := form.get("connector_id", ""):
            finding = _finding(me, "", picked)
            # Only for the signed-in member's own request, which needs no confirmation page: the
            # connector's address is never shown before they pass the request on (domain.directory).
            address = directory.resolve(runtime.repository(), picked) if finding.get("chosen") else None
            if address is None or not _proven(me, form, form.get("requester_email", "")):
                errors = {
                    "connector_id": "Please search the members again and pick one, signed in as yourself."
                }
                return html(
                    settings,
                    "request_form.html",
                    422,
                    language=language,
                    form=form,
                    errors=errors,
                    **me,
                    **finding,
                )
            nested["connector_email"], via = address, PICKED
        body = IntroRequest.model_validate(nested)
        advice = note_coach.review(
            body.blurb,
            form.get("coached"),
            meant_for=(body.target.name,),
            last=notes.last_note(runtime.repository(), settings, body.requester.email),
        )
        if advice:  # the text kept, the hints beside it; sending it again unchanged sends it
            coached = note_coach.fingerprint(body.blurb)
            return _form_again(
                "request_form.html", language, form, advice=advice, coached=coached, **me, **finding
            )
        proven = _proven(me, form, form.get("requester_email", ""))
        intake.submit(
            runtime.repository(), settings, body, runtime.now(), via=via, source=_source(), proven=proven
        )
    except ValidationError as error:
        found = field_errors(error.errors(), translations(language).gettext)
        errors = {e["field"].replace(".", "_"): e["message"] for e in found}
        return _form_again("request_form.html", language, form, 422, errors=errors, **me, **finding)
    except REFUSED as error:
        return _refused("request_form.html", language, form, error, **me, **finding)
    return html(
        settings,
        "request_sent.html",
        language=language,
        email=body.requester.email,
        confirm_within=span(settings.unconfirmed_hours, "hour", language),
        proven=proven,
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


json_errors(app, pages=("/", "/introduce"))


def _me() -> dict:
    """The signed-in person, for the forms: their address and name filled in, and the session's CSRF
    token, which a form must carry back for its sending to count as their confirmation."""
    settings, repo = runtime.settings(), runtime.repository()
    session = signed_in.session(app.current_event, repo, settings, runtime.now())
    if session is None:
        return {}
    name = repo.member_name(session.email) or ""
    return {"session": session, "signed_in": session.email, "name": name, "csrf": session.csrf}


def _finding(me: dict, find: str, picked: str = "") -> dict:
    """The directory on the request form, for signed-in members only: what their search found, and
    the listing they picked (by its opaque id), kept when the form comes back with hints or errors."""
    if not me.get("name"):  # a member's name: only members search
        return {}
    repo = runtime.repository()
    found = directory.search(repo, me["session"], find) if find else []
    chosen = directory.listing(repo, picked) if picked else None
    if chosen is not None and all(f.entry != chosen.entry for f in found):
        found = [chosen, *found]
    return {"can_find": True, "find": find, "found": found, "chosen": chosen.entry if chosen else ""}


def _form_again(
    template: str, language: str, form: dict[str, str], status: int = 200, **shown: Any
) -> Response[str]:
    """The form as it was sent, with what to change: field messages, a refusal, or the coach's hints."""
    return html(runtime.settings(), template, status, language=language, form=form, **{"errors": {}, **shown})


def _refused(
    template: str, language: str, form: dict[str, str], error: Exception, **shown: Any
) -> Response[str]:
    """A refusal the form tells in its reader's words (refusals.py decides the status and the words)."""
    said_here = said(error, translations(language).gettext)
    return _form_again(template, language, form, status_of(error), errors={"form": said_here}, **shown)


def _proven(me: dict, form: dict[str, str], starter: str) -> bool:
    """Sent by the signed-in person, from our page, as themselves: the session proves the address.
    Anything else (another address typed, a stale form) is confirmed by email as usual."""
    if not me or not csrf_ok(me["session"], form.get("csrf")):
        return False
    return same_mailbox(me["signed_in"], starter, runtime.settings().hash_key)


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


def _nest_proposal(form: dict[str, str]) -> dict:
    def person(p: str) -> dict:
        return {
            "name": form.get(f"{p}_name", ""),
            "email": form.get(f"{p}_email", ""),
            "about": form.get(f"{p}_about") or None,
        }

    return {
        "connector": {"name": form.get("connector_name", ""), "email": form.get("connector_email", "")},
        "people": [person("a"), person("b")],
        "ask_first": 0 if form.get("ask_first") == "a" else 1,
        "note": form.get("note", "").replace("\r\n", "\n"),
    }


def _proposal_field(path: str) -> str:
    """A body path (people.0.email) as the form's field name (a_email)."""
    parts = path.split(".")
    if parts[0] == "people" and len(parts) > 2 and parts[1] in ("0", "1"):
        return f"{'ab'[int(parts[1])]}_{parts[2]}"
    return "_".join(parts) if parts[0] != "body" else "form"


@init_phase.resumed_after_first
@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
