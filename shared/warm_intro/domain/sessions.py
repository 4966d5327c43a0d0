"""Signing in by email link, and the session that follows: pure rules, no I/O.

A sign-in link reads `/me/signin/<secret>`; only the secret's SHA-256 is stored, for about 15 minutes,
and it is spent by the one POST that opens a session. A session is a server-side record under the
SHA-256 of a random id; the cookie carries the id. It expires, and is deleted on sign-out, erasure
and member removal. Each session has its own CSRF token, which every state-changing form carries."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from .tokens import digest

SIGNIN_SECONDS = 15 * 60
SESSION_SECONDS = 7 * 24 * 3600
SECRET_BYTES = 24  # 192 bits, like every link token
SESSION_BYTES = 32


@dataclass(frozen=True)
class Session:
    email: str
    address_hash: str
    csrf: str
    expires_at: int

    def valid_at(self, now: int) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class SigninAsk:
    """Someone asked for a sign-in link for `email`; the notifier decides, off the request's path,
    whether a link goes out, so the page's answer takes as long whoever is known."""

    id: str
    email: str
    base: str  # where the link points: the address the form was served from
    expires_at: int


def new_ask(email: str, base: str, now: int) -> SigninAsk:
    return SigninAsk(secrets.token_hex(16), email, base, now + SIGNIN_SECONDS)


def new_signin(now: int) -> tuple[str, str, int]:
    """(secret for the link, hash to store, when it expires)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return secret, digest(secret), now + SIGNIN_SECONDS


def new_session(email: str, address_hash: str, now: int) -> tuple[str, str, Session]:
    """(id for the cookie, hash to store it under, the session)."""
    session_id = secrets.token_urlsafe(SESSION_BYTES)
    csrf = secrets.token_urlsafe(SESSION_BYTES)
    return session_id, digest(session_id), Session(email, address_hash, csrf, now + SESSION_SECONDS)


def well_formed(secret: str) -> bool:
    """A secret we could have minted: the right length and alphabet (anything else is not looked up)."""
    return 32 <= len(secret) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in secret)


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf.encode(), str(sent).encode())


def cookie_name(secure: bool) -> str:
    """`__Host-` binds the cookie to this host, path / and https; browsers refuse it over plain http."""
    return "__Host-session" if secure else "session"


def set_cookie(session_id: str, secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{cookie_name(secure)}={session_id}; Path=/; Max-Age={SESSION_SECONDS}; HttpOnly; SameSite=Lax{flags}"


def clear_cookie(secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{cookie_name(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{flags}"


def session_id_from(cookies: list[str], secure: bool) -> str | None:
    """The session id among the request's cookies (each `name=value`, as API Gateway lists them)."""
    wanted = cookie_name(secure)
    for cookie in cookies:
        for part in cookie.split(";"):
            name, _, value = part.strip().partition("=")
            if name == wanted and well_formed(value):
                return value
    return None
