"""Keyed hashes of addresses: enough to recognise an opted-out address, useless to read one back.

A hash is taken over the mailbox's canonical form (domain.mailbox), so every spelling of one inbox
is one person for opt-outs, suppressions, limits and the per-person index."""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode
from collections.abc import Iterable
from typing import Self

from .mailbox import canonical
from .validation import normalise_name


class HashKey(str):
    """The stack's secret for keyed hashes, carrying the organisation's extra dot-insensitive mail
    domains: both decide a mailbox's hash, so they travel together to every caller. A plain string
    key works too (with only the providers domain.mailbox knows)."""

    dotless: frozenset[str]

    def __new__(cls, secret: str, dotless: Iterable[str] = ()) -> Self:
        key = super().__new__(cls, secret)
        key.dotless = frozenset(dotless)
        return key


class AddressHash(str):
    """A mailbox's keyed hash. `earlier` is the hash the same spelling had before identities were
    canonical (the address as typed, lower-cased), when that differs: opt-outs and bounces recorded
    then are looked up under it too (adapters.dynamodb.Repository.suppressed)."""

    earlier: str | None

    def __new__(cls, value: str, earlier: str | None = None) -> Self:
        hashed = super().__new__(cls, value)
        hashed.earlier = earlier if earlier != value else None
        return hashed


def address_hash(email: str, key: str) -> AddressHash:
    return AddressHash(_mac(key, canonical(email, _dotless(key))), _mac(key, legacy_form(email)))


def hashes(email: str, key: str) -> tuple[str, ...]:
    """Every hash this address may be stored under: its own, then the one it had before."""
    found = address_hash(email, key)
    return (str(found), found.earlier) if found.earlier else (str(found),)


def person_key(email: str | None, name: str, key: str) -> str:
    """Who a target is for de-duplication: their address when known, else their normalised name."""
    basis = f"email:{canonical(email, _dotless(key))}" if email else f"name:{normalise_name(name)}"
    return _mac(key, basis)


def same_mailbox(one: str, other: str, key: str) -> bool:
    dotless = _dotless(key)
    return canonical(one, dotless) == canonical(other, dotless)


def legacy_form(email: str) -> str:
    """What hashes were taken over before canonical identities: the address trimmed and lower-cased."""
    return email.strip().lower()


def _mac(key: str, text: str) -> str:
    return (
        urlsafe_b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()).decode().rstrip("=")
    )


def _dotless(key: str) -> frozenset[str]:
    return getattr(key, "dotless", frozenset())
