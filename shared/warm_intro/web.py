"""HTTP glue shared by the HTTP-facing functions: HTML responses with their security headers, and
every refusal in refusals.REFUSALS answered as a page (for links and forms) or a JSON problem (for the API)."""

from __future__ import annotations

import hashlib
import json
from base64 import b64encode
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from . import bodies
from .domain import errors
from .domain.languages import negotiate, pickable
from .domain.translatable import N_
from .refusals import CROSS_SITE, REFUSED, CrossSite, refusal, status_of
from .settings import Settings
from .views.catalogs import translations
from .views.templating import render

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

CSS = (Path(__file__).resolve().parent / "static" / "site.css").read_text()


INK, PAPER, BLACK = "#1d1d1b", "#ffffff", "#000000"


@cache
def _style(accent: str) -> tuple[str, str]:
    """The stylesheet with the organisation's accent, and its CSP hash. Whatever the accent, text on it
    and focus rings keep WCAG AA contrast: the label colour is whichever of black or white reads better
    (one of them always reaches 4.5:1), and an accent too pale to read on white is not used for lines."""
    on_accent = max((PAPER, BLACK), key=lambda ink: contrast(accent, ink))
    line = accent if contrast(accent, PAPER) >= 4.5 else INK
    css = f":root{{--accent:{accent};--on-accent:{on_accent};--accent-line:{line}}}\n{CSS}"
    return css, "sha256-" + b64encode(hashlib.sha256(css.encode()).digest()).decode()


def contrast(one: str, two: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (#abc or #aabbcc)."""
    lighter, darker = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    hex_ = colour.lstrip("#")
    hex_ = "".join(c * 2 for c in hex_) if len(hex_) == 3 else hex_
    r, g, b = (int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def security_headers(settings: Settings) -> dict[str, str]:
    _, digest = _style(settings.accent_color)
    images = "'self' data:" + (f" {_origin(settings.logo_url)}" if settings.logo_url else "")
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src '{digest}'; img-src {images}; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


def html(
    settings: Settings, template: str, status: int = 200, language: str | None = None, **context: Any
) -> Response[str]:
    """`language`: the page's (see `visitor_language` and the link pages); else the organisation's."""
    language = language or settings.language
    css, _ = _style(settings.accent_color)
    org = {"name": settings.org_name, "logo_url": settings.logo_url, "accent": settings.accent_color}
    body = render(
        f"pages/{template}",
        {
            "org": org,
            "css": css,
            "request_url": f"{settings.base_url}/",
            "about_url": f"{settings.base_url}/about",
            **context,
        },
        language=language,
    )
    headers = {**security_headers(settings), "Content-Language": language}
    return Response(status, "text/html; charset=utf-8", body, headers=headers)


def picked_language(event: BaseProxyEvent) -> str | None:
    """The language a person picked with the switch every page shows (?lang=), if it can be shown."""
    return pickable(event.get_query_string_value("lang", "") or None)


def visitor_language(event: BaseProxyEvent, settings: Settings) -> str:
    """For someone we know nothing about: the language they picked, else the shipped one their browser
    prefers, else the organisation's."""
    return picked_language(event) or _browser_language(event, settings)


def keeping_language(location: str, chosen: str | None, event: BaseProxyEvent, settings: Settings) -> str:
    """A redirect's Location, carrying on a language the person picked over their browser's (the
    switch's `?lang=`): the page after a button keeps the language of the page with the button."""
    if chosen is None or chosen == _browser_language(event, settings):
        return location
    return f"{location}?lang={chosen}"


def _browser_language(event: BaseProxyEvent, settings: Settings) -> str:
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    return negotiate(headers.get("accept-language"), settings.language)


# Browsers label every request with where it comes from. Sec-Fetch-Site (every current browser) is
# read first; Origin is the fallback for older ones. A POST carrying neither is not a browser's form
# (curl, a server-side integration) and is let through: it spends only its own network's allowance.
SAME_SITE = frozenset({"same-origin", "none"})  # "none": typed or bookmarked by the person themself


def cross_site(headers: dict[str, str], host: str, settings: Settings) -> bool:
    """Whether a POST was made by another web site's page (a hidden form spending its visitors'
    allowances, or mailing a victim from each visitor's address). `host` is the domain API Gateway
    served; our own origin is BASE_URL's when set."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if (site := headers.get("sec-fetch-site")) is not None:
        return site.strip().lower() not in SAME_SITE
    if (origin := headers.get("origin")) is None:
        return False
    ours = _origin(settings.base_url) if settings.base_url else None
    return origin.strip().lower() not in {o.lower() for o in (ours, f"https://{host}", f"http://{host}") if o}


def refuse_cross_site(settings: Settings, language: str | None = None) -> Response[str]:
    """The form's friendly answer; the JSON API raises CrossSite(CROSS_SITE) for its problem answer."""
    _ = translations(language or settings.language).gettext
    return error_page(
        settings, CrossSite(CROSS_SITE), language=language, action=("/", _("Open the request form"))
    )


def error_page(
    settings: Settings,
    error: errors.DomainError | bodies.Unreadable,
    language: str | None = None,
    **context: Any,
) -> Response[str]:
    """The page for a refusal: its row's status, title and text (refusals.REFUSALS), in `language`
    (the table's words are catalog messages; so is an error's own message where the row shows it)."""
    _ = translations(language or settings.language).gettext
    row = refusal(error)
    told = str(error)
    lines = [said(error, _) if line == told else _(line) for line in row.lines(error)]
    return html(
        settings, "outcome.html", row.status, language=language, title=_(row.title), lines=lines, **context
    )


def problem(status: int, message: str, field_errors: list[dict[str, str]] | None = None) -> Response[str]:
    body = json.dumps({"message": message, "errors": field_errors or []})
    return Response(status, "application/json", body, headers={"Cache-Control": "no-store"})


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def field_errors(errors: Sequence[Any], gettext: Callable[[str], str] | None = None) -> list[dict[str, str]]:
    """Pydantic's error list as {field, message} pairs a person can read. With `gettext` (a form page's
    language), each message in that language: the domain's rule's own words (an InvalidInput carried
    in the error, or a marked message), else ours for pydantic's kind of error."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part != "body"]
        message = error.get("msg") or _default_message(error.get("type", ""))
        message = message.removeprefix("Value error, ")
        if gettext is not None:
            message = _translated(error, message, gettext)
        out.append({"field": ".".join(loc) or "body", "message": message})
    return out


def said(error: BaseException, gettext: Callable[[str], str]) -> str:
    """An error's own message in the language `gettext` translates to: a DomainError's catalog message
    with its parameters, any other's text looked up as it is."""
    if isinstance(error, errors.DomainError) and error.message:
        message = gettext(error.message)
        return message % error.params if error.params else message
    return gettext(str(error))


def _translated(error: Any, message: str, gettext: Callable[[str], str]) -> str:
    cause = (error.get("ctx") or {}).get("error")  # a rule's ValueError carries its InvalidInput
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], errors.InvalidInput):
        return said(cause.args[0], gettext)
    if error.get("type") == "value_error":
        return gettext(message)  # a marked message of the rule's own, or the English if it has none
    ctx = error.get("ctx") or {}
    if error.get("type") == "string_too_long":  # the same words as the domain's rule for a length
        return gettext(N_("Please keep this to %(most)s characters at most.")) % {
            "most": ctx.get("max_length")
        }
    if error.get("type") == "string_too_short":
        return gettext(N_("Please write at least %(least)s characters.")) % {"least": ctx.get("min_length")}
    return gettext(_default_message(error.get("type", "")))


def _default_message(kind: str) -> str:
    return {
        "missing": N_("This field is required."),
        "json_invalid": N_("The body is not valid JSON."),
        "extra_forbidden": N_("This field is not expected."),
        "string_type": N_("This must be text."),
        "model_attributes_type": N_("This must be an object."),
        "string_too_long": N_("This is too long."),
    }.get(kind, N_("This value is not valid."))


class Resolver(Protocol):
    """Powertools' resolver as json_errors uses it (its own `exception_handler` has no return type)."""

    @property
    def current_event(self) -> BaseProxyEvent: ...

    def exception_handler[F: Callable[..., Any]](
        self, exc_class: type[Exception] | list[type[Exception]]
    ) -> Callable[[F], F]: ...


def json_errors(app: Resolver, pages: tuple[str, ...] = ()) -> None:
    """The JSON API's error answers, registered on `app`: a 422 naming each field, and every domain
    error as its status with a message a person can act on. `pages` are the app's paths that answer
    pages and read their own bodies (they handle their own refusals)."""

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[str]:
        return unreadable_body() or problem(422, "Some fields need attention.", field_errors(error.errors()))

    @app.exception_handler(list(REFUSED))
    def refused(error: errors.DomainError | bodies.Unreadable) -> Response[str]:
        return problem(status_of(error), str(error))

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported(_: RequestUnsupportedContentType) -> Response[str]:
        return unreadable_body() or problem(415, "Send the body as application/json.")

    # Powertools reads the body itself before validating it (base64, UTF-8, and the form and multipart
    # encodings the API doesn't take) and lets ValueErrors through: the client's fault only when the
    # body really is one we refuse; any other ValueError is ours, and stays a 500.
    @app.exception_handler(ValueError)
    def undecodable(error: ValueError) -> Response[str]:
        if app.current_event.path not in pages and (answer := unreadable_body()):
            return answer
        raise error

    def unreadable_body() -> Response[str] | None:
        try:
            bodies.json_text(app.current_event)
        except bodies.Unreadable as error:
            return refused(error)
        return None
