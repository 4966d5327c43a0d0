"""Links: the pages behind every link in our emails. GET and HEAD only show; POST decides.
The RFC 8058 one-click opt-out (POST /optout/{token}) is served here too."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import bodies, runtime
from warm_intro.domain import languages
from warm_intro.domain.actors import can_act
from warm_intro.domain.errors import AlreadyDecided, DomainError, InvalidInput
from warm_intro.domain.languages import pickable
from warm_intro.domain.model import Decision
from warm_intro.refusals import REFUSED, refusal
from warm_intro.services import links, welcome
from warm_intro.telemetry import metrics
from warm_intro.views.catalogs import translations
from warm_intro.views.link_pages import form, outcome, ready_choice
from warm_intro.views.link_pages import status as link_status
from warm_intro.views.wording import span
from warm_intro.web import error_page, html, picked_language, said, visitor_language

logger = Logger()
app = APIGatewayHttpResolver()


@app.get("/link/<token>")
@app.head("/link/<token>")
@app.get("/optout/<token>")
@app.head("/optout/<token>")
def show(token: str):
    opened = links.open_link(runtime.repository(), token, runtime.now())
    # An email's "Yes" or "No" link opens the page with that answer ready; only the press decides.
    chosen = ready_choice(opened.grant, app.current_event.get_query_string_value("choice", ""))
    language = picked_language(app.current_event) or _own_language(opened)
    return _page(opened, language, status=link_status(opened.intro, opened.grant), chosen=chosen)


@app.post("/link/<token>")
@app.post("/optout/<token>")
def decide(token: str):
    # Not every mail client labels its one-click POST as RFC 8058 asks; an opt-out must not be lost to a header.
    form = bodies.form(app.current_event, max_fields=10, any_type=True)
    # A mail client's one-click POST carries List-Unsubscribe=One-Click and no decision (RFC 8058).
    decision = form.get("decision") or (Decision.OPT_OUT.value if "List-Unsubscribe" in form else "")
    repo, settings = runtime.repository(), runtime.settings()
    language = pickable(form.get("language"))  # the page's language: this person's from now on
    try:
        opened = links.answer(
            repo,
            settings,
            token,
            decision,
            runtime.now(),
            # The consent record: which page (links adds its purpose) and which wording the person saw
            # (v2: the words of issue 18).
            via="page:v2" if form.get("decision") else "one-click:v1",
            target_email=form.get("target_email"),
            note=form.get("note"),
            language=language,
        )
    except InvalidInput as error:
        opened = links.open_link(repo, token, runtime.now())
        language = language or _own_language(opened)
        errors = {error.field: said(error, translations(language).gettext)}
        return _page(opened, language, status=422, form=form, errors=errors)
    return _page(opened, language or _own_language(opened), status=200, just=True)


@app.get("/welcome/<token>")
@app.head("/welcome/<token>")
def show_welcome(token: str):
    _, name, agreed = welcome.open_welcome(runtime.repository(), token, runtime.now())
    language = visitor_language(app.current_event, runtime.settings())
    return html(runtime.settings(), "welcome.html", language=language, name=name, agreed=agreed)


@app.post("/welcome/<token>")
def agree(token: str):
    form = bodies.form(app.current_event, max_fields=10, any_type=True)
    welcome.agree(runtime.repository(), token, runtime.now())
    language = pickable(form.get("language")) or visitor_language(app.current_event, runtime.settings())
    _ = translations(language).gettext
    return html(
        runtime.settings(),
        "outcome.html",
        language=language,
        title=_("Thank you: you're happy to be asked"),
        lines=[
            _("Members can now name you as someone who could introduce them."),
            _(
                "You decide each time: every ask lets you decline, pause for 30 days, get at most one a "
                "week, or stop them for good."
            ),
        ],
    )


@app.exception_handler(AlreadyDecided)
def already_decided(error: AlreadyDecided) -> Response:
    token = app.current_event.path_parameters.get("token", "") if app.current_event.path_parameters else ""
    opened = links.open_link(runtime.repository(), token, runtime.now())
    answer = refusal(error)
    language = _own_language(opened)
    return _page(opened, language, status=answer.status, notice=translations(language).gettext(answer.text))


# What went wrong, told so the person knows what to do next (refusals.REFUSALS), in the visitor's language.
@app.exception_handler(list(REFUSED))
def refused(error: DomainError | bodies.Unreadable) -> Response:
    settings = runtime.settings()
    return error_page(settings, error, language=visitor_language(app.current_event, settings))


@app.not_found
def not_found(_error) -> Response:
    settings = runtime.settings()
    language = visitor_language(app.current_event, settings)
    _ = translations(language).gettext
    return html(
        settings,
        "outcome.html",
        404,
        language=language,
        title=_("Page not found"),
        lines=[_("There's nothing at this address.")],
        action=("/", _("Ask for an introduction")),
    )


def _own_language(opened: links.Opened) -> str:
    """The language this link's person chose before, else the organisation's (a connector or target
    hears first in the organisation's language; a requester in the one their form was in)."""
    return languages.of(opened.intro, opened.grant.role, runtime.settings().language)


def _page(opened: links.Opened, language: str, status: int, notice: str = "", **extra) -> Response:
    intro, grant = opened.intro, opened.grant
    settings = runtime.settings()
    context = {
        "intro": intro,
        "role": grant.role.value,
        "connector_name": intro.connector.name or intro.connector.email,
        "form": {},
        "errors": {},
        "just": False,
        "chosen": None,
        "retention": span(settings.content_retention_days, "day", language),
        **extra,
    }
    if can_act(intro, grant):
        return html(settings, form(intro, grant), status, language=language, **context)
    title, lines = outcome(intro, grant, translations(language).gettext)
    return html(
        settings,
        "outcome.html",
        200 if extra.get("just") else status,
        language=language,
        title=title,
        lines=lines,
        notice=notice,
    )


@init_phase.resumed_after_first
@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
