"""Taking a connector's proposal ("you two should meet") and the organisation's policy at the two
moments it would mail someone new: when the connector confirms (the first person is about to be
asked) and when the first person says yes (the second is). The rules are the domain's
(lifecycle.new_proposal, domain.proposal, limits.target_turn); this module only reads and writes.

As for a request, nothing here answers the API caller differently whoever the people are: a
proposer who is not a member hears so only after proving their address, and a person who cannot be
asked (opted out, bounced, asked too often) ends it with the same neutral close as a "no"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..adapters import confirmation_ledger
from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, connector_key, target_key
from ..domain import confirmations, limits
from ..domain.errors import Conflict, LimitReached, RateLimited
from ..domain.hashing import address_hash
from ..domain.lifecycle import GO, Admission, new_proposal
from ..domain.model import Decision, Intro, Person, State, Target
from ..domain.proposal_limits import proposal_turn
from ..domain.rules import DAY, HOUR
from ..domain.tokens import new_id
from ..settings import Settings
from ..telemetry import count_events
from . import intake, personal_data

if TYPE_CHECKING:  # the request models (pydantic) load with the intake's handler, not the links pages'
    from ..api import ProposalRequest


def submit(
    repo: Repository,
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
    if not repo.count_hit(
        f"ip:{address_hash(intake.network(source), key)}", now // HOUR, settings.limit_ip_hour
    ):
        raise RateLimited("Too many requests from your network just now. Please try again in an hour.")
    if proven:
        return intake.confirmed_now(repo, settings, _new(request, new_id(), now, via), _on_confirm)
    # One unanswered confirmation per address at a time, a request's or a proposal's (domain.confirmations).
    ledger_key = confirmation_ledger.ledger_key(address_hash(request.connector.email, key))
    window = settings.timings.unconfirmed
    for attempt in range(3):
        intro_id = new_id()
        ledger, now_ok = confirmations.take(
            confirmation_ledger.read(repo, ledger_key), intro_id, now, window, settings.limit_confirm_day
        )
        intro = _new(request, intro_id, now, via, held=not now_ok)
        write = confirmation_ledger.put(repo, ledger_key, ledger, expires_at=now + max(window, DAY) + DAY)
        try:
            repo.create(intro, also=[*personal_data.index(repo.table, intro, key), write])
        except Conflict:
            if attempt == 2:
                raise
            continue
        count_events(settings.org_name, intro, since=0)
        return intro
    raise AssertionError("unreachable")


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


def gate(
    settings: Settings, repo: Repository, intro: Intro, choice: Decision, now: int
) -> tuple[Admission, list[dict]]:
    """What the organisation's policy says before `choice` is applied to a proposal, and the ledger
    writes that commit with it (services.links writes them in the introduction's transaction)."""
    if choice in (Decision.CONFIRM, Decision.WITHDRAW) and intro.state is State.UNCONFIRMED:
        released = intake.confirmation_answered(settings, repo, intro, choice is Decision.CONFIRM, now)
        if choice is Decision.WITHDRAW:
            return GO, released
        try:
            gate_, also = _on_confirm(settings, repo, intro, now)
        except LimitReached:
            Ledgers(repo).write(*released)  # the click still proved the address (see services.links)
            raise
        return gate_, [*also, *released]
    if choice is Decision.ACCEPT and intro.state is State.AWAITING_TARGET:
        return _may_ask(settings, repo, intro.requester.email, now)
    return GO, []


def _on_confirm(settings: Settings, repo: Repository, intro: Intro, now: int) -> tuple[Admission, list[dict]]:
    """Only a member may propose; the proposal counts toward their week (told if it is full: it is
    their own activity); then the first person must be someone this service may ask."""
    name = repo.member_name(intro.connector.email)
    if name is None:
        return Admission(allowed=False), []
    ledgers = Ledgers(repo)
    c_key = connector_key(address_hash(intro.connector.email, settings.hash_key))
    connector = proposal_turn(ledgers.read(c_key)[c_key], settings.limits, now)
    writes = [ledgers.put(c_key, connector, limits.next_room_at(connector, settings.limits, now))]
    first, also = _may_ask(settings, repo, intro.target.email or "", now)
    return Admission(closes=first.closes, connector_name=name), [*writes, *also]


def _may_ask(settings: Settings, repo: Repository, email: str, now: int) -> tuple[Admission, list[dict]]:
    """A person is asked only if they never said "don't ask me again" (nor bounced) and have not been
    asked too often lately: each counts toward their "asked per 30 days", as a target does."""
    person = address_hash(email, settings.hash_key)
    if repo.suppressed([person]):
        return Admission(closes=True), []
    ledgers = Ledgers(repo)
    t_key = target_key(person)
    ledger, ok = limits.target_turn(ledgers.read(t_key)[t_key], settings.limits, now)
    if not ok:
        return Admission(closes=True), []
    return Admission(), [ledgers.put(t_key, ledger)]
