"""Sending one message exactly once: compose it and claim it (with the hashes of its links) in a
versioned write, send it through SES, then record SES's id. See domain.delivery for why the claim
comes first. Composing before the claim means a message that cannot be built changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from ..adapters.mailer import Mailer
from ..domain import actors, delivery, tokens
from ..domain.errors import Conflict, MailRefused
from ..domain.hashing import address_hash
from ..domain.lifecycle import close, record
from ..domain.messages import SPECS
from ..domain.model import SENDABLE, Delivery, Grant, Intro, Kind, Purpose, Role, State
from ..domain.proposal import kind_for
from ..settings import Settings
from ..views.emails import compose, envelope, recipients
from .unit_of_work import Store, UnitOfWork, retrying


class SendFailed(Exception):
    """SES refused the message for now; it is marked 'retry' and the caller reports the failure."""


def link_url(settings: Settings, purpose: Purpose, token: str) -> str:
    if not settings.base_url:
        raise RuntimeError("BASE_URL must be set wherever mail is sent: links in email must be absolute")
    # The footer's "fewer emails" links share the opt-out's path: mail about mail, not about the request.
    path = "optout" if purpose in (Purpose.OPTOUT, Purpose.PAUSE, Purpose.WEEKLY) else "link"
    return f"{settings.base_url}/{path}/{token}"


def deliver(store: Store, mailer: Mailer, settings: Settings, intro: Intro, kind: Kind, now: int) -> Delivery:
    """Returns what became of the message. Raises SendFailed when SES refused it for now. `intro` is
    as stored (the stream's image): the first write is tried on it without reading it again."""
    blocked, leave_out = _suppressions(store.begin(now), settings, intro, kind)
    if blocked:
        _update(store, now, intro, lambda i: _suppressed(i, kind, now))
        return Delivery.SUPPRESSED
    claimed, message = _claim(store, settings, intro, kind, now, leave_out)
    if claimed is None:
        return Delivery.CANCELLED
    intro = claimed
    if message is None:
        return intro.outbox[kind].status  # cancelled, or someone else has it or had it
    try:
        people = envelope(kind, intro, leave_out)
        ses_id = mailer.send(message, [p.email for p in people.to], [p.email for p in people.cc])
    except MailRefused as error:  # nothing was sent; MailOutcomeUnknown leaves the claim standing
        after = _update(
            store, now, intro, lambda i: delivery.refused(i, kind, now) if _sending(i, kind) else None
        )
        if after is not None and after.outbox[kind].status is Delivery.FAILED:
            return Delivery.FAILED  # parked for an operator: retrying the record would change nothing
        raise SendFailed(f"{kind.value} for {intro.id}: {error.reason}") from error
    _update(store, now, intro, lambda i: delivery.sent(i, kind, now, ses_id) if _sending(i, kind) else None)
    return Delivery.SENT


def resend(store: Store, intro_id: str, kind: Kind, now: int) -> Intro:
    """An operator's re-send of a parked message (see domain.delivery.is_parked): back to pending, so
    the stream offers it to the notifier again. Raises NothingToSend when it is not parked."""
    uow = store.begin(now)
    intro = uow.intros.get(intro_id)
    if intro is None:
        raise delivery.NothingToSend(kind)
    written = uow.intros.save(delivery.resend(intro, kind, now))
    uow.commit()
    return written


def _suppressions(
    uow: UnitOfWork, settings: Settings, intro: Intro, kind: Kind
) -> tuple[bool, frozenset[str]]:
    """Whether a main recipient is suppressed (nothing is sent), and the copied addresses to leave out.
    Every reason counts for every kind of message: an address that opted out, bounced or complained
    gets no mail at all from the service, a confirmation or an introduction no more than an ask."""
    spec = SPECS[kind]
    people: dict[str, str] = {
        address_hash(p.email, settings.hash_key): p.email for p in recipients(intro, spec.to + spec.cc)
    }
    off = {people[h] for h in uow.people.suppressed(people)}
    main = {p.email for p in recipients(intro, spec.to)}
    return bool(off & main), frozenset(off - main)


def _claim(
    store: Store, settings: Settings, intro: Intro, kind: Kind, now: int, leave_out: frozenset[str]
) -> tuple[Intro | None, EmailMessage | None]:
    def claim(uow: UnitOfWork) -> tuple[Intro | None, EmailMessage | None]:
        current = uow.intros.get(intro.id)
        if current is None:
            return None, None
        grants, links = _links(settings, intro.id, kind, now)
        try:
            claimed = delivery.claim(current, kind, now, grants)
        except delivery.NothingToSend:
            return current, None
        message = compose(kind, claimed, links, settings, leave_out) if _sending(claimed, kind) else None
        return uow.intros.save(claimed), message

    try:
        return retrying(store, now, claim, attempts=3, known=[intro])
    except Conflict:
        raise Conflict(f"could not claim {kind.value} for {intro.id}") from None


def _links(
    settings: Settings, intro_id: str, kind: Kind, now: int
) -> tuple[dict[str, Grant], dict[Purpose, str]]:
    grants: dict[str, Grant] = {}
    links: dict[Purpose, str] = {}
    for purpose in SPECS[kind].links:
        token, digest = tokens.mint(intro_id)
        role = SPECS[kind].link_role(purpose)
        grants[digest] = Grant(role=role, purpose=purpose, expires_at=now + settings.timings.link)
        links[purpose] = link_url(settings, purpose, token)
    return grants, links


def _suppressed(intro: Intro, kind: Kind, now: int) -> Intro | None:
    """A suppressed person is never mailed; if they were being asked, the request closes neutrally."""
    if kind not in intro.outbox or intro.outbox[kind].status not in SENDABLE:
        return None
    intro = delivery.suppressed(intro, kind, now)
    if actors.asks_now(intro, kind):
        closed = kind_for(intro, Kind.CLOSED)
        intro = record(close(intro, State.REFUSED, now, closed), now, Role.SYSTEM, "undeliverable")
    return intro


def _sending(intro: Intro, kind: Kind) -> bool:
    return kind in intro.outbox and intro.outbox[kind].status is Delivery.SENDING


def _update(store: Store, now: int, intro: Intro, change: Callable[[Intro], Intro | None]) -> Intro | None:
    """Apply `change` and write it, re-reading on conflict; `change` returns None when moot."""

    def update(uow: UnitOfWork) -> Intro | None:
        current = uow.intros.get(intro.id)
        updated = None if current is None else change(current)
        return None if updated is None else uow.intros.save(updated)

    try:
        return retrying(store, now, update, attempts=5, known=[intro])
    except Conflict:
        raise Conflict(f"could not record the outcome of a message for {intro.id}") from None
