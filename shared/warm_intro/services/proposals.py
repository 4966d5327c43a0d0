"""Taking a connector's proposal ("you two should meet") and the organisation's policy at the two
moments it would mail someone new: when the connector confirms (the first person is about to be
asked) and when the first person says yes (the second is). The rules are the domain's
(lifecycle.new_proposal, domain.proposal, limits.target_turn); this module only reads and writes.

As for a request, nothing here answers the API caller differently whoever the people are: a
proposer who is not a member hears so only after proving their address, and a person who cannot be
asked (opted out, bounced, asked too often) ends it with the same neutral close as a "no"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import confirmations, limits
from ..domain.errors import LimitReached, RateLimited
from ..domain.hashing import address_hash
from ..domain.lifecycle import GO, Admission, new_proposal
from ..domain.model import Decision, Intro, Person, State, Target
from ..domain.proposal_limits import proposal_turn
from ..domain.rules import DAY, HOUR
from ..domain.tokens import new_id
from ..domain.translatable import N_
from ..settings import Settings
from ..telemetry import count_events
from . import intake, personal_data
from .unit_of_work import Book, LedgerOf, Store, UnitOfWork, retrying

if TYPE_CHECKING:  # the request models (pydantic) load with the intake's handler, not the links pages'
    from ..api import ProposalRequest


def submit(
    store: Store,
    settings: Settings,
    request: ProposalRequest,
    now: int,
    via: str,
    source: str,
    proven: bool = False,
) -> Intro:
    """`source`: the caller's IP address, sharing the request form's hourly allowance per network.
    `proven`: the connector is signed in as this address, so it goes on as after their click."""
    key = settings.hash_key
    subject = f"ip:{address_hash(intake.network(source), key)}"
    if not store.begin(now).rates.hit(subject, now // HOUR, settings.limit_ip_hour):
        raise RateLimited(N_("Too many requests from your network just now. Please try again in an hour."))
    if proven:
        return intake.confirmed_now(store, settings, _new(request, new_id(), now, via), _on_confirm)
    # One unanswered confirmation per address at a time, a request's or a proposal's (domain.confirmations).
    ref = LedgerOf(Book.CONFIRMATIONS, address_hash(request.connector.email, key))
    window = settings.timings.unconfirmed

    def take(uow: UnitOfWork) -> Intro:
        intro_id = new_id()
        ledger, now_ok = confirmations.take(
            uow.ledgers.get(ref), intro_id, now, window, settings.limit_confirm_day
        )
        intro = _new(request, intro_id, now, via, held=not now_ok)
        uow.intros.add(intro)
        personal_data.index(uow, intro, key)
        uow.ledgers.save(ref, ledger, expires_at=now + max(window, DAY) + DAY)
        return intro

    # Two proposals from one address at the same moment: the later re-reads the ledger.
    intro = retrying(store, now, take, attempts=3)
    count_events(settings.org_name, intro, since=0)
    return intro


def _new(request: ProposalRequest, intro_id: str, now: int, via: str, held: bool = False) -> Intro:
    first, second = request.asked_first, request.asked_second
    return new_proposal(
        intro_id,
        Person(request.connector.name, request.connector.email),
        Target(first.name, first.email, first.about),
        Person(second.name, second.email, second.about),
        request.note,
        now,
        via,
        held=held,
    )


def gate(settings: Settings, uow: UnitOfWork, intro: Intro, choice: Decision, now: int) -> Admission:
    """What the organisation's policy says before `choice` is applied to a proposal; its ledger writes
    are staged in `uow`, which services.links commits with the introduction."""
    if choice in (Decision.CONFIRM, Decision.WITHDRAW) and intro.state is State.UNCONFIRMED:
        intake.confirmation_answered(settings, uow, intro, choice is Decision.CONFIRM, now)
        if choice is Decision.WITHDRAW:
            return GO
        try:
            return _on_confirm(settings, uow, intro, now)
        except LimitReached:
            uow.commit()  # the click still proved the address (see services.links)
            raise
    if choice is Decision.ACCEPT and intro.state is State.AWAITING_TARGET:
        return _may_ask(settings, uow, intro.requester.email, now)
    return GO


def _on_confirm(settings: Settings, uow: UnitOfWork, intro: Intro, now: int) -> Admission:
    """Only a member may propose; the proposal counts toward their week (told if it is full: it is
    their own activity); then the first person must be someone this service may ask."""
    name = uow.people.member_name(intro.connector.email)
    if name is None:
        return Admission(allowed=False)
    c_ref = LedgerOf(Book.CONNECTOR, address_hash(intro.connector.email, settings.hash_key))
    connector = proposal_turn(uow.ledgers.read(c_ref)[c_ref], settings.limits, now)
    uow.ledgers.save(c_ref, connector, due_at=limits.next_room_at(connector, settings.limits, now))
    first = _may_ask(settings, uow, intro.target.email or "", now)
    return Admission(closes=first.closes, connector_name=name)


def _may_ask(settings: Settings, uow: UnitOfWork, email: str, now: int) -> Admission:
    """A person is asked only if they never said "don't ask me again" (nor bounced) and have not been
    asked too often lately: each counts toward their "asked per 30 days", as a target does."""
    person = address_hash(email, settings.hash_key)
    if uow.people.suppressed([person]):
        return Admission(closes=True)
    t_ref = LedgerOf(Book.TARGET, person)
    ledger, ok = limits.target_turn(uow.ledgers.read(t_ref)[t_ref], settings.limits, now)
    if not ok:
        return Admission(closes=True)
    uow.ledgers.save(t_ref, ledger)
    return Admission()
