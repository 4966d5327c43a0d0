"""Members' home at /me: sign in by email link, then see what waits for you, your requests and
introductions, and your settings. GET and HEAD only show; every POST that changes anything carries
the session's CSRF token and must come from our own pages."""

from __future__ import annotations

from warm_intro import init_phase  # first: the cold start runs without the cyclic GC

# isort: split
import calendar
import json
import time

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from warm_intro import bodies, runtime, signed_in
from warm_intro.domain import sessions
from warm_intro.domain.errors import DomainError, InvalidInput
from warm_intro.domain.languages import pickable
from warm_intro.domain.preferences import Preferences
from warm_intro.domain.rules import OverCapacity
from warm_intro.refusals import CROSS_SITE, REFUSED, CrossSite
from warm_intro.services import directory, home, my_settings, signin
from warm_intro.telemetry import metrics
from warm_intro.views.catalogs import N_, translations
from warm_intro.views.home_pages import lists
from warm_intro.views.wording import day
from warm_intro.web import (
    cross_site,
    error_page,
    html,
    keeping_language,
    picked_language,
    said,
    security_headers,
    visitor_language,
)

logger = Logger()
app = APIGatewayHttpResolver()


class SignedOut(DomainError):
    """No session, or one that ended: the page asks to sign in again."""


SAVED = N_("Saved.")


# sign in --------------------------------------------------------------------------------------------


@app.get("/me")
@app.head("/me")
def me():
    session = _session()
    language = _language()
    if session is None:
        return html(runtime.settings(), "me.html", language=language)
    found = home.items(runtime.repository(), session, runtime.settings().hash_key, runtime.now())
    words = lists(found, translations(language).gettext)
    return html(
        runtime.settings(), "home.html", language=language, email=session.email, csrf=session.csrf, **words
    )


@app.post("/me")
def ask_for_link():
    _same_site()
    form = bodies.form(app.current_event, max_fields=5)
    language = _language(form)
    event = app.current_event
    settings = runtime.settings()
    asked = signin.request_link(
        runtime.repository(),
        settings,
        form.get("email", ""),
        event.request_context.http.source_ip,
        # API Gateway routes only its own domain names here, so this is never a stranger's Host.
        settings.base_url or f"https://{event.request_context.domain_name}",
        runtime.now(),
        language=language,
    )
    logger.info("sign-in asked", extra={"within_limits": asked})
    return html(settings, "me_sent.html", language=language, minutes=sessions.SIGNIN_SECONDS // 60)


@app.get("/me/signin/<token>")
@app.head("/me/signin/<token>")
def signin_page(token: str):
    signin.check_signin(runtime.repository(), token, runtime.now())
    return html(runtime.settings(), "me_signin.html", language=_language())


@app.post("/me/signin/<token>")
def sign_in(token: str):
    _same_site()
    session_id = signin.sign_in(runtime.repository(), runtime.settings(), token, runtime.now())
    return _redirect("/me", sessions.set_cookie(session_id, _secure()))  # the page's ?lang=, if any, kept


@app.post("/me/signout")
def sign_out():
    form, _ = _guard()
    signin.sign_out(runtime.repository(), _session_id() or "")
    return _redirect("/me", sessions.clear_cookie(_secure()), form)


# the home page ----------------------------------------------------------------------------------------


@app.post("/me/open/<intro_id>")
def open_item(intro_id: str):
    form, session = _guard()
    token = home.open_item(
        runtime.repository(),
        session,
        runtime.settings().hash_key,
        intro_id,
        form.get("role", ""),
        runtime.now(),
    )
    return _redirect(f"/link/{token}", form=form)


# settings -------------------------------------------------------------------------------------------


@app.get("/me/settings")
def show_settings():
    session = _signed_in()
    return _settings_page(session)


@app.post("/me/settings")
def change_settings():
    form, session = _guard()
    repo, settings, now = runtime.repository(), runtime.settings(), runtime.now()
    action = form.get("action", "")
    try:
        if action == "pause":
            my_settings.pause(repo, settings, session, _day(form.get("until", "")), now)
        elif action == "resume":
            my_settings.pause(repo, settings, session, None, now)
        elif action == "limit":
            my_settings.limit(repo, settings, session, _number(form.get("week_limit", "")), now)
        elif action == "never":
            my_settings.never_ask(repo, settings, session, now)
        elif action == "ask_again":
            my_settings.ask_again(repo, settings, session)
        elif action == "findable":
            directory.be_findable(repo, settings, session, form.get("line", ""))
        elif action == "unfindable":
            directory.stop(repo, settings.hash_key, session.email)
        else:
            raise InvalidInput("action", N_("Please press one of the buttons on the page."))
    except InvalidInput as error:
        errors = {error.field: said(error, translations(_language(form)).gettext)}
        return _settings_page(session, 422, _language(form), form=form, errors=errors)
    return _settings_page(
        session, language=_language(form), notice=translations(_language(form)).gettext(SAVED)
    )


@app.get("/me/data")
def download():
    session = _signed_in()
    data = my_settings.export(runtime.repository(), runtime.settings(), session)
    headers = {
        **security_headers(runtime.settings()),
        "Content-Disposition": 'attachment; filename="my-introductions.json"',
    }
    return Response(200, "application/json", json.dumps(data, indent=2, ensure_ascii=False), headers=headers)


@app.get("/me/erase")
def erase_page():
    session = _signed_in()
    return html(runtime.settings(), "home_erase.html", language=_language(), csrf=session.csrf)


@app.post("/me/erase")
def erase():
    form, session = _guard()
    language = _language(form)
    _ = translations(language).gettext
    if form.get("confirm") != "erase":
        return html(runtime.settings(), "home_erase.html", 422, language=language, csrf=session.csrf)
    my_settings.erase(runtime.repository(), runtime.settings(), session, runtime.now())
    answer = html(
        runtime.settings(),
        "outcome.html",
        language=language,
        title=_("You've been erased"),
        lines=[
            _("Your name and address are gone from this service, and you're signed out."),
            _("Copies in people's mailboxes are theirs; we can't reach them."),
        ],
        action=("/", _("Back to the start")),
    )
    answer.cookies.append(sessions.clear_cookie(_secure()))
    return answer


# errors -------------------------------------------------------------------------------------------------


@app.exception_handler(SignedOut)
def signed_out(_: SignedOut) -> Response:
    return _redirect("/me", sessions.clear_cookie(_secure()))


@app.exception_handler(list(REFUSED))
def refused(error: DomainError | bodies.Unreadable) -> Response:
    """Every refusal from the one table (refusals.REFUSALS), with the way back to the home."""
    language = _language()
    back = ("/me", translations(language).gettext("Your introductions"))
    return error_page(runtime.settings(), error, language=language, action=back)


@app.not_found
def not_found(_event) -> Response:
    language = _language()
    _ = translations(language).gettext
    return html(
        runtime.settings(),
        "outcome.html",
        404,
        language=language,
        title=_("Page not found"),
        lines=[_("There's nothing at this address.")],
        action=("/me", _("Your introductions")),
    )


# helpers ------------------------------------------------------------------------------------------------


def _language(form: dict[str, str] | None = None) -> str:
    """The language a form was shown in, else the one picked with the switch or the browser's, else
    the organisation's."""
    return pickable((form or {}).get("language")) or visitor_language(app.current_event, runtime.settings())


def _secure() -> bool:
    return signed_in.secure(runtime.settings())


def _session_id() -> str | None:
    return signed_in.session_id(app.current_event, runtime.settings())


def _session() -> sessions.Session | None:
    return signin.current(runtime.repository(), _session_id(), runtime.now())


def _signed_in() -> sessions.Session:
    session = _session()
    if session is None:
        raise SignedOut("Please sign in.")
    return session


def _same_site() -> None:
    event = app.current_event
    if cross_site(event.headers, event.request_context.domain_name, runtime.settings()):
        raise CrossSite(CROSS_SITE)


def _guard() -> tuple[dict[str, str], sessions.Session]:
    """Every state-changing form: from our own site, signed in, with this session's CSRF token."""
    _same_site()
    session = _signed_in()
    form = bodies.form(app.current_event, max_fields=10)
    if not sessions.csrf_ok(session, form.get("csrf")):
        raise CrossSite(N_("This form has expired or was not sent from our page. Nothing was changed."))
    return form, session


def _redirect(location: str, cookie: str | None = None, form: dict[str, str] | None = None) -> Response:
    """303 to `location`, in the language the form was shown in (or the switch picked)."""
    settings, event = runtime.settings(), app.current_event
    chosen = pickable((form or {}).get("language")) or picked_language(event)
    return Response(
        303,
        "text/html; charset=utf-8",
        "",
        headers={
            **security_headers(settings),
            "Location": keeping_language(location, chosen, event, settings),
        },
        cookies=[cookie] if cookie else None,
    )


def _settings_page(
    session: sessions.Session, status: int = 200, language: str | None = None, **extra
) -> Response:
    settings = runtime.settings()
    mine = my_settings.mine(runtime.repository(), settings, session)
    prefs: Preferences = mine.prefs
    paused = prefs.paused(runtime.now())
    waits = settings.connector_over_capacity is OverCapacity.WAIT
    language = language or _language()
    return html(
        settings,
        "home_settings.html",
        status,
        language=language,
        email=session.email,
        csrf=session.csrf,
        paused_until=day(prefs.paused_until, language) if paused else None,
        waits=waits,
        member=mine.member,
        week_limit=min(prefs.week_limit or mine.org_week_limit, mine.org_week_limit),
        own_limit=prefs.week_limit is not None,
        org_week_limit=mine.org_week_limit,
        opted_out=mine.opted_out,
        findable=directory.my_line(runtime.repository(), settings, session) if mine.member else None,
        form=extra.pop("form", {}),
        errors=extra.pop("errors", {}),
        notice=extra.pop("notice", ""),
    )


def _day(text: str) -> int:
    try:
        return calendar.timegm(time.strptime(text.strip(), "%Y-%m-%d"))
    except ValueError:
        raise InvalidInput("until", N_("Please give a date like 2026-12-31.")) from None


def _number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput("week_limit", N_("Please give a whole number.")) from None


@init_phase.resumed_after_first
@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
