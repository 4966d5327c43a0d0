"""Sending one message exactly once: compose it and claim it (with the hashes of its links) in a
versioned write, send it through SES, then record SES's id. See domain.delivery for why the claim
comes first. Composing before the claim means a message that cannot be built changes nothing."""

from __future__ import annotations

from email.message import EmailMessage

from ..adapters.dynamodb import Repository
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


class SendFailed(Exception):
    """SES refused the message for now; it is marked 'retry' and the caller reports the failure."""


def link_url(settings: Settings, purpose: Purpose, token: str) -> str:
    if not settings.base_url:
        raise RuntimeError("BASE_URL must be set wherever mail is sent: links in email must be absolute")
    # The footer's "fewer emails" links share the opt-out's path: mail about mail, not about the request.
    path = "optout" if purpose in (Purpose.OPTOUT, Purpose.PAUSE, Purpose.WEEKLY) else "link"
    return f"{settings.base_url}/{path}/{token}"


def deliver(
    repo: Repository, mailer: Mailer, settings: Settings, intro: Intro, kind: Kind, now: int
) -> Delivery:
    """Returns what became of the message. Raises SendFailed when SES refused it for now."""
    blocked, leave_out = _suppressions(repo, settings, intro, kind)
    if blocked:
        _update(repo, intro, lambda i: _suppressed(i, kind, now))
        return Delivery.SUPPRESSED
    intro, message = _claim(repo, settings, intro, kind, now, leave_out)
    if intro is None:
        return Delivery.CANCELLED
    if message is None:
        return intro.outbox[kind].status  # cancelled, or someone else has it or had it
    try:
        people = envelope(kind, intro, leave_out)
        ses_id = mailer.send(message, [p.email for p in people.to], [p.email for p in people.cc])
    except MailRefused as error:  # nothing was sent; MailOutcomeUnknown leaves the claim standing
        after = _update(repo, intro, lambda i: delivery.refused(i, kind, now) if _sending(i, kind) else None)
        if after is not None and after.outbox[kind].status is Delivery.FAILED:
            return Delivery.FAILED  # parked for an operator: retrying the record would change nothing
        raise SendFailed(f"{kind.value} for {intro.id}: {error.reason}") from error
    _update(repo, intro, lambda i: delivery.sent(i, kind, now, ses_id) if _sending(i, kind) else None)
    return Delivery.SENT


def resend(repo: Repository, intro_id: str, kind: Kind, now: int) -> Intro:
    """An operator's re-send of a parked message (see domain.delivery.is_parked): back to pending, so
    the stream offers it to the notifier again. Raises NothingToSend when it is not parked."""
    intro = repo.get(intro_id)
    if intro is None:
        raise delivery.NothingToSend(kind)
    return repo.save(delivery.resend(intro, kind, now), intro.version)


def _suppressions(
    repo: Repository, settings: Settings, intro: Intro, kind: Kind
) -> tuple[bool, frozenset[str]]:
    """Whether a main recipient is suppressed (nothing is sent), and the copied addresses to leave out.
    Every reason counts for every kind of message: an address that opted out, bounced or complained
    gets no mail at all from the service, a confirmation or an introduction no more than an ask."""
    spec = SPECS[kind]
    people = {address_hash(p.email, settings.hash_key): p.email for p in recipients(intro, spec.to + spec.cc)}
    off = {people[h] for h in repo.suppressed(people)}
    main = {p.email for p in recipients(intro, spec.to)}
    return bool(off & main), frozenset(off - main)


def _claim(
    repo: Repository, settings: Settings, intro: Intro, kind: Kind, now: int, leave_out: frozenset[str]
) -> tuple[Intro | None, EmailMessage | None]:
    for _ in range(3):
        grants, links = _links(settings, intro.id, kind, now)
        try:
            claimed = delivery.claim(intro, kind, now, grants)
        except delivery.NothingToSend:
            return intro, None
        message = compose(kind, claimed, links, settings, leave_out) if _sending(claimed, kind) else None
        try:
            return repo.save(claimed, intro.version), message
        except Conflict:
            intro = repo.get(intro.id)
            if intro is None:
                return None, None
    raise Conflict(f"could not claim {kind.value} for {intro.id}")


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


def _update(repo: Repository, intro: Intro, change) -> Intro | None:
    """Apply `change` and write it, re-reading on conflict; `change` returns None when moot."""
    for _ in range(5):
        updated = change(intro)
        if updated is None:
            return None
        try:
            return repo.save(updated, intro.version)
        except Conflict:
            intro = repo.get(intro.id)
            if intro is None:
                return None
    raise Conflict(f"could not record the outcome of a message for {intro.id}")
