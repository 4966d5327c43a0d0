"""Taking a new request. The answer never depends on who the connector or target is, nor on
whether the requester's address was already sent a confirmation."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..domain import confirmations, languages
from ..domain.confirmations import ConfirmationLedger
from ..domain.errors import RateLimited
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
from .unit_of_work import Book, LedgerOf, Store, UnitOfWork, retrying

SIGNED_IN = "signed-in:v1"  # the consent record's `via` for a confirm the session proved

if TYPE_CHECKING:  # the request models (pydantic) load with the intake's handler, not the links pages'
    from ..api import IntroRequest


def submit(
    store: Store,
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
    subject = f"ip:{address_hash(network(source), settings.hash_key)}"
    if not store.begin(now).rates.hit(subject, now // HOUR, settings.limit_ip_hour):
        raise RateLimited("Too many requests from your network just now. Please try again in an hour.")
    if proven:
        return confirmed_now(store, settings, _new(request, new_id(), now, via), admission.on_confirm)
    ref = _confirmations_of(settings, request.requester.email)
    window = settings.timings.unconfirmed

    def take(uow: UnitOfWork) -> Intro:
        intro_id = new_id()
        ledger, now_ok = confirmations.take(
            uow.ledgers.get(ref), intro_id, now, window, settings.limit_confirm_day
        )
        intro = _new(request, intro_id, now, via, held=not now_ok)
        uow.intros.add(intro)
        personal_data.index(uow, intro, settings.hash_key)
        uow.ledgers.save(ref, ledger, expires_at=_forgotten_at(window, now))
        return intro

    # Two requests for one address at the same moment: the later re-reads the ledger.
    intro = retrying(store, now, take, attempts=3)
    count_events(settings.org_name, intro, since=0)
    return intro


def _confirmations_of(settings: Settings, email: str) -> LedgerOf[ConfirmationLedger]:
    return LedgerOf(Book.CONFIRMATIONS, address_hash(email, settings.hash_key))


def _forgotten_at(window: int, now: int) -> int:
    """When nothing in a confirmation ledger written at `now` can matter any more."""
    return now + max(window, DAY) + DAY


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
    store: Store,
    settings: Settings,
    intro: Intro,
    on_confirm: Callable[[Settings, UnitOfWork, Intro, int], Admission],
) -> Intro:
    """A new request or proposal from someone signed in as its starter: no confirmation mail and no
    slot in the confirmation ledger (nothing waits on a click); the policy at confirmation
    (`on_confirm`, which may raise LimitReached for the starter's own activity) and the write are
    those of a click on the link, in one transaction with the members it relies on."""
    now = intro.created_at

    def confirm(uow: UnitOfWork) -> Intro:
        gate = on_confirm(settings, uow, intro, now)
        confirmed = proven(intro, now, via=SIGNED_IN, admission=gate)
        uow.intros.add(confirmed, members=members_vouching(settings, intro, confirmed))
        personal_data.index(uow, confirmed, settings.hash_key)
        return confirmed

    confirmed = retrying(store, now, confirm, attempts=3)
    count_events(settings.org_name, confirmed, since=0)
    return confirmed


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
    settings: Settings, uow: UnitOfWork, intro: Intro, confirmed: bool, now: int
) -> None:
    """The requester (or a proposal's connector) answered `intro`'s confirmation mail: stages what
    frees their address for the next one and, after a confirmation (never a withdrawal: "this wasn't
    me" must not bring more mail), the release of the oldest request still waiting (see
    domain.confirmations)."""
    ref = _confirmations_of(settings, proposer_email(intro))
    window = settings.timings.unconfirmed
    ledger = confirmations.answered(uow.ledgers.get(ref), intro.id, now, window)
    for waiting_id, _ in ledger.held if confirmed else ():
        if not confirmations.may_send(ledger, settings.limit_confirm_day):
            break
        waiting = uow.intros.get(waiting_id)
        if confirmations.is_waiting(waiting):
            ledger = confirmations.promote(ledger, waiting_id, now)
            uow.intros.save(confirmations.release(waiting, now))
            break
        ledger = confirmations.drop(ledger, waiting_id)  # withdrawn or erased meanwhile
    uow.ledgers.save(ref, ledger, expires_at=_forgotten_at(window, now))
