"""Taking a new request. The answer never depends on who the connector or target is, nor on
whether the requester's address was already sent a confirmation."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..adapters import confirmation_ledger
from ..adapters.dynamodb import Repository
from ..domain import confirmations, languages
from ..domain.errors import Conflict, RateLimited
from ..domain.hashing import address_hash
from ..domain.lifecycle import Admission, new_request, proven
from ..domain.model import Intro, Person, Role, Target
from ..domain.proposal import proposer_email
from ..domain.rules import DAY, HOUR
from ..domain.tokens import new_id
from ..settings import Settings
from ..telemetry import count_events
from . import admission, personal_data
from .membership import members_vouching

SIGNED_IN = "signed-in:v1"  # the consent record's `via` for a confirm the session proved

if TYPE_CHECKING:  # the request models (pydantic) load with the intake's handler, not the links pages'
    from ..api import IntroRequest


def submit(
    repo: Repository,
    settings: Settings,
    request: IntroRequest,
    now: int,
    via: str,
    source: str,
    proven: bool = False,
) -> Intro:
    """`source` is the caller's IP address: a modest hourly rate per network, kept by the app.
    `proven`: the requester is signed in as this address (services.signin), so it goes on as if
    they had clicked their confirmation link (`confirmed_now`)."""
    if not repo.count_hit(
        f"ip:{address_hash(network(source), settings.hash_key)}", now // HOUR, settings.limit_ip_hour
    ):
        raise RateLimited("Too many requests from your network just now. Please try again in an hour.")
    if proven:
        return confirmed_now(repo, settings, _new(request, new_id(), now, via), admission.on_confirm)
    key = confirmation_ledger.ledger_key(address_hash(request.requester.email, settings.hash_key))
    window = settings.timings.unconfirmed
    for attempt in range(3):  # two requests for one address at the same moment: the later re-reads
        intro_id = new_id()
        ledger, now_ok = confirmations.take(
            confirmation_ledger.read(repo, key), intro_id, now, window, settings.limit_confirm_day
        )
        intro = _new(request, intro_id, now, via, held=not now_ok)
        ledger_write = confirmation_ledger.put(repo, key, ledger, expires_at=now + max(window, DAY) + DAY)
        try:
            repo.create(
                intro, also=[*personal_data.index(repo.table, intro, settings.hash_key), ledger_write]
            )
        except Conflict:
            if attempt == 2:
                raise
            continue
        count_events(settings.org_name, intro, since=0)
        return intro
    raise AssertionError("unreachable")


def _new(request: IntroRequest, intro_id: str, now: int, via: str, held: bool = False) -> Intro:
    intro = new_request(
        intro_id,
        Person(request.requester.name, request.requester.email),
        request.connector_email,
        Target(request.target.name, request.target.email, request.target.about),
        request.blurb,
        now,
        via,
        held=held,
        acquaintance=request.acquaintance,
    )
    return languages.chosen(intro, Role.REQUESTER, request.language)


def confirmed_now(
    repo: Repository,
    settings: Settings,
    intro: Intro,
    on_confirm: Callable[[Settings, Repository, Intro, int], tuple[Admission, list[dict]]],
) -> Intro:
    """A new request or proposal from someone signed in as its starter: no confirmation mail and no
    slot in the confirmation ledger (nothing waits on a click); the policy at confirmation
    (`on_confirm`, which may raise LimitReached for the starter's own activity) and the write are
    those of a click on the link, in one transaction with the members it relies on."""
    now = intro.created_at
    for attempt in range(3):
        gate, also = on_confirm(settings, repo, intro, now)
        confirmed = proven(intro, now, via=SIGNED_IN, admission=gate)
        try:
            repo.create(
                confirmed,
                also=[*personal_data.index(repo.table, confirmed, settings.hash_key), *also],
                members=members_vouching(settings, intro, confirmed),
            )
        except Conflict:
            if attempt == 2:
                raise
            continue
        count_events(settings.org_name, confirmed, since=0)
        return confirmed
    raise AssertionError("unreachable")


def network(source: str) -> str:
    """What one caller controls: an IPv4 address, or an IPv6 address's /64 (one subscriber's prefix:
    walking its 2^64 addresses must not buy 2^64 allowances)."""
    try:
        address = ipaddress.ip_address(source)
    except ValueError:
        return source
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def confirmation_answered(
    settings: Settings, repo: Repository, intro: Intro, confirmed: bool, now: int
) -> list[dict]:
    """The requester (or a proposal's connector) answered `intro`'s confirmation mail: the writes that free their address for the
    next one and, after a confirmation (never a withdrawal: "this wasn't me" must not bring more
    mail), release the oldest request still waiting (see domain.confirmations)."""
    key = confirmation_ledger.ledger_key(address_hash(proposer_email(intro), settings.hash_key))
    window = settings.timings.unconfirmed
    ledger = confirmations.answered(confirmation_ledger.read(repo, key), intro.id, now, window)
    release: list[dict] = []
    for waiting_id, _ in ledger.held if confirmed else ():
        if not confirmations.may_send(ledger, settings.limit_confirm_day):
            break
        waiting = repo.get(waiting_id)
        if confirmations.is_waiting(waiting):
            ledger = confirmations.promote(ledger, waiting_id, now)
            release.append(
                confirmation_ledger.release_write(repo, confirmations.release(waiting, now), waiting.version)
            )
            break
        ledger = confirmations.drop(ledger, waiting_id)  # withdrawn or erased meanwhile
    return [confirmation_ledger.put(repo, key, ledger, expires_at=now + max(window, DAY) + DAY), *release]
