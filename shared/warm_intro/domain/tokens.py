"""Link tokens: long, random, stored only as a hash, bound to one intro, one role and one purpose.

A token reads ``<intro id>.<secret>``. The id lets us load the one item that holds the grant;
the secret (192 bits) is never stored, only its SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode

from .errors import InvalidLink, LinkExpired
from .model import Grant, Intro

SECRET_BYTES = 24


def new_id() -> str:
    return secrets.token_urlsafe(12)


def digest(secret: str) -> str:
    return urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).decode().rstrip("=")


def mint(intro_id: str) -> tuple[str, str]:
    """Returns (token for the link, hash to store)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return f"{intro_id}.{secret}", digest(secret)


def split(token: str) -> tuple[str, str]:
    intro_id, _, secret = token.partition(".")
    if not intro_id or len(secret) < 32 or len(token) > 128:
        raise InvalidLink("This link is not valid.")
    return intro_id, secret


def grant_for(intro: Intro, secret: str, now: int) -> Grant:
    wanted = digest(secret)
    found = None
    for stored, grant in intro.tokens.items():
        if hmac.compare_digest(stored, wanted):
            found = grant
    if found is None:
        raise InvalidLink("This link is not valid.")
    if found.expires_at <= now:
        raise LinkExpired("This link has expired.")
    return found
