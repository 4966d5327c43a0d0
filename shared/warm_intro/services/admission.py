"""The organisation's policy at the two moments someone new would be mailed: when the requester
confirms (the connector is about to be asked) and when the connector approves (the target is).

Nothing here answers the API caller: outcomes only show up later, to a confirmed requester, in
words that never say who or what stood in the way. The one exception is the requester's own
activity (too many open requests, the same person asked twice), which LimitReached tells them.

Each returns the Admission and stages its ledger writes in the unit of the introduction's decision."""

from __future__ import annotations

import logging
from functools import partial

from ..domain import limits
from ..domain.disclosure import blocks_until, seen_by_requester
from ..domain.errors import Conflict
from ..domain.hashing import address_hash, person_key
from ..domain.lifecycle import Admission
from ..domain.limits import ConnectorLedger
from ..domain.model import Intro
from ..domain.preferences import connector_turn, own_limits, resume_at
from ..domain.rules import Limits
from ..settings import Settings
from .membership import connector_address
from .unit_of_work import Book, LedgerOf, Store, UnitOfWork

log = logging.getLogger(__name__)


def requester_allowed(settings: Settings, uow: UnitOfWork, email: str) -> bool:
    if settings.request_policy == "anyone":
        return True
    if uow.people.member_name(email) is not None:
        return True
    domain = email.rpartition("@")[2]
    return settings.request_policy == "members_and_domains" and domain in settings.allowed_domains


def on_confirm(settings: Settings, uow: UnitOfWork, intro: Intro, now: int) -> Admission:
    """The requester's own limits are checked first, for everyone: whether the connector can be
    asked must change nothing the requester sees (a request that can't go ahead is held, as below)."""
    key, rules = settings.hash_key, settings.limits
    connector_email = connector_address(uow, key, intro.connector.email)
    connector_name = uow.people.member_name(connector_email)
    if connector_name is None or not requester_allowed(settings, uow, intro.requester.email):
        return Admission(allowed=False)
    if settings.connector_policy == "agreed" and not uow.people.agreed(connector_email):
        return Admission(allowed=False)  # as for a non-member: nobody learns who agreed
    named = partial(Admission, connector_name=connector_name, connector_email=connector_email)
    connector_hash = address_hash(connector_email, key)
    r_ref = LedgerOf(Book.REQUESTER, address_hash(intro.requester.email, key))
    c_ref = LedgerOf(Book.CONNECTOR, connector_hash)
    found = uow.ledgers.read(r_ref, c_ref)
    requester = found[r_ref]
    outcomes = {i: _outcome(uow, i, settings) for i in limits.open_ids(requester, but=intro.id)}
    requester = limits.settle(requester, outcomes, now)
    target = intro.target
    email = address_hash(target.email, key) if target.email else None
    requester = limits.admit(requester, rules, intro.id, email, person_key(None, target.name, key), now)
    uow.ledgers.save(r_ref, requester)
    # Opted out, bounced, or at a refusing cap: closed now, shown to the requester like any other close.
    if uow.people.suppressed([connector_hash]):
        return named(closes=True)
    # The connector's own pause and weekly limit (set at /me) count like the organisation's cap.
    prefs = uow.people.preferences(connector_hash)
    connector, turn, due = connector_turn(found[c_ref], rules, prefs, intro.id, now)
    if turn is limits.Turn.REFUSE:
        return named(closes=True)
    uow.ledgers.save(c_ref, connector, due_at=due)
    return named(hold=turn is limits.Turn.HOLD)


def on_approve(settings: Settings, uow: UnitOfWork, intro: Intro, target_email: str, now: int) -> Admission:
    target_hash = address_hash(target_email, settings.hash_key)
    if uow.people.suppressed([target_hash]) or uow.people.preferences(target_hash).paused(now):
        return Admission(closes=True)  # a paused target can't be kept waiting: it closes politely
    t_ref = LedgerOf(Book.TARGET, target_hash)
    ledger, ok = limits.target_turn(uow.ledgers.read(t_ref)[t_ref], settings.limits, now)
    if not ok:
        return Admission(closes=True)
    uow.ledgers.save(t_ref, ledger)
    return Admission()


def release_held(settings: Settings, store: Store, now: int) -> int:
    """Sends the held asks whose connector's week now has room, oldest first. Called by the scheduler;
    each release is one transaction of the introduction and the connector's ledger."""
    sent = 0
    for ref in store.begin(now).ledgers.held_due(now):
        try:
            sent += _release(store, ref, settings.limits, now)
        except Conflict:  # someone confirmed or released at the same moment: the next run looks again
            log.info("held asks of one connector raced; left for the next run")
    return sent


def _release(store: Store, ref: LedgerOf[ConnectorLedger], rules: Limits, now: int) -> int:
    uow = store.begin(now)
    ledger, sent = uow.ledgers.read(ref)[ref], 0
    prefs = uow.people.preferences(ref.person)
    rules = own_limits(rules, prefs)
    if prefs.paused(now):  # still away: the queue waits for the end of the pause
        uow.ledgers.save(ref, ledger, due_at=resume_at(ledger, rules, prefs, now))
        uow.commit()
        return 0
    for intro_id in ledger.held:
        intro = uow.intros.get(intro_id)
        held = intro if limits.is_held(intro) else None
        if held is not None and limits.room(ledger, rules, now) == 0:
            break
        ledger = limits.released(ledger, intro_id, now, sent=held is not None)
        if held is not None:
            uow.intros.save(limits.release_ask(held, now), members=[held.connector.email])
            sent += 1
        # withdrawn, expired or erased meanwhile: it only leaves the queue
        ledger = uow.ledgers.save(ref, ledger, due_at=limits.next_room_at(ledger, rules, now))
        uow.commit()
    return sent


def _outcome(uow: UnitOfWork, intro_id: str, settings: Settings) -> limits.EarlierRequest:
    """An earlier request's fate as its requester sees it (erased meanwhile: it frees its slot)."""
    intro = uow.intros.get(intro_id)
    if intro is None:
        return limits.EarlierRequest(open=False)
    t, key = settings.timings, settings.hash_key
    return limits.EarlierRequest(
        seen_by_requester(intro).is_open,
        address_hash(intro.target.email, key) if intro.target.email else None,
        blocks_until(intro, t, settings.limits.block_after_decline_days),
    )
