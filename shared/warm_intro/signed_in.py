"""Who is signed in (services.signin), read from a request's session cookie by any function behind
the site's one host: the home at /me, and the forms, where a signed-in person's own request or
proposal needs no confirming. No cookie, no read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .domain import sessions
from .services import signin
from .services.unit_of_work import Store
from .settings import Settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent


def secure(settings: Settings) -> bool:
    """Served over https (always, deployed): the cookie is Secure and `__Host-` prefixed."""
    return not settings.base_url.startswith("http://")


def session_id(event: BaseProxyEvent, settings: Settings) -> str | None:
    """`event`: Powertools' HTTP API event. API Gateway lists cookies apart; a local or older
    caller may send one Cookie header instead."""
    cookies = list(event.get("cookies") or [])
    if not cookies and (header := {k.lower(): v for k, v in (event.headers or {}).items()}.get("cookie")):
        cookies = [header]
    return sessions.session_id_from(cookies, secure(settings))


def session(event: BaseProxyEvent, store: Store, settings: Settings, now: int) -> sessions.Session | None:
    return signin.current(store, session_id(event, settings), now)
