"""Keyed hashes of addresses: enough to recognise an opted-out address, useless to read one back."""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode

from .validation import normalise_email, normalise_name


def address_hash(email: str, key: str) -> str:
    mac = hmac.new(key.encode(), normalise_email(email).encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(mac).decode().rstrip("=")


def person_key(email: str | None, name: str, key: str) -> str:
    """Who a target is for de-duplication: their address when known, else their normalised name."""
    basis = f"email:{normalise_email(email)}" if email else f"name:{normalise_name(name)}"
    return urlsafe_b64encode(hmac.new(key.encode(), basis.encode(), hashlib.sha256).digest()).decode().rstrip("=")
