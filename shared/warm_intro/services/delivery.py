"""Sending one message exactly once: claim it (with the hashes of its links) in a versioned write,
send it through SES, then record SES's id. See domain.delivery for why the claim comes first."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ..adapters.dynamodb import Repository
from ..adapters.mailer import Mailer
from ..domain import delivery, tokens
from ..domain.errors import Conflict
from ..domain.lifecycle import close, record
from ..domain.messages import SPECS
from ..domain.model import Delivery, Grant, Intro, Kind, Purpose, Role, State
from ..domain.privacy import address_hash
from ..settings import Settings
from ..views.emails import compose, recipients

ROLE_OF = {
    Purpose.CONFIRM: Role.REQUESTER,
    Purpose.FOLLOWUP: Role.REQUESTER,
    Purpose.REVIEW: Role.CONNECTOR,
    Purpose.CONSENT: Role.TARGET,
}
ASKS = {Kind.CONNECTOR_ASK, Kind.TARGET_ASK, Kind.CONNECTOR_REMINDER, Kind.TARGET_REMINDER}


class SendFailed(Exception):
    """SES refused the message for now; it is marked 'retry' and the caller reports the failure."""


def link_url(settings: Settings, purpose: Purpose, token: str) -> str:
    if not settings.base_url:
        raise RuntimeError("BASE_URL must be set wherever mail is sent: links in email must be absolute")
    return f"{settings.base_url}/{'optout' if purpose is Purpose.OPTOUT else 'link'}/{token}"


def deliver(repo: Repository, mailer: Mailer, settings: Settings, intro: Intro, kind: Kind, now: int) -> Delivery:
    """Returns what became of the message. Raises SendFailed when SES refused it."""
    claimed = _claim(repo, settings, intro, kind, now)
    if claimed is None:
        return Delivery.SENT  # someone else has it, or had it
    intro, links = claimed
    if intro.outbox[kind].status is Delivery.CANCELLED:
        return Delivery.CANCELLED
    people = recipients(intro, SPECS[kind].to + SPECS[kind].cc)
    if repo.suppressed(address_hash(p.email, settings.hash_key) for p in people):
        _update(repo, intro, lambda i: _suppressed(i, kind, now))
        return Delivery.SUPPRESSED
    try:
        ses_id = mailer.send(compose(kind, intro, links, settings))
    except ClientError as error:
        _update(repo, intro, lambda i: delivery.refused(i, kind, now) if _sending(i, kind) else None)
        raise SendFailed(f"{kind.value} for {intro.id}: {error.response['Error']['Code']}") from error
    _update(repo, intro, lambda i: delivery.sent(i, kind, now, ses_id) if _sending(i, kind) else None)
    return Delivery.SENT


def _claim(repo: Repository, settings: Settings, intro: Intro, kind: Kind, now: int):
    for _ in range(3):
        grants: dict[str, Grant] = {}
        links: dict[Purpose, str] = {}
        for purpose in SPECS[kind].links:
            token, digest = tokens.mint(intro.id)
            role = ROLE_OF.get(purpose, SPECS[kind].to[0])
            grants[digest] = Grant(role=role, purpose=purpose, expires_at=now + settings.timings.link)
            links[purpose] = link_url(settings, purpose, token)
        try:
            return repo.save(delivery.claim(intro, kind, now, grants), intro.version), links
        except delivery.NothingToSend:
            return None
        except Conflict:
            intro = repo.get(intro.id)
            if intro is None:
                return None
    return None


def _suppressed(intro: Intro, kind: Kind, now: int) -> Intro | None:
    """A suppressed person is never mailed; if they were being asked, the request closes neutrally."""
    if not _sending(intro, kind):
        return None
    intro = delivery.suppressed(intro, kind, now)
    if kind in ASKS and intro.state in (State.AWAITING_CONNECTOR, State.AWAITING_TARGET):
        intro = record(close(intro, State.REFUSED, now, Kind.CLOSED), now, Role.SYSTEM, "undeliverable")
    return intro


def _sending(intro: Intro, kind: Kind) -> bool:
    return kind in intro.outbox and intro.outbox[kind].status is Delivery.SENDING


def _update(repo: Repository, intro: Intro, change) -> None:
    """Apply `change` and write it, re-reading on conflict; `change` returns None when moot."""
    for _ in range(5):
        updated = change(intro)
        if updated is None:
            return
        try:
            repo.save(updated, intro.version)
            return
        except Conflict:
            intro = repo.get(intro.id)
    raise Conflict(f"could not record the outcome of a message for {intro.id}")
