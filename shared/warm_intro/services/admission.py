"""The organisation's policy at the two moments someone new would be mailed: when the requester
confirms (the connector is about to be asked) and when the connector approves (the target is).

Nothing here answers the API caller: outcomes only show up later, to a confirmed requester, in
words that never say who or what stood in the way. The one exception is the requester's own
activity (too many open requests, the same person asked twice), which LimitReached tells them.

Each returns the Admission and the ledger writes to commit in the introduction's transaction."""

from __future__ import annotations

import logging
from dataclasses import replace

from ..adapters import preferences
from ..adapters.agreements import Agreements
from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, connector_key, requester_key, target_key
from ..domain import limits
from ..domain.disclosure import blocks_until, seen_by_requester
from ..domain.errors import Conflict
from ..domain.hashing import address_hash, person_key
from ..domain.lifecycle import Admission
from ..domain.model import Intro
from ..domain.preferences import connector_turn, own_limits, resume_at
from ..settings import Settings
from .membership import connector_address

log = logging.getLogger(__name__)


def requester_allowed(settings: Settings, repo: Repository, email: str) -> bool:
    if settings.request_policy == "anyone":
        return True
    if repo.member_name(email) is not None:
        return True
    domain = email.rpartition("@")[2]
    return settings.request_policy == "members_and_domains" and domain in settings.allowed_domains


def on_confirm(settings: Settings, repo: Repository, intro: Intro, now: int) -> tuple[Admission, list[dict]]:
    """The requester's own limits are checked first, for everyone: whether the connector can be
    asked must change nothing the requester sees (a request that can't go ahead is held, as below)."""
    key, rules = settings.hash_key, settings.limits
    connector_email = connector_address(repo, key, intro.connector.email)
    connector_name = repo.member_name(connector_email)
    if connector_name is None or not requester_allowed(settings, repo, intro.requester.email):
        return Admission(allowed=False), []
    if settings.connector_policy == "agreed" and not Agreements(repo).agreed(connector_email):
        return Admission(allowed=False), []  # as for a non-member: nobody learns who agreed
    named = {"connector_name": connector_name, "connector_email": connector_email}
    connector_hash = address_hash(connector_email, key)
    ledgers = Ledgers(repo)
    r_key, c_key = requester_key(address_hash(intro.requester.email, key)), connector_key(connector_hash)
    found = ledgers.read(r_key, c_key)
    requester = found[r_key]
    outcomes = {i: _outcome(repo, i, settings) for i in limits.open_ids(requester, but=intro.id)}
    requester = limits.settle(requester, outcomes, now)
    target = intro.target
    email = address_hash(target.email, key) if target.email else None
    requester = limits.admit(requester, rules, intro.id, email, person_key(None, target.name, key), now)
    writes = [ledgers.put(r_key, requester)]
    # Opted out, bounced, or at a refusing cap: closed now, shown to the requester like any other close.
    if repo.suppressed([connector_hash]):
        return Admission(closes=True, **named), writes
    # The connector's own pause and weekly limit (set at /me) count like the organisation's cap.
    prefs = preferences.read(repo, connector_hash)
    connector, turn, due = connector_turn(found[c_key], rules, prefs, intro.id, now)
    if turn is limits.Turn.REFUSE:
        return Admission(closes=True, **named), writes
    writes.append(ledgers.put(c_key, connector, due))
    return Admission(hold=turn is limits.Turn.HOLD, **named), writes


def on_approve(
    settings: Settings, repo: Repository, intro: Intro, target_email: str, now: int
) -> tuple[Admission, list[dict]]:
    target_hash = address_hash(target_email, settings.hash_key)
    if repo.suppressed([target_hash]) or preferences.read(repo, target_hash).paused(now):
        return Admission(closes=True), []  # a paused target can't be kept waiting: it closes politely
    ledgers = Ledgers(repo)
    t_key = target_key(target_hash)
    ledger, ok = limits.target_turn(ledgers.read(t_key)[t_key], settings.limits, now)
    if not ok:
        return Admission(closes=True), []
    return Admission(), [ledgers.put(t_key, ledger)]


def release_held(settings: Settings, repo: Repository, now: int) -> int:
    """Sends the held asks whose connector's week now has room, oldest first. Called by the scheduler;
    each release is one transaction of the introduction and the connector's ledger."""
    ledgers, rules, sent = Ledgers(repo), settings.limits, 0
    for key in ledgers.held_due(now):
        try:
            sent += _release(repo, ledgers, key, rules, now)
        except Conflict:  # someone confirmed or released at the same moment: the next run looks again
            log.info("held asks of one connector raced; left for the next run")
    return sent


def _release(repo: Repository, ledgers: Ledgers, key: str, rules, now: int) -> int:
    ledger, sent = ledgers.read(key)[key], 0
    prefs = preferences.read(repo, key.removeprefix(connector_key("")))
    rules = own_limits(rules, prefs)
    if prefs.paused(now):  # still away: the queue waits for the end of the pause
        ledgers.write(ledgers.put(key, ledger, resume_at(ledger, rules, prefs, now)))
        return 0
    for intro_id in ledger.held:
        intro = repo.get(intro_id)
        go = limits.is_held(intro)
        if go and limits.room(ledger, rules, now) == 0:
            break
        ledger = limits.released(ledger, intro_id, now, sent=go)
        write = ledgers.put(key, ledger, limits.next_room_at(ledger, rules, now))
        if go:
            repo.save(
                limits.release_ask(intro, now), intro.version, also=[write], members=[intro.connector.email]
            )
            sent += 1
        else:  # withdrawn, expired or erased meanwhile: it only leaves the queue
            ledgers.write(write)
        ledger = replace(ledger, version=ledger.version + 1)
    return sent


def _outcome(repo: Repository, intro_id: str, settings: Settings) -> limits.EarlierRequest:
    """An earlier request's fate as its requester sees it (erased meanwhile: it frees its slot)."""
    intro = repo.get(intro_id)
    if intro is None:
        return limits.EarlierRequest(open=False)
    t, key = settings.timings, settings.hash_key
    return limits.EarlierRequest(
        seen_by_requester(intro).is_open,
        address_hash(intro.target.email, key) if intro.target.email else None,
        blocks_until(intro, t, settings.limits.block_after_decline_days),
    )
