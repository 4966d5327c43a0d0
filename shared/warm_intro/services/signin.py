"""Signing in by email link, and the session behind the cookie.

`request_link` answers the same whoever typed whichever address, and does the same work for each: it
counts the attempt against a per-address and a per-network hourly limit and stores the ask. Whether
a link goes out is decided off the request's path, by the notifier (`send_link`): only to someone the
service already knows (a member, or anyone with a request or an ask), never to a suppressed address.
Neither the answer nor its timing says which."""

from __future__ import annotations

import logging

from ..adapters.mailer import Mailer
from ..domain import actors, sessions
from ..domain.errors import InvalidInput, InvalidLink, MailOutcomeUnknown, MailRefused
from ..domain.hashing import address_hash, hashes, same_mailbox
from ..domain.rules import HOUR
from ..domain.tokens import digest
from ..domain.validation import check_email
from ..settings import Settings
from ..views import member_emails
from .intake import network
from .unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)


def request_link(store: Store, settings: Settings, email: str, source: str, base: str, now: int) -> bool:
    """Whether the ask was stored (within the limits); for tests and logs only, never for the answer."""
    try:
        email = check_email("email", email)
    except InvalidInput:  # an unreadable address gets the same answer as any other
        return False
    key = settings.hash_key
    # Both limits count every attempt, known or not, so hitting one says nothing about the address.
    uow = store.begin(now)
    ip = address_hash(network(source), key)
    ip_ok = uow.rates.hit(f"signin-ip:{ip}", now // HOUR, settings.limit_signin_ip_hour)
    if not ip_ok or not uow.rates.hit(
        f"signin:{address_hash(email, key)}", now // HOUR, settings.limit_signin_hour
    ):
        return False
    uow.sessions.ask_signin(sessions.new_ask(email, base, now))
    return True


def send_link(store: Store, mailer: Mailer, settings: Settings, ask: sessions.SigninAsk, now: int) -> bool:
    """The notifier's half: whether a link was mailed. The ask is taken first, so a replayed record
    mails nothing; a refused or lost send is not retried (the person can ask again, and a sign-in
    link mailed twice would be two live links)."""
    uow = store.begin(now)
    if not uow.sessions.take_ask(ask.id) or ask.expires_at <= now:
        return False
    if uow.people.suppressed([address_hash(ask.email, settings.hash_key)]) or not known(
        uow, settings, ask.email
    ):
        return False
    secret, stored, expires_at = sessions.new_signin(now)
    uow.sessions.put_signin(stored, ask.email, expires_at)
    try:
        mailer.send(
            member_emails.signin(settings, ask.email, f"{ask.base}/me/signin/{secret}"), to=[ask.email]
        )
    except (MailRefused, MailOutcomeUnknown):
        log.warning("sign-in link not sent", exc_info=True)
        return False
    return True


def known(uow: UnitOfWork, settings: Settings, email: str) -> bool:
    """A member, whoever started a request or a proposal, or someone whose ask went out. Being named
    in one is not enough: a typed-in target, or a proposal's second person before they were asked,
    may never have heard of this service (domain.actors.involved)."""
    if uow.people.member_name(email) is not None:
        return True
    entries = [e for h in hashes(email, settings.hash_key) for e in uow.people.entries(h)]
    for entry in entries[:20]:
        intro = uow.intros.get(entry.intro)
        if intro is not None and actors.involved(intro, entry.role, delivered=True):
            return True
    return False


def check_signin(store: Store, secret: str, now: int) -> None:
    """The page behind a sign-in link only shows a button; an unusable link says so (never why)."""
    if not sessions.well_formed(secret) or not store.begin(now).sessions.signin_exists(digest(secret), now):
        raise InvalidLink("This sign-in link doesn't work any more.")


def sign_in(store: Store, settings: Settings, secret: str, now: int) -> str:
    """Spends the link and opens a session; returns the session id for the cookie."""
    stored_sessions = store.begin(now).sessions
    email = stored_sessions.take_signin(digest(secret), now) if sessions.well_formed(secret) else None
    if email is None:
        raise InvalidLink("This sign-in link doesn't work any more.")
    session_id, stored, session = sessions.new_session(email, address_hash(email, settings.hash_key), now)
    stored_sessions.put_session(stored, session)
    return session_id


def current(store: Store, session_id: str | None, now: int) -> sessions.Session | None:
    if not session_id:
        return None
    found = store.begin(now).sessions.session(digest(session_id))
    return found if found is not None and found.valid_at(now) else None


def sign_out(store: Store, session_id: str) -> None:
    stored_sessions = store.begin(0).sessions
    found = stored_sessions.session(digest(session_id))
    if found is not None:
        stored_sessions.end(digest(session_id), found.address_hash)


def end_all(store: Store, hash_key: str, email: str) -> int:
    """Every session of this person, under any hash their address may be kept under."""
    return store.begin(0).sessions.end_all(hashes(email, hash_key))


def is_me(session: sessions.Session, email: str | None, hash_key: str) -> bool:
    if not email:
        return False
    return same_mailbox(session.email, email, hash_key)
